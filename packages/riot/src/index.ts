/**
 * @since 0.1.0
 */

/**
 * Riot's platform and region routing values.
 *
 * @since 0.1.0
 */
export * as Routing from "./Routing.js"

/**
 * Runtime-checked schemas of the Riot API responses.
 *
 * @since 0.1.0
 */
export * as RiotSchema from "./RiotSchema.js"

/**
 * The table of the Riot API's GET operations: method names, paths, routes,
 * arguments and response schemas.
 *
 * @since 0.2.0
 */
export * as RiotOperations from "./RiotOperations.js"

/**
 * The Riot API client: endpoints, configuration and layers, on any
 * `HttpClient` (`@volley/riot/node` has the Node one).
 *
 * @since 0.1.0
 */
export * as RiotClient from "./RiotClient.js"

/**
 * The header-driven rate limiter the client sends every request through.
 *
 * @since 0.1.0
 */
export * as RiotRateLimiter from "./RiotRateLimiter.js"

/**
 * The typed failures of a Riot API call.
 *
 * @since 0.1.0
 */
export * as RiotError from "./RiotError.js"
