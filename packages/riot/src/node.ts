/**
 * `@volley/riot/node`: what needs `@effect/platform-node`.
 *
 * @since 0.1.0
 */

/**
 * The Riot client on Node's undici HTTP client.
 *
 * @since 0.1.0
 */
export * as NodeRiotClient from "./NodeRiotClient.js"
