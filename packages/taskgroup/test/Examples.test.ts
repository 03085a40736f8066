/**
 * Every program an `@example` of the public module defines runs to its end:
 * an example a user copies must neither fail nor hang. (docgen checks that
 * each compiles.) Each example is written to a file of its own in this
 * package, so that it resolves `effect` 3 as a user's code would.
 */
import { assert, describe, it } from "@effect/vitest"
import { Examples } from "@volley/taskgroup-scenarios"
import { Effect, Exit, FiberId } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"

const packageDir = path.join(import.meta.dirname, "..")
const examples = Examples.examplesOf(fs.readFileSync(path.join(packageDir, "src", "TaskGroup.ts"), "utf8"))

describe("examples", () => {
  it("every program an example defines runs to its end", { timeout: 120_000 }, async () => {
    const dir = path.join(packageDir, ".docs-check-runs")
    fs.rmSync(dir, { recursive: true, force: true })
    fs.mkdirSync(dir)
    try {
      const programs: Array<{ readonly example: number; readonly start: () => Examples.Started }> = []
      for (const [i, example] of examples.entries()) {
        const file = path.join(dir, `example-${i}.ts`)
        fs.writeFileSync(file, Examples.asModule(example))
        const { examples: values } = (await import(file)) as { readonly examples: ReadonlyArray<unknown> }
        for (const value of values.filter(Effect.isEffect)) {
          programs.push({
            example: i,
            start: () => {
              const fiber = Effect.runFork(value as Effect.Effect<unknown, unknown>)
              return {
                succeeded: new Promise((resolve) => fiber.addObserver((exit) => resolve(Exit.isSuccess(exit)))),
                stop: () => fiber.unsafeInterruptAsFork(FiberId.none)
              }
            }
          })
        }
      }
      const { problems, ran } = await Examples.runEach(programs, 5_000)
      assert.isAtLeast(ran, 11)
      assert.deepStrictEqual(problems, [])
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
