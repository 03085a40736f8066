/**
 * The package as a user gets it: built, packed, unpacked into a plain Node
 * ESM project, imported through its exports map.
 */
import { assert, describe, it } from "@effect/vitest"
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as os from "node:os"
import * as path from "node:path"

const packageDir = path.join(import.meta.dirname, "..")
const require = createRequire(import.meta.url)

describe("the published package", () => {
  it("imports from a packed tarball in a plain Node ESM project", { timeout: 120_000 }, () => {
    execFileSync("npx", ["tsc", "-b", "tsconfig.src.json"], { cwd: packageDir })
    const project = fs.mkdtempSync(path.join(os.tmpdir(), "volley-taskgroup-pack-"))
    try {
      const tarball = execFileSync("npm", ["pack", "--silent", "--pack-destination", project], { cwd: packageDir })
        .toString().trim().split("\n").at(-1)!
      const installed = path.join(project, "node_modules", "@volley", "taskgroup")
      fs.mkdirSync(installed, { recursive: true })
      execFileSync("tar", ["-xzf", path.join(project, tarball), "-C", installed, "--strip-components=1"])
      // the peer dependency, as the user's own install would provide it
      const effectDir = path.dirname(require.resolve("effect/package.json", { paths: [packageDir] }))
      fs.symlinkSync(effectDir, path.join(project, "node_modules", "effect"))
      fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ type: "module" }))
      fs.writeFileSync(
        path.join(project, "main.js"),
        [
          `import { Effect } from "effect"`,
          `import { TaskGroup } from "@volley/taskgroup"`,
          `import * as Direct from "@volley/taskgroup/TaskGroup"`,
          `const summary = await Effect.runPromise(`,
          `  TaskGroup.forEach([1, 2, 3], (n) => Effect.succeed(n * 10), { concurrency: 2 })`,
          `)`,
          `console.log(JSON.stringify({ results: summary.results, same: Direct.make === TaskGroup.make }))`
        ].join("\n")
      )
      const output = execFileSync("node", ["main.js"], { cwd: project }).toString().trim()
      assert.deepStrictEqual(JSON.parse(output), { results: [10, 20, 30], same: true })
    } finally {
      fs.rmSync(project, { recursive: true, force: true })
    }
  })
})
