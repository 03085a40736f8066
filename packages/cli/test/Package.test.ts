/**
 * The packages as a library user gets them: packed by pnpm from a clean copy
 * of the repository (no dist/, so packing must build), packed again after
 * dist/ was replaced by a stale one (so packing must build afresh, whatever
 * the build info says), then installed with plain npm from the tarballs into
 * an empty project, the third-party dependencies coming from the npm registry.
 */
import { assert, describe, it } from "@effect/vitest"
import { execFile } from "node:child_process"
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as os from "node:os"
import * as path from "node:path"
import { promisify } from "node:util"

const rootDir = path.join(import.meta.dirname, "..", "..", "..")
const published = ["taskgroup", "riot", "mock-server", "cli"]
const tscBin = createRequire(import.meta.url).resolve("typescript/bin/tsc")

// The test runs under pnpm, whose npm_config_* variables make a child npm print a warning per unknown key.
const childEnv: NodeJS.ProcessEnv = {
  ...Object.fromEntries(
    Object.entries(process.env).filter(([name]) =>
      !name.toLowerCase().startsWith("npm_config_") && !name.startsWith("RIOT_") && !name.startsWith("VOLLEY_")
    )
  ),
  npm_config_update_notifier: "false",
  npm_config_fund: "false",
  npm_config_audit: "false"
}

// Asynchronous, so that minutes of npm and tsc do not block the test worker's event loop.
const execFileAsync = promisify(execFile)

const run = async (command: string, args: ReadonlyArray<string>, cwd: string) => {
  try {
    return await execFileAsync(command, args, { cwd, env: childEnv, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 })
  } catch (error) {
    const failed = error as { readonly code?: unknown; readonly stdout?: string; readonly stderr?: string }
    throw new Error(`${command} ${args.join(" ")} exited ${failed.code}\n${failed.stdout}\n${failed.stderr}`)
  }
}

/** The compiler's diagnostics for a project, empty when it type-checks. */
const typeErrors = (project: string) =>
  execFileAsync(process.execPath, [tscBin, "-p", project], { cwd: project, encoding: "utf8" }).then(
    ({ stderr, stdout }) => stdout + stderr,
    (error: { readonly stdout: string; readonly stderr: string }) => error.stdout + error.stderr
  )

/** What a fresh clone has: the repository without installed, built or generated files. */
const cleanCopy = (target: string) => {
  const skipped = new Set(["node_modules", "dist", ".tsbuildinfo", ".git", "coverage", ".bench-out"])
  fs.cpSync(rootDir, target, {
    recursive: true,
    filter: (source) => {
      const relative = path.relative(rootDir, source)
      const name = path.basename(source)
      return !skipped.has(name) && !name.startsWith(".docs-check-") && !/^packages\/[^/]+\/docs$/.test(relative)
    }
  })
}

const exists = (project: string, name: string) => fs.existsSync(path.join(project, "node_modules", name))

// Uses only @volley/taskgroup and @volley/riot on @effect/platform's fetch client: what a library user writes.
const libraryUse = `import { FetchHttpClient } from "@effect/platform"
import { RiotClient, RiotRateLimiter } from "@volley/riot"
import { TaskGroup } from "@volley/taskgroup"
import { ConfigError, ConfigProvider, Effect, Layer, Redacted } from "effect"

export const fetchRecentMatches = (baseUrl: string, apiKey: string, puuid: string) =>
  Effect.gen(function*() {
    const riot = yield* RiotClient.RiotClient
    const ids = yield* riot.getLolMatchV5MatchIdsByPuuid({ region: "americas", puuid, count: 5 })
    const { failures, results } = yield* TaskGroup.forEach(ids, (id) => riot.getLolMatchV5Match({ region: "americas", id }))
    return { matches: results.length, failed: failures.length }
  }).pipe(
    Effect.provide(
      RiotClient.layerWith({ apiKey: Redacted.make(apiKey), baseUrl }).pipe(
        Layer.provide([FetchHttpClient.layer, RiotRateLimiter.layer])
      )
    )
  )

// Without a key the configured layer must fail at once: this runs with no network at all.
export const withoutKey: Effect.Effect<string> = RiotClient.getLolMatchV5Match({ region: "americas", id: "NA1_1" }).pipe(
  Effect.provide(RiotClient.layer.pipe(Layer.provide(FetchHttpClient.layer))),
  Effect.withConfigProvider(ConfigProvider.fromMap(new Map())),
  Effect.match({
    onFailure: (error) => ConfigError.isConfigError(error) ? String(error) : \`unexpected \${error._tag}\`,
    onSuccess: () => "unexpected success"
  })
)

if (process.argv[2] === "offline") console.log(await Effect.runPromise(withoutKey))
`

const withMock = `import { MockServer } from "@volley/mock-server"
import { Effect, Redacted } from "effect"
import { fetchRecentMatches } from "./library.js"

const program = Effect.gen(function*() {
  const mock = yield* MockServer.make()
  return yield* fetchRecentMatches(mock.baseUrl, Redacted.value(mock.apiKey), mock.accounts[0].puuid)
})
console.log(JSON.stringify(await Effect.runPromise(Effect.scoped(program))))
`

const strictNodeNext = (files: ReadonlyArray<string>) => ({
  compilerOptions: {
    strict: true,
    module: "nodenext",
    moduleResolution: "nodenext",
    target: "es2022",
    // @effect/platform's own types name DOM ones (Storage, Transferable), so Effect's templates include the DOM lib.
    lib: ["es2022", "dom", "dom.iterable"],
    types: ["node"],
    skipLibCheck: false,
    outDir: "."
  },
  files
})

// Older projects resolve packages by main/types and typesVersions, not by exports.
const legacyNode10 = (files: ReadonlyArray<string>) => ({
  compilerOptions: {
    ...strictNodeNext(files).compilerOptions,
    module: "es2022",
    moduleResolution: "node10",
    noEmit: true
  },
  files
})

describe("the published packages", () => {
  // Each pack builds its package and what it references afresh: minutes on a busy machine.
  it("pack from a clean tree and install with npm into an empty project", { timeout: 900_000 }, async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "volley-pack-"))
    try {
      const tree = path.join(work, "tree")
      const tarballs = path.join(work, "tarballs")
      const project = path.join(work, "project")
      fs.mkdirSync(tarballs)
      fs.mkdirSync(project)
      cleanCopy(tree)
      await run("npx", ["-y", "pnpm@10.34.8", "install", "--frozen-lockfile", "--prefer-offline"], tree)

      const pack = async (name: string) => {
        const packed = await run(
          "npx",
          ["-y", "pnpm@10.34.8", "pack", "--pack-destination", tarballs],
          path.join(tree, "packages", name)
        )
        const tarball = packed.stdout.trim().split("\n").at(-1)!
        return { tarball, listing: (await run("tar", ["-tzf", tarball], work)).stdout.split("\n") }
      }
      const tarballOf: Record<string, string> = {}
      for (const name of published) {
        const first = await pack(name)
        assert.include(first.listing, "package/dist/index.js", `${name} is packed with its build`)
        assert.include(first.listing, "package/dist/index.d.ts", `${name} is packed with its types`)
        // the build info lives in dist/, so that a deleted dist/ is rebuilt, but it is no part of the package
        assert.notOk(first.listing.some((file) => file.endsWith(".tsbuildinfo")), `${name} ships no build info`)
        // Packed again from the tree the first pack left, its dist/ replaced by what a deleted source
        // leaves: the build info says everything is up to date, and the pack must build afresh anyway.
        const dist = path.join(tree, "packages", name, "dist")
        fs.rmSync(dist, { recursive: true })
        fs.mkdirSync(dist)
        fs.writeFileSync(path.join(dist, "Removed.js"), "export const removed = true\n")
        const again = await pack(name)
        assert.sameMembers(again.listing, first.listing, `${name} packed twice ships the same files`)
        tarballOf[name] = again.tarball
        const manifest = JSON.parse((await run("tar", ["-xzOf", tarballOf[name], "package/package.json"], work)).stdout)
        assert.notInclude(JSON.stringify(manifest), "workspace:", `${name} must not publish workspace ranges`)
        assert.deepStrictEqual(manifest.engines, { node: ">=20.19" })
        assert.strictEqual(manifest.types, "./dist/index.d.ts")
        for (const subpath of Object.keys(manifest.exports)) {
          assert.notMatch(subpath, /\*|internal|bin/, `${name} exports only public modules`)
        }
      }

      fs.writeFileSync(
        path.join(project, "package.json"),
        JSON.stringify({ name: "user", private: true, type: "module" })
      )
      await run("npm", ["install", tarballOf.taskgroup, tarballOf.riot, "@types/node@20"], project)
      assert.isTrue(exists(project, "@effect/platform"), "npm installs the peer @effect/platform")
      assert.isFalse(exists(project, "@effect/platform-node"), "@volley/riot installs without @effect/platform-node")
      assert.isFalse(exists(project, "ioredis"), "@volley/riot installs without ioredis")

      fs.writeFileSync(path.join(project, "library.ts"), libraryUse)
      fs.writeFileSync(path.join(project, "tsconfig.json"), JSON.stringify(strictNodeNext(["library.ts"])))
      assert.strictEqual(await typeErrors(project), "", "strict nodenext type-check without skipLibCheck")
      fs.writeFileSync(path.join(project, "tsconfig.json"), JSON.stringify(legacyNode10(["library.ts"])))
      assert.strictEqual(await typeErrors(project), "", "the packages are found with moduleResolution node10")
      fs.writeFileSync(path.join(project, "tsconfig.json"), JSON.stringify(strictNodeNext(["library.ts"])))
      assert.strictEqual(
        (await run("node", ["library.js", "offline"], project)).stdout.trim(),
        "(Missing data at RIOT_API_KEY: \"the Riot API needs a key: set RIOT_API_KEY " +
          "(development keys come from https://developer.riotgames.com)\")"
      )
      const internal = await run(
        "node",
        [
          "--input-type=module",
          "-e",
          "await import(\"@volley/riot/internal/client/client\").catch((e) => console.log(e.code))"
        ],
        project
      )
      assert.strictEqual(internal.stdout.trim(), "ERR_PACKAGE_PATH_NOT_EXPORTED")

      // @effect/platform-node's types import ws, whose types a user checking libraries (no skipLibCheck) adds.
      await run("npm", ["install", tarballOf["mock-server"], tarballOf.cli, "@types/ws"], project)
      fs.copyFileSync(path.join(rootDir, "packages", "cli", "examples", "seed.ts"), path.join(project, "seed.ts"))
      fs.writeFileSync(path.join(project, "withMock.ts"), withMock)
      fs.writeFileSync(
        path.join(project, "tsconfig.json"),
        JSON.stringify(strictNodeNext(["library.ts", "withMock.ts", "seed.ts"]))
      )
      assert.strictEqual(await typeErrors(project), "", "the seed example type-checks as a user's file")
      assert.deepStrictEqual(JSON.parse((await run("node", ["withMock.js"], project)).stdout), {
        matches: 5,
        failed: 0
      })
      assert.match((await run("node", ["seed.js"], project)).stdout, /^level \d+: 20 matches, 0 failed$/m)

      const matches = await run("npx", ["volley", "matches", "200#16384"], project)
      assert.strictEqual(JSON.parse(matches.stdout).matches.length, 20)
      assert.notMatch(matches.stderr, /npm (warn|notice)/)
      const help = (await run("npx", ["mock-server", "--help"], project)).stdout
      assert.include(help, "--app-limit")
      assert.notInclude(help, "\x1b[")
    } finally {
      fs.rmSync(work, { recursive: true, force: true })
    }
  })
})
