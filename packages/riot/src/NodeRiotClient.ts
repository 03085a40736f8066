/**
 * The Riot client on Node: {@link RiotClient} with Node's undici HTTP client.
 * This is the one module of `@volley/riot` that needs
 * `@effect/platform-node`; it is imported from `@volley/riot/node`, so that
 * `@volley/riot` itself runs on any `HttpClient`.
 *
 * @since 0.1.0
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import type * as ConfigError from "effect/ConfigError"
import * as Layer from "effect/Layer"
import * as RiotClient from "./RiotClient.js"
import * as RiotRateLimiter from "./RiotRateLimiter.js"

/**
 * The ready-to-use client on Node: configured by `RiotClient.config` (it
 * fails at once, sending nothing, when `RIOT_API_KEY` is not set), with an
 * in-memory `RiotRateLimiter`, on Node's undici HTTP client.
 *
 * @example
 * ```ts
 * import { RiotClient } from "@volley/riot"
 * import { NodeRiotClient } from "@volley/riot/node"
 * import { Effect } from "effect"
 *
 * const program = RiotClient.getLolMatchV5Match({ region: "americas", id: "NA1_5000000000" }).pipe(
 *   Effect.provide(NodeRiotClient.layer)
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<RiotClient.RiotClient, ConfigError.ConfigError> = RiotClient.layer.pipe(
  Layer.provide(NodeHttpClient.layerUndici)
)

/**
 * A client with the given options, with an in-memory `RiotRateLimiter`, on
 * Node's undici HTTP client.
 *
 * @example
 * ```ts
 * import { NodeRiotClient } from "@volley/riot/node"
 * import { Redacted } from "effect"
 *
 * const RiotLive = NodeRiotClient.layerWith({ apiKey: Redacted.make("RGAPI-..."), maxRetries: 5 })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerWith = (options?: RiotClient.Options): Layer.Layer<RiotClient.RiotClient> =>
  RiotClient.layerWith(options).pipe(Layer.provide([NodeHttpClient.layerUndici, RiotRateLimiter.layer]))
