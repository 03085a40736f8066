/**
 * The `volley` command line: `volley matches <gameName#tagLine>` fetches a
 * player's recent matches concurrently through a `TaskGroup`, and
 * `volley mock-server` runs the local Riot API mock on its own: the
 * `mock-server` command of `@volley/mock-server`, with the same flags.
 *
 * Exit codes: {@link ExitCode}.
 *
 * @since 0.1.0
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Options from "@effect/cli/Options"
import * as ValidationError from "@effect/cli/ValidationError"
import type * as NodeContext from "@effect/platform-node/NodeContext"
import type { Teardown } from "@effect/platform/Runtime"
import { MockServerCommand } from "@volley/mock-server"
import { Routing } from "@volley/riot"
import * as Cause from "effect/Cause"
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import { riotClientLayer } from "./internal/connection.js"
import { MissingApiKey } from "./internal/errors.js"
import { matches as fetchMatches } from "./internal/matches.js"
import { processOutput } from "./internal/output.js"
import { withPlainTextUnlessTerminal } from "./internal/plainText.js"
import { parseRiotId } from "./internal/riotId.js"

/**
 * The process exit codes of `volley`.
 *
 * - `success` (0): everything asked for was done.
 * - `failure` (1): a runtime failure: unknown player, refused API key, the
 *   API unreachable, or some matches could not be fetched.
 * - `usage` (2): the command line or the environment is wrong: a bad flag
 *   or Riot ID, or `--live` without `RIOT_API_KEY`.
 * - `interrupted` (130): stopped by Ctrl-C (SIGINT) or SIGTERM, after writing
 *   what was fetched so far.
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

const invalid = (message: string) => ValidationError.invalidValue(HelpDoc.p(message))

const integerBetween = (flag: string, min: number, max: number) => (value: number) =>
  Number.isInteger(value) && value >= min && value <= max
    ? Effect.succeed(value)
    : Effect.fail(invalid(`--${flag} must be an integer from ${min} to ${max}, got ${value}`))

const riotId = Args.text({ name: "gameName#tagLine" }).pipe(
  Args.withDescription("The player's Riot ID, e.g. 200#16384 (quote it when it has spaces)."),
  Args.mapEffect((input) =>
    Either.match(parseRiotId(input), { onLeft: (reason) => Effect.fail(HelpDoc.p(reason)), onRight: Effect.succeed })
  )
)

const platform = Options.choice("platform", Routing.platforms).pipe(
  Options.withDefault("na1" as const),
  Options.withDescription("The player's platform (shard), which serves summoner-v4 (default na1).")
)

const region = Options.choice("region", Routing.regions).pipe(
  Options.optional,
  Options.withDescription(
    "The region serving account-v1 and match-v5; default: the platform's region (americas for na1)."
  )
)

const count = Options.integer("count").pipe(
  Options.withDefault(20),
  Options.mapEffect(integerBetween("count", 1, 100)),
  Options.withDescription("How many recent matches to fetch, 1 to 100 (default 20).")
)

const maxConcurrency = 1000

const concurrency = Options.integer("concurrency").pipe(
  Options.withDefault(100),
  Options.mapEffect(integerBetween("concurrency", 1, maxConcurrency)),
  Options.withDescription(`At most this many match fetches in flight, 1 to ${maxConcurrency} (default 100).`)
)

const strategy = Options.choice("strategy", ["collect", "interrupt"]).pipe(
  Options.withDefault("collect" as const),
  Options.withDescription(
    "On a failed match: collect it and carry on (default), or interrupt the other fetches and stop."
  )
)

const format = Options.choice("format", ["table", "json", "jsonl"]).pipe(
  Options.optional,
  Options.withDescription("Output on stdout; default: table on a terminal, json otherwise.")
)

const live = Options.boolean("live").pipe(
  Options.withDescription("Use the real Riot API with RIOT_API_KEY (also implied when RIOT_API_KEY is set).")
)

const redis = Options.text("redis").pipe(
  Options.withFallbackConfig(Config.string("VOLLEY_REDIS_URL")),
  Options.optional,
  Options.withDescription(
    "Share the API key's rate limits with other processes through Redis at this URL, e.g. redis://127.0.0.1:6379 " +
      "(default: VOLLEY_REDIS_URL; without either, limits are kept in this process)."
  )
)

/**
 * `volley matches <gameName#tagLine>`: the player's recent matches.
 *
 * @since 0.1.0
 * @category commands
 */
export const matchesCommand = Command.make(
  "matches",
  { riotId, platform, region, count, concurrency, strategy, format, live, redis },
  (config) =>
    Effect.gen(function*() {
      const output = yield* processOutput
      const requests = yield* Ref.make(0)
      yield* fetchMatches(
        {
          riotId: config.riotId,
          platform: config.platform,
          region: Option.getOrElse(config.region, () => Routing.regionOf(config.platform)),
          count: config.count,
          concurrency: config.concurrency,
          strategy: config.strategy,
          format: Option.getOrElse(config.format, () => output.stdoutIsTerminal ? "table" : "json")
        },
        output,
        Ref.get(requests)
      ).pipe(
        Effect.provide(riotClientLayer({
          live: config.live,
          redisUrl: Option.getOrUndefined(Option.filter(config.redis, (url) => url !== "")),
          requests,
          writeStderr: output.stderr
        }))
      )
    })
).pipe(Command.withDescription("Fetch a player's recent matches concurrently and print one row per match."))

/**
 * The root `volley` command with its subcommands.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Command.make("volley").pipe(
  Command.withDescription("Fetch League of Legends matches concurrently with Effect."),
  Command.withSubcommands([matchesCommand, MockServerCommand.command])
)

const cli = Command.run(command, { name: "volley", version: "0.1.0" })

const printError = (message: string) => Effect.sync(() => void process.stderr.write(`volley: ${message}\n`))

const subcommands: ReadonlyArray<string> = ["matches", "mock-server"]

/** Where to read more after a usage error: the help of the subcommand that was given, if any. */
const usageHint = (argv: ReadonlyArray<string>): string => {
  const subcommand = argv.slice(2).find((arg) => subcommands.includes(arg))
  return `see 'volley${subcommand === undefined ? "" : ` ${subcommand}`} --help' for usage`
}

const exitCodeOf = (argv: ReadonlyArray<string>) => (cause: Cause.Cause<unknown>): Effect.Effect<number> => {
  const failure = Cause.failureOption(cause)
  if (Option.isNone(failure)) {
    return Effect.as(printError(`unexpected error\n${Cause.pretty(cause)}`), ExitCode.failure)
  }
  const error = failure.value
  // @effect/cli has already printed the reason for these.
  if (ValidationError.isValidationError(error)) return Effect.as(printError(usageHint(argv)), ExitCode.usage)
  if (ConfigError.isConfigError(error)) {
    return Effect.as(printError(`invalid environment: ${String(error)}`), ExitCode.usage)
  }
  if (error instanceof MissingApiKey) return Effect.as(printError(error.message), ExitCode.usage)
  return Effect.as(printError(error instanceof Error ? error.message : String(error)), ExitCode.failure)
}

/**
 * Runs `volley` on `process.argv` and succeeds with the exit code. Failures
 * are written to stderr as one line (`volley: ...`); an interruption is not
 * caught, so the caller sees it (see {@link teardown}).
 *
 * Logs go to stderr; the default level is `Error`, and `--log-level`
 * changes it.
 *
 * @example
 * ```ts
 * import { NodeContext, NodeRuntime } from "@effect/platform-node"
 * import { Cli } from "@volley/cli"
 * import { Effect } from "effect"
 *
 * Cli.run(process.argv).pipe(
 *   Effect.provide(NodeContext.layer),
 *   NodeRuntime.runMain({ disableErrorReporting: true, disablePrettyLogger: true, teardown: Cli.teardown })
 * )
 * ```
 *
 * @since 0.1.0
 * @category running
 */
export const run = (argv: ReadonlyArray<string>): Effect.Effect<number, never, NodeContext.NodeContext> =>
  cli(argv).pipe(
    withPlainTextUnlessTerminal,
    Effect.as(ExitCode.success),
    Effect.catchAllCause((cause) =>
      Cause.isInterruptedOnly(cause) ? Effect.failCause(cause as Cause.Cause<never>) : exitCodeOf(argv)(cause)
    ),
    Logger.withMinimumLogLevel(LogLevel.Error),
    Effect.provide(Logger.replace(Logger.defaultLogger, Logger.prettyLogger({ stderr: true })))
  )

/**
 * The `NodeRuntime.runMain` teardown for {@link run}: exits with the code
 * `run` succeeded with, {@link ExitCode.interrupted} when the run was
 * interrupted, and {@link ExitCode.failure} otherwise.
 *
 * @example
 * ```ts
 * import { NodeRuntime } from "@effect/platform-node"
 * import { Cli } from "@volley/cli"
 * import { Effect } from "effect"
 *
 * NodeRuntime.runMain(Effect.succeed(Cli.ExitCode.success), { teardown: Cli.teardown })
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
