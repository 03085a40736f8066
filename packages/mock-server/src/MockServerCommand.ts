/**
 * The `mock-server` command: the Riot API mock as a process, until Ctrl-C.
 * The `mock-server` executable runs it, and `volley mock-server` is the same
 * command under `volley`, so both take the same flags:
 *
 * - `--port N`: the port on 127.0.0.1; 0 (the default) picks a free one.
 * - `--seed S`: the dataset seed (default 1).
 * - `--app-limit "20:1,100:120"`: the application rate limits, or `off`.
 * - `--fault-rate R`: about this share of match fetches fault.
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Options from "@effect/cli/Options"
import * as ValidationError from "@effect/cli/ValidationError"
import type * as NodeContext from "@effect/platform-node/NodeContext"
import type { Teardown } from "@effect/platform/Runtime"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import { serveMock } from "./internal/command.js"
import { helpDocText, oneLine } from "./internal/errorLine.js"
import { withPlainTextUnlessTerminal } from "./internal/plainText.js"
import * as MockServer from "./MockServer.js"

const invalid = (message: string) => ValidationError.invalidValue(HelpDoc.p(message))

const port = Options.integer("port").pipe(
  Options.withDefault(0),
  Options.mapEffect((value) =>
    Number.isInteger(value) && value >= 0 && value <= 65535
      ? Effect.succeed(value)
      : Effect.fail(invalid(`--port must be an integer from 0 to 65535, got ${value}`))
  ),
  Options.withDescription("The port to listen on; 0 (the default) picks a free one.")
)

const seed = Options.integer("seed").pipe(
  Options.withDefault(MockServer.defaultSeed),
  Options.withDescription("The dataset seed (default 1).")
)

const appLimits = Options.text("app-limit").pipe(
  Options.withDefault(MockServer.formatRateLimitWindows(MockServer.defaultAppLimits)),
  Options.mapEffect((
    input
  ): Effect.Effect<ReadonlyArray<MockServer.RateLimitWindow> | false, ValidationError.ValidationError> =>
    input === "off"
      ? Effect.succeed(false)
      : Either.match(MockServer.parseRateLimitWindows(input), {
        onLeft: (error) => Effect.fail(invalid(`--app-limit: ${error.message}, or "off"`)),
        onRight: Effect.succeed
      })
  ),
  Options.withDescription("The application rate limits, Riot style (default 20:1,100:120), or off.")
)

const faultRate = Options.float("fault-rate").pipe(
  Options.withDefault(0),
  Options.mapEffect((rate) =>
    rate >= 0 && rate <= 1
      ? Effect.succeed(rate)
      : Effect.fail(invalid(`--fault-rate must be from 0 to 1, got ${rate}`))
  ),
  Options.withDescription(
    "About this share of match fetches fault (default 0): half 500/503 (retried), half truncated JSON."
  )
)

/**
 * `mock-server`: the Riot API mock on its own, until Ctrl-C. Add it to
 * another command line with `Command.withSubcommands`, as `volley` does.
 *
 * @example
 * ```ts
 * import { Command } from "@effect/cli"
 * import { MockServerCommand } from "@volley/mock-server"
 *
 * const tools = Command.make("tools").pipe(Command.withSubcommands([MockServerCommand.command]))
 * ```
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Command.make(
  "mock-server",
  { port, seed, appLimits, faultRate },
  (options) => serveMock(options, (text) => Effect.sync(() => void process.stderr.write(text)))
).pipe(Command.withDescription("Run the local Riot API mock server until Ctrl-C."))

/**
 * The exit codes of `mock-server`: 0 after `--help` or `--version`, 1 when
 * the server could not start (e.g. the port is taken), 2 for a bad flag, 130
 * when stopped by Ctrl-C (the server's normal end).
 *
 * @since 0.1.0
 * @category constants
 */
export const ExitCode = {
  success: 0,
  failure: 1,
  usage: 2,
  interrupted: 130
} as const

const cli = Command.run(command, { name: "mock-server", version: "0.1.0" })

// A message may quote the user's input (a rejected flag): one line whatever it holds.
const printError = (message: string) =>
  Effect.sync(() => void process.stderr.write(`mock-server: ${oneLine(message)}\n`))

/**
 * @effect/cli prints a usage error through `Console.error` before failing
 * with it, over several lines and with the rejected argument raw; nothing
 * else writes through it. It writes nothing here: `run` prints the error it
 * fails with, as one line.
 */
const withoutUsagePrinting = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.flatMap(Effect.console, (console) => Effect.withConsole(self, { ...console, error: () => Effect.void }))

/**
 * Runs `mock-server` on `process.argv` and succeeds with the exit code. A
 * failure is written to stderr as one line; an interruption is not caught,
 * so that {@link teardown} turns it into {@link ExitCode.interrupted}.
 *
 * @example
 * ```ts
 * import { NodeContext, NodeRuntime } from "@effect/platform-node"
 * import { MockServerCommand } from "@volley/mock-server"
 * import { Effect } from "effect"
 *
 * // `mock-server --help`; pass process.argv to take the real command line
 * MockServerCommand.run(["node", "mock-server", "--help"]).pipe(
 *   Effect.provide(NodeContext.layer),
 *   NodeRuntime.runMain({ disableErrorReporting: true, teardown: MockServerCommand.teardown })
 * )
 * ```
 *
 * @since 0.1.0
 * @category running
 */
export const run = (argv: ReadonlyArray<string>): Effect.Effect<number, never, NodeContext.NodeContext> =>
  cli(argv).pipe(
    withPlainTextUnlessTerminal,
    withoutUsagePrinting,
    Effect.as(ExitCode.success),
    Effect.catchAllCause((cause): Effect.Effect<number> => {
      if (Cause.isInterruptedOnly(cause)) return Effect.failCause(cause as Cause.Cause<never>)
      const failure = Cause.failureOption(cause)
      if (Option.isNone(failure)) {
        // A defect is a bug, not a mistake of the user's: its cause follows in full, to be reported.
        return Effect.as(
          Effect.sync(() => void process.stderr.write(`mock-server: unexpected error\n${Cause.pretty(cause)}\n`)),
          ExitCode.failure
        )
      }
      if (ValidationError.isValidationError(failure.value)) {
        return Effect.as(
          Effect.zipRight(
            printError(helpDocText(failure.value.error)),
            printError("see 'mock-server --help' for usage")
          ),
          ExitCode.usage
        )
      }
      return Effect.as(printError(failure.value.message), ExitCode.failure)
    })
  )

/**
 * The `NodeRuntime.runMain` teardown for {@link run}: exits with the code
 * `run` succeeded with, and {@link ExitCode.interrupted} when interrupted.
 *
 * @example
 * ```ts
 * import { NodeRuntime } from "@effect/platform-node"
 * import { MockServerCommand } from "@volley/mock-server"
 * import { Effect } from "effect"
 *
 * NodeRuntime.runMain(Effect.succeed(MockServerCommand.ExitCode.success), { teardown: MockServerCommand.teardown })
 * ```
 *
 * @since 0.1.0
 * @category running
 */
export const teardown: Teardown = (exit, onExit) =>
  onExit(
    Exit.match(exit, {
      onSuccess: (code) => typeof code === "number" ? code : ExitCode.success,
      onFailure: (cause) => Cause.isInterruptedOnly(cause) ? ExitCode.interrupted : ExitCode.failure
    })
  )
