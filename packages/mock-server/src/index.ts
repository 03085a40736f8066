/**
 * @since 0.1.0
 */

/**
 * A local Riot API mock server with Riot's shapes, rate limits and seeded faults.
 *
 * @since 0.1.0
 */
export * as MockServer from "./MockServer.js"

/**
 * The `mock-server` command line, also `volley mock-server`.
 *
 * @since 0.1.0
 */
export * as MockServerCommand from "./MockServerCommand.js"
