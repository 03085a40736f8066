/**
 * The limiter's state in Redis, for processes that share one API key.
 *
 * Why not `@effect/experimental/RateLimiter` and its Redis store: it consumes
 * one key with one limit given up front, by a fixed window or a token bucket
 * counted from the client's side. Riot needs the app and method windows
 * reserved together or not at all, limits learned from headers, a sliding
 * log padded for Riot's fixed windows of unknown alignment, single-request
 * probes while limits are unknown, and `Retry-After` blocks. So this store
 * runs its own Lua scripts ({@link scripts}), one per operation.
 *
 * @internal
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import * as Schedule from "effect/Schedule"
import type * as Scope from "effect/Scope"
import type { Redis } from "ioredis"
import { createHash } from "node:crypto"
import type { RateLimitStore, RateLimitWindow, RedisOptions, Reservation } from "../../RiotRateLimiter.js"
import { RateLimitStoreError } from "../../RiotRateLimiter.js"
import * as localShare from "./localShare.js"
import * as scripts from "./redisScripts.js"

/** A Redis client with the store's scripts defined as commands (EVALSHA, with EVAL on NOSCRIPT). */
interface ScriptedRedis extends Redis {
  volleyReserve(keyCount: number, ...args: ReadonlyArray<string | number>): Promise<Array<number>>
  volleyLearn(keyCount: number, ...args: ReadonlyArray<string | number>): Promise<number>
  volleyBlock(keyCount: number, ...args: ReadonlyArray<string | number>): Promise<number>
  volleyRelease(keyCount: number, ...args: ReadonlyArray<string | number>): Promise<number>
  volleySettle(keyCount: number, ...args: ReadonlyArray<string | number>): Promise<number>
}

/** @internal */
export const defaults = {
  commandTimeout: Duration.seconds(2)
}

/**
 * An answer to another process cannot wake this one, so a request waiting on
 * a probe or an unanswered request of another process asks again this often
 * instead of waiting out the whole lease.
 */
const answerPollMillis = 50

/** How often a request waiting for Redis to come back asks again; ioredis reconnects on its own meanwhile. */
const reconnectPollMillis = 100

const reasons = { 1: "blocked", 2: "window", 3: "probe", 4: "unanswered" } as const

/**
 * The store's name in messages: the URL without its password.
 *
 * @internal
 */
export const describe = (url: string): string => {
  try {
    const parsed = new URL(url)
    if (parsed.password !== "") parsed.password = "***"
    return `Redis at ${parsed.toString()}`
  } catch {
    return "Redis at an invalid URL (expected redis://host:port)"
  }
}

/**
 * Where one API key's state lives: `volley:rl:{hash}:`, the hash being the
 * first 16 hex digits of the key's SHA-256, never the key itself. The braces
 * are a Redis Cluster hash tag: every Redis key of one API key is in one
 * slot, as multi-key scripts need.
 *
 * @internal
 */
export const keyPrefix = (apiKey: Redacted.Redacted<string>): string =>
  `volley:rl:{${createHash("sha256").update(Redacted.value(apiKey)).digest("hex").slice(0, 16)}}:`

const errorDetail = (error: unknown): string => error instanceof Error ? error.message : String(error)

/** @internal */
export const make = (options: RedisOptions): Effect.Effect<RateLimitStore, RateLimitStoreError, Scope.Scope> =>
  Effect.gen(function*() {
    const store = describe(options.url)
    const prefix = keyPrefix(options.apiKey)
    const commandTimeout = Duration.toMillis(options.commandTimeout ?? defaults.commandTimeout)
    const fail = (operation: RateLimitStoreError["operation"]) => (error: unknown) =>
      new RateLimitStoreError({ store, operation, detail: errorDetail(error) })

    // Loaded on first use, so that processes on the in-memory store never load the client: ioredis is an optional
    // peer of @volley/riot. It stays on major 5, not 6: npm refuses ioredis 6 next to @effect/platform-node, whose
    // @effect/experimental declares a peer ioredis ^5. node-redis, which ioredis's README recommends for new
    // projects, would mean another script API for no gain here.
    const { Redis } = yield* Effect.tryPromise({
      try: () => import("ioredis"),
      catch: (error) =>
        fail("connect")(`the Redis store needs ioredis 5: npm install ioredis@5 (${errorDetail(error)})`)
    })
    const redis = yield* Effect.acquireRelease(
      Effect.try({
        try: () =>
          new Redis(options.url, {
            lazyConnect: true,
            // Fail a call at once when Redis is gone instead of queueing it until
            // Redis is back: the limiter decides what a lost Redis means.
            enableOfflineQueue: false,
            maxRetriesPerRequest: 0,
            autoResendUnfulfilledCommands: false,
            commandTimeout,
            connectTimeout: Math.max(commandTimeout, 5_000)
          }) as ScriptedRedis,
        catch: fail("connect")
      }),
      (redis) =>
        Effect.tryPromise(() => redis.quit()).pipe(
          Effect.timeout(Duration.seconds(1)),
          Effect.ignore,
          Effect.ensuring(Effect.sync(() => redis.disconnect()))
        )
    )
    // The connection's own errors say why it failed ("connect ECONNREFUSED
    // 127.0.0.1:6379"); the call that fails with it only says it is closed.
    let lastConnectionError: string | undefined
    redis.on("error", (error: unknown) => {
      lastConnectionError = errorDetail(error)
    })
    yield* Effect.tryPromise({
      try: () => redis.connect(),
      catch: (error) => fail("connect")(lastConnectionError ?? error)
    })
    redis.defineCommand("volleyReserve", { lua: scripts.reserve })
    redis.defineCommand("volleyLearn", { lua: scripts.learn })
    redis.defineCommand("volleyBlock", { lua: scripts.block })
    redis.defineCommand("volleyRelease", { lua: scripts.release })
    redis.defineCommand("volleySettle", { lua: scripts.settle })

    const call = <A>(operation: RateLimitStoreError["operation"], run: () => Promise<A>) =>
      Effect.tryPromise({
        try: run,
        catch: (error) =>
          fail(operation)(
            redis.status === "ready"
              ? error
              : `not connected${lastConnectionError === undefined ? "" : ` (${lastConnectionError})`}`
          )
      })
    const stateKey = (key: string) => `${prefix}${key.replace("/", ":")}:state`
    const logKey = (key: string) => `${prefix}${key.replace("/", ":")}:log`

    // Limits learned through Redis, kept here too for a fallback to a local share.
    const knownLimits = new Map<string, ReadonlyArray<RateLimitWindow>>()

    const shared: RateLimitStore = {
      reserve: ({ answerLeaseMillis, keys, ticket, windowPaddingMillis }) =>
        call(
          "reserve",
          () =>
            redis.volleyReserve(
              keys.length * 2,
              ...keys.flatMap((key) => [stateKey(key), logKey(key)]),
              windowPaddingMillis,
              answerLeaseMillis,
              ticket
            )
        ).pipe(
          Effect.map(([granted, waitMillis, reasonCode]): Reservation => {
            if (granted === 1) return { granted: true }
            const reason = reasons[reasonCode as keyof typeof reasons]
            return {
              granted: false,
              retryInMillis: reason === "probe" || reason === "unanswered"
                ? Math.min(waitMillis, answerPollMillis)
                : waitMillis,
              reason
            }
          })
        ),
      learn: ({ counts, key, limits, unannounced, windowPaddingMillis }) =>
        call("learn", () =>
          redis.volleyLearn(
            2,
            stateKey(key),
            logKey(key),
            limits === undefined ? "0" : "1",
            limits === undefined ? "" : limits.map((window) => `${window.limit}:${window.windowSeconds}`).join(","),
            unannounced,
            counts.map(({ count, windowSeconds }) => `${count}:${windowSeconds}`).join(","),
            windowPaddingMillis
          )).pipe(
            Effect.tap(() => {
              if (limits !== undefined) knownLimits.set(key, limits)
            })
          ),
      settle: ({ keys, ticket }) => call("settle", () => redis.volleySettle(keys.length, ...keys.map(logKey), ticket)),
      block: ({ durationMillis, key }) =>
        call("block", () => redis.volleyBlock(1, stateKey(key), Math.ceil(durationMillis))),
      release: (keys) => call("release", () => redis.volleyRelease(keys.length, ...keys.map(stateKey)))
    }

    const onUnavailable = options.onUnavailable ?? "fail"
    if (onUnavailable === "fail") return shared
    if ("waitForReconnect" in onUnavailable) {
      const waitMillis = Duration.toMillis(onUnavailable.waitForReconnect)
      // Only a reservation waits: the other operations run after a request was
      // sent, and waiting there would hold its answer back from the caller.
      const reserveWaiting: RateLimitStore["reserve"] = (request) =>
        shared.reserve(request).pipe(
          Effect.retry(Schedule.spaced(reconnectPollMillis).pipe(Schedule.upTo(Duration.millis(waitMillis)))),
          Effect.mapError((error) =>
            new RateLimitStoreError({
              store: error.store,
              operation: error.operation,
              detail: `not back within ${Duration.format(Duration.millis(waitMillis))}: ${error.detail}`
            })
          )
        )
      return { ...shared, reserve: reserveWaiting }
    }

    const local = yield* localShare.make({ processes: onUnavailable.localShareOf, knownLimits })
    const onLocalShare = yield* Ref.make(false)
    // Once: the first failure switches, and every call from then on is local.
    const switchToLocal = yield* Effect.cached(
      Effect.zipRight(
        Ref.set(onLocalShare, true),
        Effect.logWarning(
          `rate limiter: ${store} is lost; going on with 1/${onUnavailable.localShareOf} of every limit in this process`
        )
      )
    )
    const withFallback = <Args extends ReadonlyArray<unknown>, A>(
      onShared: (...args: Args) => Effect.Effect<A, RateLimitStoreError>,
      onLocal: (...args: Args) => Effect.Effect<A, RateLimitStoreError>
    ) =>
    (...args: Args): Effect.Effect<A, RateLimitStoreError> =>
      Effect.flatMap(
        Ref.get(onLocalShare),
        (isLocal) =>
          isLocal
            ? onLocal(...args)
            : Effect.catchAll(onShared(...args), () => Effect.zipRight(switchToLocal, onLocal(...args)))
      )
    return {
      reserve: withFallback(shared.reserve, local.reserve),
      learn: withFallback(shared.learn, local.learn),
      settle: withFallback(shared.settle, local.settle),
      block: withFallback(shared.block, local.block),
      release: withFallback(shared.release, local.release)
    }
  })
