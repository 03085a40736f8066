/**
 * The guides' examples and the README's are code users copy: every `ts`
 * block in docs/ and the README must type-check as shown, with nothing
 * declared behind the reader's back. This package sees every other one, so
 * the check for all of docs/ lives here.
 */
import { assert, describe, it } from "@effect/vitest"
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as path from "node:path"

const packageDir = path.join(import.meta.dirname, "..")
// the compiler itself, not npx: npx adds warnings of its own when run under pnpm
const tscBin = createRequire(import.meta.url).resolve("typescript/bin/tsc")
const rootDir = path.join(packageDir, "..", "..")
const docsDir = path.join(rootDir, "docs")
const markdownFiles = [
  path.join(rootDir, "README.md"),
  ...fs.readdirSync(docsDir).filter((name) => name.endsWith(".md")).map((name) => path.join(docsDir, name))
]
const readme = fs.readFileSync(path.join(rootDir, "README.md"), "utf8")
const seedExample = path.join(rootDir, "packages", "cli", "examples", "seed.ts")

const codeBlocks = (markdown: string, language: string) =>
  [...markdown.matchAll(new RegExp("```" + language + "\\n([\\s\\S]*?)```", "g"))].map((match) => match[1])

/** Commands in code: fenced blocks and inline code spans. */
const codeSpans = (markdown: string) => [...markdown.matchAll(/```[\s\S]*?```|`[^`\n]+`/g)].map((match) => match[0])

/**
 * Type-checks each block as a module of its own, as it would be in a
 * reader's project, inside `packageDir` so that its node_modules resolve the
 * blocks' imports.
 */
const compiles = (
  packageDir: string,
  blocks: ReadonlyArray<{ readonly name: string; readonly code: string }>,
  paths: Record<string, Array<string>>,
  lib: Array<string>
) => {
  const dir = fs.mkdtempSync(path.join(packageDir, ".docs-check-"))
  try {
    for (const block of blocks) fs.writeFileSync(path.join(dir, `${block.name}.ts`), `${block.code}\nexport {}\n`)
    fs.writeFileSync(
      path.join(dir, "tsconfig.json"),
      JSON.stringify({
        extends: "../../../tsconfig.base.json",
        include: ["*.ts"],
        compilerOptions: { noEmit: true, composite: false, incremental: false, noUnusedLocals: false, lib, paths }
      })
    )
    const tsc = spawnSync(process.execPath, [tscBin, "-p", dir], { cwd: packageDir, encoding: "utf8" })
    assert.strictEqual(tsc.stdout + tsc.stderr, "")
    assert.strictEqual(tsc.status, 0)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

describe("the guides and the README", () => {
  it("have examples that compile as shown", { timeout: 120_000 }, () => {
    const blocks = markdownFiles.flatMap((file) =>
      codeBlocks(fs.readFileSync(file, "utf8"), "ts").map((code, i) => ({
        name: `${path.basename(file, ".md")}-${i}`,
        code
      }))
    )
    // The Effect 4 edition's examples compile against Effect 4, inside its own package.
    const onEffect4 = (code: string) => code.includes("\"@volley/taskgroup-effect4\"")
    const effect3 = blocks.filter((block) => !onEffect4(block.code))
    const effect4 = blocks.filter((block) => onEffect4(block.code))
    assert.isAtLeast(effect3.length, 25)
    assert.isAtLeast(effect4.length, 1)
    compiles(packageDir, effect3, {
      "@volley/riot": ["../src/index.ts"],
      "@volley/riot/*": ["../src/*.ts"],
      "@volley/taskgroup": ["../../taskgroup/src/index.ts"],
      "@volley/mock-server": ["../../mock-server/src/index.ts"],
      "@volley/cli": ["../../cli/src/index.ts"]
    }, ["ES2022"])
    // Effect 4's own types name DOM's CryptoKey, so its users compile with the DOM lib.
    compiles(path.join(rootDir, "packages", "taskgroup-effect4"), effect4, {
      "@volley/taskgroup-effect4": ["../src/index.ts"]
    }, ["ES2022", "DOM"])
  })

  it("show the seed example exactly as the file that `npx -y pnpm@10.34.8 seed` runs", () => {
    const seed = codeBlocks(readme, "ts").find((code) => code.includes("TaskGroup.forEach"))
    assert.strictEqual(seed, fs.readFileSync(seedExample, "utf8"))
    assert.include(readme, "npx -y pnpm@10.34.8 seed")
  })

  it("run pnpm only through npx, as a fresh machine has no pnpm", () => {
    for (const file of markdownFiles) {
      for (const code of codeSpans(fs.readFileSync(file, "utf8"))) {
        assert.notMatch(code, /(^|[\s`;&|(])pnpm\s/m, `${path.relative(rootDir, file)}: ${code}`)
      }
    }
  })
})
