/**
 * The TaskGroup's guarantees on Effect 4, checked by this edition's
 * interleaving explorer under every budget and at every place where the
 * scheduler can switch fibers: every version-neutral scenario of
 * `@volley/taskgroup-scenarios` (the same ones the Effect 3 edition runs),
 * through this edition's adapter (`explorer/Edition.ts`). The explorer's own
 * invariants (permits back, tasks ended before their group closed, no
 * waiting createTask left, counters that add up, creation order, complete
 * streams, no fiber left, no hang) are checked in every run of every
 * scenario.
 *
 * No scenario is Effect 4's own: the three parts that are hard on Effect 4
 * (taking a permit atomically, interruption re-entering the group, forking
 * as the caller) are programs over the public API whose right outcome is
 * the same on Effect 3, so they are shared too; what is Effect 4's own
 * (which internals the runtime uses) is pinned by `Runtime.test.ts`.
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
