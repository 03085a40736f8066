import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Exit, FastCheck as fc, Fiber, Supervisor, TestClock } from "effect"
import * as Deadlines from "../src/internal/client/deadlines.js"

class TimedOut {
  readonly _tag = "TimedOut"
}

/**
 * Runs `f` under a supervisor that sees every fiber started beneath it, the
 * watcher included, and checks that none is left running afterwards: a
 * watcher left asleep would keep a real process alive.
 */
const leavingNoFiber = <A, E>(f: Effect.Effect<A, E>) =>
  Effect.gen(function*() {
    const tracker = yield* Supervisor.track
    const result = yield* Effect.supervised(f, tracker)
    yield* Effect.yieldNow()
    assert.deepStrictEqual((yield* tracker.value).length, 0, "fibers left running")
    return result
  })

describe("the client's shared request deadlines", () => {
  it.effect("lets an effect that ends in time through, and leaves no fiber behind", () =>
    leavingNoFiber(Effect.gen(function*() {
      const deadlines = Deadlines.make(Duration.seconds(2))
      const fiber = yield* Effect.fork(
        deadlines.within(Effect.as(Effect.sleep("1 second"), "done"), () => new TimedOut())
      )
      yield* TestClock.adjust("1 second")
      assert.deepStrictEqual(yield* Fiber.await(fiber), Exit.succeed("done"))
    })))

  it.effect("fails an effect that outlives the deadline at the deadline, and interrupts it", () =>
    leavingNoFiber(Effect.gen(function*() {
      const deadlines = Deadlines.make(Duration.seconds(2))
      let interruptedAt: number | undefined
      const slow = Effect.sleep("1 minute").pipe(
        Effect.onInterrupt(() => Effect.map(TestClock.currentTimeMillis, (now) => (interruptedAt = now)))
      )
      const fiber = yield* Effect.fork(deadlines.within(slow, () => new TimedOut()))
      yield* TestClock.adjust("1999 millis")
      assert.isNull(fiber.unsafePoll())
      yield* TestClock.adjust("1 millis")
      assert.deepStrictEqual(yield* Fiber.await(fiber), Exit.fail(new TimedOut()))
      assert.strictEqual(interruptedAt, 2000)
    })))

  it.effect("passes a failure or a defect of the effect on unchanged", () =>
    Effect.gen(function*() {
      const deadlines = Deadlines.make(Duration.seconds(2))
      assert.deepStrictEqual(
        yield* Effect.exit(deadlines.within(Effect.fail("boom"), () => new TimedOut())),
        Exit.fail("boom")
      )
      assert.deepStrictEqual(
        yield* Effect.exit(deadlines.within(Effect.die("bug"), () => new TimedOut())),
        Exit.die("bug")
      )
    }))

  it.effect("interrupts the effect when its caller is interrupted, and stops the watcher", () =>
    leavingNoFiber(Effect.gen(function*() {
      const deadlines = Deadlines.make(Duration.seconds(2))
      let interrupted = false
      const slow = Effect.never.pipe(Effect.onInterrupt(() => Effect.sync(() => (interrupted = true))))
      const fiber = yield* Effect.fork(deadlines.within(slow, () => new TimedOut()))
      yield* TestClock.adjust("1 second")
      yield* Fiber.interrupt(fiber)
      assert.isTrue(interrupted)
    })))

  it.effect.prop(
    "times out exactly the effects that outlive it, each at its own deadline",
    [fc.array(fc.record({ startMillis: fc.nat(5000), runMillis: fc.nat(6000) }), { minLength: 1, maxLength: 30 })],
    ([requests]) =>
      leavingNoFiber(Effect.gen(function*() {
        const timeoutMillis = 3000
        const deadlines = Deadlines.make(Duration.millis(timeoutMillis))
        // A tie between an effect's end and its deadline has no defined winner, as with Effect.timeout.
        const cases = requests.filter(({ runMillis }) => runMillis !== timeoutMillis)
        const outcomes = yield* Effect.fork(Effect.forEach(cases, ({ runMillis, startMillis }) =>
          Effect.sleep(Duration.millis(startMillis)).pipe(
            Effect.zipRight(deadlines.within(Effect.sleep(Duration.millis(runMillis)), () => new TimedOut())),
            Effect.either,
            Effect.zipWith(
              TestClock.currentTimeMillis,
              (result, endedAt) => ({ timedOut: result._tag === "Left", endedAt })
            )
          ), { concurrency: "unbounded" }))
        yield* TestClock.adjust("20 seconds")
        const results = yield* Fiber.join(outcomes)
        for (const [index, { runMillis, startMillis }] of cases.entries()) {
          assert.deepStrictEqual(results[index], {
            timedOut: runMillis > timeoutMillis,
            endedAt: startMillis + Math.min(runMillis, timeoutMillis)
          })
        }
      })),
    // Each run moves the TestClock through dozens of sleeps, which takes tens of milliseconds.
    { fastCheck: { numRuns: 30 } }
  )
})
