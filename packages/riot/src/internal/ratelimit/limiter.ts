import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FiberId from "effect/FiberId"
import * as Option from "effect/Option"
import * as RiotError from "../../RiotError.js"
import type {
  ObservedResponse,
  Options,
  RateLimitStore as RateLimitStoreService,
  RateLimitStoreError,
  RateLimitWindow,
  RiotRateLimiter as RiotRateLimiterService
} from "../../RiotRateLimiter.js"
import type * as Routing from "../../Routing.js"
import { header, parseCounts, parseLimits, parseRetryAfterMillis } from "./headers.js"

/** @internal */
export const RateLimitStore = Context.GenericTag<RateLimitStoreService>("@volley/riot/RiotRateLimiter/RateLimitStore")

/** @internal */
export const RiotRateLimiter = Context.GenericTag<RiotRateLimiterService>("@volley/riot/RiotRateLimiter")

/** @internal */
export const appKey = (route: Routing.Route): string => route

/** @internal */
export const methodKey = (route: Routing.Route, method: string): string => `${route}/${method}`

/** @internal */
export const defaults = {
  windowPadding: Duration.millis(100),
  retryAfterMargin: Duration.millis(100),
  answerLease: Duration.seconds(30)
}

/** One method's line of requests waiting to reserve: a turn is handed to one waiter at a time. */
interface Line {
  busy: boolean
  readonly retries: Array<Deferred.Deferred<void>>
  readonly firsts: Array<Deferred.Deferred<void>>
}

/** How many sends `estimateWait` keeps under a key whose limits are not known yet. */
const unknownLimitsLog = 100

/** @internal */
export const make = (options: Options = {}): Effect.Effect<RiotRateLimiterService, never, RateLimitStoreService> =>
  Effect.gen(function*() {
    const store = yield* RateLimitStore
    const windowPaddingMillis = Duration.toMillis(options.windowPadding ?? defaults.windowPadding)
    const retryAfterMarginMillis = Duration.toMillis(options.retryAfterMargin ?? defaults.retryAfterMargin)
    const answerLeaseMillis = Duration.toMillis(options.answerLease ?? defaults.answerLease)

    // Tickets name reservations in a store that other limiters and processes may share.
    const ticketPrefix = globalThis.crypto.randomUUID()
    let tickets = 0
    const nextTicket = () => `${ticketPrefix}:${++tickets}`

    // Requests waiting for a probe (the first request of a key whose limits
    // are still unknown) are woken by the probe's answer instead of polling.
    // `answers` tells a waiter whether an answer came while it asked the
    // store; the deferred is replaced only when somebody awaited it, so the
    // answers nobody waits for cost a counter increment.
    let answers = 0
    let wake = Deferred.unsafeMake<void>(FiberId.none)
    let wakeAwaited = false
    const notify = Effect.sync(() => {
      answers++
      if (!wakeAwaited) return
      const awaited = wake
      wake = Deferred.unsafeMake<void>(FiberId.none)
      wakeAwaited = false
      Deferred.unsafeDone(awaited, Exit.void)
    })
    const awaitAnswerSince = (seen: number, sleep: Effect.Effect<void>): Effect.Effect<void> =>
      Effect.suspend(() => {
        if (answers !== seen) return Effect.void
        wakeAwaited = true
        return Effect.race(sleep, Deferred.await(wake))
      })

    // Requests for one method wait in line and only the first of the line
    // asks the store, so a freed slot wakes one fiber instead of all of them,
    // and requests go out in the order they came. A retry goes ahead of the
    // requests that have not been sent yet: it was in line before them, and
    // sending it at the back would turn its backoff of half a second into the
    // whole line's wait. Hand-rolled because Effect's Semaphore has one lane.
    const lines = new Map<string, Line>()
    const lineOf = (key: string) => {
      let line = lines.get(key)
      if (line === undefined) {
        line = { busy: false, retries: [], firsts: [] }
        lines.set(key, line)
      }
      return line
    }
    const passTurn = (line: Line) =>
      Effect.sync(() => {
        const next = line.retries.shift() ?? line.firsts.shift()
        if (next === undefined) line.busy = false
        else Deferred.unsafeDone(next, Exit.void)
      })
    const waitForTurn = (line: Line, retry: boolean): Effect.Effect<void> =>
      Effect.suspend(() => {
        if (!line.busy) {
          line.busy = true
          return Effect.void
        }
        const lane = retry ? line.retries : line.firsts
        const turn = Deferred.unsafeMake<void>(FiberId.none)
        lane.push(turn)
        return Effect.onInterrupt(Deferred.await(turn), () =>
          Effect.suspend(() => {
            const index = lane.indexOf(turn)
            if (index === -1) return passTurn(line) // the turn came with the interruption: hand it on
            lane.splice(index, 1)
            return Effect.void
          }))
      })
    const inLine = <A, E>(key: string, retry: boolean, effect: Effect.Effect<A, E>): Effect.Effect<A, E> =>
      Effect.uninterruptibleMask((restore) => {
        const line = lineOf(key)
        return Effect.zipRight(restore(waitForTurn(line, retry)), Effect.ensuring(restore(effect), passTurn(line)))
      })

    // When each wait for a window or a Retry-After under way ends, for `heldUntil`.
    const holds = new Set<{ readonly until: number }>()
    const holdUntil = (until: number, sleep: Effect.Effect<void>) =>
      Effect.suspend(() => {
        const hold = { until }
        holds.add(hold)
        return Effect.ensuring(sleep, Effect.sync(() => holds.delete(hold)))
      })
    const heldUntil = Effect.sync(() => {
      let latest: number | undefined
      for (const hold of holds) latest = latest === undefined ? hold.until : Math.max(latest, hold.until)
      return Option.fromNullable(latest)
    })

    // What this process knows for `estimateWait`: the limits learned per key,
    // and when it sent each of its latest requests under that key (at least
    // as many as the largest limit: all that a window can hold).
    const knownLimits = new Map<string, ReadonlyArray<RateLimitWindow>>()
    const sentAt = new Map<string, Array<number>>()
    const recordSent = (keys: ReadonlyArray<string>, now: number) => {
      for (const key of keys) {
        const limits = knownLimits.get(key)
        let log = sentAt.get(key)
        if (log === undefined) {
          log = []
          sentAt.set(key, log)
        }
        log.push(now)
        // Trimmed in batches, so that a key with a limit of thousands does not copy its log on every send.
        // Before the limits are known (the probe), any number fits.
        const keep = limits === undefined ? unknownLimitsLog : Math.max(...limits.map((window) => window.limit))
        if (log.length > 2 * keep) log.splice(0, log.length - keep)
      }
    }
    // When `requests` more could be sent under `key`, as the sliding windows
    // allow them after this process's own sends: the k-th goes once the
    // request `limit` places before it has left every window.
    const finishOf = (key: string, requests: number, now: number): number => {
      const limits = knownLimits.get(key)
      if (limits === undefined || requests <= 0) return now
      const times = [...(sentAt.get(key) ?? [])]
      let last = now
      for (let k = 0; k < requests; k++) {
        let at = now
        for (const window of limits) {
          if (times.length >= window.limit) {
            at = Math.max(at, times[times.length - window.limit] + window.windowSeconds * 1000 + windowPaddingMillis)
          }
        }
        times.push(at)
        last = Math.max(last, at)
      }
      return last
    }
    const estimateWait = (route: Routing.Route, method: string, requests: number) =>
      Effect.map(
        Clock.currentTimeMillis,
        (now) =>
          Math.max(finishOf(appKey(route), requests, now), finishOf(methodKey(route, method), requests, now)) - now
      )

    const reserve = (keys: ReadonlyArray<string>, ticket: string): Effect.Effect<void, RateLimitStoreError> =>
      Effect.flatMap(Clock.currentTimeMillis, (now) => {
        const seen = answers
        return Effect.flatMap(
          store.reserve({ keys, ticket, now, windowPaddingMillis, answerLeaseMillis }),
          (reservation) => {
            if (reservation.granted) return Effect.sync(() => recordSent(keys, now))
            const sleep = Effect.sleep(Duration.millis(reservation.retryInMillis))
            return Effect.zipRight(
              reservation.reason === "probe" || reservation.reason === "unanswered"
                ? awaitAnswerSince(seen, sleep)
                : holdUntil(now + reservation.retryInMillis, sleep),
              reserve(keys, ticket)
            )
          }
        )
      })

    const learn = (key: string, response: ObservedResponse, limitsName: string, countsName: string, now: number) => {
      const limitsHeader = header(response.headers, limitsName)
      const limits = limitsHeader === undefined ? undefined : parseLimits(limitsHeader)
      const countsHeader = header(response.headers, countsName)
      const counts = (countsHeader === undefined ? undefined : parseCounts(countsHeader)) ?? []
      // A plain answer without limit headers means the server announces no
      // limits; an error may come from a proxy that never adds them.
      const unannounced = response.status < 400 || response.status === 404 ? "unlimited" : "unknown"
      if (limits !== undefined) knownLimits.set(key, limits)
      return store.learn({ key, limits, unannounced, counts, now, windowPaddingMillis })
    }

    const observe = (route: Routing.Route, method: string, response: ObservedResponse) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) => {
        const learned = Effect.zipRight(
          learn(appKey(route), response, "x-app-rate-limit", "x-app-rate-limit-count", now),
          learn(methodKey(route, method), response, "x-method-rate-limit", "x-method-rate-limit-count", now)
        )
        if (response.status !== 429) return learned
        const retryAfterMillis = parseRetryAfterMillis(header(response.headers, "retry-after"))
        const type = header(response.headers, "x-rate-limit-type")
        if (retryAfterMillis === undefined || (type !== "application" && type !== "method")) return learned
        const key = type === "application" ? appKey(route) : methodKey(route, method)
        return Effect.zipRight(
          learned,
          store.block({ key, now, durationMillis: retryAfterMillis + retryAfterMarginMillis })
        )
      })

    // The request has been sent and counted when these run: a store that
    // cannot record its outcome must not turn an answer into a failure.
    const afterSend = (operation: Effect.Effect<void, RateLimitStoreError>) =>
      operation.pipe(
        Effect.catchAll((error) => Effect.logWarning(`rate limiter: ${error.message}`)),
        Effect.zipRight(notify)
      )

    const settle = (keys: ReadonlyArray<string>, ticket: string) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) => store.settle({ keys, ticket, now }))

    const limiter: RiotRateLimiterService = {
      heldUntil,
      estimateWait,
      withPermit: (route, method, options) => (send) => {
        const keys = [appKey(route), methodKey(route, method)]
        return Effect.uninterruptibleMask((restore) => {
          const ticket = nextTicket()
          const acquire = inLine(keys[1], options?.retry === true, reserve(keys, ticket)).pipe(
            Effect.mapError((error) =>
              new RiotError.RateLimitStoreUnavailable({
                endpoint: method,
                route,
                store: error.store,
                detail: error.detail
              })
            ),
            // An interruption or a lost store may land after the store granted the slot and before the
            // answer came back: settling the ticket frees such a slot now instead of at the end of its lease.
            Effect.onError(() => Effect.ignore(settle(keys, ticket)))
          )
          return Effect.zipRight(
            restore(acquire),
            restore(send).pipe(
              Effect.onExit((exit) =>
                afterSend(Effect.zipRight(
                  settle(keys, ticket),
                  Exit.isSuccess(exit) ? observe(route, method, exit.value) : store.release(keys)
                ))
              )
            )
          )
        })
      }
    }
    return limiter
  })
