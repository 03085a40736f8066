/**
 * @since 0.1.0
 */

/**
 * A semaphore-bounded, structured group of concurrent tasks.
 *
 * @since 0.1.0
 */
export * as TaskGroup from "./TaskGroup.js"
