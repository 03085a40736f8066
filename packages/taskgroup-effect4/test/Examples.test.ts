/**
 * Every `@example` in the public module type-checks against Effect 4, under
 * strict settings, as docgen checks the Effect 3 edition's. Each example is
 * written to a file of its own beside this package's node_modules, so that
 * it resolves `effect` 4 as a user's code would.
 */
import { assert, describe, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as path from "node:path"
import ts from "typescript"

const packageDir = path.join(import.meta.dirname, "..")
const source = fs.readFileSync(path.join(packageDir, "src", "TaskGroup.ts"), "utf8")
const examples = [...source.matchAll(/@example\n \* ```ts\n([\s\S]*?) \* ```/g)].map((match) =>
  match[1].split("\n").map((line) => line.replace(/^ \* ?/, "")).join("\n")
)

describe("examples", () => {
  it("every export's example compiles", { timeout: 120_000 }, () => {
    assert.isAtLeast(examples.length, 11)
    const dir = path.join(packageDir, ".docs-check-examples")
    fs.rmSync(dir, { recursive: true, force: true })
    fs.mkdirSync(dir)
    try {
      const files = examples.map((example, i) => {
        const file = path.join(dir, `example-${i}.ts`)
        fs.writeFileSync(file, `${example}\nexport {}\n`)
        return file
      })
      const program = ts.createProgram(files, {
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
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
