import { assert, describe, it } from "@effect/vitest"
import { TaskGroup } from "@volley/taskgroup-effect4"
import { Effect } from "effect"

describe("smoke", () => {
  it.live("runs tasks and keeps results in creation order", () =>
    Effect.gen(function*() {
      const summary = yield* TaskGroup.forEach([3, 1, 2], (n) => Effect.as(Effect.sleep(n), n), { concurrency: 2 })
      assert.deepStrictEqual(summary.results, [3, 1, 2])
      assert.strictEqual(process.versions.node.split(".")[0], "22")
    }))
})
