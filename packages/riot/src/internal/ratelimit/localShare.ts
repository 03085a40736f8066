import * as Effect from "effect/Effect"
import type { RateLimitStore, RateLimitWindow } from "../../RiotRateLimiter.js"
import * as memoryStore from "./memoryStore.js"

/**
 * One process's share of limits that `processes` processes use together:
 * each limit divided by their number, rounded down. A limit below the number
 * of processes cannot be shared without talking to each other; every process
 * keeps one request per window then.
 *
 * @internal
 */
export const shareOf = (windows: ReadonlyArray<RateLimitWindow>, processes: number): ReadonlyArray<RateLimitWindow> =>
  windows.map((window) => ({ ...window, limit: Math.max(1, Math.floor(window.limit / processes)) }))

/**
 * An in-memory store for a process that lost the store it shared with
 * `processes - 1` others: it allows itself {@link shareOf} every limit.
 *
 * What the others sent before the loss is unknown, so every window of a key
 * starts full when the key is first used here (with the limits known
 * before, `knownLimits`, or learned here): nothing goes out until the
 * longest window has passed, and from then on the shares add up to at most
 * the limit. The server's counts are not used: they include the other
 * processes, which the share already accounts for.
 *
 * @internal
 */
export const make = (options: {
  readonly processes: number
  readonly knownLimits: ReadonlyMap<string, ReadonlyArray<RateLimitWindow>>
}): Effect.Effect<RateLimitStore> =>
  Effect.map(memoryStore.make, (memory): RateLimitStore => {
    const started = new Set<string>()
    const startFull = (key: string, limits: ReadonlyArray<RateLimitWindow>, now: number, windowPaddingMillis: number) =>
      Effect.suspend(() => {
        started.add(key)
        const share = shareOf(limits, options.processes)
        return memory.learn({
          key,
          limits: share,
          unannounced: "unknown",
          counts: share.map((window) => ({ count: window.limit, windowSeconds: window.windowSeconds })),
          now,
          windowPaddingMillis
        })
      })
    return {
      reserve: (request) =>
        Effect.gen(function*() {
          for (const key of request.keys) {
            const known = options.knownLimits.get(key)
            if (known !== undefined && !started.has(key)) {
              yield* startFull(key, known, request.now, request.windowPaddingMillis)
            }
          }
          return yield* memory.reserve(request)
        }),
      learn: (request) =>
        Effect.suspend(() =>
          request.limits !== undefined && !started.has(request.key)
            ? startFull(request.key, request.limits, request.now, request.windowPaddingMillis)
            : memory.learn({
              ...request,
              limits: request.limits === undefined ? undefined : shareOf(request.limits, options.processes),
              counts: []
            })
        ),
      // A ticket reserved in the lost store is unknown here and ignored: every window started full instead.
      settle: memory.settle,
      block: memory.block,
      release: memory.release
    }
  })
