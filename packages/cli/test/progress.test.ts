import { assert, describe, it } from "@effect/vitest"
import type { TaskGroup } from "@volley/taskgroup"
import { TaskGroup as Group } from "@volley/taskgroup"
import { Deferred, Duration, Effect, FastCheck, Option, Ref, TestClock } from "effect"
import { display, formatBar, formatLine, pace, quarterOf } from "../src/internal/progress.js"

const stats = (overrides: Partial<TaskGroup.Stats> = {}): TaskGroup.Stats => ({
  created: 20,
  queued: 0,
  running: 8,
  waiting: 1,
  succeeded: 9,
  failed: 1,
  interrupted: 0,
  ...overrides
})

describe("progress", () => {
  it("draws done, failed, running, waiting, rate and ETA", () => {
    assert.strictEqual(
      formatBar(stats(), 20, 2000),
      "[########--------] 9/20 done, 1 failed, 8 running, 1 waiting, 5.0/s, ETA 0:02"
    )
  })

  it("has no ETA before anything finished", () => {
    assert.match(formatBar(stats({ succeeded: 0, failed: 0 }), 20, 0), /0\.0\/s, ETA --:--$/)
  })

  it("says when the rate limiter holds requests back, for how long, and counts it in the ETA", () => {
    assert.strictEqual(
      formatBar(stats({ succeeded: 98, failed: 0, running: 2, waiting: 0 }), 100, 20_000, {
        heldForMillis: 112_000,
        allSentInMillis: 112_000
      }),
      "[################] 98/100 done, 0 failed, 2 running, 0 waiting, 4.9/s, waiting for Riot's rate limit: 1:52, ETA 1:52"
    )
  })

  it("drops the details for the hold when the line would not fit the terminal", () => {
    assert.strictEqual(
      formatBar(stats({ succeeded: 98, failed: 0, running: 2, waiting: 0 }), 100, 20_000, {
        heldForMillis: 112_000,
        allSentInMillis: 112_000
      }, 79),
      "[################] 98/100 done, waiting for Riot's rate limit: 1:52, ETA 1:52"
    )
  })

  it("puts the ETA where the known limits let the remaining requests go, even before any wait starts", () => {
    // 50 of 100 done in 5 s: the pace says 5 s more, the limits say the rest cannot go for 115 s.
    assert.match(
      formatBar(stats({ succeeded: 50, failed: 0, running: 0, waiting: 50 }), 100, 5000, {
        heldForMillis: 0,
        allSentInMillis: 115_000
      }),
      /10\.0\/s, ETA 1:55$/
    )
  })

  it.prop(
    "never promises the end before the limiter lets requests go",
    [FastCheck.integer({ min: 1, max: 99 }), FastCheck.integer({ min: 1, max: 600_000 })],
    ([finished, heldForMillis]) => {
      const { etaSeconds } = pace(stats({ succeeded: finished, failed: 0 }), 100, 10_000, heldForMillis)
      assert.isAtLeast(etaSeconds!, heldForMillis / 1000)
    }
  )

  it.scoped("writes one line to a log when a long hold starts, none for the short ones", () =>
    Effect.gen(function*() {
      const group = yield* Group.make<void, never>({ concurrency: 1 })
      const lines = yield* Ref.make<ReadonlyArray<string>>([])
      const heldUntil = yield* Ref.make(Option.none<number>())
      const blocker = yield* Deferred.make<void>()
      yield* Group.createTask(group, Deferred.await(blocker))
      yield* display(group, {
        total: 1,
        mode: "lines",
        columns: 80,
        writeStderr: (text) => Ref.update(lines, (written) => [...written, text]),
        heldUntil: Ref.get(heldUntil)
      })
      yield* Ref.set(heldUntil, Option.some(2_000))
      yield* TestClock.adjust(Duration.seconds(1))
      yield* Ref.set(heldUntil, Option.some(121_000))
      yield* TestClock.adjust(Duration.seconds(3))
      assert.deepStrictEqual(yield* Ref.get(lines), ["volley: waiting for Riot's rate limit: 1:59\n"])
      yield* TestClock.adjust(Duration.seconds(30))
      assert.lengthOf(yield* Ref.get(lines), 1, "the same hold is said once")
      yield* Deferred.succeed(blocker, undefined)
    }))

  it("writes a plain line for logs", () => {
    assert.strictEqual(formatLine(stats(), 20, 2000), "volley: 10/20 matches (50%), 1 failed, 5.0/s")
  })

  it.prop(
    "reaches quarter 4 exactly when everything finished",
    [FastCheck.integer({ min: 1, max: 1000 }), FastCheck.integer({ min: 0, max: 1000 })],
    ([total, finished]) => {
      const done = Math.min(finished, total)
      assert.strictEqual(quarterOf(done, total) === 4, done === total)
      assert.isAtLeast(quarterOf(done, total), 0)
    }
  )

  it.prop("estimates nothing left once everything finished", [FastCheck.integer({ min: 1, max: 1000 })], ([total]) => {
    assert.strictEqual(pace(stats({ succeeded: total, failed: 0 }), total, 1000).etaSeconds, 0)
  })
})
