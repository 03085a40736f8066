import * as HttpClient from "@effect/platform/HttpClient"
import { MockServer } from "@volley/mock-server"
import { RiotClient, RiotRateLimiter } from "@volley/riot"
import { NodeRiotClient } from "@volley/riot/node"
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import type * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import { MissingApiKey } from "./errors.js"

/**
 * Development knobs of the embedded mock, read from the environment so that
 * they stay out of `--help`: `VOLLEY_MOCK_LATENCY_MS` delays every match
 * fetch (tests use it to interrupt a run midway), `VOLLEY_MOCK_FAULT_RATE`
 * injects faults as `MockServer.faultsAtRate`, `VOLLEY_MOCK_SEED` picks the dataset.
 *
 * @internal
 */
export const embeddedMockConfig: Config.Config<MockServer.MockServerOptions> = Config.all({
  latencyMillis: Config.integer("VOLLEY_MOCK_LATENCY_MS").pipe(
    Config.mapOrFail((millis) =>
      millis >= 0 ? Either.right(millis) : Either.left(ConfigError.InvalidData([], `expected 0 or more, got ${millis}`))
    ),
    Config.withDefault(0)
  ),
  faultRate: Config.number("VOLLEY_MOCK_FAULT_RATE").pipe(
    Config.mapOrFail((rate) =>
      rate >= 0 && rate <= 1
        ? Either.right(rate)
        : Either.left(ConfigError.InvalidData([], `expected a rate from 0 to 1, got ${rate}`))
    ),
    Config.withDefault(0)
  ),
  seed: Config.integer("VOLLEY_MOCK_SEED").pipe(Config.withDefault(MockServer.defaultSeed))
}).pipe(
  Config.map(({ faultRate, latencyMillis, seed }) => ({
    seed,
    faults: MockServer.faultsAtRate(faultRate, latencyMillis)
  }))
)

/**
 * How many connections `volley matches` opens to one origin unless told
 * otherwise: the client's own default.
 *
 * @internal
 */
export const defaultMaxConnections = NodeRiotClient.defaultMaxConnections

/**
 * Node's HTTP client on an undici Agent that opens at most `maxConnections`
 * to one origin; requests beyond them wait for a free connection inside
 * undici, so concurrency is bounded by the TaskGroup and the rate limits and
 * never by file descriptors (an unbounded Agent opened one socket per request
 * in flight, and EMFILE at 1,000). It counts every request it sends (retries
 * included) so the totals can report requests per second.
 *
 * @internal
 */
export const countingHttpClient = (
  requests: Ref.Ref<number>,
  maxConnections: number
): Layer.Layer<HttpClient.HttpClient> =>
  Layer.effect(
    HttpClient.HttpClient,
    Effect.map(HttpClient.HttpClient, HttpClient.tapRequest(() => Ref.update(requests, (n) => n + 1)))
  ).pipe(Layer.provide(NodeRiotClient.httpClientLayer(maxConnections)))

/**
 * How long a run waits for Redis to come back by default: a restart takes a
 * second or two, and a run that waits ten seconds more is still a short run.
 *
 * @internal
 */
export const defaultRedisWaitSeconds = 10

/**
 * Reads `--on-redis-lost`: `wait` (for {@link defaultRedisWaitSeconds}),
 * `wait:SECONDS`, `fail`, or `share:N` (go on alone with 1/N of the limits).
 * On failure the left side is the one-line reason shown to the user.
 *
 * @internal
 */
export const parseOnRedisLost = (input: string): Either.Either<RiotRateLimiter.OnRedisUnavailable, string> => {
  const expected = `expected wait, wait:SECONDS, fail or share:PROCESSES, got ${JSON.stringify(input)}`
  if (input === "fail") return Either.right("fail")
  if (input === "wait") return Either.right({ waitForReconnect: Duration.seconds(defaultRedisWaitSeconds) })
  const [mode, count, ...rest] = input.split(":")
  const value = Number(count)
  if (rest.length > 0 || count === undefined || !/^\d+$/.test(count) || value < 1 || value > 3600) {
    return Either.left(`--on-redis-lost: ${expected} (a whole number from 1 to 3600 after the colon)`)
  }
  if (mode === "wait") return Either.right({ waitForReconnect: Duration.seconds(value) })
  if (mode === "share") return Either.right({ localShareOf: value })
  return Either.left(`--on-redis-lost: ${expected}`)
}

/**
 * The rate limiter for a run: in this process's memory, or in Redis at
 * `redisUrl` to share the key's limits with other processes.
 */
const rateLimiterLayer = (
  redisUrl: string | undefined,
  apiKey: Redacted.Redacted<string>,
  onUnavailable: RiotRateLimiter.OnRedisUnavailable
) =>
  redisUrl === undefined ? RiotRateLimiter.layer : RiotRateLimiter.layerRedis({ url: redisUrl, apiKey, onUnavailable })

/**
 * The Riot client for a run.
 *
 * With `--live` or `RIOT_API_KEY` set it talks to the API configured by the
 * environment (`RIOT_BASE_URL` may point it elsewhere). Otherwise it starts
 * the mock server in-process on a free port, says so on stderr, and talks to
 * it with the mock's key. With `redisUrl` (`--redis` or `VOLLEY_REDIS_URL`),
 * the rate limiter keeps its state in that Redis, and `onRedisLost` says what
 * to do when Redis goes away (default: wait up to
 * {@link defaultRedisWaitSeconds} seconds for it to come back). At most `maxConnections`
 * (default {@link defaultMaxConnections}) are open to one origin.
 *
 * @internal
 */
export const riotClientLayer = (options: {
  readonly live: boolean
  readonly maxConnections?: number | undefined
  readonly redisUrl?: string | undefined
  readonly onRedisLost?: RiotRateLimiter.OnRedisUnavailable | undefined
  readonly requests: Ref.Ref<number>
  readonly writeStderr: (text: string) => Effect.Effect<void>
}) =>
  Layer.unwrapScoped(
    Effect.gen(function*() {
      const configured = yield* RiotClient.config
      const transport = (apiKey: Redacted.Redacted<string>) =>
        Layer.merge(
          countingHttpClient(options.requests, options.maxConnections ?? defaultMaxConnections),
          rateLimiterLayer(
            options.redisUrl,
            apiKey,
            options.onRedisLost ?? { waitForReconnect: Duration.seconds(defaultRedisWaitSeconds) }
          )
        )
      if (configured.apiKey !== undefined) {
        return RiotClient.layerWith(configured).pipe(Layer.provideMerge(transport(configured.apiKey)))
      }
      if (options.live) {
        return yield* new MissingApiKey()
      }
      const mock = yield* MockServer.make(yield* embeddedMockConfig)
      yield* options.writeStderr(`volley: no RIOT_API_KEY; using the embedded Riot API mock at ${mock.url}\n`)
      return RiotClient.layerWith({ ...configured, apiKey: mock.apiKey, baseUrl: mock.baseUrl }).pipe(
        Layer.provideMerge(transport(mock.apiKey))
      )
    })
  )
