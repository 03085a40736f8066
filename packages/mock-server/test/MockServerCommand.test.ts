/**
 * The `mock-server` executable, built, in its own process: the one command
 * that runs the mock, also reachable as `volley mock-server`.
 */
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import { type ChildProcess, execFileSync, spawn } from "node:child_process"
import { createRequire } from "node:module"
import * as path from "node:path"

const packageDir = path.join(import.meta.dirname, "..")
const tscBin = createRequire(import.meta.url).resolve("typescript/bin/tsc")
const bin = path.join(packageDir, "bin", "mock-server.js")

interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

const start = (args: ReadonlyArray<string>, env: NodeJS.ProcessEnv = {}) =>
  spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] })

const finished = (child: ChildProcess): Promise<Run> => {
  let stdout = ""
  let stderr = ""
  child.stdout!.on("data", (chunk) => (stdout += chunk))
  child.stderr!.on("data", (chunk) => (stderr += chunk))
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })))
}

const mockServer = (args: ReadonlyArray<string>) => finished(start(args))

beforeAll(() => {
  // the compiler itself, not npx: under pnpm, npx warns about every npm_config_* variable pnpm set
  execFileSync(process.execPath, [tscBin, "-b", "tsconfig.src.json"], { cwd: packageDir, stdio: "inherit" })
}, 180_000)

describe("mock-server", () => {
  it("prints its flags for --help, as plain text into a pipe, and exits 0", { timeout: 30_000 }, async () => {
    const run = await mockServer(["--help"])
    assert.strictEqual(run.code, 0, run.stderr)
    for (const flag of ["--port", "--seed", "--app-limit", "--fault-rate"]) assert.include(run.stdout, flag)
    assert.notInclude(run.stdout, "\x1b[")
  })

  it("rejects a bad flag value with one hint and exit code 2", { timeout: 30_000 }, async () => {
    const run = await mockServer(["--app-limit", "20/1"])
    assert.strictEqual(run.code, 2)
    assert.include(run.stderr, `--app-limit: Invalid rate limit windows "20/1"`)
    assert.include(run.stderr, "mock-server: see 'mock-server --help' for usage")
    assert.notInclude(run.stderr, "\x1b[")
  })

  const echoes: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
    [["--app-limit", "20/1\n2"], `mock-server: --app-limit: Invalid rate limit windows "20/1\\x0a2"`],
    [["--port", "1\r\n2"], `mock-server: '1\\x0d\\x0a2' is not a integer`],
    [["--seed", "\u2028"], `mock-server: '\\u2028' is not a integer`],
    [["--fault-rate", "\u001b[2J"], `mock-server: '\\x1b[2J' is not a float`],
    [["--x\ny"], `mock-server: Received unknown argument: '--x\\x0ay'`]
  ]

  for (const [args, error] of echoes) {
    it.concurrent(`rejects ${JSON.stringify(args)} in one line, the input escaped, and the hint`, {
      timeout: 30_000
    }, async () => {
      const run = await mockServer(args)
      assert.strictEqual(run.code, 2, run.stderr)
      const [line, hint, ...rest] = run.stderr.split("\n")
      assert.include(line, error, run.stderr)
      // eslint-disable-next-line no-control-regex -- matching control characters is the point
      assert.notMatch(line, /[\r\u001b\u2028]/)
      assert.strictEqual(hint, "mock-server: see 'mock-server --help' for usage")
      assert.deepStrictEqual(rest, [""], "nothing after the hint's line break")
    })
  }

  describe("serving", () => {
    let server: ChildProcess
    let exit: Promise<Run>
    let url: string

    beforeAll(async () => {
      server = start(["--port", "0", "--app-limit", "off"])
      exit = finished(server)
      url = await new Promise<string>((resolve, reject) => {
        let stderr = ""
        server.stderr!.on("data", (chunk) => {
          stderr += chunk
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)
          if (match !== null) resolve(match[1])
        })
        server.on("close", () => reject(new Error(`mock-server exited early:\n${stderr}`)))
      })
    }, 30_000)

    afterAll(async () => {
      server.kill("SIGINT")
      assert.strictEqual((await exit).code, 130)
    })

    it("serves the seed player with the key it prints", { timeout: 30_000 }, async () => {
      const response = await fetch(`${url}/americas/riot/account/v1/accounts/by-riot-id/200/16384`, {
        headers: { "X-Riot-Token": "RGAPI-00000000-0000-0000-0000-000000000000" }
      })
      assert.strictEqual(response.status, 200)
      assert.include(await response.json(), { gameName: "200", tagLine: "16384" })
    })
  })
})
