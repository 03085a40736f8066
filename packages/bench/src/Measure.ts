/**
 * One measured case: one approach, one N, one concurrency, in a process of
 * its own, so that each case's peak RSS is its own and no case inherits
 * another's heap or JIT state.
 *
 * @since 0.1.0
 */
import * as Approaches from "./Approaches.js"

/**
 * What one case measured. `maxRssBytes` is the process's peak resident set
 * size over its whole life (module loading and warm-up included), read at the
 * end with `process.resourceUsage().maxRSS`.
 *
 * @since 0.1.0
 * @category models
 */
export interface CaseResult {
  readonly approach: Approaches.ApproachName
  readonly n: number
  readonly concurrency: number
  readonly elapsedMs: number
  readonly perTaskUs: number
  readonly maxRssBytes: number
  readonly completed: number
  readonly collected: number
}

/**
 * Tasks run before the measured run in the same process, so that the
 * measurement is of JIT-compiled code rather than of the interpreter; small
 * next to the heap of the smallest N, so it does not move the peak RSS.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultWarmupTasks = 1000

/**
 * Runs one case in this process, checks that every task ran and every
 * result is where it belongs, and returns the measurement. Fails on a wrong
 * count: a benchmark that skipped work must not report a flattering time.
 *
 * @example
 * ```ts
 * import { Measure } from "@volley/bench"
 *
 * const result = await Measure.measure("worker-pool", 1000, 100, 0)
 * ```
 *
 * @since 0.1.0
 * @category running
 */
export const measure = async (
  name: string,
  n: number,
  concurrency: number,
  warmupTasks: number = defaultWarmupTasks
): Promise<CaseResult> => {
  const approach = Approaches.find(name)
  if (approach === undefined) throw new Error(`unknown approach ${name}`)
  if (warmupTasks > 0) await approach.run(warmupTasks, concurrency)
  const start = performance.now()
  const outcome = await approach.run(n, concurrency)
  const elapsedMs = performance.now() - start
  verify(approach, n, outcome)
  return {
    approach: approach.name,
    n,
    concurrency,
    elapsedMs,
    perTaskUs: (elapsedMs * 1000) / n,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    completed: outcome.completed,
    collected: outcome.results?.length ?? 0
  }
}

const verify = (approach: Approaches.Approach, n: number, outcome: Approaches.RunOutcome): void => {
  if (outcome.completed !== n) throw new Error(`${approach.name}: ${outcome.completed} of ${n} tasks completed`)
  if (!approach.collects) return
  const results = outcome.results ?? []
  if (results.length !== n) throw new Error(`${approach.name}: ${results.length} of ${n} results collected`)
  for (let i = 0; i < n; i++) {
    if (results[i] !== i) throw new Error(`${approach.name}: result ${i} is ${results[i]}`)
  }
}
