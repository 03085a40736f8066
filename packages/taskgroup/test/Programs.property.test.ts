/**
 * Random programs over TaskGroups, each run once by the interleaving
 * explorer on a random schedule and budget, with every invariant checked at
 * every step: shared semaphores, several groups, both strategies, backlogs,
 * nested groups, tasks that fork fibers, and interruption of producers, of
 * single tasks and of whole scopes.
 *
 * 1,000 programs run in CI; `npx -y pnpm@10.34.8 test:soak` runs 100,000
 * (or `VOLLEY_SOAK_RUNS`).
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, FastCheck } from "effect"
import { runOnce } from "./explorer/Explorer.js"
import { program, programSpec } from "./explorer/Programs.js"

const soakRuns = Number(process.env.VOLLEY_SOAK_RUNS ?? 0)
/** A soak runs as several tests of this many programs, so that no one test runs for many minutes. */
const runsPerTest = 2000
const chunks = soakRuns > 0 ? Math.ceil(soakRuns / runsPerTest) : 1

describe("random programs", () => {
  for (let chunk = 0; chunk < chunks; chunk++) {
    it.effect.prop(
      `every invariant holds for any program, schedule and budget${
        chunks > 1 ? ` (part ${chunk + 1} of ${chunks})` : ""
      }`,
      {
        spec: programSpec,
        seed: FastCheck.integer({ min: 1, max: 2 ** 31 - 1 }),
        budget: FastCheck.constantFrom(12, 13, 14, 16, 20, 32, 2048)
      },
      ({ budget, seed, spec }) =>
        Effect.promise(() => runOnce(program(spec), budget, [], seed)).pipe(Effect.map((result) => {
          expect(result.violations.map((v) => `${v.invariant}: ${v.detail}`).join("\n")).toBe("")
          expect(result.outcome).not.toBe("hang")
        })),
      {
        timeout: 600_000,
        fastCheck: { numRuns: soakRuns > 0 ? Math.min(runsPerTest, soakRuns - chunk * runsPerTest) : 1000 }
      }
    )
  }
})
