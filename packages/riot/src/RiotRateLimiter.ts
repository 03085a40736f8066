/**
 * A proactive rate limiter for the Riot API.
 *
 * Riot announces its limits on every response: `X-App-Rate-Limit` for the
 * whole routing value (`na1`, `americas`, ...) and `X-Method-Rate-Limit` for
 * one endpoint on it, each as `limit:windowSeconds` pairs such as
 * `20:1,100:120`, with matching `-Count` headers. The limiter learns them and
 * reserves a slot in every window before a request is sent, so requests in
 * flight are counted before the server answers.
 *
 * Why not `effect/RateLimiter` or `@effect/experimental/RateLimiter`: the first
 * fixes its limit when it is made, and the second takes tokens from one window
 * of one key per call. Riot's
 * limits are learned from headers, come as several windows that must be
 * reserved together (app and method, short and long), must be corrected from
 * the server's counts, and must be blocked on a `Retry-After`. So the state is
 * hand-rolled behind {@link RateLimitStore}: in this process's memory by
 * default ({@link layer}), or in Redis for several processes sharing one key
 * ({@link layerRedis}).
 *
 * Windows are kept as a sliding log, each window stretched by a padding. A
 * request holds its slot from its reservation until its answer, and its
 * window runs from the answer: Riot counts it somewhere in between, and
 * Riot's windows are fixed and start at the first request the server counts,
 * at a moment the client cannot know. So if no span of `windowSeconds` holds
 * more than `limit` entries, then no window of the server, whatever its
 * alignment, holds more than `limit` requests, however much the latency of
 * the requests varies.
 *
 * Before the first response of a routing value or method, its limits are
 * unknown: one request at a time goes out (the probe) until a response teaches
 * the limits. That is slower for one round trip but cannot exceed any limit,
 * where assuming the development key's `20:1,100:120` would overrun a method
 * limited below that.
 *
 * @since 0.1.0
 */
import type * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as headers from "./internal/ratelimit/headers.js"
import * as internal from "./internal/ratelimit/limiter.js"
import * as memoryStore from "./internal/ratelimit/memoryStore.js"
import * as redisStore from "./internal/ratelimit/redisStore.js"
import type * as RiotError from "./RiotError.js"
import type * as Routing from "./Routing.js"

/**
 * One rate limit window: at most `limit` requests per `windowSeconds`.
 *
 * @since 0.1.0
 * @category models
 */
export interface RateLimitWindow {
  readonly limit: number
  readonly windowSeconds: number
}

/**
 * The server's count of requests in one of its current windows.
 *
 * @since 0.1.0
 * @category models
 */
export interface WindowCount {
  readonly count: number
  readonly windowSeconds: number
}

/**
 * What the limiter reads from a response: its status and headers (any case).
 * An `HttpClientResponse` is one.
 *
 * @since 0.1.0
 * @category models
 */
export interface ObservedResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
}

/**
 * Parses a `X-App-Rate-Limit` / `X-Method-Rate-Limit` value such as
 * `20:1,100:120`; `undefined` when it is malformed.
 *
 * @example
 * ```ts
 * import { RiotRateLimiter } from "@volley/riot"
 *
 * RiotRateLimiter.parseLimits("20:1,100:120")
 * // [{ limit: 20, windowSeconds: 1 }, { limit: 100, windowSeconds: 120 }]
 * ```
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseLimits: (value: string) => ReadonlyArray<RateLimitWindow> | undefined = headers.parseLimits

/**
 * Parses a `X-App-Rate-Limit-Count` / `X-Method-Rate-Limit-Count` value such
 * as `3:1,57:120`; `undefined` when it is malformed.
 *
 * @example
 * ```ts
 * import { RiotRateLimiter } from "@volley/riot"
 *
 * RiotRateLimiter.parseCounts("3:1,57:120")
 * // [{ count: 3, windowSeconds: 1 }, { count: 57, windowSeconds: 120 }]
 * ```
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseCounts: (value: string) => ReadonlyArray<WindowCount> | undefined = headers.parseCounts

/**
 * The answer of {@link RateLimitStore.reserve}: either every key got its slot,
 * or none did and the caller should try again after `retryInMillis`.
 * `reason: "probe"` means a key's limits are unknown and its first request is
 * still out; `"unanswered"` means a window is full and the slot that frees
 * first belongs to a request still waiting for its answer. For both, an
 * answer may come sooner than `retryInMillis`, and the caller may ask again
 * then.
 *
 * @since 0.1.0
 * @category models
 */
export type Reservation =
  | { readonly granted: true }
  | {
    readonly granted: false
    readonly retryInMillis: number
    readonly reason: "blocked" | "window" | "probe" | "unanswered"
  }

/**
 * A {@link RateLimitStore} could not do its work, e.g. Redis is unreachable.
 * `store` names the store without credentials (`Redis at
 * redis://127.0.0.1:6379`); `operation` is the store operation, or `connect`
 * when the store could not be opened at all.
 *
 * @since 0.1.0
 * @category errors
 */
export class RateLimitStoreError extends Schema.TaggedError<RateLimitStoreError>(
  "@volley/riot/RiotRateLimiter/RateLimitStoreError"
)("RateLimitStoreError", {
  store: Schema.String,
  operation: Schema.Literal("connect", "reserve", "settle", "learn", "block", "release"),
  detail: Schema.String
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return this.operation === "connect"
      ? `could not connect to ${this.store}: ${this.detail}`
      : `${this.store} is unavailable (${this.operation}): ${this.detail}`
  }
}

/**
 * Where the limiter keeps its state. Keys are the routing value for app
 * limits (`"americas"`) and `route/method` for method limits
 * (`"americas/match-v5.getMatch"`). Every operation must be atomic, so that
 * several limiters (processes) sharing one store and one API key never grant
 * more than a window allows.
 *
 * Times are the caller's `now` (its `Clock`) in the in-memory store. A store
 * shared by several processes may keep time by its own clock instead (the
 * Redis store uses the Redis server's), so every time it answers with is a
 * duration, never an instant.
 *
 * @since 0.1.0
 * @category models
 */
export interface RateLimitStore {
  /**
   * Reserves one request, named `ticket`, under every key at time `now`, or
   * none. Windows are `windowSeconds * 1000 + windowPaddingMillis` long.
   *
   * The request holds its slot in every window until it is settled (see
   * `settle`), and its window runs from then: Riot counts a request at some
   * moment between its reservation and its answer, so a window counted from
   * the reservation could end before Riot's. A request that is never settled
   * holds its slot for `answerLeaseMillis`, then counts as settled at that
   * moment. A key with unknown limits grants a single probe, which holds the
   * whole key the same way, or until `learn` or `release`.
   */
  readonly reserve: (request: {
    readonly keys: ReadonlyArray<string>
    readonly ticket: string
    readonly now: number
    readonly windowPaddingMillis: number
    readonly answerLeaseMillis: number
  }) => Effect.Effect<Reservation, RateLimitStoreError>
  /**
   * Settles the request `ticket` under `keys` at `now`: its answer came, or it
   * failed or was given up. From then on its slot counts as used at `now`. A
   * ticket that is not (or no longer) reserved is ignored, so a caller that
   * cannot tell whether its reservation went through settles it anyway.
   */
  readonly settle: (request: {
    readonly keys: ReadonlyArray<string>
    readonly ticket: string
    readonly now: number
  }) => Effect.Effect<void, RateLimitStoreError>
  /**
   * Records a response for `key`: ends its probe, sets its limits, and raises
   * the reserved count of each window to at least the server's count. When
   * the response announced no limits (`limits` is `undefined`), known limits
   * stay; unknown ones become none at all (`unannounced: "unlimited"`, for a
   * server that never sends limit headers) or stay unknown (`"unknown"`, for
   * an error that may not come from Riot itself).
   */
  readonly learn: (request: {
    readonly key: string
    readonly limits: ReadonlyArray<RateLimitWindow> | undefined
    readonly unannounced: "unlimited" | "unknown"
    readonly counts: ReadonlyArray<WindowCount>
    readonly now: number
    readonly windowPaddingMillis: number
  }) => Effect.Effect<void, RateLimitStoreError>
  /** Lets nothing through `key` for `durationMillis` from `now`. */
  readonly block: (request: {
    readonly key: string
    readonly now: number
    readonly durationMillis: number
  }) => Effect.Effect<void, RateLimitStoreError>
  /** Ends the probes of `keys` whose request failed without an answer. */
  readonly release: (keys: ReadonlyArray<string>) => Effect.Effect<void, RateLimitStoreError>
}

/**
 * The {@link RateLimitStore} service tag.
 *
 * @since 0.1.0
 * @category tags
 */
export const RateLimitStore: Context.Tag<RateLimitStore, RateLimitStore> = internal.RateLimitStore

/**
 * A store kept in this process's memory.
 *
 * @example
 * ```ts
 * import { RiotRateLimiter } from "@volley/riot"
 * import { Effect } from "effect"
 *
 * const limiter = RiotRateLimiter.make().pipe(
 *   Effect.provideServiceEffect(RiotRateLimiter.RateLimitStore, RiotRateLimiter.makeMemoryStore)
 * )
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeMemoryStore: Effect.Effect<RateLimitStore> = memoryStore.make

/**
 * Provides an in-memory {@link RateLimitStore}.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemoryStore: Layer.Layer<RateLimitStore> = Layer.effect(RateLimitStore, memoryStore.make)

/**
 * Tuning of the limiter.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /**
   * Added to every window, for the server's own rounding of time. Latency
   * needs none: a request holds its slot until its answer comes. Default
   * 100 millis.
   */
  readonly windowPadding?: Duration.DurationInput | undefined
  /** Added to a `Retry-After` before the route or method opens again. Default 100 millis. */
  readonly retryAfterMargin?: Duration.DurationInput | undefined
  /**
   * How long a request may hold what it reserved while no answer comes: its
   * slot in every window, and the whole key while it is the probe of limits
   * still unknown. Default 30 seconds.
   */
  readonly answerLease?: Duration.DurationInput | undefined
}

/**
 * The limiter: every request goes through {@link RiotRateLimiter.withPermit}.
 *
 * @since 0.1.0
 * @category models
 */
export interface RiotRateLimiter {
  /**
   * Waits until one request to `method` on `route` fits every known window
   * and block, reserves it, runs `send`, and learns from the response:
   * limits and counts from its headers; on a 429 of type `application` or
   * `method`, blocks the route or the method for `Retry-After` plus a margin.
   * A 429 of type `service` (or none) blocks nobody else.
   *
   * Requests for one method wait in line in the order they came, except that
   * a retry (`options.retry`) goes ahead of every request that was not sent
   * yet: it keeps its place instead of waiting for the whole line again.
   *
   * Fails with `RateLimitStoreUnavailable`, without sending, when the store
   * cannot reserve (Redis lost, with `onUnavailable: "fail"`). Once `send`
   * has run, its answer is returned even if the store cannot record it: the
   * request was made, and failing it would only make a caller send it again.
   */
  readonly withPermit: (
    route: Routing.Route,
    method: string,
    options?: { readonly retry?: boolean | undefined }
  ) => <A extends ObservedResponse, E, R>(
    send: Effect.Effect<A, E, R>
  ) => Effect.Effect<A, E | RiotError.RateLimitStoreUnavailable, R>
  /**
   * Whether requests are being held back by the limits, and until when: the
   * latest end (by the limiter's `Clock`, epoch millis) of the waits under
   * way for a full window or a `Retry-After`, or none when no request waits
   * for either. The short wait behind a probe does not count. A progress
   * display reads this to say why nothing moves.
   */
  readonly heldUntil: Effect.Effect<Option.Option<number>>
  /**
   * How long, in milliseconds from now, until `requests` more requests to
   * `method` on `route` could all be sent, as the limits learned so far allow
   * them after the requests this limiter sent: 0 while they fit in every
   * window. An estimate for progress displays: it knows nothing of other
   * processes sharing the key, nor of limits not yet learned.
   */
  readonly estimateWait: (route: Routing.Route, method: string, requests: number) => Effect.Effect<number>
}

/**
 * The {@link RiotRateLimiter} service tag.
 *
 * @since 0.1.0
 * @category tags
 */
export const RiotRateLimiter: Context.Tag<RiotRateLimiter, RiotRateLimiter> = internal.RiotRateLimiter

/**
 * Builds a limiter on the {@link RateLimitStore} in context.
 *
 * @example
 * ```ts
 * import { RiotRateLimiter } from "@volley/riot"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const limiter = yield* RiotRateLimiter.make({ windowPadding: "100 millis" })
 *   return limiter.withPermit("americas", "match-v5.getMatch")(
 *     Effect.succeed({ status: 200, headers: { "x-app-rate-limit": "20:1,100:120" } })
 *   )
 * }).pipe(Effect.provide(RiotRateLimiter.layerMemoryStore))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: (options?: Options) => Effect.Effect<RiotRateLimiter, never, RateLimitStore> = internal.make

/**
 * A limiter with the given options, on the {@link RateLimitStore} in context.
 *
 * @example
 * ```ts
 * import { RiotRateLimiter } from "@volley/riot"
 * import { Layer } from "effect"
 *
 * const LimiterLive = RiotRateLimiter.layerWith({ windowPadding: "50 millis" }).pipe(
 *   Layer.provide(RiotRateLimiter.layerMemoryStore)
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerWith = (options?: Options): Layer.Layer<RiotRateLimiter, never, RateLimitStore> =>
  Layer.effect(RiotRateLimiter, internal.make(options))

/**
 * A limiter with default options on an in-memory store.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<RiotRateLimiter> = layerWith().pipe(Layer.provide(layerMemoryStore))

/**
 * What a Redis store does when Redis is lost mid-run:
 *
 * - `"fail"` (the default): requests that need a slot fail with
 *   `RiotError.RateLimitStoreUnavailable`, unsent. Once Redis answers again,
 *   requests go through it again.
 * - `{ waitForReconnect: duration }`: a request that needs a slot while Redis
 *   is lost waits for it to come back, up to `duration` from its first try,
 *   then fails as with `"fail"`. A restart of Redis shorter than that costs
 *   time, not requests. (Redis comes back empty: the windows start again from
 *   the servers' counts.)
 * - `{ localShareOf: n }`: this process carries on with an in-memory store,
 *   allowing itself `1/n` of every limit (rounded down, at least 1), with `n`
 *   the number of processes sharing the key. Its windows start full, so it
 *   first waits out the longest window: the requests other processes sent
 *   before Redis was lost are unknown. It stays on its share until it
 *   restarts.
 *
 * @since 0.1.0
 * @category models
 */
export type OnRedisUnavailable =
  | "fail"
  | { readonly waitForReconnect: Duration.DurationInput }
  | { readonly localShareOf: number }

/**
 * How to reach Redis and keep the limiter's state there.
 *
 * - `url`: `redis://[[user]:password@]host[:port][/db]` (or `rediss://`).
 *   Credentials in it are never printed.
 * - `apiKey`: the Riot API key whose limits are shared. Only a SHA-256 hash
 *   of it reaches Redis, as the `{hash}` in every key:
 *   `volley:rl:{0123456789abcdef}:americas:match-v5.getMatch:log`. The braces
 *   make it a Redis Cluster hash tag, so one key's state sits in one slot.
 * - `onUnavailable`: see {@link OnRedisUnavailable}; default `"fail"`.
 * - `commandTimeout`: how long one Redis call may take before it counts as
 *   lost. Default 2 seconds.
 *
 * @since 0.1.0
 * @category models
 */
export interface RedisOptions {
  readonly url: string
  readonly apiKey: Redacted.Redacted<string>
  readonly onUnavailable?: OnRedisUnavailable | undefined
  readonly commandTimeout?: Duration.DurationInput | undefined
}

/**
 * A store kept in Redis, shared by every process that uses the same Redis and
 * API key. Every operation is one Lua script, so a reservation across the app
 * and method windows is atomic; times are the Redis server's (`TIME`), so
 * the processes' clocks need not agree. State expires an hour after its last
 * use, sooner for windows' logs.
 *
 * Fails with {@link RateLimitStoreError} (`operation: "connect"`) when Redis
 * does not answer at start. The connection closes with the scope.
 *
 * @example
 * ```ts
 * import { RiotRateLimiter } from "@volley/riot"
 * import { Effect, Redacted } from "effect"
 *
 * const limiter = RiotRateLimiter.make().pipe(
 *   Effect.provideServiceEffect(
 *     RiotRateLimiter.RateLimitStore,
 *     RiotRateLimiter.makeRedisStore({ url: "redis://127.0.0.1:6379", apiKey: Redacted.make("RGAPI-...") })
 *   ),
 *   Effect.scoped
 * )
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeRedisStore: (
  options: RedisOptions
) => Effect.Effect<RateLimitStore, RateLimitStoreError, Scope.Scope> = redisStore.make

/**
 * Provides a Redis {@link RateLimitStore}; see {@link makeRedisStore}.
 *
 * @example
 * ```ts
 * import { RiotRateLimiter } from "@volley/riot"
 * import { Layer, Redacted } from "effect"
 *
 * const LimiterLive = RiotRateLimiter.layerWith({ windowPadding: "250 millis" }).pipe(
 *   Layer.provide(
 *     RiotRateLimiter.layerRedisStore({ url: "redis://127.0.0.1:6379", apiKey: Redacted.make("RGAPI-...") })
 *   )
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerRedisStore = (options: RedisOptions): Layer.Layer<RateLimitStore, RateLimitStoreError> =>
  Layer.scoped(RateLimitStore, redisStore.make(options))

/**
 * A limiter whose state is in Redis, so that several processes using one API
 * key share its limits: their requests together stay within every window,
 * and a 429 seen by one makes all of them wait.
 *
 * @example
 * ```ts
 * import { NodeHttpClient } from "@effect/platform-node"
 * import { RiotClient, RiotRateLimiter } from "@volley/riot"
 * import { Layer, Redacted } from "effect"
 *
 * const apiKey = Redacted.make("RGAPI-...")
 * const RiotLive = RiotClient.layerWith({ apiKey }).pipe(
 *   Layer.provide([
 *     NodeHttpClient.layerUndici,
 *     RiotRateLimiter.layerRedis({ url: "redis://127.0.0.1:6379", apiKey, onUnavailable: { localShareOf: 3 } })
 *   ])
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerRedis = (options: RedisOptions & Options): Layer.Layer<RiotRateLimiter, RateLimitStoreError> =>
  layerWith(options).pipe(Layer.provide(layerRedisStore(options)))
