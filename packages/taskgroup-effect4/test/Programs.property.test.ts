/**
 * Random programs over Effect 4 TaskGroups, each run once by the Effect 4
 * interleaving explorer on a random schedule and budget, with every
 * invariant checked at every step. The programs are the version-neutral
 * specs of `explorer/ProgramSpec.ts`, the same the Effect 3 edition runs.
 *
 * 1,000 programs run in CI; `npx -y pnpm@10.34.8 test:soak:effect4` runs
 * 100,000 (or `VOLLEY_SOAK_RUNS`).
 */
import { describe, expect, it } from "@effect/vitest"
import * as FastCheck from "fast-check"
import { defaultBudgets, runOnce } from "./explorer/Explorer.js"
import { program } from "./explorer/Programs.js"
import { programSpec } from "./explorer/ProgramSpec.js"

const soakRuns = Number(process.env.VOLLEY_SOAK_RUNS ?? 0)
/** A soak runs as several tests of this many programs, so that no one test runs for many minutes. */
const runsPerTest = 2000
const chunks = soakRuns > 0 ? Math.ceil(soakRuns / runsPerTest) : 1

describe("random programs (Effect 4)", () => {
  for (let chunk = 0; chunk < chunks; chunk++) {
    it(
      `every invariant holds for any program, schedule and budget${
        chunks > 1 ? ` (part ${chunk + 1} of ${chunks})` : ""
      }`,
      { timeout: 600_000 },
      () =>
        FastCheck.assert(
          FastCheck.asyncProperty(
            programSpec,
            FastCheck.integer({ min: 1, max: 2 ** 31 - 1 }),
            FastCheck.constantFrom(...defaultBudgets),
            async (spec, seed, budget) => {
              const result = await runOnce(program(spec), budget, [], seed)
              expect(result.violations.map((v) => `${v.invariant}: ${v.detail}`).join("\n")).toBe("")
              expect(result.outcome).not.toBe("hang")
            }
          ),
          { numRuns: soakRuns > 0 ? Math.min(runsPerTest, soakRuns - chunk * runsPerTest) : 1000 }
        )
    )
  }
})
