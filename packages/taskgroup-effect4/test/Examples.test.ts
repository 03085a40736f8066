/**
 * Every `@example` in the public module type-checks against Effect 4, under
 * strict settings, as docgen checks the Effect 3 edition's, and every
 * program an example defines runs to its end: an example a user copies must
 * neither fail nor hang. Each example is written to a file of its own beside
 * this package's node_modules, so that it resolves `effect` 4 as a user's
 * code would.
 */
import { assert, describe, it } from "@effect/vitest"
import { Examples } from "@volley/taskgroup-scenarios"
import { Effect, Exit } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import ts from "typescript"

const packageDir = path.join(import.meta.dirname, "..")
const examples = Examples.examplesOf(fs.readFileSync(path.join(packageDir, "src", "TaskGroup.ts"), "utf8"))

/** Writes each example to a file of its own in a fresh folder of this package, and removes the folder after `use`. */
const withFiles = async <A>(
  folder: string,
  contents: (example: string) => string,
  use: (files: ReadonlyArray<string>) => Promise<A> | A
): Promise<A> => {
  const dir = path.join(packageDir, folder)
  fs.rmSync(dir, { recursive: true, force: true })
  fs.mkdirSync(dir)
  try {
    return await use(examples.map((example, i) => {
      const file = path.join(dir, `example-${i}.ts`)
      fs.writeFileSync(file, contents(example))
      return file
    }))
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

describe("examples", () => {
  it(
    "every export's example compiles",
    { timeout: 120_000 },
    () =>
      withFiles(".docs-check-examples", (example) => `${example}\nexport {}\n`, (files) => {
        assert.isAtLeast(examples.length, 11)
        const program = ts.createProgram([...files], {
          noEmit: true,
          strict: true,
          exactOptionalPropertyTypes: true,
          noUnusedLocals: false,
          skipLibCheck: true,
          module: ts.ModuleKind.ESNext,
          moduleResolution: ts.ModuleResolutionKind.Bundler,
          target: ts.ScriptTarget.ES2022,
          lib: ["lib.es2022.d.ts"],
          types: [],
          paths: { "@volley/taskgroup-effect4": [path.join(packageDir, "src", "index.ts")] }
        })
        const diagnostics = ts.getPreEmitDiagnostics(program).map((d) =>
          `${d.file ? path.basename(d.file.fileName) : ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`
        )
        assert.deepStrictEqual(diagnostics, [])
      })
  )

  it(
    "every program an example defines runs to its end",
    { timeout: 120_000 },
    () =>
      withFiles(".docs-check-runs", Examples.asModule, async (files) => {
        const programs: Array<{ readonly example: number; readonly start: () => Examples.Started }> = []
        for (const [i, file] of files.entries()) {
          const { examples: values } = (await import(file)) as { readonly examples: ReadonlyArray<unknown> }
          for (const value of values.filter(Effect.isEffect)) {
            programs.push({
              example: i,
              start: () => {
                const fiber = Effect.runFork(value as Effect.Effect<unknown, unknown>)
                return {
                  succeeded: new Promise((resolve) => fiber.addObserver((exit) => resolve(Exit.isSuccess(exit)))),
                  stop: () => fiber.interruptUnsafe()
                }
              }
            })
          }
        }
        const { problems, ran } = await Examples.runEach(programs, 5_000)
        assert.isAtLeast(ran, 11)
        assert.deepStrictEqual(problems, [])
      })
  )
})
