/**
 * The `volley` command line: `volley matches <gameName#tagLine>` fetches a
 * player's recent matches concurrently through a `TaskGroup`,
 * `volley get <family> <operation>` calls any GET method of the Riot client
 * and writes its answer as JSON, and `volley mock-server` runs the local Riot
 * API mock on its own: the `mock-server` command of `@volley/mock-server`,
 * with the same flags.
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
import { RiotClient, Routing } from "@volley/riot"
import * as Cause from "effect/Cause"
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import type * as Console from "effect/Console"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import {
  defaultMaxConnections,
  defaultRedisWaitSeconds,
  parseOnRedisLost,
  riotClientLayer
} from "./internal/connection.js"
import { MissingApiKey } from "./internal/errors.js"
import {
  accessTokenOption,
  checkMethodNames,
  families,
  get,
  methodPath,
  MissingAccessToken,
  paramOptions,
  routeOption,
  UnknownMethod,
  UnsafeArgument
} from "./internal/get.js"
import { helpDocText } from "./internal/helpDocText.js"
import { matches as fetchMatches } from "./internal/matches.js"
import { type Operation, operations } from "./internal/operations.js"
import { processOutput } from "./internal/output.js"
import { withPlainTextUnlessTerminal } from "./internal/plainText.js"
import { type Format, renderReport } from "./internal/render.js"
import { emptyReport } from "./internal/report.js"
import { parseRiotId } from "./internal/riotId.js"
import { maxUntrustedLength, untrusted, untrustedLines } from "./internal/safeText.js"

/**
 * The process exit codes of `volley`.
 *
 * - `success` (0): everything asked for was done.
 * - `failure` (1): a runtime failure: unknown player, refused API key, the
 *   API unreachable, some matches could not be fetched, or Riot refused a
 *   `get`.
 * - `usage` (2): the command line or the environment is wrong: a bad flag
 *   or Riot ID, `--live` without `RIOT_API_KEY`, or for `get` an unknown
 *   family or operation, a route the method is not served on, a missing or
 *   malformed parameter, or an RSO method on the real API without
 *   `RIOT_ACCESS_TOKEN`.
 * - `interrupted` (130): stopped by Ctrl-C (SIGINT) or SIGTERM, after writing
 *   what was fetched so far (`get` writes nothing).
 * - `closedPipe` (141, as for a process ended by SIGPIPE): stdout or stderr
 *   was closed by its reader (`volley matches ... | head -1`); the run ends
 *   there, quietly.
 *
 * @since 0.1.0
 * @category constants
 */
export const ExitCode = {
  success: 0,
  failure: 1,
  usage: 2,
  interrupted: 130,
  closedPipe: 141
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

const maxConnections = Options.integer("max-connections").pipe(
  Options.withFallbackConfig(Config.integer("VOLLEY_MAX_CONNECTIONS")),
  Options.withDefault(defaultMaxConnections),
  Options.mapEffect(integerBetween("max-connections", 1, maxConcurrency)),
  Options.withDescription(
    `At most this many connections to one Riot host, 1 to ${maxConcurrency} (default ${defaultMaxConnections}; ` +
      "env VOLLEY_MAX_CONNECTIONS); fetches beyond them wait for a free one."
  )
)

const onRedisLost = Options.text("on-redis-lost").pipe(
  Options.withFallbackConfig(Config.string("VOLLEY_ON_REDIS_LOST")),
  Options.withDefault("wait"),
  Options.mapEffect((input) =>
    Either.match(parseOnRedisLost(input), { onLeft: (reason) => Effect.fail(invalid(reason)), onRight: Effect.succeed })
  ),
  Options.withDescription(
    `With --redis, what to do when Redis goes away mid-run: wait (default: up to ${defaultRedisWaitSeconds} s for it ` +
      "to come back, then fail the requests still waiting), wait:SECONDS, fail (at once), or share:N (go on alone " +
      "with 1/N of every limit, N being the processes sharing the key). Env VOLLEY_ON_REDIS_LOST."
  )
)

// Checked here, before anything is sent: an unparsable URL would otherwise
// only fail at connect time, as a runtime failure.
const isRedisUrl = (url: string): boolean =>
  URL.canParse(url) && ["redis:", "rediss:"].includes(new URL(url).protocol) && new URL(url).hostname !== ""

const redis = Options.text("redis").pipe(
  Options.withFallbackConfig(Config.string("VOLLEY_REDIS_URL")),
  Options.optional,
  Options.mapEffect((url) =>
    Option.isNone(url) || url.value === "" || isRedisUrl(url.value)
      ? Effect.succeed(url)
      : Effect.fail(
        invalid(
          `--redis must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379, got ${JSON.stringify(url.value)}`
        )
      )
  ),
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
  { riotId, platform, region, count, concurrency, strategy, format, live, maxConnections, redis, onRedisLost },
  (config) =>
    Effect.gen(function*() {
      const output = yield* processOutput
      const requests = yield* Ref.make(0)
      const reportWritten = yield* Effect.serviceOption(ReportWritten)
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
        {
          riot: riotClientLayer({
            live: config.live,
            maxConnections: config.maxConnections,
            redisUrl: Option.getOrUndefined(Option.filter(config.redis, (url) => url !== "")),
            onRedisLost: config.onRedisLost,
            requests,
            writeStderr: output.stderr
          }),
          httpRequests: Ref.get(requests),
          reportWritten: Option.getOrElse(reportWritten, () => Ref.unsafeMake(false))
        }
      )
    })
).pipe(Command.withDescription("Fetch a player's recent matches concurrently and print one row per match."))

const connection = { live, maxConnections, redis, onRedisLost }

// The table always has operations; Command.withSubcommands wants to see it.
const nonEmpty = <A>(items: ReadonlyArray<A>): readonly [A, ...Array<A>] => items as readonly [A, ...Array<A>]

const noAccessToken = Options.map(Options.none, () => Option.none<Redacted.Redacted>())

/** One operation as `volley get <family> <operation>`, its parameters as options. */
const operationCommand = (name: string, operation: Operation) =>
  Command.make(
    name,
    {
      route: routeOption(operation),
      args: paramOptions(operation),
      accessToken: operation.rso ? accessTokenOption : noAccessToken,
      ...connection
    },
    (config) =>
      Effect.gen(function*() {
        const output = yield* processOutput
        const configured = yield* RiotClient.config
        const embedded = configured.apiKey === undefined && !config.live
        if (operation.rso && Option.isNone(config.accessToken) && !embedded) {
          return yield* new MissingAccessToken({ operationId: operation.operationId })
        }
        yield* get(
          {
            operation,
            route: config.route,
            args: config.args,
            // The embedded mock takes any token; a made-up one lets every method run offline.
            accessToken: Option.getOrElse(config.accessToken, () => Redacted.make("volley-embedded-mock-token"))
          },
          output,
          riotClientLayer({
            live: config.live,
            maxConnections: config.maxConnections,
            redisUrl: Option.getOrUndefined(Option.filter(config.redis, (url) => url !== "")),
            onRedisLost: config.onRedisLost,
            requests: Ref.unsafeMake(0),
            writeStderr: output.stderr
          })
        )
      })
  ).pipe(Command.withDescription(`${operation.operationId}: GET ${operation.path}, answered as JSON on stdout.`))

/**
 * `volley get <family> <operation> [options]`: any GET method of the Riot
 * client, one subcommand per API family and operation, named after the
 * client's method (`getLolLeagueV4ChallengerLeague` is
 * `volley get lol-league-v4 challenger-league`). Each parameter is an option
 * (`--queue RANKED_SOLO_5x5`), the route is `--platform` or `--region`, and
 * the answer is written to stdout as JSON.
 *
 * @since 0.1.0
 * @category commands
 */
export const getCommand = Command.make("get").pipe(
  Command.withDescription("Call any GET method of the Riot API by family and operation; the answer is JSON on stdout."),
  Command.withSubcommands(
    nonEmpty(Array.from(families(operations), ([family, byName]) =>
      Command.make(family).pipe(
        Command.withDescription(`The ${family} methods.`),
        Command.withSubcommands(nonEmpty(Array.from(byName, ([name, operation]) => operationCommand(name, operation))))
      )))
  )
)

/**
 * The root `volley` command with its subcommands.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Command.make("volley").pipe(
  Command.withDescription("Fetch League of Legends matches concurrently with Effect."),
  Command.withSubcommands([matchesCommand, getCommand, MockServerCommand.command])
)

/**
 * The root as `volley --help` shows it. @effect/cli's help of a command
 * lists every command nested under it with all its options (and, past one
 * level, its parent's name twice), which for `get` is every method of the
 * API: so the command line is parsed with the whole tree only when it is a
 * `get` one, and `get` is one line in the root's help otherwise.
 */
const commandWithGetSummary = Command.make("volley").pipe(
  Command.withDescription("Fetch League of Legends matches concurrently with Effect."),
  Command.withSubcommands([
    matchesCommand,
    Command.make("get").pipe(
      Command.withDescription(
        "Call any GET method of the Riot API: 'volley get --help' lists the API families and their operations."
      )
    ),
    MockServerCommand.command
  ])
)

const runWithGet = Command.run(command, { name: "volley", version: "0.1.0" })
const runWithGetSummary = Command.run(commandWithGetSummary, { name: "volley", version: "0.1.0" })
const cli = (argv: ReadonlyArray<string>) => argv.slice(2).includes("get") ? runWithGet(argv) : runWithGetSummary(argv)

/**
 * Set once `volley matches` has written a report, so that an interruption
 * that comes before the command has started (while the command line is
 * parsed) still gets one, and one that comes after does not get two.
 */
class ReportWritten extends Context.Tag("@volley/cli/Cli/ReportWritten")<ReportWritten, Ref.Ref<boolean>>() {}

/**
 * The format `volley matches` was asked for, read from the raw arguments: an
 * interruption can come before @effect/cli has parsed them.
 */
const formatIn = (argv: ReadonlyArray<string>, stdoutIsTerminal: boolean): Format => {
  const args = argv.slice(2)
  for (const [index, arg] of args.entries()) {
    const value = arg === "--format" ? args[index + 1] : arg.startsWith("--format=") ? arg.slice(9) : undefined
    if (value === "table" || value === "json" || value === "jsonl") return value
  }
  return stdoutIsTerminal ? "table" : "json"
}

/**
 * What an interruption that no command handled leaves: for `volley matches`
 * an empty report with the outcome `interrupted`, and always one line on
 * stderr.
 */
const onUnhandledInterrupt = (argv: ReadonlyArray<string>, reportWritten: Ref.Ref<boolean>) =>
  Effect.gen(function*() {
    if (yield* Ref.get(reportWritten)) return
    const output = yield* processOutput
    if (argv.slice(2).includes("matches")) {
      const format = formatIn(argv, output.stdoutIsTerminal)
      yield* output.stdout(renderReport(emptyReport("interrupted"), format, { color: output.stdoutIsTerminal }))
      yield* output.stderr("volley: interrupted; wrote the 0 matches fetched so far\n")
    } else {
      yield* output.stderr("volley: interrupted\n")
    }
  })

// Error messages carry text from the user (a Riot ID, a rejected flag) and
// from Riot (its status message): made safe before they reach a terminal or
// a log, and kept to one line whatever they hold (a newline, CR or U+2028 in
// the input is shown as its escape).
const printError = (message: string) =>
  Effect.sync(() => void process.stderr.write(`volley: ${untrusted(message, maxErrorLength)}\n`))

/** Long enough for any message of ours with a quoted piece of input cut to `maxUntrustedLength`. */
const maxErrorLength = 2 * maxUntrustedLength

const safeArgs = (args: ReadonlyArray<unknown>) =>
  args.map((arg) => typeof arg === "string" ? untrustedLines(arg) : arg)

/**
 * The console of a run. `Console.error` is how @effect/cli prints a usage
 * error before failing with it, and nothing else writes through it: rendered
 * over several lines, with the rejected argument raw. It writes nothing here,
 * and {@link exitCodeOf} prints the error it fails with as one safe line.
 * The logger writes through `unsafe.error`: messages and causes that may
 * quote Riot or the user, made safe line by line.
 */
const safeErrorConsole = Effect.map(Effect.console, (console): Console.Console => ({
  ...console,
  error: () => Effect.void,
  unsafe: { ...console.unsafe, error: (...args) => console.unsafe.error(...safeArgs(args)) }
}))

// Without colours: their escape codes would be made safe too, as escapes.
const safeLogger = Logger.prettyLogger({ stderr: true, colors: false })

const subcommands: ReadonlyArray<string> = ["matches", "get", "mock-server"]

/** Where to read more after a usage error: the help of the subcommand that was given, if any. */
const usageHint = (argv: ReadonlyArray<string>): string => {
  const args = argv.slice(2)
  const subcommand = args.find((arg) => subcommands.includes(arg))
  const method = subcommand === "get" ? methodPath(operations, args.slice(args.indexOf("get") + 1)) : []
  return `see 'volley${subcommand === undefined ? "" : ` ${[subcommand, ...method].join(" ")}`} --help' for usage`
}

/** Every variable a configuration error is about, in one line: `NAME: reason; NAME: reason`. */
const describeConfigError = (error: ConfigError.ConfigError): string => {
  const reasons = ConfigError.reduceWithContext(error, undefined, {
    andCase: (_, left: ReadonlyArray<string>, right: ReadonlyArray<string>) => [...left, ...right],
    orCase: (_, left: ReadonlyArray<string>, right: ReadonlyArray<string>) => [...left, ...right],
    invalidDataCase: (_, path, message) => [`${path.join(".")}: ${message}`],
    missingDataCase: (_, path, message) => [`${path.join(".")}: ${message}`],
    sourceUnavailableCase: (_, path, message) => [`${path.join(".")}: ${message}`],
    unsupportedCase: (_, path, message) => [`${path.join(".")}: ${message}`]
  })
  return [...new Set(reasons)].join("; ")
}

/**
 * Fails with `UnknownMethod` when `volley get` names a family or operation
 * the table lacks, and with `UnsafeArgument` when an argument of it holds a
 * control character.
 */
const knownMethodNames = (argv: ReadonlyArray<string>): Effect.Effect<void, UnknownMethod | UnsafeArgument> =>
  Effect.suspend(() => {
    const unknown = checkMethodNames(operations, argv.slice(2))
    return unknown === undefined ? Effect.void : Effect.fail(unknown)
  })

const exitCodeOf = (argv: ReadonlyArray<string>) => (cause: Cause.Cause<unknown>): Effect.Effect<number> => {
  const failure = Cause.failureOption(cause)
  if (Option.isNone(failure)) {
    // A defect is a bug, not a mistake of the user's: its cause follows in full, line by line, to be reported.
    return Effect.as(
      Effect.sync(() =>
        void process.stderr.write(`volley: unexpected error\n${untrustedLines(Cause.pretty(cause))}\n`)
      ),
      ExitCode.failure
    )
  }
  const error = failure.value
  if (ValidationError.isValidationError(error)) {
    return Effect.as(
      Effect.zipRight(printError(helpDocText(error.error)), printError(usageHint(argv))),
      ExitCode.usage
    )
  }
  if (ConfigError.isConfigError(error)) {
    return Effect.as(
      Effect.zipRight(printError(`invalid environment: ${describeConfigError(error)}`), printError(usageHint(argv))),
      ExitCode.usage
    )
  }
  if (
    error instanceof MissingApiKey || error instanceof MissingAccessToken || error instanceof UnknownMethod ||
    error instanceof UnsafeArgument
  ) {
    return Effect.as(Effect.zipRight(printError(error.message), printError(usageHint(argv))), ExitCode.usage)
  }
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
  Effect.flatMap(Ref.make(false), (reportWritten) =>
    Effect.zipRight(knownMethodNames(argv), cli(argv)).pipe(
      withPlainTextUnlessTerminal,
      Effect.provideService(ReportWritten, reportWritten),
      Effect.as(ExitCode.success),
      Effect.catchAllCause((cause) =>
        Cause.isInterruptedOnly(cause) ? Effect.failCause(cause as Cause.Cause<never>) : exitCodeOf(argv)(cause)
      ),
      Effect.onInterrupt(() => onUnhandledInterrupt(argv, reportWritten)),
      (program) => Effect.flatMap(safeErrorConsole, (console) => Effect.withConsole(program, console)),
      Logger.withMinimumLogLevel(LogLevel.Error),
      Effect.provide(Logger.replace(Logger.defaultLogger, safeLogger))
    ))

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
