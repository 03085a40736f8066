/**
 * The small statistics the benchmarks report: medians over rounds,
 * percentiles of latencies and ratios against a reference.
 *
 * @since 0.1.0
 */

/**
 * The median of `values`: the middle value, or the mean of the two middle
 * values for an even count. `NaN` for no values.
 *
 * @example
 * ```ts
 * import { Stats } from "@volley/bench"
 *
 * Stats.median([3, 1, 2]) // 2
 * Stats.median([4, 1, 3, 2]) // 2.5
 * ```
 *
 * @since 0.1.0
 * @category statistics
 */
export const median = (values: ReadonlyArray<number>): number => {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/**
 * The `p`-th percentile (0..100) of `values` by the nearest-rank method: the
 * smallest value that at least `p` percent of the values are at or below.
 * `NaN` for no values.
 *
 * @example
 * ```ts
 * import { Stats } from "@volley/bench"
 *
 * Stats.percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90) // 9
 * ```
 *
 * @since 0.1.0
 * @category statistics
 */
export const percentile = (values: ReadonlyArray<number>, p: number): number => {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.ceil((Math.min(Math.max(p, 0), 100) / 100) * sorted.length)
  return sorted[Math.max(rank, 1) - 1]
}

/**
 * `value / reference`, or `NaN` when either is missing or the reference is 0,
 * so that a missing measurement never turns into a flattering ratio.
 *
 * @example
 * ```ts
 * import { Stats } from "@volley/bench"
 *
 * Stats.ratio(3, 2) // 1.5
 * Stats.ratio(3, 0) // NaN
 * ```
 *
 * @since 0.1.0
 * @category statistics
 */
export const ratio = (value: number | undefined, reference: number | undefined): number =>
  value === undefined || reference === undefined || !Number.isFinite(value) || !Number.isFinite(reference) ||
    reference === 0
    ? NaN
    : value / reference

/**
 * The order of `items` in round `round`: rounds alternate between the given
 * order and its reverse, so no item always runs first (on a cold machine) or
 * last (on a hot one).
 *
 * @example
 * ```ts
 * import { Stats } from "@volley/bench"
 *
 * Stats.roundOrder(["a", "b", "c"], 0) // ["a", "b", "c"]
 * Stats.roundOrder(["a", "b", "c"], 1) // ["c", "b", "a"]
 * ```
 *
 * @since 0.1.0
 * @category scheduling
 */
export const roundOrder = <A>(items: ReadonlyArray<A>, round: number): ReadonlyArray<A> =>
  round % 2 === 0 ? items : [...items].reverse()

/**
 * A rate limit in Riot's fixed-window form: at most `limit` requests in a
 * window of `windowSeconds`, the window opening with the first request after
 * the previous one expired.
 *
 * @since 0.1.0
 * @category rate limits
 */
export interface FixedWindow {
  readonly limit: number
  readonly windowSeconds: number
}

/**
 * The shortest time, in milliseconds, from the first to the last of `count`
 * requests that the fixed windows allow: every request is sent at the
 * earliest moment no window is full. It is the yardstick of rate-limit
 * efficiency: for 200 requests under 20 per 1 s and 100 per 10 s it is 14 s
 * (100 requests in the first 10 s window, in five 1 s bursts of 20, then the
 * same again from 10 s), not the 19.9 s the long-run 10 per second suggests.
 *
 * @example
 * ```ts
 * import { Stats } from "@volley/bench"
 *
 * Stats.minimumSpanMs(200, [{ limit: 20, windowSeconds: 1 }, { limit: 100, windowSeconds: 10 }]) // 14000
 * ```
 *
 * @since 0.1.0
 * @category rate limits
 */
export const minimumSpanMs = (count: number, windows: ReadonlyArray<FixedWindow>): number => {
  const opened = windows.map(() => -Infinity)
  const used = windows.map(() => 0)
  let now = 0
  for (let sent = 0; sent < count; sent++) {
    for (;;) {
      // Windows that have expired reopen with this request; a full one defers it to its end.
      let deferredTo = now
      windows.forEach((window, i) => {
        const end = opened[i] + window.windowSeconds * 1000
        if (now < end && used[i] >= window.limit) deferredTo = Math.max(deferredTo, end)
      })
      if (deferredTo === now) break
      now = deferredTo
    }
    windows.forEach((window, i) => {
      if (now >= opened[i] + window.windowSeconds * 1000) {
        opened[i] = now
        used[i] = 0
      }
      used[i]++
    })
  }
  return count === 0 ? 0 : now
}
