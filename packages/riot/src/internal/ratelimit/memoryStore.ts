import * as Effect from "effect/Effect"
import type { RateLimitStore, RateLimitWindow, Reservation } from "../../RiotRateLimiter.js"

interface KeyState {
  /** `undefined` until a response has taught this key's limits. */
  limits: ReadonlyArray<RateLimitWindow> | undefined
  /**
   * When each reserved request's slot counts as used, ascending. One log
   * serves every window of the key. A request not answered yet is in it at
   * the end of its lease, so it holds its slot in every window until then.
   */
  sent: Array<number>
  /** The log entry of each request not answered yet, by ticket. */
  readonly unanswered: Map<string, number>
  blockedUntil: number
  /** While limits are unknown, one request (the probe) holds the key until it answers or this lease ends. */
  probeUntil: number
}

// Reservations of keys whose limits are unknown are kept this long, so that
// the log already holds them when the first response teaches the windows.
const unknownLimitsHorizonMillis = 3_600_000

/** Index of the first entry of an ascending array that is greater than `time`. */
const firstAfter = (sorted: ReadonlyArray<number>, time: number): number => {
  let low = 0
  let high = sorted.length
  while (low < high) {
    const mid = (low + high) >>> 1
    if (sorted[mid] <= time) low = mid + 1
    else high = mid
  }
  return low
}

const insertSorted = (sorted: Array<number>, time: number) => {
  sorted.splice(firstAfter(sorted, time), 0, time)
}

const spanMillis = (windowSeconds: number, paddingMillis: number) => windowSeconds * 1000 + paddingMillis

/** @internal */
export const make: Effect.Effect<RateLimitStore> = Effect.sync(() => {
  const keys = new Map<string, KeyState>()
  const stateOf = (key: string): KeyState => {
    let state = keys.get(key)
    if (state === undefined) {
      state = { limits: undefined, sent: [], unanswered: new Map(), blockedUntil: 0, probeUntil: 0 }
      keys.set(key, state)
    }
    return state
  }
  const prune = (state: KeyState, now: number, paddingMillis: number) => {
    const horizon = state.limits === undefined
      ? unknownLimitsHorizonMillis
      : Math.max(0, ...state.limits.map((window) => spanMillis(window.windowSeconds, paddingMillis)))
    const expired = firstAfter(state.sent, now - horizon)
    if (expired > 0) state.sent.splice(0, expired)
    // A lease that ended counts as the request's answer: its entry stays where it is.
    for (const [ticket, leaseEnd] of state.unanswered) {
      if (leaseEnd <= now) state.unanswered.delete(ticket)
    }
  }

  const store: RateLimitStore = {
    reserve: ({ answerLeaseMillis, keys: reserved, now, ticket, windowPaddingMillis }) =>
      Effect.sync((): Reservation => {
        let waitMillis = 0
        let reason: "blocked" | "window" | "probe" | "unanswered" = "window"
        const wait = (millis: number, why: typeof reason) => {
          if (millis > waitMillis) {
            waitMillis = millis
            reason = why
          }
        }
        const states = reserved.map(stateOf)
        for (const state of states) {
          if (state.blockedUntil > now) wait(state.blockedUntil - now, "blocked")
          if (state.limits === undefined) {
            if (state.probeUntil > now) wait(state.probeUntil - now, "probe")
            continue
          }
          for (const window of state.limits) {
            const span = spanMillis(window.windowSeconds, windowPaddingMillis)
            if (window.limit < 1) {
              wait(span, "window")
              continue
            }
            const inWindow = state.sent.length - firstAfter(state.sent, now - span)
            if (inWindow >= window.limit) {
              // The slot frees when the entry `limit` places from the end leaves the window; an entry
              // after `now` is a request still out, whose answer frees it sooner.
              const frees = state.sent[state.sent.length - window.limit]
              wait(frees + span - now, frees > now ? "unanswered" : "window")
            }
          }
        }
        if (waitMillis > 0) return { granted: false, retryInMillis: waitMillis, reason }
        const leaseEnd = now + answerLeaseMillis
        for (const state of states) {
          prune(state, now, windowPaddingMillis)
          insertSorted(state.sent, leaseEnd)
          state.unanswered.set(ticket, leaseEnd)
          if (state.limits === undefined) state.probeUntil = leaseEnd
        }
        return { granted: true }
      }),
    settle: ({ keys: settled, now, ticket }) =>
      Effect.sync(() => {
        for (const state of settled.map(stateOf)) {
          const leaseEnd = state.unanswered.get(ticket)
          if (leaseEnd === undefined) continue
          state.unanswered.delete(ticket)
          // Entries of one time are alike, so the last of them stands for this request.
          const index = firstAfter(state.sent, leaseEnd) - 1
          if (index >= 0 && state.sent[index] === leaseEnd) state.sent.splice(index, 1)
          insertSorted(state.sent, Math.min(now, leaseEnd))
        }
      }),
    learn: ({ counts, key, limits, now, unannounced, windowPaddingMillis }) =>
      Effect.sync(() => {
        const state = stateOf(key)
        state.probeUntil = 0
        if (limits !== undefined) state.limits = limits
        else if (state.limits === undefined && unannounced === "unlimited") state.limits = []
        for (const { count, windowSeconds } of counts) {
          const known = state.sent.length - firstAfter(state.sent, now - spanMillis(windowSeconds, windowPaddingMillis))
          // The server saw more than this process sent: someone else shares the key.
          for (let i = known; i < count; i++) insertSorted(state.sent, now)
        }
      }),
    block: ({ durationMillis, key, now }) =>
      Effect.sync(() => {
        const state = stateOf(key)
        state.blockedUntil = Math.max(state.blockedUntil, now + durationMillis)
      }),
    release: (released) =>
      Effect.sync(() => {
        for (const key of released) stateOf(key).probeUntil = 0
      })
  }
  return store
})
