/**
 * @since 0.1.0
 */

/**
 * The approaches the overhead benchmark compares.
 *
 * @since 0.1.0
 */
export * as Approaches from "./Approaches.js"

/**
 * One measured overhead case.
 *
 * @since 0.1.0
 */
export * as Measure from "./Measure.js"

/**
 * The latency-bound case: tasks waiting on real timers.
 *
 * @since 0.1.0
 */
export * as Latency from "./Latency.js"

/**
 * Medians, percentiles, ratios and the rate-limit yardstick.
 *
 * @since 0.1.0
 */
export * as Stats from "./Stats.js"

/**
 * The HTTP benchmarks' requests and runners.
 *
 * @since 0.1.0
 */
export * as Http from "./Http.js"

/**
 * Tables, target verdicts and the chart.
 *
 * @since 0.1.0
 */
export * as Report from "./Report.js"

/**
 * The shape of `results/latest.json`.
 *
 * @since 0.1.0
 */
export type * as Results from "./Results.js"

/**
 * The suite runner.
 *
 * @since 0.1.0
 */
export * as Suite from "./Suite.js"
