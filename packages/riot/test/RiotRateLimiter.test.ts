import { assert, describe, it } from "@effect/vitest"
import { Array, Clock, Deferred, Duration, Effect, FastCheck, Fiber, Layer, TestClock } from "effect"
import * as RiotRateLimiter from "../src/RiotRateLimiter.js"
import type { Route } from "../src/Routing.js"

/**
 * A stand-in for Riot: fixed windows that start at the first request a window
 * sees, answered with Riot's limit and count headers. It records every window
 * overrun, which a correct limiter never causes.
 */
const makeServer = (limits: { readonly app: string; readonly method: string }) => {
  type Window = { readonly limit: number; readonly windowSeconds: number; start: number; count: number }
  const windowsOf = (header: string): Array<Window> =>
    RiotRateLimiter.parseLimits(header)!.map((window) => ({ ...window, start: -Infinity, count: 0 }))
  const app = new Map<string, Array<Window>>()
  const method = new Map<string, Array<Window>>()
  const overruns: Array<string> = []
  const count = (windows: Array<Window>, now: number, name: string) => {
    for (const window of windows) {
      if (now >= window.start + window.windowSeconds * 1000) {
        window.start = now
        window.count = 0
      }
      window.count++
      if (window.count > window.limit) overruns.push(`${name} ${window.limit}:${window.windowSeconds} at ${now}`)
    }
    return windows.map((window) => `${window.count}:${window.windowSeconds}`).join(",")
  }
  const receive = (route: Route, name: string) =>
    Effect.map(Clock.currentTimeMillis, (now): RiotRateLimiter.ObservedResponse => {
      if (!app.has(route)) app.set(route, windowsOf(limits.app))
      const methodKey = `${route}/${name}`
      if (!method.has(methodKey)) method.set(methodKey, windowsOf(limits.method))
      return {
        status: 200,
        headers: {
          "X-App-Rate-Limit": limits.app,
          "X-App-Rate-Limit-Count": count(app.get(route)!, now, route),
          "X-Method-Rate-Limit": limits.method,
          "X-Method-Rate-Limit-Count": count(method.get(methodKey)!, now, methodKey)
        }
      }
    })
  return { receive, overruns }
}

const limiterWith = (options: RiotRateLimiter.Options) =>
  RiotRateLimiter.layerWith(options).pipe(Layer.provide(RiotRateLimiter.layerMemoryStore))

/** Forks `n` requests through the limiter, recording when each was sent. */
const forkRequests = (
  n: number,
  send: Effect.Effect<RiotRateLimiter.ObservedResponse>,
  route: Route = "americas",
  method = "match-v5.getMatch"
) =>
  Effect.gen(function*() {
    const limiter = yield* RiotRateLimiter.RiotRateLimiter
    const sent: Array<number> = []
    const record = Effect.zipLeft(
      send,
      Effect.flatMap(Clock.currentTimeMillis, (now) => Effect.sync(() => sent.push(now)))
    )
    const fibers = yield* Effect.forEach(
      Array.range(1, n),
      () => Effect.fork(limiter.withPermit(route, method)(record)),
      { concurrency: "unbounded" }
    )
    return { sent, fibers }
  })

// A fiber woken by the TestClock takes a few scheduler hops to reserve its
// slot and send; yielding lets every woken fiber get that far before the test
// counts.
const settle = Effect.repeatN(Effect.yieldNow(), 100)

const advanceTo = (millis: number) =>
  Effect.flatMap(Clock.currentTimeMillis, (now) => TestClock.adjust(Duration.millis(millis - now))).pipe(
    Effect.zipRight(settle)
  )

describe("RiotRateLimiter", () => {
  describe("header parsing", () => {
    it("reads any number of windows in any order", () => {
      assert.deepStrictEqual(RiotRateLimiter.parseLimits("100:120,20:1"), [
        { limit: 100, windowSeconds: 120 },
        { limit: 20, windowSeconds: 1 }
      ])
      assert.deepStrictEqual(RiotRateLimiter.parseLimits(" 500:10 , 30000:600,5:1 "), [
        { limit: 500, windowSeconds: 10 },
        { limit: 30000, windowSeconds: 600 },
        { limit: 5, windowSeconds: 1 }
      ])
      assert.deepStrictEqual(RiotRateLimiter.parseCounts("3:1,57:120"), [
        { count: 3, windowSeconds: 1 },
        { count: 57, windowSeconds: 120 }
      ])
    })

    it("rejects malformed values", () => {
      assert.isUndefined(RiotRateLimiter.parseLimits(""))
      assert.isUndefined(RiotRateLimiter.parseLimits("20"))
      assert.isUndefined(RiotRateLimiter.parseLimits("20:1;100:120"))
      assert.isUndefined(RiotRateLimiter.parseLimits("20:0"))
      assert.isUndefined(RiotRateLimiter.parseCounts("a:1"))
    })
  })

  it.effect("sends a retry ahead of the requests that were waiting, and the rest in the order they came", () =>
    Effect.gen(function*() {
      const server = makeServer({ app: "1:1", method: "100:1" })
      const limiter = yield* RiotRateLimiter.RiotRateLimiter
      const sent: Array<string> = []
      const request = (name: string, retry: boolean) =>
        limiter.withPermit("americas", "match-v5.getMatch", { retry })(
          Effect.zipLeft(server.receive("americas", "match-v5.getMatch"), Effect.sync(() => sent.push(name)))
        )
      // The first answer teaches the limits; then one request per second.
      yield* request("first", false)
      for (const name of ["a", "b", "c"]) {
        yield* Effect.fork(request(name, false))
        yield* settle
      }
      yield* Effect.fork(request("retry", true))
      yield* settle
      // A window is 1 s plus the default padding of 100 ms.
      for (let step = 1; step <= 4; step++) yield* advanceTo(step * 1100)
      // "a" was already first in line, waiting for the window, when the retry came.
      assert.deepStrictEqual(sent, ["first", "a", "retry", "b", "c"])
      assert.deepStrictEqual(server.overruns, [])
    }).pipe(Effect.provide(limiterWith({}))))

  it.effect.prop(
    "lets every request through once, whatever the mix of retries and interruptions",
    [FastCheck.array(FastCheck.tuple(FastCheck.boolean(), FastCheck.boolean()), { minLength: 1, maxLength: 12 })],
    ([requests]) =>
      Effect.gen(function*() {
        const server = makeServer({ app: "2:1", method: "100:1" })
        const limiter = yield* RiotRateLimiter.RiotRateLimiter
        let sent = 0
        const fibers = yield* Effect.forEach(requests, ([retry]) =>
          Effect.fork(
            limiter.withPermit("americas", "match-v5.getMatch", { retry })(
              Effect.zipLeft(server.receive("americas", "match-v5.getMatch"), Effect.sync(() => sent++))
            )
          ))
        yield* settle
        const interrupted = requests.flatMap(([, interrupt], index) => interrupt ? [fibers[index]] : [])
        yield* Effect.forEach(interrupted, (fiber) => Fiber.interrupt(fiber))
        yield* advanceTo(requests.length * 1000 + 1000)
        assert.isAtLeast(sent, requests.length - interrupted.length)
        assert.isAtMost(sent, requests.length)
        yield* Effect.forEach(fibers, Fiber.await)
        assert.deepStrictEqual(server.overruns, [])
      }).pipe(Effect.provide(limiterWith({})))
  )

  it.effect("estimates when more requests could go from the limits it learned and what it sent", () =>
    Effect.gen(function*() {
      const server = makeServer({ app: "2:120", method: "100:1" })
      const limiter = yield* RiotRateLimiter.RiotRateLimiter
      assert.strictEqual(yield* limiter.estimateWait("americas", "match-v5.getMatch", 5), 0, "no limits known yet")
      yield* forkRequests(2, server.receive("americas", "match-v5.getMatch"))
      yield* settle
      // Both slots of the 120 s window (100 ms of padding) are used: two more go at its end, a third at the next.
      assert.strictEqual(yield* limiter.estimateWait("americas", "match-v5.getMatch", 2), 120_100)
      assert.strictEqual(yield* limiter.estimateWait("americas", "match-v5.getMatch", 3), 240_200)
      yield* advanceTo(120_100)
      assert.strictEqual(yield* limiter.estimateWait("americas", "match-v5.getMatch", 2), 0)
    }).pipe(Effect.provide(limiterWith({}))))

  it.effect("says until when it holds requests back for a full window, and nothing once they go", () =>
    Effect.gen(function*() {
      const server = makeServer({ app: "2:120", method: "100:1" })
      const limiter = yield* RiotRateLimiter.RiotRateLimiter
      assert.isTrue((yield* limiter.heldUntil)._tag === "None")
      const { sent } = yield* forkRequests(3, server.receive("americas", "match-v5.getMatch"))
      yield* settle
      assert.lengthOf(sent, 2)
      const held = yield* limiter.heldUntil
      assert.isTrue(held._tag === "Some")
      // The window of 120 s opened at 0, plus the default padding of 100 ms.
      assert.strictEqual(held._tag === "Some" && held.value, 120_100)
      yield* advanceTo(120_100)
      assert.lengthOf(sent, 3)
      assert.isTrue((yield* limiter.heldUntil)._tag === "None")
    }).pipe(Effect.provide(limiterWith({}))))

  it.effect("grants 20 per second and 100 per two minutes, never more", () =>
    Effect.gen(function*() {
      const server = makeServer({ app: "20:1,100:120", method: "1000:10" })
      const { sent } = yield* forkRequests(150, server.receive("americas", "match-v5.getMatch"))
      const grantedBy = (millis: number) => advanceTo(millis).pipe(Effect.zipRight(Effect.sync(() => sent.length)))

      assert.strictEqual(yield* grantedBy(0), 20)
      assert.strictEqual(yield* grantedBy(999), 20)
      assert.strictEqual(yield* grantedBy(1000), 40)
      assert.strictEqual(yield* grantedBy(2000), 60)
      assert.strictEqual(yield* grantedBy(3999), 80)
      assert.strictEqual(yield* grantedBy(4000), 100)
      assert.strictEqual(yield* grantedBy(119_999), 100)
      assert.strictEqual(yield* grantedBy(120_000), 120)
      assert.strictEqual(yield* grantedBy(123_000), 150)
      assert.deepStrictEqual(server.overruns, [])
    }).pipe(Effect.provide(limiterWith({ windowPadding: Duration.zero }))))

  it.effect("stretches every window by the padding", () =>
    Effect.gen(function*() {
      const server = makeServer({ app: "20:1,100:120", method: "1000:10" })
      const { sent } = yield* forkRequests(45, server.receive("americas", "match-v5.getMatch"))
      const grantedBy = (millis: number) => advanceTo(millis).pipe(Effect.zipRight(Effect.sync(() => sent.length)))

      assert.strictEqual(yield* grantedBy(0), 20)
      assert.strictEqual(yield* grantedBy(1249), 20)
      assert.strictEqual(yield* grantedBy(1250), 40)
      assert.strictEqual(yield* grantedBy(2499), 40)
      assert.strictEqual(yield* grantedBy(2500), 45)
    }).pipe(Effect.provide(limiterWith({ windowPadding: "250 millis" }))))

  it.effect("holds a slot until its answer, so a request Riot counts late never shares a window with the next", () =>
    Effect.gen(function*() {
      const server = makeServer({ app: "1:1", method: "100:1" })
      const limiter = yield* RiotRateLimiter.RiotRateLimiter
      const counted: Array<string> = []
      // Riot counts a request when it reaches the server: after `before`, and answers `after` later.
      const request = (name: string, before: number, after: number) =>
        limiter.withPermit("americas", "match-v5.getMatch")(
          server.receive("americas", "match-v5.getMatch").pipe(
            Effect.tap(
              Effect.flatMap(Clock.currentTimeMillis, (now) => Effect.sync(() => counted.push(`${name} ${now}`)))
            ),
            Effect.delay(Duration.millis(before)),
            Effect.zipLeft(Effect.sleep(Duration.millis(after)))
          )
        )
      yield* request("first", 0, 0) // teaches the limits
      yield* advanceTo(1000)
      const slow = yield* Effect.fork(request("slow", 1500, 200))
      yield* settle
      const next = yield* Effect.fork(request("next", 0, 0))
      // The slot counts from the slow request's answer at 2700, so its window ends at 3700.
      yield* advanceTo(3699)
      assert.deepStrictEqual(counted, ["first 0", "slow 2500"])
      yield* advanceTo(3700)
      yield* Fiber.join(slow)
      yield* Fiber.join(next)
      assert.deepStrictEqual(counted, ["first 0", "slow 2500", "next 3700"])
      assert.deepStrictEqual(server.overruns, [])
    }).pipe(Effect.provide(limiterWith({ windowPadding: Duration.zero }))))

  it.effect("frees a slot whose request was interrupted before its answer, not only at the end of the lease", () =>
    Effect.gen(function*() {
      const server = makeServer({ app: "1:1", method: "100:1" })
      const limiter = yield* RiotRateLimiter.RiotRateLimiter
      const request = (send: Effect.Effect<void>) =>
        limiter.withPermit("americas", "match-v5.getMatch")(
          Effect.zipRight(send, server.receive("americas", "match-v5.getMatch"))
        )
      yield* request(Effect.void) // teaches the limits
      yield* advanceTo(1000)
      const hanging = yield* Effect.fork(request(Effect.never))
      yield* settle
      let sentAt: number | undefined
      yield* Effect.fork(
        Effect.zipRight(request(Effect.void), Effect.map(Clock.currentTimeMillis, (now) => sentAt = now))
      )
      yield* advanceTo(1500)
      yield* Fiber.interrupt(hanging)
      yield* advanceTo(2500)
      assert.strictEqual(sentAt, 2500)
      assert.deepStrictEqual(server.overruns, [])
    }).pipe(Effect.provide(limiterWith({ windowPadding: Duration.zero, answerLease: "1 minute" }))))

  it.effect("frees a slot the store granted to a request interrupted before it heard so", () =>
    Effect.gen(function*() {
      const memory = yield* RiotRateLimiter.makeMemoryStore
      const gate = yield* Deferred.make<void>()
      let reservations = 0
      // The second reservation is granted in the store, and its answer is held up on the way back.
      const store: RiotRateLimiter.RateLimitStore = {
        ...memory,
        reserve: (request) =>
          Effect.tap(memory.reserve(request), () => ++reservations === 2 ? Deferred.await(gate) : Effect.void)
      }
      const server = makeServer({ app: "1:1", method: "100:1" })
      return yield* Effect.gen(function*() {
        const limiter = yield* RiotRateLimiter.RiotRateLimiter
        const request = limiter.withPermit("americas", "match-v5.getMatch")(
          server.receive("americas", "match-v5.getMatch")
        )
        yield* request // teaches the limits
        yield* advanceTo(1000)
        const interrupted = yield* Effect.fork(request)
        yield* settle
        assert.strictEqual(reservations, 2)
        let sentAt: number | undefined
        yield* Effect.fork(Effect.zipRight(request, Effect.map(Clock.currentTimeMillis, (now) => sentAt = now)))
        yield* advanceTo(1500)
        yield* Fiber.interrupt(interrupted)
        yield* advanceTo(2500)
        assert.strictEqual(sentAt, 2500)
      }).pipe(
        Effect.provide(
          RiotRateLimiter.layerWith({ windowPadding: Duration.zero, answerLease: "1 minute" }).pipe(
            Layer.provide(Layer.succeed(RiotRateLimiter.RateLimitStore, store))
          )
        )
      )
    }))

  it.effect("keeps method limits per method and app limits per route", () =>
    Effect.gen(function*() {
      const server = makeServer({ app: "20:1", method: "5:1" })
      const matches = yield* forkRequests(10, server.receive("americas", "match-v5.getMatch"))
      const ids = yield* forkRequests(10, server.receive("americas", "match-v5.getMatchIdsByPuuid"), "americas", "ids")
      const europe = yield* forkRequests(10, server.receive("europe", "match-v5.getMatch"), "europe")
      yield* advanceTo(0)
      assert.strictEqual(matches.sent.length, 5)
      assert.strictEqual(ids.sent.length, 5)
      assert.strictEqual(europe.sent.length, 5)
      yield* advanceTo(1000)
      assert.strictEqual(matches.sent.length + ids.sent.length + europe.sent.length, 30)
      assert.deepStrictEqual(server.overruns, [])
    }).pipe(Effect.provide(limiterWith({ windowPadding: Duration.zero }))))

  it.effect("sends one request at a time until the first response teaches the limits", () =>
    Effect.gen(function*() {
      const answer = yield* Deferred.make<void>()
      const server = makeServer({ app: "20:1", method: "20:1" })
      const { fibers, sent } = yield* forkRequests(
        10,
        Effect.zipRight(Deferred.await(answer), server.receive("americas", "match-v5.getMatch"))
      )
      yield* advanceTo(0)
      assert.strictEqual(sent.length, 0)
      yield* Deferred.succeed(answer, undefined)
      yield* Fiber.joinAll(fibers)
      assert.strictEqual(sent.length, 10)
      assert.deepStrictEqual(server.overruns, [])
    }).pipe(Effect.provide(limiterWith({}))))

  it.effect("lets the next request probe when the first one fails", () =>
    Effect.gen(function*() {
      const limiter = yield* RiotRateLimiter.RiotRateLimiter
      const first = yield* limiter.withPermit("americas", "match-v5.getMatch")(Effect.fail("connection reset")).pipe(
        Effect.flip
      )
      assert.strictEqual(first, "connection reset")
      const server = makeServer({ app: "20:1", method: "20:1" })
      const second = yield* limiter.withPermit("americas", "match-v5.getMatch")(
        server.receive("americas", "match-v5.getMatch")
      )
      assert.strictEqual(second.status, 200)
    }).pipe(Effect.provide(limiterWith({}))))

  it.effect("blocks the whole route on an application 429 for Retry-After plus the margin", () =>
    Effect.gen(function*() {
      const limiter = yield* RiotRateLimiter.RiotRateLimiter
      const rejected: RiotRateLimiter.ObservedResponse = {
        status: 429,
        headers: {
          "x-app-rate-limit": "20:1",
          "x-method-rate-limit": "100:1",
          "x-rate-limit-type": "application",
          "retry-after": "3"
        }
      }
      yield* limiter.withPermit("americas", "match-v5.getMatch")(Effect.succeed(rejected))
      const server = makeServer({ app: "20:1", method: "100:1" })
      const otherMethod = yield* forkRequests(1, server.receive("americas", "ids"), "americas", "ids")
      const otherRoute = yield* forkRequests(1, server.receive("europe", "match-v5.getMatch"), "europe")
      yield* advanceTo(0)
      assert.strictEqual(otherRoute.sent.length, 1)
      yield* advanceTo(3099)
      assert.strictEqual(otherMethod.sent.length, 0)
      yield* advanceTo(3100)
      assert.deepStrictEqual(otherMethod.sent, [3100])
    }).pipe(Effect.provide(limiterWith({ retryAfterMargin: "100 millis" }))))

  it.effect("blocks only the method on a method 429, and nobody on a service 429", () =>
    Effect.gen(function*() {
      const limiter = yield* RiotRateLimiter.RiotRateLimiter
      const rejection = (type: string): RiotRateLimiter.ObservedResponse => ({
        status: 429,
        headers: {
          "X-App-Rate-Limit": "20:1",
          "X-Method-Rate-Limit": "100:1",
          "X-Rate-Limit-Type": type,
          "Retry-After": "2"
        }
      })
      yield* limiter.withPermit("americas", "match-v5.getMatch")(Effect.succeed(rejection("method")))
      yield* limiter.withPermit("americas", "ids")(Effect.succeed(rejection("service")))
      const server = makeServer({ app: "20:1", method: "100:1" })
      const sameMethod = yield* forkRequests(1, server.receive("americas", "match-v5.getMatch"))
      const serviceMethod = yield* forkRequests(1, server.receive("americas", "ids"), "americas", "ids")
      yield* advanceTo(0)
      assert.strictEqual(sameMethod.sent.length, 0)
      assert.strictEqual(serviceMethod.sent.length, 1)
      yield* advanceTo(2000)
      assert.strictEqual(sameMethod.sent.length, 1)
    }).pipe(Effect.provide(limiterWith({ retryAfterMargin: Duration.zero }))))

  it.effect("counts requests the server saw from elsewhere", () =>
    Effect.gen(function*() {
      const limiter = yield* RiotRateLimiter.RiotRateLimiter
      // Another process sharing the key has already used 9 of 10.
      yield* limiter.withPermit("americas", "match-v5.getMatch")(Effect.succeed({
        status: 200,
        headers: { "x-app-rate-limit": "10:1", "x-app-rate-limit-count": "10:1" }
      }))
      const server = makeServer({ app: "10:1", method: "100:1" })
      const { sent } = yield* forkRequests(3, server.receive("americas", "match-v5.getMatch"))
      yield* advanceTo(999)
      assert.strictEqual(sent.length, 0)
      yield* advanceTo(1000)
      assert.strictEqual(sent.length, 3)
    }).pipe(Effect.provide(limiterWith({ windowPadding: Duration.zero }))))

  for (const status of [503, 200]) {
    it.effect(`keeps known limits when a ${status} comes without limit headers`, () =>
      Effect.gen(function*() {
        const server = makeServer({ app: "2:1", method: "100:1" })
        const limiter = yield* RiotRateLimiter.RiotRateLimiter
        yield* limiter.withPermit("americas", "m")(server.receive("americas", "m"))
        yield* limiter.withPermit("americas", "m")(Effect.succeed({ status, headers: {} }))
        const { sent } = yield* forkRequests(1, server.receive("americas", "m"), "americas", "m")
        yield* advanceTo(999)
        assert.strictEqual(sent.length, 0)
        yield* advanceTo(1000)
        assert.strictEqual(sent.length, 1)
      }).pipe(Effect.provide(limiterWith({ windowPadding: Duration.zero }))))
  }

  it.effect("does not limit a server that announces no limits", () =>
    Effect.gen(function*() {
      const { sent } = yield* forkRequests(50, Effect.succeed({ status: 200, headers: {} }))
      yield* advanceTo(0)
      assert.strictEqual(sent.length, 50)
    }).pipe(Effect.provide(limiterWith({}))))

  const windowArbitrary = FastCheck.record({
    limit: FastCheck.integer({ min: 1, max: 8 }),
    windowSeconds: FastCheck.integer({ min: 1, max: 5 })
  })
  const format = (windows: ReadonlyArray<RiotRateLimiter.RateLimitWindow>) =>
    windows.map((window) => `${window.limit}:${window.windowSeconds}`).join(",")

  it.effect.prop(
    "never puts more requests into a window than its limit, however the latencies vary",
    {
      app: FastCheck.array(windowArbitrary, { minLength: 1, maxLength: 3 }),
      method: FastCheck.array(windowArbitrary, { minLength: 1, maxLength: 2 }),
      // Per request: milliseconds after the previous request's arrival, then on the way to Riot, then back.
      requests: FastCheck.array(
        FastCheck.tuple(
          FastCheck.integer({ min: 0, max: 700 }),
          FastCheck.integer({ min: 0, max: 3000 }),
          FastCheck.integer({ min: 0, max: 3000 })
        ),
        { minLength: 1, maxLength: 40 }
      )
    },
    ({ app, method, requests }) =>
      Effect.gen(function*() {
        const server = makeServer({ app: format(app), method: format(method) })
        const limiter = yield* RiotRateLimiter.RiotRateLimiter
        const counted: Array<number> = []
        const send = (there: number, back: number) =>
          Effect.sleep(Duration.millis(there)).pipe(
            Effect.zipRight(Clock.currentTimeMillis),
            Effect.flatMap((now) => Effect.sync(() => counted.push(now))),
            Effect.zipRight(server.receive("americas", "m")),
            Effect.zipLeft(Effect.sleep(Duration.millis(back)))
          )
        let arrival = 0
        const fibers = yield* Effect.forEach(requests, ([gap, there, back]) => {
          arrival += gap
          return Effect.fork(
            Effect.delay(limiter.withPermit("americas", "m")(send(there, back)), Duration.millis(arrival))
          )
        })
        yield* TestClock.adjust(Duration.minutes(10))
        yield* Fiber.joinAll(fibers)

        assert.strictEqual(counted.length, requests.length)
        assert.deepStrictEqual(server.overruns, [])
        // Stronger: no span of a window's length, wherever it starts, holds more than its limit.
        counted.sort((a, b) => a - b)
        for (const window of [...app, ...method]) {
          for (let i = window.limit; i < counted.length; i++) {
            assert.isAtLeast(counted[i] - counted[i - window.limit], window.windowSeconds * 1000)
          }
        }
      }).pipe(Effect.provide(limiterWith({ windowPadding: Duration.zero }))),
    // Ten minutes of TestClock per run, in steps of a millisecond.
    { fastCheck: { numRuns: 25 }, timeout: 30_000 }
  )
})
