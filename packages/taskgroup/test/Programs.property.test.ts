/**
 * Random programs over TaskGroups (`@volley/taskgroup-scenarios`'s
 * `ProgramSpec`, the same the Effect 4 edition draws): shared
 * semaphores, several groups, both strategies, backlogs, nested groups,
 * tasks that fork fibers, callers with other runtime flags and annotations,
 * and interruption of producers, of single tasks and of whole scopes.
 *
 * Each program runs twice over:
 * - once by the interleaving explorer on a random schedule and budget, with
 *   every invariant checked at every step (the version-neutral interpreter
 *   `Programs.program`, through this edition's adapter);
 * - once on the real group and once on the naive reference model
 *   (`reference/ReferenceTaskGroup.ts`), and everything a user can observe
 *   must be the same (`reference/Differential.ts`; the few differences
 *   allowed by design are stated, for both editions, in
 *   `@volley/taskgroup-scenarios`'s `Comparison`).
 *
 * 1,000 programs run in CI; `VOLLEY_EDITION=effect3 npx -y pnpm@10.34.8 test:soak`
 * runs 100,000 (or `VOLLEY_SOAK_RUNS`).
 */
import { describe, expect, it } from "@effect/vitest"
import { Programs, ProgramSpec } from "@volley/taskgroup-scenarios"
import { Effect, FastCheck } from "effect"
import { onExplorer } from "./explorer/Edition.js"
import { runOnce } from "./explorer/Explorer.js"
import * as Differential from "./reference/Differential.js"

const soakRuns = Number(process.env.VOLLEY_SOAK_RUNS ?? 0)
/** A soak runs as several tests of this many programs, so that no one test runs for many minutes. */
const runsPerTest = 2000
const chunks = soakRuns > 0 ? Math.ceil(soakRuns / runsPerTest) : 1

describe("random programs", () => {
  for (let chunk = 0; chunk < chunks; chunk++) {
    const part = chunks > 1 ? ` (part ${chunk + 1} of ${chunks})` : ""
    const numRuns = soakRuns > 0 ? Math.min(runsPerTest, soakRuns - chunk * runsPerTest) : 1000
    it.effect.prop(
      `every invariant holds for any program, schedule and budget, and a user sees what the reference shows${part}`,
      {
        spec: ProgramSpec.programSpec,
        seed: FastCheck.integer({ min: 1, max: 2 ** 31 - 1 }),
        budget: FastCheck.constantFrom(12, 13, 14, 16, 20, 32, 2048)
      },
      ({ budget, seed, spec }) =>
        Effect.promise(async () => {
          const explored = await runOnce(onExplorer(Programs.program(spec)), budget, [], seed)
          expect(explored.violations.map((v) => `${v.invariant}: ${v.detail}`).join("\n")).toBe("")
          expect(explored.outcome).not.toBe("hang")
          const real = await Differential.observed(Differential.real, spec)
          const reference = await Differential.observed(Differential.reference, spec)
          expect([...real.violations, ...reference.violations].join("\n")).toBe("")
          // as JSON, so that a failure shows a line-by-line diff
          expect(JSON.stringify(real.observed, null, 1)).toBe(JSON.stringify(reference.observed, null, 1))
        }),
      { timeout: 600_000, fastCheck: { numRuns } }
    )
  }
})
