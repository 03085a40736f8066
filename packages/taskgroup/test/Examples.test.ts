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
      const ended: Array<string> = []
      for (const [i, example] of examples.entries()) {
        const file = path.join(dir, `example-${i}.ts`)
        fs.writeFileSync(file, Examples.asModule(example))
        const { examples: values } = (await import(file)) as { readonly examples: ReadonlyArray<unknown> }
        for (const value of values.filter(Effect.isEffect)) {
          // on the real clock, as a user runs it, and given up after a while without waiting for it: a
          // scope that never closes cannot be interrupted either
          const fiber = Effect.runFork(value as Effect.Effect<unknown, unknown>)
          let timer: ReturnType<typeof setTimeout> | undefined
          const exit = await Promise.race([
            new Promise<Exit.Exit<unknown, unknown>>((resolve) => fiber.addObserver(resolve)),
            new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), 5_000)))
          ])
          clearTimeout(timer)
          if (exit === undefined) fiber.unsafeInterruptAsFork(FiberId.none)
          ended.push(
            exit === undefined ? `example ${i} did not end` : Exit.isFailure(exit) ? `example ${i} failed` : "ended"
          )
        }
      }
      assert.isAtLeast(ended.length, 11)
      assert.deepStrictEqual(ended.filter((line) => line !== "ended"), [])
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
