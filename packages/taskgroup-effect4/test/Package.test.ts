/**
 * The package as an Effect 4 user gets it: packed from this tree (packing
 * builds it afresh), then installed with plain npm from the tarball into an
 * empty project beside `effect@4.1.0`, type-checked with strict `nodenext`
 * settings and no `skipLibCheck`, and run on the machine's Node (20) and
 * on the Node 22 this suite runs on: 20 fetches from a local server through
 * a group of concurrency 3 come back in creation order.
 */
import { assert, describe, it } from "@effect/vitest"
import { execFile } from "node:child_process"
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as os from "node:os"
import * as path from "node:path"
import { promisify } from "node:util"

const packageDir = path.join(import.meta.dirname, "..")
const tscBin = createRequire(import.meta.url).resolve("typescript/bin/tsc")
const execFileAsync = promisify(execFile)

// The test may run under pnpm, whose npm_config_* variables make a child npm warn about every unknown key.
const childEnv: NodeJS.ProcessEnv = {
  ...Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith("npm_config_"))
  ),
  // the machine's own Node and npm, not the Node 22 that this package's tests run on
  PATH: (process.env.PATH ?? "").split(path.delimiter).filter((dir) => !dir.includes("node_modules")).join(
    path.delimiter
  ),
  npm_config_update_notifier: "false",
  npm_config_fund: "false",
  npm_config_audit: "false"
}

const run = async (command: string, args: ReadonlyArray<string>, cwd: string) => {
  try {
    return await execFileAsync(command, args, { cwd, env: childEnv, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 })
  } catch (error) {
    const failed = error as { readonly code?: unknown; readonly stdout?: string; readonly stderr?: string }
    throw new Error(`${command} ${args.join(" ")} exited ${failed.code}\n${failed.stdout}\n${failed.stderr}`)
  }
}

const program = `import { TaskGroup } from "@volley/taskgroup-effect4"
import { Effect } from "effect"
import * as http from "node:http"
import type { AddressInfo } from "node:net"

let inFlight = 0
let peak = 0
// item i answers after (20 - i) * 3 ms, so that the items finish in reverse order
const server = http.createServer((request, response) => {
  const id = Number(request.url!.slice(1))
  inFlight++
  peak = Math.max(peak, inFlight)
  setTimeout(() => {
    inFlight--
    response.end(JSON.stringify({ id, name: \`item \${id}\` }))
  }, (20 - id) * 3)
})
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
const { port } = server.address() as AddressInfo

const fetchItem = (id: number) =>
  Effect.tryPromise(() => fetch(\`http://127.0.0.1:\${port}/\${id}\`).then((r) => r.json() as Promise<{ id: number }>))

const summary = await Effect.runPromise(
  TaskGroup.forEach(Array.from({ length: 20 }, (_, i) => i), fetchItem, { concurrency: 3 })
)
server.close()
console.log(JSON.stringify({ ids: summary.results.map((item) => item.id), failed: summary.failures.length, peak }))
`

describe("the packed package", () => {
  it(
    "installs with npm beside effect 4.1.0, type-checks strictly under nodenext, and runs",
    { timeout: 600_000 },
    async () => {
      const work = fs.mkdtempSync(path.join(os.tmpdir(), "volley-effect4-pack-"))
      try {
        const packed = await run("npm", ["pack", "--silent", "--pack-destination", work], packageDir)
        const tarball = path.join(work, packed.stdout.trim().split("\n").pop()!)
        const project = path.join(work, "project")
        fs.mkdirSync(project)
        fs.writeFileSync(
          path.join(project, "package.json"),
          JSON.stringify({ name: "effect4-user", version: "1.0.0", private: true, type: "module" }, null, 2)
        )
        const installed = await run(
          "npm",
          ["install", "--no-package-lock", "effect@4.1.0", "@types/node@22", tarball],
          project
        )
        assert.notMatch(installed.stdout + installed.stderr, /peer|ERESOLVE|EBADENGINE/i)
        const files = fs.readdirSync(path.join(project, "node_modules", "@volley", "taskgroup-effect4", "dist"))
        assert.include(files, "index.d.ts")

        fs.writeFileSync(path.join(project, "main.ts"), program)
        fs.writeFileSync(
          path.join(project, "tsconfig.json"),
          JSON.stringify({
            compilerOptions: {
              strict: true,
              module: "nodenext",
              moduleResolution: "nodenext",
              target: "es2022",
              // effect 4's own types name Web Crypto ones (CryptoKey, JsonWebKey): its templates include the DOM lib
              lib: ["es2022", "dom"],
              types: ["node"],
              skipLibCheck: false,
              outDir: "."
            },
            files: ["main.ts"]
          })
        )
        const compiled = await execFileAsync(process.execPath, [tscBin, "-p", project], { cwd: project }).then(
          ({ stderr, stdout }) => stdout + stderr,
          (error: { readonly stdout: string; readonly stderr: string }) => error.stdout + error.stderr
        )
        assert.strictEqual(compiled, "")

        const versions: Array<string> = []
        for (const node of ["node", process.execPath]) {
          const version = await run(node, ["--version"], project)
          versions.push(version.stdout.trim())
          const ran = await run(node, ["main.js"], project)
          const result = JSON.parse(ran.stdout) as { ids: Array<number>; failed: number; peak: number }
          assert.deepStrictEqual(result.ids, Array.from({ length: 20 }, (_, i) => i))
          assert.strictEqual(result.failed, 0)
          // three at a time, never more
          assert.strictEqual(result.peak, 3)
        }
        assert.match(versions.join(" "), /^v20\.\d+\.\d+ v22\.\d+\.\d+$/)
      } finally {
        fs.rmSync(work, { recursive: true, force: true })
      }
    }
  )
})
