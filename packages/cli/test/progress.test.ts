import { assert, describe, it } from "@effect/vitest"
import type { TaskGroup } from "@volley/taskgroup"
import { FastCheck } from "effect"
import { formatBar, formatLine, pace, quarterOf } from "../src/internal/progress.js"

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
