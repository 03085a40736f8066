/**
 * Both editions behave alike: random programs (the version-neutral
 * `ProgramSpec`s both editions' property tests draw) run on the Effect 3
 * group and on this one, each on its own explorer in first-come order, and
 * everything a user observes of them, in the terms both editions share
 * (`Comparison.acrossEditions`: what `run` and `join` return, every task's
 * outcome, the order of completions, how each producer ended, what each task
 * saw of its caller), must be the same. The reference models pin each
 * edition to the documented contract; this pins the two editions to each
 * other, so that one guide describes both.
 *
 * The Effect 3 edition is loaded beside this one: its files import the
 * `effect` 3 of their own package, so the two Effects run side by side in
 * this process.
 */
import { describe, expect, it } from "@effect/vitest"
import { ProgramSpec } from "@volley/taskgroup-scenarios"
import * as FastCheck from "fast-check"
import * as path from "node:path"
import * as Differential from "./reference/Differential.js"

interface Effect3Side {
  readonly sharedObservation: (spec: ProgramSpec.ProgramSpec) => Promise<unknown>
}

// a path the type checker does not follow: the Effect 3 files are checked in their own package
const effect3Differential = path.join(
  import.meta.dirname,
  "..",
  "..",
  "taskgroup",
  "test",
  "reference",
  "Differential.ts"
)

describe("both editions", () => {
  it("show a user the same of any program", { timeout: 600_000 }, async () => {
    const effect3 = (await import(effect3Differential)) as Effect3Side
    await FastCheck.assert(
      FastCheck.asyncProperty(ProgramSpec.programSpec, async (spec) => {
        const onEffect3 = await effect3.sharedObservation(spec)
        const onEffect4 = await Differential.sharedObservation(spec)
        // as JSON, so that a failure shows a line-by-line diff
        expect(JSON.stringify(onEffect4, null, 1)).toBe(JSON.stringify(onEffect3, null, 1))
      }),
      { numRuns: 1000 }
    )
  })
})
