/**
 * A local Riot API mock server: real loopback HTTP, Riot's payload shapes,
 * Riot's error bodies, Riot-style fixed-window rate limits with Riot's
 * headers, and seeded fault injection. Everything it serves is derived from a
 * seed, so two servers with the same seed serve the same accounts, match ids
 * and match bodies.
 *
 * It serves every GET operation of `@volley/riot`'s operation table, on the
 * routes the operation lists (any other route, and any unknown path, gets
 * Riot's 404). The seed example's four methods (account by Riot ID, summoner
 * by puuid, match ids, match) and account by puuid come from a seeded
 * dataset of players whose data agree with each other; the methods with real responses recorded in the
 * package's `fixtures/by-operation/` answer with those; every other method
 * answers with a body made up from its response schema by effect/Arbitrary, a
 * pure function of the seed and the request, so every method of the client
 * can be exercised offline and two mocks of one seed agree. Path and query
 * parameters outside their type, enum or bounds get Riot's 400; RSO methods
 * want an `Authorization: Bearer` token besides the key (any token will do).
 * Rate limits (per route, and per route and method, with Riot's headers),
 * faults and the request log are the same for every method.
 * {@link MockServer.coverage} says which source serves which method.
 *
 * A real Riot host is `https://{route}.api.riotgames.com`; the mock takes the
 * route as the first path segment instead, so a client pointed at
 * {@link MockServer.baseUrl} (`http://127.0.0.1:PORT/{route}`) talks to it
 * unchanged.
 *
 * Every request is logged ({@link MockServer.requestLog}) in bounded memory:
 * the log is a ring of the latest `requestLogLimit` requests, and an entry
 * keeps a few numbers and names, the path without its query string cut to
 * {@link maxLoggedPathLength} characters (the last one `…` when it was cut)
 * and the route, its first segment. It keeps no query, header or body, and
 * no reference to the request: a flood of 8 kB URLs costs each entry no more
 * than a short one.
 *
 * @since 0.1.0
 */
import type { ServeError } from "@effect/platform/HttpServerError"
import type { Platform, Region, Route } from "@volley/riot/Routing"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import type * as Effect from "effect/Effect"
import type * as Either from "effect/Either"
import type * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as dataset from "./internal/dataset.js"
import * as examples from "./internal/examples.js"
import { type Operation, operations } from "./internal/operations.js"
import * as rateLimits from "./internal/rateLimits.js"
import * as requestLog from "./internal/requestLog.js"
import * as server from "./internal/server.js"

/**
 * A Riot API method the mock serves, named `{api}.{method}` like Riot's
 * documentation (`"match-v5.getMatch"`, `"league-v4.getChallengerLeague"`):
 * the operation id of a GET operation of `@volley/riot`'s operation table.
 * Method rate limits are kept per (route, method name).
 *
 * @since 0.1.0
 * @category models
 */
export type MethodName = string

/**
 * Every method the mock serves: every GET operation of the Riot API that
 * `@volley/riot` describes.
 *
 * @since 0.1.0
 * @category constants
 */
export const methodNames: ReadonlyArray<MethodName> = operations.map((operation) => operation.operationId)

/**
 * One rate limit window: at most `limit` requests per `windowSeconds`, the
 * `20:1` in Riot's `X-App-Rate-Limit: 20:1,100:120` header.
 *
 * @since 0.1.0
 * @category models
 */
export interface RateLimitWindow {
  readonly limit: number
  readonly windowSeconds: number
}

/**
 * The application limits of a Riot development key: 20 requests per second
 * and 100 per two minutes, per route.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultAppLimits: ReadonlyArray<RateLimitWindow> = [
  { limit: 20, windowSeconds: 1 },
  { limit: 100, windowSeconds: 120 }
]

/**
 * The method limit of every method without one of its own in
 * {@link defaultMethodLimits}: 1,000 requests per minute per route.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultMethodLimit: ReadonlyArray<RateLimitWindow> = [{ limit: 1000, windowSeconds: 60 }]

/**
 * Per-method limits in the range Riot grants development keys, for every
 * method in {@link methodNames} (those of the seed example have their own,
 * the others {@link defaultMethodLimit}); generous next to
 * {@link defaultAppLimits}, so with the defaults the application limit is the
 * one a client hits first.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultMethodLimits: { readonly [method: MethodName]: ReadonlyArray<RateLimitWindow> } = {
  ...Object.fromEntries(methodNames.map((method) => [method, defaultMethodLimit])),
  "account-v1.getByRiotId": [{ limit: 1000, windowSeconds: 60 }],
  "summoner-v4.getByPUUID": [{ limit: 1600, windowSeconds: 60 }],
  "match-v5.getMatchIdsByPUUID": [{ limit: 2000, windowSeconds: 10 }],
  "match-v5.getMatch": [{ limit: 2000, windowSeconds: 10 }]
}

/**
 * The API key the mock accepts unless told otherwise:
 * `RGAPI-00000000-0000-0000-0000-000000000000`.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultApiKey: Redacted.Redacted<string> = Redacted.make("RGAPI-00000000-0000-0000-0000-000000000000")

/**
 * The seed used when none is given.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultSeed = 1

/**
 * The fault kinds the mock can inject.
 *
 * - `serviceRateLimit`: 429 with `X-Rate-Limit-Type: service` and no
 *   `Retry-After`, as Riot sends when the service itself is overloaded.
 * - `serverError`: one of the configured 5xx statuses.
 * - `connectionReset`: the socket is destroyed without a response.
 * - `truncatedJson`: status 200 with the first half of the JSON body.
 * - `malformedJson`: status 200 with a full-length body that is not valid JSON.
 *
 * @since 0.1.0
 * @category models
 */
export type FaultKind = "serviceRateLimit" | "serverError" | "connectionReset" | "truncatedJson" | "malformedJson"

/**
 * Seeded fault injection. Rates are probabilities in `[0, 1]` per request.
 *
 * Decisions are a pure function of (seed, request path, how many times that
 * path was requested before), so they do not depend on the order in which
 * concurrent requests arrive, and a retry of the same path gets a fresh
 * decision. When several kinds fire at once the first in the order
 * connectionReset, serviceRateLimit, serverError, truncatedJson, malformedJson
 * wins. Faults happen after rate limiting, so a faulted request used up a
 * rate limit slot, as it does at Riot.
 *
 * @since 0.1.0
 * @category models
 */
export interface FaultOptions {
  readonly serviceRateLimit?: number
  /**
   * `burst` makes a server error stick: the next `burst - 1` requests of the
   * same path fail the same way. `statuses` defaults to `[500, 503]`.
   */
  readonly serverError?: {
    readonly rate: number
    readonly statuses?: ReadonlyArray<number>
    readonly burst?: number
  }
  /** Every faultable response waits `ms` plus a uniform `0..jitterMs` on the `Clock`. */
  readonly latency?: {
    readonly ms: number
    readonly jitterMs?: number
  }
  readonly connectionReset?: number
  readonly truncatedJson?: number
  readonly malformedJson?: number
  /** The methods faults apply to; defaults to match fetches (`["match-v5.getMatch"]`). */
  readonly methods?: ReadonlyArray<MethodName> | "all"
}

/**
 * How to run the mock. Every field is optional.
 *
 * - `port`: 0 (the default) picks a free port.
 * - `seed`: the dataset and fault seed, {@link defaultSeed} by default.
 * - `apiKey`: the one key accepted in `X-Riot-Token`, {@link defaultApiKey}
 *   by default.
 * - `appLimits` / `methodLimits`: `false` turns that kind of limit off (for
 *   benchmarks); `methodLimits` entries override {@link defaultMethodLimits}
 *   per method. Application limits are kept per route, method limits per
 *   (route, method), in Riot's fixed windows: a window opens with the first
 *   request after the previous one expired. A request rejected with 429 does
 *   not use up a slot; 401, 403 and unknown paths are not counted at all.
 * - `requestLogLimit`: how many of the latest requests `requestLog` keeps,
 *   {@link defaultRequestLogLimit} by default. Older entries are dropped, so
 *   a long soak runs in flat memory; the `rateLimitReport` counts every
 *   request whatever this limit.
 *
 * @since 0.1.0
 * @category models
 */
export interface MockServerOptions {
  readonly port?: number
  readonly seed?: number
  readonly apiKey?: Redacted.Redacted<string>
  readonly appLimits?: ReadonlyArray<RateLimitWindow> | false
  readonly methodLimits?: { readonly [method: MethodName]: ReadonlyArray<RateLimitWindow> } | false
  readonly faults?: FaultOptions
  readonly requestLogLimit?: number
}

/**
 * How many of the latest requests a mock's `requestLog` keeps unless told
 * otherwise: 10,000 entries, a few megabytes at most.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultRequestLogLimit = 10_000

/**
 * How much of a request's path the request log keeps, in characters: every
 * real Riot path fits, a hostile one cannot fill the memory. A longer path is
 * kept as its first 255 characters and `…`.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxLoggedPathLength = 256

/**
 * A player in the mock's dataset. `platform` is the player's home shard: the
 * only platform with a summoner for them and the prefix of their match ids;
 * `region` serves their account and matches.
 *
 * @since 0.1.0
 * @category models
 */
export interface MockAccount {
  readonly puuid: string
  readonly gameName: string
  readonly tagLine: string
  readonly platform: Platform
  readonly region: Region
}

/**
 * Which limit rejected a request, as in Riot's `X-Rate-Limit-Type` header.
 *
 * @since 0.1.0
 * @category models
 */
export type RateLimitType = "application" | "method" | "service"

/**
 * One request the mock received.
 *
 * - `time`: arrival, in milliseconds from the server's `Clock`.
 * - `route`: the first segment of `path`, as sent (it may not be a valid
 *   route, and ends with `…` if the path was cut within it).
 * - `method`: absent when the path matched no endpoint.
 * - `path`: the request path without the query string, as sent, cut to
 *   {@link maxLoggedPathLength} characters: a longer one ends with `…`.
 * - `status`: the status sent, or 0 when the connection was reset instead.
 * - `rateLimitType`: set on every 429.
 * - `fault`: set when a fault was injected.
 * - `latencyMs`: set when injected latency delayed the response.
 *
 * @since 0.1.0
 * @category models
 */
export interface LoggedRequest {
  readonly time: number
  readonly route: string
  readonly method?: MethodName
  readonly path: string
  readonly status: number
  readonly rateLimitType?: RateLimitType
  readonly fault?: FaultKind
  readonly latencyMs?: number
}

/**
 * The highest count one of the mock's fixed windows reached.
 *
 * @since 0.1.0
 * @category models
 */
export interface WindowPeak {
  readonly scope: "application" | "method"
  readonly route: Route
  readonly method?: MethodName
  readonly limit: number
  readonly windowSeconds: number
  readonly peakCount: number
}

/**
 * Faults on match fetches at roughly `rate` per request: half are 500/503
 * answers, which a client retries, half truncated bodies, which it cannot, so
 * they surface as failed matches. `latencyMillis` delays every match fetch.
 * The `--fault-rate` of the `mock-server` command.
 *
 * @example
 * ```ts
 * import { MockServer } from "@volley/mock-server"
 * import { Effect } from "effect"
 *
 * const flaky = MockServer.make({ faults: MockServer.faultsAtRate(0.1) })
 * Effect.runPromise(Effect.scoped(Effect.map(flaky, (mock) => mock.url)))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const faultsAtRate = (rate: number, latencyMillis = 0): FaultOptions => ({
  serverError: { rate: rate / 2 },
  truncatedJson: rate / 2,
  methods: ["match-v5.getMatch"],
  ...(latencyMillis > 0 ? { latency: { ms: latencyMillis } } : {})
})

/**
 * The mock's own verdict on rate limiting: how many 429s it sent per type, and
 * the peak count of every fixed window it kept. A client that respects Riot's
 * limits causes no `application` or `method` rejections.
 *
 * @since 0.1.0
 * @category models
 */
export interface RateLimitReport {
  readonly rejected: { readonly [T in RateLimitType]: number }
  readonly windows: ReadonlyArray<WindowPeak>
}

/**
 * Where the answers of one method come from:
 *
 * - `dataset`: the seeded players, whose accounts, summoners, match ids and
 *   matches agree with each other (the seed example's four methods, and
 *   account-v1's account by puuid);
 * - `recorded`: real responses recorded from Riot, kept in the package's
 *   `fixtures/by-operation/<method>/`;
 * - `generated`: bodies made up from the method's response schema with
 *   effect/Arbitrary, the same for the same seed and request.
 *
 * @since 0.2.0
 * @category models
 */
export type MethodSource = "dataset" | "recorded" | "generated"

/**
 * One method the mock serves: its name, its path template and where its
 * answers come from.
 *
 * @since 0.2.0
 * @category models
 */
export interface ServedMethod {
  readonly method: MethodName
  readonly path: string
  readonly source: MethodSource
}

/**
 * A running mock server.
 *
 * - `url`: `http://127.0.0.1:PORT`.
 * - `baseUrl`: the client base URL template `http://127.0.0.1:PORT/{route}`;
 *   replace `{route}` with a platform or region.
 *
 * @since 0.1.0
 * @category models
 */
export interface MockServer {
  readonly url: string
  readonly baseUrl: string
  readonly port: number
  readonly seed: number
  readonly apiKey: Redacted.Redacted<string>
  readonly accounts: ReadonlyArray<MockAccount>
  /** Every method served, in the order of `@volley/riot`'s operation table. */
  readonly coverage: ReadonlyArray<ServedMethod>
  readonly requestLog: Effect.Effect<ReadonlyArray<LoggedRequest>>
  readonly rateLimitReport: Effect.Effect<RateLimitReport>
}

/**
 * The running mock server as a service, provided by {@link layer}.
 *
 * @since 0.1.0
 * @category tags
 */
export const MockServer: Context.Tag<MockServer, MockServer> = Context.GenericTag<MockServer>(
  "@volley/mock-server/MockServer"
)

/**
 * The match fixtures the mock builds its match bodies from could not be read:
 * the package's `fixtures/match-v5` folder is missing or unreadable.
 *
 * @since 0.1.0
 * @category errors
 */
export class FixtureLoadError extends Data.TaggedError("FixtureLoadError")<{
  readonly directory: string
  readonly cause: unknown
}> {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `Could not load the mock's match fixtures from ${this.directory}: ${String(this.cause)}`
  }
}

/**
 * Starts the mock on 127.0.0.1; it listens until the scope closes.
 *
 * @example
 * ```ts
 * import { MockServer } from "@volley/mock-server"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const mock = yield* MockServer.make({ seed: 7, appLimits: false })
 *   console.log(mock.baseUrl.replace("{route}", "americas"))
 * })
 *
 * Effect.runPromise(Effect.scoped(program))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: (
  options?: MockServerOptions
) => Effect.Effect<MockServer, ServeError | FixtureLoadError, Scope.Scope> = server.make

/**
 * The mock as a layer: starts with the layer and stops when it is released.
 *
 * @example
 * ```ts
 * import { MockServer } from "@volley/mock-server"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const mock = yield* MockServer.MockServer
 *   return mock.accounts.map((account) => `${account.gameName}#${account.tagLine}`)
 * })
 *
 * Effect.runPromise(program.pipe(Effect.provide(MockServer.layer({ port: 0 }))))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: (options?: MockServerOptions) => Layer.Layer<MockServer, ServeError | FixtureLoadError> =
  server.layer

/**
 * The accounts a mock started with `seed` serves, without starting one.
 *
 * @example
 * ```ts
 * import { MockServer } from "@volley/mock-server"
 *
 * const seedPlayer = MockServer.accounts(1).find((account) => account.gameName === "200")
 * console.log(seedPlayer?.tagLine) // "16384"
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const accounts: (seed?: number) => ReadonlyArray<MockAccount> = dataset.accounts

/**
 * Arguments that every method of the table accepts, for a call to a mock:
 * the route (the player's platform or region where the method is served
 * there), and a value of the right type for every parameter, by its argument
 * name in the client's method (an enum's first value, an integer within its
 * bounds, the player's puuid and Riot ID where the parameter is one). Enough
 * to call every method offline; RSO methods need an access token besides,
 * which the mock takes whatever it is.
 *
 * @example
 * ```ts
 * import { RiotOperations } from "@volley/riot"
 * import { MockServer } from "@volley/mock-server"
 *
 * const operation = RiotOperations.operations.find((operation) => operation.operationId === "match-v5.getMatch")!
 * MockServer.exampleCall(operation) // { route: "americas", args: { id: "volley" } }
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const exampleCall = (
  operation: Operation,
  player: MockAccount = dataset.accounts(defaultSeed)[0]
): ExampleCall => examples.exampleCall(operation, player)

/**
 * What {@link exampleCall} gives: a route and arguments by name.
 *
 * @since 0.2.0
 * @category models
 */
export interface ExampleCall {
  readonly route: string
  readonly args: Readonly<Record<string, string | number | boolean>>
}

/**
 * A `limit:seconds,...` list (the format of `X-App-Rate-Limit` and of the CLI
 * flags) did not parse.
 *
 * @since 0.1.0
 * @category errors
 */
export class RateLimitWindowsParseError extends Data.TaggedError("RateLimitWindowsParseError")<{
  readonly input: string
}> {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `Invalid rate limit windows "${this.input}": expected "limit:seconds" pairs separated by commas, e.g. "20:1,100:120"`
  }
}

/**
 * Parses `"20:1,100:120"` into rate limit windows. Limits must be
 * non-negative integers and windows positive integers.
 *
 * @example
 * ```ts
 * import { MockServer } from "@volley/mock-server"
 * import { Either } from "effect"
 *
 * const windows = MockServer.parseRateLimitWindows("20:1,100:120")
 * console.log(Either.getOrThrow(windows)) // [{ limit: 20, windowSeconds: 1 }, { limit: 100, windowSeconds: 120 }]
 * ```
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseRateLimitWindows: (
  input: string
) => Either.Either<ReadonlyArray<RateLimitWindow>, RateLimitWindowsParseError> = (input) =>
  rateLimits.parseWindows(input, () => new RateLimitWindowsParseError({ input }))

/**
 * Formats windows the way Riot's `X-App-Rate-Limit` header does.
 *
 * @example
 * ```ts
 * import { MockServer } from "@volley/mock-server"
 *
 * MockServer.formatRateLimitWindows(MockServer.defaultAppLimits) // "20:1,100:120"
 * ```
 *
 * @since 0.1.0
 * @category parsing
 */
export const formatRateLimitWindows: (windows: ReadonlyArray<RateLimitWindow>) => string = rateLimits.formatWindows

/**
 * The most requests of one route that a request log shows inside any sliding
 * window of `windowSeconds`, counting only accepted (non-429, non-reset)
 * requests, optionally only those of one method.
 *
 * Riot's windows are fixed, not sliding: a client that respects fixed windows
 * may legitimately reach up to twice a limit in a sliding window straddling a
 * window boundary. {@link RateLimitReport} has the mock's fixed-window verdict.
 *
 * @example
 * ```ts
 * import { MockServer } from "@volley/mock-server"
 *
 * const log: ReadonlyArray<MockServer.LoggedRequest> = [
 *   { time: 0, route: "americas", path: "/americas/x", status: 200 },
 *   { time: 900, route: "americas", path: "/americas/x", status: 200 },
 *   { time: 1500, route: "americas", path: "/americas/x", status: 200 }
 * ]
 * MockServer.maxWindowCount(log, { route: "americas", windowSeconds: 1 }) // 2
 * ```
 *
 * @since 0.1.0
 * @category request log
 */
export const maxWindowCount: (
  log: ReadonlyArray<LoggedRequest>,
  options: { readonly route: string; readonly windowSeconds: number; readonly method?: MethodName }
) => number = requestLog.maxWindowCount
