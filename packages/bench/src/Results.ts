/**
 * The shape of `results/latest.json`: every measurement of one bench run,
 * with the machine it ran on and the configuration it ran with.
 *
 * @since 0.1.0
 */
import type { ApproachName } from "./Approaches.js"
import type { LatencyResults } from "./Latency.js"
import type { CaseResult } from "./Measure.js"

/**
 * The machine and runtime every figure belongs to.
 *
 * @since 0.1.0
 * @category models
 */
export interface Machine {
  readonly cpu: string
  readonly cores: number
  readonly memoryBytes: number
  readonly node: string
  readonly platform: string
  readonly versions: Readonly<Record<string, string>>
}

/**
 * The medians over rounds of one (approach, N, concurrency) case, with the
 * ratios to `Effect.forEach` at the same N and concurrency. `failed` holds
 * the error of any round that did not complete; its figures are then absent.
 *
 * @since 0.1.0
 * @category models
 */
export interface CaseSummary {
  readonly approach: ApproachName
  readonly n: number
  readonly concurrency: number
  readonly rounds: ReadonlyArray<CaseResult>
  readonly failed: ReadonlyArray<string>
  readonly perTaskUs: number
  readonly maxRssBytes: number
  readonly perTaskVsForEach: number
  readonly rssVsForEach: number
}

/**
 * One side of the HTTP comparison, medians over rounds.
 *
 * @since 0.1.0
 * @category models
 */
export interface HttpSummary {
  readonly approach: "client" | "effect-httpclient" | "bare-fetch"
  readonly requests: number
  readonly concurrency: number
  readonly rounds: number
  readonly failures: number
  readonly requestsPerSecond: number
  readonly latencyP50Ms: number
  readonly latencyP99Ms: number
  readonly maxRssBytes: number
}

/**
 * The HTTP comparison. `addedLatency*` is the client's percentile minus the
 * bare pool's. `throughputVsEffectHttpClient` is the client's requests/s over
 * those of plain Effect on the same `HttpClient`, the share of the gap that
 * the client itself costs; `effectHttpClientVsBare` is the rest, the cost of
 * Effect's HTTP stack against `fetch`.
 *
 * @since 0.1.0
 * @category models
 */
export interface HttpResults {
  readonly distinctMatches: number
  readonly client: HttpSummary
  readonly effectHttpClient: HttpSummary
  readonly bareFetch: HttpSummary
  readonly throughputVsBare: number
  readonly throughputVsEffectHttpClient: number
  readonly effectHttpClientVsBare: number
  readonly addedLatencyP50Ms: number
  readonly addedLatencyP99Ms: number
}

/**
 * The rate-limit run, as the mock saw it.
 *
 * - `spanMs`: from the first request's arrival to the last one's.
 * - `minimumSpanMs`: the shortest span the limits allow for this many
 *   requests (see `Stats.minimumSpanMs`).
 * - `efficiency`: `minimumSpanMs / spanMs`, the achieved rate as a fraction
 *   of the best rate the limits allow for this many requests.
 * - `vsLongRunRate`: the achieved rate over the long-run allowed rate
 *   (the tightest `limit / windowSeconds`), which a short run can exceed by
 *   using the initial burst.
 *
 * @since 0.1.0
 * @category models
 */
export interface RateLimitResults {
  readonly requests: number
  readonly concurrency: number
  readonly appLimits: ReadonlyArray<{ readonly limit: number; readonly windowSeconds: number }>
  readonly methodLimits: ReadonlyArray<{ readonly limit: number; readonly windowSeconds: number }>
  readonly succeeded: number
  readonly rejected429: number
  readonly clientFailures: number
  readonly wallMs: number
  readonly spanMs: number
  readonly minimumSpanMs: number
  readonly efficiency: number
  readonly achievedPerSecond: number
  readonly longRunAllowedPerSecond: number
  readonly vsLongRunRate: number
}

/**
 * One target of the issue and whether this run met it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Target {
  readonly name: string
  readonly value: number
  readonly threshold: string
  readonly met: boolean | "not measured"
}

/**
 * A whole bench run.
 *
 * @since 0.1.0
 * @category models
 */
export interface BenchResults {
  readonly generatedAt: string
  readonly machine: Machine
  readonly config: {
    readonly quick: boolean
    readonly rounds: number
    readonly sizes: ReadonlyArray<number>
    readonly concurrency: number
    readonly warmupTasks: number
    readonly scalingN: number
    readonly scalingConcurrencies: ReadonlyArray<number>
  }
  readonly overhead: ReadonlyArray<CaseSummary>
  readonly scaling: ReadonlyArray<CaseSummary>
  readonly latency: LatencyResults | { readonly skipped: string }
  readonly http: HttpResults | { readonly skipped: string }
  readonly rateLimit: RateLimitResults | { readonly skipped: string }
  readonly targets: ReadonlyArray<Target>
}
