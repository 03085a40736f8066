/**
 * The packages as a user gets them: built, packed by pnpm (which turns
 * `workspace:` ranges into versions), unpacked into a plain Node ESM project
 * and used only through their exports maps and bin.
 */
import { assert, describe, it } from "@effect/vitest"
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as os from "node:os"
import * as path from "node:path"

const packagesDir = path.join(import.meta.dirname, "..", "..")
const cliDir = path.join(packagesDir, "cli")
const published = ["taskgroup", "riot", "cli"]
// what a user's own install would put beside them
const thirdParty = [
  "effect",
  "@effect/cli",
  "@effect/platform",
  "@effect/platform-node",
  "@effect/printer",
  "@effect/printer-ansi"
]

const run = (command: string, args: ReadonlyArray<string>, cwd: string) =>
  execFileSync(command, args, { cwd, encoding: "utf8" }).trim()

describe("the published packages", () => {
  it("import from packed tarballs in a plain Node ESM project, and the bin runs", { timeout: 180_000 }, () => {
    run("npx", ["tsc", "-b", ...published.map((name) => `../${name}/tsconfig.src.json`)], cliDir)
    const project = fs.mkdtempSync(path.join(os.tmpdir(), "volley-pack-"))
    try {
      for (const name of published) {
        const tarball = run(
          "npx",
          ["-y", "pnpm@10.34.8", "pack", "--pack-destination", project],
          path.join(packagesDir, name)
        )
          .split("\n").at(-1)!
        const manifest = JSON.parse(run("tar", ["-xzOf", tarball, "package/package.json"], project))
        assert.notInclude(JSON.stringify(manifest), "workspace:", `${name} must not publish workspace ranges`)
        const target = path.join(project, "node_modules", "@volley", name)
        fs.mkdirSync(target, { recursive: true })
        run("tar", ["-xzf", tarball, "-C", target, "--strip-components=1"], project)
      }
      const require = createRequire(path.join(cliDir, "package.json"))
      for (const name of thirdParty) {
        const link = path.join(project, "node_modules", name)
        fs.mkdirSync(path.dirname(link), { recursive: true })
        fs.symlinkSync(path.dirname(require.resolve(`${name}/package.json`)), link)
      }
      fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ type: "module" }))
      fs.writeFileSync(
        path.join(project, "main.js"),
        `import { Effect, Layer } from "effect"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { TaskGroup } from "@volley/taskgroup"
import { MockServer, RiotClient, RiotRateLimiter, Routing } from "@volley/riot"
import * as RiotSchema from "@volley/riot/RiotSchema"
import { Cli } from "@volley/cli"

const fetchTwo = (puuid) => Effect.gen(function*() {
  const riot = yield* RiotClient.RiotClient
  const ids = yield* riot.getLolMatchV5MatchIdsByPuuid({ region: "americas", puuid, count: 2 })
  return yield* TaskGroup.forEach(ids, (id) => riot.getLolMatchV5Match({ region: "americas", id }))
})

const program = Effect.scoped(Effect.gen(function*() {
  const mock = yield* MockServer.make()
  const { results } = yield* fetchTwo(mock.accounts[0].puuid).pipe(
    Effect.provide(RiotClient.layerWith({ apiKey: mock.apiKey, baseUrl: mock.baseUrl }).pipe(
      Layer.provide([NodeHttpClient.layerUndici, RiotRateLimiter.layer])
    ))
  )
  return {
    matches: results.length,
    region: Routing.regionOf("euw1"),
    schema: typeof RiotSchema.LolMatchV5Match,
    exitCodes: Cli.ExitCode
  }
}))
console.log(JSON.stringify(await Effect.runPromise(program)))
`
      )
      assert.deepStrictEqual(JSON.parse(run("node", ["main.js"], project)), {
        matches: 2,
        region: "europe",
        schema: "function",
        exitCodes: { success: 0, failure: 1, usage: 2, interrupted: 130, closedPipe: 141 }
      })
      assert.include(run("node", ["node_modules/@volley/cli/dist/bin.js", "--help"], project), "matches")
    } finally {
      fs.rmSync(project, { recursive: true, force: true })
    }
  })
})
