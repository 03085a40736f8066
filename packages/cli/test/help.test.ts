/**
 * `volley --help` as a person or a script sees it: @effect/cli colours its
 * help unconditionally, and volley takes the colour out where it does not
 * belong.
 */
import { assert, beforeAll, describe, it } from "@effect/vitest"
import { execFile, execFileSync } from "node:child_process"
import { createRequire } from "node:module"
import * as path from "node:path"
import { promisify } from "node:util"
import { hasCommand } from "./support/processes.js"

const packageDir = path.join(import.meta.dirname, "..")
const tscBin = createRequire(import.meta.url).resolve("typescript/bin/tsc")
const bin = path.join(packageDir, "dist", "bin.js")
const execFileAsync = promisify(execFile)
const escape = "\x1b["

const hasScript = hasCommand("script")

const environment = (extra: NodeJS.ProcessEnv) => {
  const { NO_COLOR: _, ...env } = process.env
  return { ...env, ...extra }
}

/** `volley --help` on a pseudo-terminal (`script` from util-linux), as typed in a shell. */
const helpOnTerminal = async (extra: NodeJS.ProcessEnv) =>
  (await execFileAsync("script", ["-qec", `${process.execPath} ${bin} --help`, "/dev/null"], {
    env: environment(extra),
    encoding: "utf8"
  })).stdout

beforeAll(() => {
  // the compiler itself, not npx: under pnpm, npx warns about every npm_config_* variable pnpm set
  execFileSync(process.execPath, [tscBin, "-b", "tsconfig.src.json"], { cwd: packageDir, stdio: "inherit" })
}, 180_000)

describe("volley --help", () => {
  it("writes plain text into a pipe", { timeout: 30_000 }, async () => {
    const { stdout } = await execFileAsync(process.execPath, [bin, "--help"], {
      env: environment({}),
      encoding: "utf8"
    })
    assert.include(stdout, "matches")
    assert.notInclude(stdout, escape)
  })

  it.runIf(hasScript)("keeps its colours on a terminal", { timeout: 30_000 }, async () => {
    assert.include(await helpOnTerminal({}), escape)
  })

  it.runIf(hasScript)("honours NO_COLOR on a terminal", { timeout: 30_000 }, async () => {
    const help = await helpOnTerminal({ NO_COLOR: "1" })
    assert.include(help, "matches")
    assert.notInclude(help, escape)
  })
})
