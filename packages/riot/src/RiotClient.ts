/**
 * A Riot Games API client on `@effect/platform`'s `HttpClient`.
 *
 * Every call goes through the {@link RiotRateLimiter} (it never exceeds the
 * limits Riot announces), is retried on 429, 500, 502, 503, 504, timeouts and
 * transport failures with exponential backoff and jitter, and checks the
 * response against {@link RiotSchema}. Failures are {@link RiotError}s.
 *
 * A valid body is returned as parsed, not rebuilt by the schema: fields the
 * schema does not know stay on the object at runtime (its type does not show
 * them). Only a body that fails the check is decoded, to name the JSON path
 * in the `DecodeError`.
 *
 * The API key travels as a `Redacted` into the `X-Riot-Token` header only;
 * no error, span or log the client gives out holds it, so no serialisation
 * of one shows it. With `httpClientSpans` the header is added past the
 * HttpClient's span, so neither the span nor its exit holds it.
 *
 * It has a method for every GET operation of the Riot API, generated from
 * the API's public description ({@link RiotOperations} lists them). They are
 * named after Riot's API and method, as in Pulsefire: `getLolMatchV5Match` is
 * match-v5's getMatch.
 *
 * This module needs only `@effect/platform`'s `HttpClient`: provide any
 * implementation of it, such as `FetchHttpClient.layer`, or use
 * `NodeRiotClient.layer` from `@volley/riot/node`, which brings Node's undici
 * client (and needs `@effect/platform-node`).
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import type * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import * as internal from "./internal/client/client.js"
import type * as RiotError from "./RiotError.js"
import type * as RiotOperations from "./RiotOperations.js"
import * as RiotRateLimiter from "./RiotRateLimiter.js"
import type * as RiotSchema from "./RiotSchema.js"

/**
 * Arguments of {@link RiotClient.getLolMatchV5MatchIdsByPuuid}. `count` must
 * be 0..100 (Riot's default is 20); `startTime` / `endTime` are epoch seconds.
 *
 * @since 0.1.0
 * @category models
 */
export type MatchIdsByPuuidArgs = RiotOperations.Args<"getLolMatchV5MatchIdsByPuuid">

/**
 * The client's endpoints: one method per GET operation of the Riot API,
 * listed with its path, routes and arguments in {@link RiotOperations}.
 *
 * Methods are named after Riot's API and method as in Pulsefire
 * (`getLolMatchV5Match` is match-v5's getMatch) and take one object of
 * arguments: `region`, the routing value, limited to the routes that serve
 * the endpoint; the path and query arguments; and for RSO endpoints
 * `accessToken`, the player's token as a `Redacted`. Endpoints where Riot's
 * 404 means "there is none" (an account, a match, a live game) succeed with
 * an `Option`.
 *
 * @since 0.1.0
 * @category models
 */
export interface RiotClient extends RiotOperations.Methods {}

/**
 * The {@link RiotClient} service tag.
 *
 * @since 0.1.0
 * @category tags
 */
export const RiotClient: Context.Tag<RiotClient, RiotClient> = internal.RiotClient

/**
 * How the client talks to Riot.
 *
 * - `apiKey`: sent as `X-Riot-Token`; without one, requests go unsigned (for
 *   a proxy that signs them) and Riot's 401 becomes an `AuthError` of kind
 *   `missing`. {@link layerConfig} refuses to start without a key for Riot's
 *   own hosts.
 * - `baseUrl`: a template in which `{route}` is replaced by the routing value;
 *   default `https://{route}.api.riotgames.com`.
 * - `maxRetries`: retries after the first attempt, default 3.
 * - `requestTimeout`: per attempt, not counting the wait for the rate limiter;
 *   default 10 seconds.
 * - `retryBaseDelay` / `retryMaxDelay`: the exponential backoff starts at the
 *   first (default 500 millis), doubles per retry with jitter, and is capped at
 *   the second (default 20 seconds).
 * - `httpClientSpans`: also trace every attempt with the `HttpClient`'s own
 *   span (URL and headers, never the key) and send trace-context headers to
 *   Riot. Default false: each call is one `RiotClient.<endpoint>` span that
 *   records the route, the attempts and the last status, and nothing about
 *   your traces leaves the process.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly apiKey?: Redacted.Redacted | undefined
  readonly baseUrl?: string | undefined
  readonly maxRetries?: number | undefined
  readonly requestTimeout?: Duration.DurationInput | undefined
  readonly retryBaseDelay?: Duration.DurationInput | undefined
  readonly retryMaxDelay?: Duration.DurationInput | undefined
  readonly httpClientSpans?: boolean | undefined
}

/**
 * The client's options from configuration: `RIOT_API_KEY` (optional,
 * redacted), `RIOT_BASE_URL`, `RIOT_MAX_RETRIES`, `RIOT_REQUEST_TIMEOUT` (a
 * duration such as `10 seconds`).
 *
 * @since 0.1.0
 * @category config
 */
export const config: Config.Config<Options> = internal.config

/**
 * Builds a client on the `HttpClient` and {@link RiotRateLimiter} in context.
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "@effect/platform"
 * import { RiotClient, RiotRateLimiter } from "@volley/riot"
 * import { Effect, Redacted } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const riot = yield* RiotClient.make({ apiKey: Redacted.make("RGAPI-...") })
 *   return yield* riot.getAccountV1ByRiotId({ region: "americas", gameName: "200", tagLine: "16384" })
 * }).pipe(Effect.provide([FetchHttpClient.layer, RiotRateLimiter.layer]))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: (
  options?: Options
) => Effect.Effect<RiotClient, never, HttpClient.HttpClient | RiotRateLimiter.RiotRateLimiter> = internal.make

/**
 * A client with the given options, on the `HttpClient` and
 * {@link RiotRateLimiter} in context.
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "@effect/platform"
 * import { RiotClient, RiotRateLimiter } from "@volley/riot"
 * import { Layer } from "effect"
 *
 * const RiotLive = RiotClient.layerWith({ baseUrl: "http://127.0.0.1:8080/{route}" }).pipe(
 *   Layer.provide([FetchHttpClient.layer, RiotRateLimiter.layer])
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerWith = (
  options?: Options
): Layer.Layer<RiotClient, never, HttpClient.HttpClient | RiotRateLimiter.RiotRateLimiter> =>
  Layer.effect(RiotClient, internal.make(options))

/**
 * A client configured by {@link config}, on the `HttpClient` and
 * {@link RiotRateLimiter} in context.
 *
 * Without `RIOT_API_KEY` and `RIOT_BASE_URL` every call would go to Riot
 * unsigned and come back 401, so the layer fails at once instead, with a
 * `ConfigError` that names `RIOT_API_KEY`, and sends nothing.
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "@effect/platform"
 * import { RiotClient, RiotRateLimiter } from "@volley/riot"
 * import { Layer } from "effect"
 *
 * const RiotLive = RiotClient.layerConfig.pipe(Layer.provide([FetchHttpClient.layer, RiotRateLimiter.layer]))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig: Layer.Layer<
  RiotClient,
  ConfigError.ConfigError,
  HttpClient.HttpClient | RiotRateLimiter.RiotRateLimiter
> = Layer.effect(
  RiotClient,
  Effect.flatMap(
    internal.config,
    (options) =>
      options.apiKey === undefined && options.baseUrl === internal.defaults.baseUrl
        ? Effect.fail(ConfigError.MissingData(["RIOT_API_KEY"], missingKeyMessage))
        : internal.make(options)
  )
)

const missingKeyMessage =
  "the Riot API needs a key: set RIOT_API_KEY (development keys come from https://developer.riotgames.com)"

/**
 * The client configured by {@link config}, with an in-memory
 * {@link RiotRateLimiter}, on the `HttpClient` in context. On Node,
 * `NodeRiotClient.layer` from `@volley/riot/node` provides one.
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "@effect/platform"
 * import { RiotClient } from "@volley/riot"
 * import { Effect } from "effect"
 *
 * const program = RiotClient.getLolMatchV5Match({ region: "americas", id: "NA1_5000000000" }).pipe(
 *   Effect.provide(RiotClient.layer),
 *   Effect.provide(FetchHttpClient.layer)
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<RiotClient, ConfigError.ConfigError, HttpClient.HttpClient> = layerConfig.pipe(
  Layer.provide(RiotRateLimiter.layer)
)

/**
 * {@link RiotClient.getAccountV1ByRiotId} on the client in context.
 *
 * @example
 * ```ts
 * import { RiotClient } from "@volley/riot"
 * import { Effect, Option } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const account = yield* RiotClient.getAccountV1ByRiotId({ region: "europe", gameName: "Zoë Fan", tagLine: "EUW 1" })
 *   // Option.none() when there is no such account
 *   return Option.map(account, (found) => found.puuid)
 * })
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const getAccountV1ByRiotId = (
  args: Parameters<RiotClient["getAccountV1ByRiotId"]>[0]
): Effect.Effect<Option.Option<RiotSchema.AccountV1Account>, RiotError.RiotError, RiotClient> =>
  Effect.flatMap(RiotClient, (client) => client.getAccountV1ByRiotId(args))

/**
 * {@link RiotClient.getLolSummonerV4ByPuuid} on the client in context.
 *
 * @example
 * ```ts
 * import { RiotClient } from "@volley/riot"
 *
 * const summoner = RiotClient.getLolSummonerV4ByPuuid({ region: "na1", puuid: "..." })
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const getLolSummonerV4ByPuuid = (
  args: Parameters<RiotClient["getLolSummonerV4ByPuuid"]>[0]
): Effect.Effect<Option.Option<RiotSchema.LolSummonerV4Summoner>, RiotError.RiotError, RiotClient> =>
  Effect.flatMap(RiotClient, (client) => client.getLolSummonerV4ByPuuid(args))

/**
 * {@link RiotClient.getLolMatchV5MatchIdsByPuuid} on the client in context.
 *
 * @example
 * ```ts
 * import { RiotClient } from "@volley/riot"
 *
 * const ids = RiotClient.getLolMatchV5MatchIdsByPuuid({ region: "americas", puuid: "...", count: 100, queue: 420 })
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const getLolMatchV5MatchIdsByPuuid = (
  args: MatchIdsByPuuidArgs
): Effect.Effect<RiotSchema.LolMatchV5MatchIds, RiotError.RiotError, RiotClient> =>
  Effect.flatMap(RiotClient, (client) => client.getLolMatchV5MatchIdsByPuuid(args))

/**
 * {@link RiotClient.getLolMatchV5Match} on the client in context.
 *
 * @example
 * ```ts
 * import { RiotClient } from "@volley/riot"
 *
 * const match = RiotClient.getLolMatchV5Match({ region: "americas", id: "NA1_5000000000" })
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const getLolMatchV5Match = (
  args: Parameters<RiotClient["getLolMatchV5Match"]>[0]
): Effect.Effect<Option.Option<RiotSchema.LolMatchV5Match>, RiotError.RiotError, RiotClient> =>
  Effect.flatMap(RiotClient, (client) => client.getLolMatchV5Match(args))
