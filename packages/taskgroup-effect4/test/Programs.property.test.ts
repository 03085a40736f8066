/**
 * Random programs over Effect 4 TaskGroups. The programs, their specs and
 * their interpreter are the version-neutral ones of
 * `@volley/taskgroup-scenarios`, the same the Effect 3 edition runs. Each
 * program runs twice over:
 * - once by the Effect 4 interleaving explorer on a random schedule and
 *   budget, with every invariant checked at every step (through this
 *   edition's adapter);
 * - once on the real group and once on the naive reference model
 *   (`reference/ReferenceTaskGroup.ts`), and everything a user can observe
 *   must be the same (`reference/Differential.ts`; the few differences
 *   allowed by design are stated, for both editions, in
 *   `@volley/taskgroup-scenarios`'s `Comparison`).
 *
 * 1,000 programs run in CI; `VOLLEY_EDITION=effect4 npx -y pnpm@10.34.8 test:soak`
 * runs 100,000 (or `VOLLEY_SOAK_RUNS`).
 */
import { describe, expect, it } from "@effect/vitest"
import { Programs, ProgramSpec } from "@volley/taskgroup-scenarios"
import * as FastCheck from "fast-check"
import { onExplorer } from "./explorer/Edition.js"
import { defaultBudgets, runOnce } from "./explorer/Explorer.js"
import * as Differential from "./reference/Differential.js"

const soakRuns = Number(process.env.VOLLEY_SOAK_RUNS ?? 0)
/** A soak runs as several tests of this many programs, so that no one test runs for many minutes. */
const runsPerTest = 2000
const chunks = soakRuns > 0 ? Math.ceil(soakRuns / runsPerTest) : 1

describe("random programs (Effect 4)", () => {
  for (let chunk = 0; chunk < chunks; chunk++) {
    it(
      `every invariant holds for any program, schedule and budget, and a user sees what the reference shows${
        chunks > 1 ? ` (part ${chunk + 1} of ${chunks})` : ""
      }`,
      { timeout: 600_000 },
      () =>
        FastCheck.assert(
          FastCheck.asyncProperty(
            ProgramSpec.programSpec,
            FastCheck.integer({ min: 1, max: 2 ** 31 - 1 }),
            FastCheck.constantFrom(...defaultBudgets),
            async (spec, seed, budget) => {
              const result = await runOnce(onExplorer(Programs.program(spec)), budget, [], seed)
              expect(result.violations.map((v) => `${v.invariant}: ${v.detail}`).join("\n")).toBe("")
              expect(result.outcome).not.toBe("hang")
              const real = await Differential.observed(Differential.real, spec)
              const reference = await Differential.observed(Differential.reference, spec)
              expect([...real.violations, ...reference.violations].join("\n")).toBe("")
              // as JSON, so that a failure shows a line-by-line diff
              expect(JSON.stringify(real.observed, null, 1)).toBe(JSON.stringify(reference.observed, null, 1))
            }
          ),
          { numRuns: soakRuns > 0 ? Math.min(runsPerTest, soakRuns - chunk * runsPerTest) : 1000 }
        )
    )
  }
})
