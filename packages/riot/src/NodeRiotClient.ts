/**
 * The Riot client on Node: {@link RiotClient} with Node's undici HTTP client.
 * This is the one module of `@volley/riot` that needs
 * `@effect/platform-node`; it is imported from `@volley/riot/node`, so that
 * `@volley/riot` itself runs on any `HttpClient`.
 *
 * @since 0.1.0
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Undici from "@effect/platform-node/Undici"
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as RiotClient from "./RiotClient.js"
import * as RiotRateLimiter from "./RiotRateLimiter.js"

/**
 * How many connections the client opens to one Riot host unless told
 * otherwise: enough for Riot's production limits at its usual latency, few
 * enough that no concurrency can run a process out of file descriptors.
 *
 * @example
 * ```ts
 * import { NodeRiotClient } from "@volley/riot/node"
 *
 * console.log(NodeRiotClient.defaultMaxConnections) // 64
 * ```
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultMaxConnections = 64

/**
 * Node's undici HTTP client on an Agent that opens at most `maxConnections`
 * to one origin. Requests beyond them wait inside undici for a free
 * connection, so concurrency is bounded by the TaskGroup and the rate limits,
 * never by file descriptors: an unbounded Agent opens a socket per request in
 * flight, and a thousand at once meet EMFILE.
 *
 * @example
 * ```ts
 * import { RiotClient } from "@volley/riot"
 * import { NodeRiotClient } from "@volley/riot/node"
 * import { Layer } from "effect"
 *
 * const RiotLive = RiotClient.layer.pipe(Layer.provide(NodeRiotClient.httpClientLayer(16)))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const httpClientLayer = (
  maxConnections: number = defaultMaxConnections
): Layer.Layer<HttpClient.HttpClient> =>
  NodeHttpClient.layerUndiciWithoutDispatcher.pipe(
    Layer.provide(
      Layer.scoped(
        NodeHttpClient.Dispatcher,
        Effect.acquireRelease(
          Effect.sync(() => new Undici.Agent({ connections: maxConnections })),
          (agent) => Effect.promise(() => agent.destroy())
        )
      )
    )
  )

/**
 * The ready-to-use client on Node: configured by `RiotClient.config` (it
 * fails at once, sending nothing, when `RIOT_API_KEY` is not set), with an
 * in-memory `RiotRateLimiter`, on Node's undici HTTP client with at most
 * {@link defaultMaxConnections} connections to one host.
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
  Layer.provide(httpClientLayer())
)

/**
 * A client with the given options, with an in-memory `RiotRateLimiter`, on
 * Node's undici HTTP client with at most `maxConnections` connections to one
 * host ({@link defaultMaxConnections} by default).
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
export const layerWith = (
  options?: RiotClient.Options & { readonly maxConnections?: number | undefined }
): Layer.Layer<RiotClient.RiotClient> =>
  RiotClient.layerWith(options).pipe(
    Layer.provide([httpClientLayer(options?.maxConnections), RiotRateLimiter.layer])
  )
