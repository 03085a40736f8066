/**
 * `volley` end to end: the built executable in its own process, against the
 * embedded mock (or a `volley mock-server` process for live mode).
 */
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import { MockServer } from "@volley/mock-server"
import { Effect, FastCheck } from "effect"
import { type ChildProcess, execFileSync, spawn } from "node:child_process"
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as net from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import { hasCommand, outputUntil } from "./support/processes.js"

const packageDir = path.join(import.meta.dirname, "..")
const tscBin = createRequire(import.meta.url).resolve("typescript/bin/tsc")
const bin = path.join(packageDir, "dist", "bin.js")

/** The environment of a user without a Riot key, so every run is in embedded mode unless a test says otherwise. */
const baseEnv = (): NodeJS.ProcessEnv =>
  Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith("RIOT_") && !name.startsWith("VOLLEY_"))
  )

interface Run {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

const start = (args: ReadonlyArray<string>, env: NodeJS.ProcessEnv = {}) =>
  spawn(process.execPath, [bin, ...args], { env: { ...baseEnv(), ...env }, stdio: ["ignore", "pipe", "pipe"] })

const finished = (child: ChildProcess): Promise<Run> => {
  let stdout = ""
  let stderr = ""
  child.stdout!.on("data", (chunk) => (stdout += chunk))
  child.stderr!.on("data", (chunk) => (stderr += chunk))
  return new Promise((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })))
}

const volley = (args: ReadonlyArray<string>, env: NodeJS.ProcessEnv = {}) => finished(start(args, env))

const assertNoStackTrace = (stderr: string) => assert.notMatch(stderr, /^\s+at /m, `stack trace in:\n${stderr}`)

const hasRedis = hasCommand("redis-server")
const hasScript = hasCommand("script")

beforeAll(() => {
  // the compiler itself, not npx: under pnpm, npx warns about every npm_config_* variable pnpm set
  execFileSync(process.execPath, [tscBin, "-b", "tsconfig.src.json"], { cwd: packageDir, stdio: "inherit" })
}, 180_000)

describe("volley matches", () => {
  it("prints 20 matches for 200#16384 and exits 0", { timeout: 30_000 }, async () => {
    const run = await volley(["matches", "200#16384", "--format", "table"])
    assert.strictEqual(run.code, 0, run.stderr)
    const rows = run.stdout.split("\n").filter((line) => /^NA1_\d+ /.test(line))
    assert.strictEqual(rows.length, 20)
    for (const row of rows) assert.match(row, /\d+:\d\d\s+\S+\s+(\d+\/\d+\/\d+\s+(win|loss)|-\s+aborted)$/)
    assert.match(run.stdout, /^Fetched 20 of 20 matches, 0 failed in [\d.]+ s \(23 requests, [\d.]+ req\/s\)$/m)
    assert.match(
      run.stderr,
      /^volley: no RIOT_API_KEY; using the embedded Riot API mock at http:\/\/127\.0\.0\.1:\d+$/m
    )
    assert.include(run.stderr, "volley: 20/20 matches (100%)")
  })

  it("writes one JSON document with 20 matches when stdout is not a terminal", { timeout: 30_000 }, async () => {
    const run = await volley(["matches", "200#16384"])
    assert.strictEqual(run.code, 0, run.stderr)
    const document = JSON.parse(run.stdout)
    assert.strictEqual(document.player.gameName, "200")
    assert.strictEqual(document.matches.length, 20)
    assert.deepStrictEqual(document.failures, [])
    assert.strictEqual(document.totals.outcome, "complete")
    assert.strictEqual(document.totals.fetched, 20)
  })

  it("reports the aborted games in a player's matches as fetched, with their outcome, and exits 0", {
    timeout: 30_000
  }, async () => {
    // The mock's dataset gives 200#16384 aborted games (Riot's real EUW1_6834713231 body) among its first 50.
    const run = await volley(["matches", "200#16384", "--count", "50"])
    assert.strictEqual(run.code, 0, run.stderr)
    const document = JSON.parse(run.stdout)
    assert.strictEqual(document.totals.fetched, 50)
    assert.deepStrictEqual(document.failures, [])
    const aborted = document.matches.filter((match: { result: string }) => match.result === "aborted")
    assert.isAbove(aborted.length, 0)
    for (const match of aborted) assert.deepInclude(match, { endOfGameResult: "Abort_Unexpected", champion: null })
  })

  it("reports failed matches with their reason and exits 1", { timeout: 60_000 }, async () => {
    const run = await volley(["matches", "200#16384", "--format", "json"], { VOLLEY_MOCK_FAULT_RATE: "0.5" })
    const document = JSON.parse(run.stdout)
    assert.isAbove(document.failures.length, 0)
    for (const failure of document.failures) assert.match(failure.error, /match-v5\.getMatch on americas/)
    assert.strictEqual(document.matches.length + document.failures.length, 20)
    assert.strictEqual(run.code, 1)
    assert.include(run.stderr, `volley: ${document.failures.length} of 20 matches could not be fetched`)
    assertNoStackTrace(run.stderr)
  })

  const usageErrors: ReadonlyArray<readonly [string, ReadonlyArray<string>, string]> = [
    ["a Riot ID without #", ["matches", "Faker"], `Invalid Riot ID "Faker": expected gameName#tagLine`],
    ["an empty game name", ["matches", "#NA1"], `Invalid Riot ID "#NA1": the game name before "#" is empty`],
    ["an empty tag line", ["matches", "Faker#"], `Invalid Riot ID "Faker#": the tag line after "#" is empty`],
    [
      "an unknown region",
      ["matches", "200#16384", "--region", "mars"],
      "Expected one of the following cases: americas"
    ],
    ["an unknown platform", ["matches", "200#16384", "--platform", "xx1"], "Expected one of the following cases: br1"],
    ["--count 0", ["matches", "200#16384", "--count", "0"], "--count must be an integer from 1 to 100, got 0"],
    ["--count 101", ["matches", "200#16384", "--count", "101"], "--count must be an integer from 1 to 100, got 101"],
    [
      "--concurrency 0",
      ["matches", "200#16384", "--concurrency", "0"],
      "--concurrency must be an integer from 1 to 1000, got 0"
    ],
    ["a missing Riot ID", ["matches"], "Missing argument <gameName#tagLine>"],
    [
      "a --redis that is not a Redis URL",
      ["matches", "200#16384", "--redis", "localhost:6379"],
      `--redis must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379, got "localhost:6379"`
    ]
  ]

  for (const [name, args, message] of usageErrors) {
    it.concurrent(`rejects ${name} with exit code 2`, { timeout: 30_000 }, async () => {
      const run = await volley(args)
      assert.strictEqual(run.code, 2)
      assert.include(run.stderr, message)
      assert.include(run.stderr, "volley: see 'volley matches --help' for usage")
      assert.strictEqual(run.stdout, "")
      assertNoStackTrace(run.stderr)
    })
  }

  const environmentErrors: ReadonlyArray<readonly [Record<string, string>, string]> = [
    [{ RIOT_REQUEST_TIMEOUT: "0 seconds" }, `RIOT_REQUEST_TIMEOUT: expected a positive duration`],
    [{ RIOT_REQUEST_TIMEOUT: "-5 seconds" }, `got "-5 seconds"`],
    [{ RIOT_BASE_URL: "not-a-url" }, `RIOT_BASE_URL: expected an http(s) URL`],
    [{ RIOT_BASE_URL: "" }, `RIOT_BASE_URL: expected an http(s) URL`],
    [{ RIOT_BASE_URL: "ftp://127.0.0.1/{route}" }, `not a ftp URL`],
    [{ VOLLEY_MOCK_FAULT_RATE: "2" }, `VOLLEY_MOCK_FAULT_RATE: expected a rate from 0 to 1, got 2`],
    [{ VOLLEY_MOCK_LATENCY_MS: "-5" }, `VOLLEY_MOCK_LATENCY_MS: expected 0 or more, got -5`]
  ]

  for (const [env, message] of environmentErrors) {
    it.concurrent(`rejects ${JSON.stringify(env)} before sending anything, exit code 2`, {
      timeout: 30_000
    }, async () => {
      const run = await volley(["matches", "200#16384"], env)
      assert.strictEqual(run.code, 2, run.stderr)
      const lines = run.stderr.trim().split("\n")
      assert.lengthOf(lines, 2, run.stderr)
      assert.match(lines[0], /^volley: invalid environment: /)
      assert.include(lines[0], message)
      assert.strictEqual(lines[1], "volley: see 'volley matches --help' for usage")
      assert.notInclude(run.stderr, "embedded", "nothing was started")
      assert.strictEqual(run.stdout, "")
    })
  }

  it("shows a hostile Riot ID on stderr as escapes, never raw", { timeout: 30_000 }, async () => {
    for (const args of [["matches", "\u001b]0;pwned\u0007#NA1"], ["matches", "x\u001b]0;pwned\u0007\u202e\r\u009b"]]) {
      const run = await volley(args)
      assert.include([1, 2], run.code)
      assert.include(run.stderr, "\\x1b]0;pwned\\x07")
      // eslint-disable-next-line no-control-regex -- matching control characters is the point
      assert.notMatch(run.stderr, /[\u001b\u0007\r\u009b\u202e]/)
    }
  })

  describe("with a line break or control character in what it echoes", () => {
    /** What starts a new line on a terminal or in a log, besides the LF that ends each line. */
    // eslint-disable-next-line no-control-regex -- matching line breaks is the point
    const breaksALine = /[\r\u000b\u000c\u0085\u2028\u2029]/
    const notFound = "volley: account "
    const cases: ReadonlyArray<{
      readonly args: ReadonlyArray<string>
      readonly env?: Record<string, string>
      readonly code: 1 | 2
      readonly error: string
      readonly hint?: string
    }> = [
      { args: ["matches", "a\nb#c"], code: 1, error: `${notFound}a\\x0ab#c not found on americas` },
      { args: ["matches", "a#b\nc"], code: 1, error: `${notFound}a#b\\x0ac not found on americas` },
      // Spaces and line breaks around a part are dropped, as for a shell-quoted "Faker Fan # KR1".
      { args: ["matches", "ab\n#c"], code: 1, error: `${notFound}ab#c not found on americas` },
      { args: ["matches", "a\nb"], code: 2, error: `volley: Invalid Riot ID "a\\x0ab": expected gameName#tagLine` },
      { args: ["matches", "\r"], code: 2, error: `volley: Invalid Riot ID "\\x0d": expected gameName#tagLine` },
      { args: ["matches", "\u2028"], code: 2, error: `volley: Invalid Riot ID "\\u2028": expected gameName#tagLine` },
      { args: ["matches", "a\r\n#"], code: 2, error: `volley: Invalid Riot ID "a\\x0d\\x0a#": the tag line` },
      // U+0085 (NEL) is no space to String#trim: a game name, one that no account has.
      { args: ["matches", "\u0085#x"], code: 1, error: `${notFound}\\x85#x not found on americas` },
      { args: ["matches", "200#16384", "--platform", "x\ny"], code: 2, error: "volley: Expected one of the" },
      { args: ["matches", "200#16384", "--region", "x\ny"], code: 2, error: "volley: Expected one of the" },
      { args: ["matches", "200#16384", "--format", "x\r\ny"], code: 2, error: "volley: Expected one of the" },
      { args: ["matches", "200#16384", "--strategy", "\u2029"], code: 2, error: "volley: Expected one of the" },
      { args: ["matches", "200#16384", "--count", "1\n2"], code: 2, error: `volley: '1\\x0a2' is not a integer` },
      { args: ["matches", "200#16384", "--concurrency", "\u2028"], code: 2, error: `volley: '\\u2028' is not a` },
      { args: ["matches", "200#16384", "--max-connections", "x\ry"], code: 2, error: `volley: 'x\\x0dy' is not a` },
      { args: ["matches", "200#16384", "--redis", "a\u2028b"], code: 2, error: `got "a\\u2028b"` },
      { args: ["matches", "200#16384", "--on-redis-lost", "a\nb"], code: 2, error: `got "a\\nb"` },
      {
        args: ["matches", "200#16384", "--a\nb"],
        code: 2,
        error: `volley: Received unknown argument: '--a\\x0ab'`
      },
      {
        args: ["matches", "200#16384", "extra\narg"],
        code: 2,
        error: `volley: Received unknown argument: 'extra\\x0aarg'`
      },
      {
        args: ["mat\nches", "200#16384"],
        code: 2,
        error: "volley: Invalid subcommand for volley",
        hint: "volley: see 'volley --help' for usage"
      },
      {
        args: ["mock-server", "--port", "x\ny"],
        code: 2,
        error: `volley: 'x\\x0ay' is not a integer`,
        hint: "volley: see 'volley mock-server --help' for usage"
      },
      {
        args: ["mock-server", "--app-limit", "1:1\nx"],
        code: 2,
        error: `volley: --app-limit: Invalid rate limit windows "1:1\\x0ax"`,
        hint: "volley: see 'volley mock-server --help' for usage"
      },
      {
        args: ["matches", "200#16384"],
        env: { VOLLEY_ON_REDIS_LOST: "a\nb" },
        code: 2,
        error: `got "a\\nb"`
      },
      {
        args: ["matches", "200#16384"],
        env: { RIOT_BASE_URL: "x\u2028y" },
        code: 2,
        error: "volley: invalid environment: RIOT_BASE_URL: expected an http(s) URL"
      }
    ]

    for (const { args, env, code, error, hint } of cases) {
      it.concurrent(`writes one error line for ${JSON.stringify({ args, env })}, exit code ${code}`, {
        timeout: 30_000
      }, async () => {
        const run = await volley(args, env)
        const context = JSON.stringify(run)
        assert.strictEqual(run.code, code, context)
        assert.isTrue(run.stderr.endsWith("\n"), context)
        const lines = run.stderr.slice(0, -1).split("\n")
        for (const line of lines) {
          assert.match(line, /^volley: /, context)
          assert.notMatch(line, breaksALine, context)
        }
        // A usage error is its line and the hint; a runtime one follows the embedded-mode notice.
        assert.lengthOf(lines, 2, context)
        if (code === 2) {
          assert.include(lines[0], error, context)
          assert.strictEqual(lines[1], hint ?? "volley: see 'volley matches --help' for usage", context)
        } else {
          assert.match(lines[0], /^volley: no RIOT_API_KEY; using the embedded Riot API mock/, context)
          assert.include(lines[1], error, context)
        }
        assert.strictEqual(run.stdout, "", context)
      })
    }
  })

  it("ends quietly when the reader of stdout goes away (| head -1)", { timeout: 30_000 }, async () => {
    const child = start(["matches", "200#16384", "--format", "jsonl", "--concurrency", "1"], {
      VOLLEY_MOCK_LATENCY_MS: "20"
    })
    let stderr = ""
    child.stderr!.on("data", (chunk) => (stderr += chunk))
    // Like head -1: read the first line, then close the pipe.
    await new Promise<void>((resolve) => child.stdout!.once("data", () => resolve()))
    child.stdout!.destroy()
    const code = await new Promise((resolve) => child.on("close", (code) => resolve(code)))
    assert.strictEqual(code, 141)
    assert.notInclude(stderr, "EPIPE")
    assertNoStackTrace(stderr)
  })

  it("says RIOT_API_KEY is missing for --live without a key, exit code 2", { timeout: 30_000 }, async () => {
    const run = await volley(["matches", "200#16384", "--live"], { RIOT_API_KEY: "" })
    assert.strictEqual(run.code, 2)
    assert.strictEqual(
      run.stderr.trim(),
      "volley: --live needs a Riot API key: set RIOT_API_KEY (development keys come from https://developer.riotgames.com)\n" +
        "volley: see 'volley matches --help' for usage"
    )
    assert.strictEqual(run.stdout, "")
  })

  it("reports an unknown player in one line, exit code 1", { timeout: 30_000 }, async () => {
    const run = await volley(["matches", "Nobody#NA1"])
    assert.strictEqual(run.code, 1)
    const lines = run.stderr.trim().split("\n")
    assert.strictEqual(lines.length, 2) // the embedded-mock notice, then the error
    assert.match(lines[1], /^volley: account Nobody#NA1 not found on americas/)
    assert.strictEqual(run.stdout, "")
  })

  describe("against a `volley mock-server` process, as live mode", () => {
    let server: ChildProcess
    let serverExit: Promise<Run>
    let baseUrl: string

    beforeAll(async () => {
      server = start(["mock-server", "--port", "0"])
      serverExit = finished(server)
      const announced = /RIOT_BASE_URL='([^']+)'/
      baseUrl = announced.exec(await outputUntil(server.stderr!, (seen) => announced.test(seen)))![1]
    }, 30_000)

    afterAll(async () => {
      server.kill("SIGINT")
      const run = await serverExit
      assert.strictEqual(run.code, 130)
    })

    it("fetches with the key the mock accepts", { timeout: 30_000 }, async () => {
      const run = await volley(["matches", "200#16384", "--count", "3", "--format", "json"], {
        RIOT_API_KEY: "RGAPI-00000000-0000-0000-0000-000000000000",
        RIOT_BASE_URL: baseUrl
      })
      assert.strictEqual(run.code, 0, run.stderr)
      assert.strictEqual(JSON.parse(run.stdout).matches.length, 3)
      assert.notInclude(run.stderr, "embedded")
    })

    it("reports a refused key in one line, exit code 1, without the key", { timeout: 30_000 }, async () => {
      const run = await volley(["matches", "200#16384", "--live"], {
        RIOT_API_KEY: "RGAPI-not-a-real-key",
        RIOT_BASE_URL: baseUrl
      })
      assert.strictEqual(run.code, 1)
      assert.match(
        run.stderr.trim(),
        /^volley: Riot API key is invalid or expired \(403 from account-v1\.getByRiotId on americas\)/
      )
      assert.strictEqual(run.stderr.trim().split("\n").length, 1)
      assert.notInclude(run.stderr, "RGAPI-not-a-real-key")
      assert.strictEqual(run.stdout, "")
    })
  })

  describe("on SIGINT", () => {
    // Slow match fetches so that the run is still going when the signal comes.
    const slow = { VOLLEY_MOCK_LATENCY_MS: "500" }

    const interruptAfterMatches = async (args: ReadonlyArray<string>, matches: number, pattern: RegExp) => {
      const child = start(args, slow)
      const run = finished(child)
      await outputUntil(child.stdout!, (seen) => (seen.match(pattern) ?? []).length >= matches)
      const signalledAt = Date.now()
      child.kill("SIGINT")
      const result = await run
      return { ...result, exitMillis: Date.now() - signalledAt }
    }

    it("jsonl: keeps the lines already streamed, closes with outcome interrupted, exits 130 within 2 s", {
      timeout: 30_000
    }, async () => {
      const run = await interruptAfterMatches(
        ["matches", "200#16384", "--format", "jsonl", "--concurrency", "2"],
        2,
        /"type":"match"/g
      )
      assert.strictEqual(run.code, 130)
      assert.isBelow(run.exitMillis, 2000)
      const records = run.stdout.trim().split("\n").map((line) => JSON.parse(line))
      assert.strictEqual(records[0].type, "player")
      const totals = records.at(-1)
      assert.strictEqual(totals.type, "totals")
      assert.strictEqual(totals.outcome, "interrupted")
      const matches = records.filter((record) => record.type === "match")
      assert.isAtLeast(matches.length, 2)
      assert.isBelow(matches.length, 20)
      assert.strictEqual(totals.fetched, matches.length)
      assert.strictEqual(totals.notFetched, 20 - matches.length - totals.failed)
      assert.include(run.stderr, "volley: interrupted")
      assertNoStackTrace(run.stderr)
    })

    it("table: prints the matches fetched so far and says interrupted", { timeout: 30_000 }, async () => {
      const child = start(["matches", "200#16384", "--format", "table", "--concurrency", "2"], slow)
      const run = finished(child)
      // The table is written at the end, so wait for the progress on stderr instead.
      await outputUntil(child.stderr!, (seen) => seen.includes("volley: 5/20 matches"))
      child.kill("SIGINT")
      const result = await run
      assert.strictEqual(result.code, 130)
      const rows = result.stdout.split("\n").filter((line) => /^NA1_\d+ /.test(line))
      assert.isAtLeast(rows.length, 5)
      assert.match(result.stdout, new RegExp(`^Interrupted: fetched ${rows.length} of 20 matches`, "m"))
    })
  })

  describe("fuzzed arguments and environment", () => {
    const hostile = FastCheck.oneof(
      FastCheck.constantFrom("\u001b]0;pwned\u0007", "\u001b[2J", "a\rb", "a\nb", "\u007f", "\u009b31m", "\u202eevil"),
      FastCheck.string({ unit: "binary", maxLength: 12 })
    ).map((text) => text.replaceAll("\u0000", ""))
    const oneOf = (...values: ReadonlyArray<string | FastCheck.Arbitrary<string>>): FastCheck.Arbitrary<string> =>
      FastCheck.oneof(...values.map((value) => typeof value === "string" ? FastCheck.constant(value) : value))
    // Valid counts stay small: a run never waits for the 120 s window of the mock's limits.
    const flags = FastCheck.array(
      FastCheck.oneof<Array<FastCheck.Arbitrary<ReadonlyArray<string>>>>(
        FastCheck.tuple(FastCheck.constant("--count"), oneOf("1", "3", "0", "101", "-1", "abc", "1e3", hostile)),
        FastCheck.tuple(FastCheck.constant("--concurrency"), oneOf("1", "7", "0", "1001", hostile)),
        FastCheck.tuple(FastCheck.constant("--format"), oneOf("table", "json", "jsonl", "xml", hostile)),
        FastCheck.tuple(FastCheck.constant("--platform"), oneOf("na1", "euw1", "xx1", hostile)),
        FastCheck.tuple(FastCheck.constant("--region"), oneOf("americas", "europe", "mars", hostile)),
        FastCheck.tuple(FastCheck.constant("--strategy"), oneOf("collect", "interrupt", "both")),
        FastCheck.tuple(FastCheck.constant("--max-connections"), oneOf("1", "4", "0", "x")),
        FastCheck.tuple(FastCheck.constant("--on-redis-lost"), oneOf("wait", "fail", "share:2", "wait:0", hostile)),
        FastCheck.tuple(FastCheck.constant("--log-level"), oneOf("debug", "warning", "error")),
        FastCheck.tuple(FastCheck.constant("--redis"), oneOf("", "localhost:6379", "http://127.0.0.1:6379", hostile)),
        FastCheck.constant(["--live"] as const),
        hostile.map((text) => [`--${text}`])
      ),
      { maxLength: 4 }
    ).map((pairs) => pairs.flat())
    const riotIds = oneOf("200#16384", "Nobody#NA1", hostile, hostile.map((text) => `${text}#NA1`))
    const environment = FastCheck.record({
      RIOT_REQUEST_TIMEOUT: oneOf("0 seconds", "-5 seconds", "3 seconds", "abc", hostile),
      RIOT_BASE_URL: oneOf("", "not-a-url", "ftp://127.0.0.1/{route}", "http://127.0.0.1:9/{route}", hostile),
      RIOT_MAX_RETRIES: oneOf("0", "2", "-1", "x"),
      VOLLEY_MOCK_FAULT_RATE: oneOf("0", "0.3", "2", "-1", "NaN", hostile),
      VOLLEY_MOCK_LATENCY_MS: oneOf("0", "5", "-5", "abc"),
      VOLLEY_MOCK_SEED: oneOf("1", "7", "abc"),
      VOLLEY_MAX_CONNECTIONS: oneOf("2", "0", "abc"),
      VOLLEY_ON_REDIS_LOST: oneOf("fail", "junk", hostile)
    }, { requiredKeys: [] })

    /** Characters that must never reach stderr raw, whatever the input. */
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    const actsOnATerminal = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028-\u202e\u2066-\u2069]/

    it.live.prop(
      "exits 0, 1 or 2 with safe one-line errors and a whole report or none, whatever the input",
      [riotIds, flags, environment],
      ([riotId, args, env]) =>
        Effect.promise(() => volley(["matches", riotId, ...args], env)).pipe(
          Effect.map((run) => {
            const context = JSON.stringify({ args: ["matches", riotId, ...args], env, run })
            assert.include([0, 1, 2], run.code, context)
            // Logs asked for below the default level print failures with their causes' traces, on purpose.
            const logLevel = args.includes("--log-level") ? args[args.indexOf("--log-level") + 1] : "error"
            if (logLevel === "error") {
              assertNoStackTrace(run.stderr)
              // One line per message, whatever line breaks the input held.
              for (const line of run.stderr.trimEnd().split("\n")) {
                if (line !== "") assert.match(line, /^volley: /, context)
              }
            }
            assert.notMatch(run.stderr, actsOnATerminal, context)
            if (run.code === 2) {
              assert.strictEqual(run.stdout, "", context)
              assert.strictEqual(
                run.stderr.trim().split("\n").at(-1),
                "volley: see 'volley matches --help' for usage",
                context
              )
            }
            if (run.stdout !== "") {
              const format = args.includes("--format") ? args[args.indexOf("--format") + 1] : "json"
              if (format === "table") {
                assert.match(
                  run.stdout,
                  /^(Fetched|Stopped at the first failure: fetched) \d+ of \d+ matches/m,
                  context
                )
              } else {
                const last = run.stdout.trim().split("\n").map((line) => format === "jsonl" ? JSON.parse(line) : line)
                if (format === "jsonl") assert.strictEqual(last.at(-1).type, "totals", context)
                else assert.isObject(JSON.parse(run.stdout).totals, context)
              }
            }
          })
        ),
      { timeout: 240_000, fastCheck: { numRuns: 40 } }
    )
  })

  describe.skipIf(!hasRedis)("when Redis restarts mid-run", () => {
    /** A redis-server on `port`, ready when this resolves. */
    const startRedis = (port: number) =>
      new Promise<ChildProcess>((resolve, reject) => {
        const server = spawn("redis-server", [
          "--port",
          String(port),
          "--bind",
          "127.0.0.1",
          "--save",
          "",
          "--appendonly",
          "no"
        ])
        let output = ""
        server.stdout!.on("data", (chunk) => {
          output += chunk
          if (output.includes("Ready to accept connections")) resolve(server)
        })
        server.on("close", () => reject(new Error(`redis-server exited:\n${output}`)))
      })

    const freePort = () =>
      new Promise<number>((resolve) => {
        const server = net.createServer().listen(0, "127.0.0.1", () => {
          const port = (server.address() as net.AddressInfo).port
          server.close(() => resolve(port))
        })
      })

    /** A run through Redis that loses it after 5 matches, for a restart of 1.5 s. */
    const runThroughRestart = async (args: ReadonlyArray<string>) => {
      const port = await freePort()
      let redis = await startRedis(port)
      const child = start(
        ["matches", "200#16384", "--concurrency", "2", "--redis", `redis://127.0.0.1:${port}`, ...args],
        { VOLLEY_MOCK_LATENCY_MS: "300" }
      )
      const run = finished(child)
      try {
        await outputUntil(child.stderr!, (seen) => seen.includes("volley: 5/20 matches"))
        redis.kill("SIGKILL")
        await new Promise((resolve) => setTimeout(resolve, 1500))
        redis = await startRedis(port)
        return await run
      } finally {
        redis.kill("SIGKILL")
      }
    }

    it("rides it out by default and fetches every match", { timeout: 60_000 }, async () => {
      const run = await runThroughRestart([])
      assert.strictEqual(run.code, 0, run.stderr)
      const document = JSON.parse(run.stdout)
      assert.strictEqual(document.totals.fetched, 20)
    })

    it("fails the waiting matches at once, clearly, with --on-redis-lost fail", { timeout: 60_000 }, async () => {
      const run = await runThroughRestart(["--on-redis-lost", "fail"])
      assert.strictEqual(run.code, 1, run.stderr)
      const document = JSON.parse(run.stdout)
      assert.isAbove(document.failures.length, 0)
      for (const failure of document.failures) {
        assert.match(failure.error, /was not sent: Redis at redis:\/\/127\.0\.0\.1:\d+\/? is unavailable/)
      }
    })
  })

  describe("Ctrl-C in the start-up window", () => {
    /** The report on stdout is whole and says `interrupted`, in the format asked for. */
    const assertInterruptedReport = (format: string, stdout: string) => {
      if (format === "json") {
        assert.strictEqual(JSON.parse(stdout).totals.outcome, "interrupted")
      } else if (format === "jsonl") {
        const records = stdout.trim().split("\n").map((line) => JSON.parse(line))
        assert.deepInclude(records.at(-1), { type: "totals", outcome: "interrupted" })
      } else {
        assert.match(stdout, /^Interrupted: fetched \d+ of \d+ matches.*\n$/m)
      }
    }

    // Until Node has bootstrapped and run the first line of bin.js, nothing
    // can catch a signal; past that moment every signal must be handled. How
    // long bootstrapping takes depends on the machine's load, so it is
    // measured here, beside the runs it bounds: a probe that, like bin.js,
    // listens for SIGINT on its first line and then says so. The bound is
    // the slowest probe, doubled, and never under the 300 ms of a quiet machine.
    const probeBootstrapMillis = () =>
      new Promise<number>((resolve, reject) => {
        const started = performance.now()
        const probe = spawn(process.execPath, [
          "-e",
          "process.on('SIGINT', () => {}); process.stdout.write('up'); process.exit(0)"
        ], {
          stdio: ["ignore", "pipe", "ignore"]
        })
        probe.stdout!.once("data", () => resolve(performance.now() - started))
        probe.once("error", reject)
      })
    const measureBootstrapBound = async () => {
      const probes = await Promise.all([probeBootstrapMillis(), probeBootstrapMillis(), probeBootstrapMillis()])
      return Math.max(300, 2 * Math.max(...probes))
    }
    const delays = [0, 20, 40, 60, 80, 100, 130, 160, 200, 250, 300, 350, 400, 500, 600, 750, 900, 1100, 1400]
    const formats = ["json", "jsonl", "table"]

    it("gives exit 130, one stderr line and a whole report at every moment", { timeout: 120_000 }, async () => {
      const outcomes: Array<string> = []
      let nodeBootstrapBoundMillis = 300
      const runOne = async (delay: number, index: number) => {
        const format = formats[index % formats.length]
        const signal = index % 2 === 0 ? "SIGINT" : "SIGTERM"
        const child = start(["matches", "200#16384", "--format", format], { VOLLEY_MOCK_LATENCY_MS: "300" })
        const exit = finished(child)
        await new Promise((resolve) => setTimeout(resolve, delay))
        child.kill(signal)
        const run = await exit
        const context = `${signal} after ${delay} ms, --format ${format}:\n${JSON.stringify(run)}`
        if (run.signal !== null) {
          // Killed before any of volley's code ran: it cannot have written anything.
          assert.isBelow(delay, nodeBootstrapBoundMillis, context)
          assert.strictEqual(run.stdout + run.stderr, "", context)
          outcomes.push(`${delay}: killed before start`)
          return
        }
        assert.strictEqual(run.code, 130, context)
        assertInterruptedReport(format, run.stdout)
        const lines = run.stderr.trim().split("\n")
        assert.lengthOf(lines.filter((line) => line.startsWith("volley: interrupted")), 1, context)
        for (const line of lines) assert.match(line, /^volley: /, context)
        outcomes.push(`${delay}: handled`)
      }
      // Three at a time: enough to finish quickly, few enough not to starve the ones being timed.
      for (let first = 0; first < delays.length; first += 3) {
        nodeBootstrapBoundMillis = await measureBootstrapBound()
        await Promise.all(delays.slice(first, first + 3).map((delay, offset) => runOne(delay, first + offset)))
      }
      // How many runs land before volley starts depends on the machine's load (the bound is measured for
      // that reason); that some are handled keeps the test from passing with every child killed early.
      assert.isAtLeast(outcomes.filter((outcome) => outcome.endsWith("handled")).length, 1)
    })
  })

  it.skipIf(!hasScript)("draws a live progress bar on a terminal stderr, and keeps it off stdout", {
    timeout: 30_000
  }, async () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), "volley-pty-"))
    try {
      const dataFile = path.join(directory, "stdout.json")
      // `script` gives the command a pseudo-terminal; stdout alone is redirected to a file.
      const command = `'${process.execPath}' '${bin}' matches 200#16384 --concurrency 2 > '${dataFile}'`
      const child = spawn("script", ["-qfec", command, "/dev/null"], {
        env: { ...baseEnv(), COLUMNS: "120", LINES: "40" },
        stdio: ["ignore", "pipe", "pipe"]
      })
      const run = await finished(child)
      assert.strictEqual(run.code, 0, run.stdout)
      const terminal = run.stdout
      // Once the first 20 requests of the second have gone, the bar may say the rate limit holds the rest back.
      assert.match(
        terminal,
        /\[[#-]{16}\] \d+\/20 done, (\d+ failed, \d+ running, \d+ waiting, [\d.]+\/s, )?(waiting for Riot's rate limit: \d+:\d\d, )?ETA /
      )
      assert.include(terminal, "\u001b[?25l", "the cursor is hidden while the bar is drawn")
      assert.include(terminal, "\u001b[?25h", "and shown again afterwards")
      const data = fs.readFileSync(dataFile, "utf8")
      assert.notInclude(data, "\u001b")
      assert.strictEqual(JSON.parse(data).matches.length, 20)
    } finally {
      fs.rmSync(directory, { recursive: true, force: true })
    }
  })
})

describe("volley get", () => {
  it(
    "answers a method on the embedded mock as JSON, with progress on stderr, exit 0",
    { timeout: 30_000 },
    async () => {
      const run = await volley([
        "get",
        "account-v1",
        "by-riot-id",
        "--region",
        "americas",
        "--game-name",
        "200",
        "--tag-line",
        "16384"
      ])
      assert.strictEqual(run.code, 0, run.stderr)
      const account = JSON.parse(run.stdout)
      assert.strictEqual(account.gameName, "200")
      assert.strictEqual(account.puuid, MockServer.accounts(1).find((player) => player.gameName === "200")!.puuid)
      assert.match(run.stderr, /^volley: no RIOT_API_KEY; using the embedded Riot API mock at /m)
      assert.include(run.stderr, "volley: 1/1 requests (100%), 0 failed")
    }
  )

  it("refuses a route the method is not served on, before sending anything, exit 2", { timeout: 30_000 }, async () => {
    const run = await volley(["get", "lol-match-v5", "match", "--region", "na1", "--id", "NA1_1"])
    assert.strictEqual(run.code, 2)
    const lines = run.stderr.trim().split("\n").filter((line) => line !== "")
    assert.deepStrictEqual(lines, [
      "volley: Expected one of the following cases: americas, asia, europe, sea",
      "volley: see 'volley get lol-match-v5 match --help' for usage"
    ])
    assert.notInclude(run.stderr, "embedded", "nothing was started")
    assert.strictEqual(run.stdout, "")
  })

  it("names a missing required parameter, exit 2", { timeout: 30_000 }, async () => {
    const run = await volley(["get", "account-v1", "by-riot-id", "--region", "americas", "--game-name", "200"])
    assert.strictEqual(run.code, 2)
    assert.include(run.stderr, "Expected to find option: '--tag-line'")
    assertNoStackTrace(run.stderr)
    assert.strictEqual(run.stdout, "")
  })

  it("says an unknown family or operation in one escaped line, exit 2", { timeout: 30_000 }, async () => {
    for (
      const [args, message] of [
        [["get", "lol-nope-v1", "x"], "volley: get: no API family \"lol-nope-v1\""],
        [
          ["get", "lol-match-v5", "no\u202epe"],
          "volley: get: lol-match-v5 has no operation \"no\\u202epe\""
        ]
      ] as const
    ) {
      const run = await volley(args)
      assert.strictEqual(run.code, 2)
      const lines = run.stderr.trim().split("\n")
      assert.strictEqual(lines[0], message)
      assert.match(lines[1], /^volley: see 'volley get( lol-match-v5)? --help' for usage$/)
      assert.strictEqual(lines.length, 2)
      assert.strictEqual(run.stdout, "")
    }
  })

  it("refuses a parameter value with control characters in one escaped line, exit 2", { timeout: 30_000 }, async () => {
    const run = await volley([
      "get",
      "lol-match-v5",
      "match-ids-by-puuid",
      "--region",
      "americas",
      "--puuid",
      "x",
      "--count",
      "1\u001b]0;pwned\u0007\n2"
    ])
    assert.strictEqual(run.code, 2)
    assert.deepStrictEqual(run.stderr.trim().split("\n"), [
      "volley: get: an argument holds a control character: \"1\\x1b]0;pwned\\x07\\x0a2\"",
      "volley: see 'volley get lol-match-v5 match-ids-by-puuid --help' for usage"
    ])
    assert.strictEqual(run.stdout, "")
  })

  it("needs RIOT_ACCESS_TOKEN for an RSO method on the real API, exit 2", { timeout: 30_000 }, async () => {
    const run = await volley(["get", "account-v1", "me", "--region", "americas"], {
      RIOT_API_KEY: "RGAPI-00000000-0000-0000-0000-000000000000",
      RIOT_BASE_URL: "http://127.0.0.1:9/{route}"
    })
    assert.strictEqual(run.code, 2)
    assert.match(run.stderr, /^volley: account-v1\.getByAccessToken acts on a player's behalf and needs their RSO/m)
    assert.strictEqual(run.stdout, "")
  })

  it("runs an RSO method on the embedded mock without a token, and never shows a given one", {
    timeout: 30_000
  }, async () => {
    const run = await volley(["get", "account-v1", "me", "--region", "americas"], {
      RIOT_ACCESS_TOKEN: "secret-rso-token"
    })
    assert.strictEqual(run.code, 0, run.stderr)
    assert.isString(JSON.parse(run.stdout).puuid)
    assert.notInclude(run.stdout + run.stderr, "secret-rso-token")
  })

  describe("against a `volley mock-server` process, as live mode", () => {
    let server: ChildProcess
    let serverExit: Promise<Run>
    let baseUrl: string

    beforeAll(async () => {
      server = start(["mock-server", "--port", "0"])
      serverExit = finished(server)
      const announced = /RIOT_BASE_URL='([^']+)'/
      baseUrl = announced.exec(await outputUntil(server.stderr!, (seen) => announced.test(seen)))![1]
    }, 30_000)

    afterAll(async () => {
      server.kill("SIGINT")
      assert.strictEqual((await serverExit).code, 130)
    })

    it("calls the method with the key, and reports a refused key in one line without it", {
      timeout: 30_000
    }, async () => {
      const args = ["get", "lol-status-v4", "platform-data", "--platform", "euw1"]
      const good = await volley(args, {
        RIOT_API_KEY: "RGAPI-00000000-0000-0000-0000-000000000000",
        RIOT_BASE_URL: baseUrl
      })
      assert.strictEqual(good.code, 0, good.stderr)
      assert.isObject(JSON.parse(good.stdout))
      assert.notInclude(good.stderr, "embedded")
      const refused = await volley([...args, "--live"], {
        RIOT_API_KEY: "RGAPI-not-a-real-key",
        RIOT_BASE_URL: baseUrl
      })
      assert.strictEqual(refused.code, 1)
      const lines = refused.stderr.trim().split("\n").filter((line) => !line.startsWith("volley: 1/1 requests"))
      assert.lengthOf(lines, 1, refused.stderr)
      assert.match(
        lines[0],
        /^volley: Riot API key is invalid or expired \(403 from lol-status-v4\.getPlatformData on euw1\)/
      )
      assert.notInclude(refused.stderr + refused.stdout, "RGAPI-not-a-real-key")
      assert.strictEqual(refused.stdout, "")
    })
  })

  it("exits 130 on SIGINT while the request is in flight", { timeout: 30_000 }, async () => {
    const child = start(["get", "lol-match-v5", "match", "--region", "americas", "--id", "NA1_1"], {
      VOLLEY_MOCK_LATENCY_MS: "20000"
    })
    const run = finished(child)
    await outputUntil(child.stderr!, (seen) => seen.includes("using the embedded Riot API mock"))
    child.kill("SIGINT")
    const result = await run
    assert.strictEqual(result.code, 130)
    assert.strictEqual(result.stdout, "")
    assert.match(result.stderr, /^volley: interrupted$/m)
    assertNoStackTrace(result.stderr)
  })
})
