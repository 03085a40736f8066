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

describe("interleavings", { timeout: 120_000 }, () => {
  for (const scenario of Scenarios.scenarios) {
    it(scenario.name, async () => {
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
