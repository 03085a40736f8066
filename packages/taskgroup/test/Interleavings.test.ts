/**
 * The TaskGroup's guarantees, checked by the interleaving explorer under
 * every budget and at every place where the scheduler can switch fibers:
 * every version-neutral scenario of `@volley/taskgroup-scenarios` (the same
 * ones the Effect 4 edition runs), on this edition's explorer through its
 * adapter (`explorer/Edition.ts`). The explorer's own invariants (permits
 * back, tasks ended before their group closed, no waiting createTask left,
 * counters that add up, creation order, complete streams, no fiber left,
 * no hang) are checked in every run of every scenario.
 *
 * No scenario is Effect 3's own: each is a program over the public API.
 */
import { describe, expect, it } from "@effect/vitest"
import { Scenarios } from "@volley/taskgroup-scenarios"
import { exploreScenario, onExplorer } from "./explorer/Edition.js"
import { describeFailures, runOnce } from "./explorer/Explorer.js"

/**
 * Scenarios this edition is known to fail, each with the reason. They run
 * as `it.fails`, so that a fix turns the test red until it leaves this list.
 */
const knownToFail = new Map<string, string>([
  [
    "a task that fails in an uninterruptible region as it is interrupted keeps its failure",
    // Effect 3 strips a cause's typed failures when an interruption meets a
    // failure handler, or becomes due where an inner uninterruptibleMask
    // (an `ensuring` in the task) ends. A reused fiber has frames of its own
    // above every task but the first, so such a task is recorded as
    // interrupted where a fiber of its own would end with its failure.
    "a reused fiber loses the failure of a task interrupted as it fails"
  ]
])

describe("interleavings", { timeout: 120_000 }, () => {
  for (const scenario of Scenarios.scenarios) {
    const test = knownToFail.has(scenario.name) ? it.fails : it
    test(scenario.name, async () => {
      const report = await exploreScenario(scenario)
      expect(describeFailures(report)).toBe("")
      expect(report.runs).toBeGreaterThan(100)
    })
  }
})

describe("the explorer itself", () => {
  for (const broken of Scenarios.brokenPrograms) {
    it(`reports that ${broken.name}`, async () => {
      const result = await runOnce(onExplorer(broken.program), 2048, [])
      expect(result.violations.map((v) => v.invariant)).toContain(broken.breaks)
    })
  }
})
