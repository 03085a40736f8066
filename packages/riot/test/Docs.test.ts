/**
 * The guides' examples and the README's are code users copy: every `ts`
 * block in docs/ and the README must type-check against the current API.
 * This package sees every other one, so the check for all of docs/ lives here.
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
const guides = ["concurrent-requests.md", "taskgroup.md", "riot-client.md", "rate-limiting.md", "scaling.md"].map((
  name
) => path.join(rootDir, "docs", name))
const readme = path.join(rootDir, "README.md")

const codeBlocks = (markdown: string) => [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1])

const isModule = (code: string) => /^import /m.test(code)

// The README continues its seed example with a snippet that has no imports of
// its own: it runs inside the seed's generator, with the seed's names in scope.
const inSeedContext = (snippet: string) =>
  `import { type RiotError as RiotErrors, type RiotSchema, type Routing, RiotClient } from "@volley/riot"
import { TaskGroup } from "@volley/taskgroup"
import { Effect } from "effect"

type Match = RiotSchema.LolMatchV5Match
type RiotError = RiotErrors.RiotError
declare const riot: RiotClient.RiotClient
declare const matchIds: ReadonlyArray<string>
declare const region: Routing.Region

export const snippet = Effect.gen(function*() {
${snippet}
})
`

describe("the guides and the README", () => {
  it("have examples that compile", { timeout: 120_000 }, () => {
    // inside the package, so that its node_modules resolve the examples' imports
    const dir = fs.mkdtempSync(path.join(packageDir, ".docs-check-"))
    try {
      const write = (name: string, code: string) => {
        const file = path.join(dir, `${name}.ts`)
        fs.writeFileSync(file, `${code}\nexport {}\n`)
        return file
      }
      const guideFiles = guides.flatMap((guide) =>
        codeBlocks(fs.readFileSync(guide, "utf8")).map((code, i) => write(`${path.basename(guide, ".md")}-${i}`, code))
      )
      assert.isAtLeast(guideFiles.length, 20)

      const readmeBlocks = codeBlocks(fs.readFileSync(readme, "utf8"))
      const seed = readmeBlocks.find(isModule)
      assert.isDefined(seed, "the README has a seed example")
      assert.include(seed, "@volley/riot")
      assert.include(seed, "@volley/taskgroup")
      readmeBlocks.forEach((code, i) => write(`README-${i}`, isModule(code) ? code : inSeedContext(code)))

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
            paths: {
              "@volley/riot": ["../src/index.ts"],
              "@volley/riot/*": ["../src/*.ts"],
              "@volley/taskgroup": ["../../taskgroup/src/index.ts"]
            }
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
