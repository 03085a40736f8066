/**
 * The guides' examples are code users copy: every `ts` block in them must
 * type-check against the current API.
 */
import { assert, describe, it } from "@effect/vitest"
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as path from "node:path"

const packageDir = path.join(import.meta.dirname, "..")
// the compiler itself, not npx: npx adds warnings of its own when run under pnpm
const tscBin = createRequire(import.meta.url).resolve("typescript/bin/tsc")
const guides = ["concurrent-requests.md", "taskgroup.md"].map((name) => path.join(packageDir, "..", "..", "docs", name))

const codeBlocks = (markdown: string) => [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1])

describe("the guides", () => {
  it("have examples that compile", { timeout: 120_000 }, () => {
    // inside the package, so that its node_modules resolve the examples' imports
    const dir = fs.mkdtempSync(path.join(packageDir, ".docs-check-"))
    try {
      const files = guides.flatMap((guide) =>
        codeBlocks(fs.readFileSync(guide, "utf8")).map((code, i) => {
          const file = path.join(dir, `${path.basename(guide, ".md")}-${i}.ts`)
          fs.writeFileSync(file, `${code}\nexport {}\n`)
          return file
        })
      )
      assert.isAtLeast(files.length, 10)
      fs.writeFileSync(
        path.join(dir, "tsconfig.json"),
        JSON.stringify({
          extends: "../../../tsconfig.base.json",
          include: ["*.ts"],
          compilerOptions: {
            noEmit: true,
            composite: false,
            incremental: false,
            noUnusedLocals: false,
            paths: { "@volley/taskgroup": ["../src/index.ts"] }
          }
        })
      )
      const tsc = spawnSync(process.execPath, [tscBin, "-p", dir], { cwd: packageDir, encoding: "utf8" })
      assert.strictEqual(tsc.stdout + tsc.stderr, "")
      assert.strictEqual(tsc.status, 0)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
