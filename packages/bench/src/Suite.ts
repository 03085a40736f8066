/**
 * Runs the benchmark suite from the parent process: every case in a child
 * process of its own, rounds in alternating order, medians and ratios.
 *
 * @since 0.1.0
 */
import { MockServer } from "@volley/mock-server"
import * as childProcess from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import type * as Approaches from "./Approaches.js"
import type { HttpCaseArgs } from "./http-case.js"
import * as Http from "./Http.js"
import * as Latency from "./Latency.js"
import type { CaseResult } from "./Measure.js"
import type * as Results from "./Results.js"
import * as Stats from "./Stats.js"

const distDir = path.dirname(fileURLToPath(import.meta.url))

/**
 * What to run. See `main.ts` for the flags that set it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Config {
  readonly quick: boolean
  readonly rounds: number
  readonly sizes: ReadonlyArray<number>
  readonly concurrency: number
  readonly warmupTasks: number
  readonly approaches: ReadonlyArray<Approaches.ApproachName>
  readonly scalingN: number
  readonly scalingConcurrencies: ReadonlyArray<number>
  readonly scalingApproaches: ReadonlyArray<Approaches.ApproachName>
  readonly latency: boolean
  readonly latencyTasks: number
  readonly latencyMs: number
  readonly http: boolean
  readonly httpRequests: number
  readonly httpRounds: number
  readonly rateLimit: boolean
  readonly rateLimitRequests: number
  readonly log: (line: string) => void
}

const runChild = (
  script: string,
  args: ReadonlyArray<string>,
  env: NodeJS.ProcessEnv = {}
): Promise<string> =>
  new Promise((resolve, reject) => {
    childProcess.execFile(
      process.execPath,
      [path.join(distDir, script), ...args],
      { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error !== null) reject(new Error(stderr.trim().split("\n").pop() || error.message))
        else resolve(stdout.trim().split("\n").pop() ?? "")
      }
    )
  })

/**
 * Runs `node dist/case.js <approach> <n> <concurrency>` and parses its line.
 *
 * @since 0.1.0
 * @category running
 */
export const runCase = async (
  approach: Approaches.ApproachName,
  n: number,
  concurrency: number,
  warmupTasks: number
): Promise<CaseResult> =>
  JSON.parse(
    await runChild(effect4Approach(approach) ? effect4Case : "case.js", [approach, String(n), String(concurrency)], {
      BENCH_WARMUP: String(warmupTasks)
    })
  ) as CaseResult

/** The Effect 4 edition's child entry, built by this package's `bench` script against effect 4. */
const effect4Case = path.join("..", "..", "taskgroup-effect4", "build", "bench", "case.js")

const effect4Approach = (name: Approaches.ApproachName) => name.startsWith("effect4-")

type Key = `${string}|${number}|${number}`
const keyOf = (approach: string, n: number, concurrency: number): Key => `${approach}|${n}|${concurrency}`

const formatCase = (result: CaseResult) =>
  `${result.perTaskUs.toFixed(2)} µs/task, ${(result.maxRssBytes / 2 ** 20).toFixed(0)} MiB`

/**
 * Runs every (approach, n, concurrency) case `rounds` times, the order of
 * sizes and approaches alternating between rounds, and summarizes each case
 * by its medians with ratios to `effect-foreach` at the same n and
 * concurrency.
 *
 * @since 0.1.0
 * @category running
 */
export const runCases = async (
  cases: ReadonlyArray<
    { readonly approach: Approaches.ApproachName; readonly n: number; readonly concurrency: number }
  >,
  config: Config
): Promise<ReadonlyArray<Results.CaseSummary>> => {
  const rounds = new Map<Key, Array<CaseResult>>()
  const failed = new Map<Key, Array<string>>()
  for (let round = 0; round < config.rounds; round++) {
    for (const { approach, concurrency, n } of Stats.roundOrder(cases, round)) {
      const key = keyOf(approach, n, concurrency)
      try {
        const result = await runCase(approach, n, concurrency, config.warmupTasks)
        rounds.set(key, [...(rounds.get(key) ?? []), result])
        config.log(`  round ${round + 1} ${approach} n=${n} c=${concurrency}: ${formatCase(result)}`)
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error)
        failed.set(key, [...(failed.get(key) ?? []), message])
        config.log(`  round ${round + 1} ${approach} n=${n} c=${concurrency}: FAILED ${message}`)
      }
    }
  }
  const medians = new Map<Key, { perTaskUs: number; maxRssBytes: number }>()
  for (const [key, results] of rounds) {
    medians.set(key, {
      perTaskUs: Stats.median(results.map((result) => result.perTaskUs)),
      maxRssBytes: Stats.median(results.map((result) => result.maxRssBytes))
    })
  }
  return cases.map(({ approach, concurrency, n }) => {
    const key = keyOf(approach, n, concurrency)
    const own = medians.get(key)
    // each edition against Effect.forEach of its own Effect major
    const reference = medians.get(
      keyOf(effect4Approach(approach) ? "effect4-effect-foreach" : "effect-foreach", n, concurrency)
    )
    return {
      approach,
      n,
      concurrency,
      rounds: rounds.get(key) ?? [],
      failed: failed.get(key) ?? [],
      perTaskUs: own?.perTaskUs ?? NaN,
      maxRssBytes: own?.maxRssBytes ?? NaN,
      perTaskVsForEach: Stats.ratio(own?.perTaskUs, reference?.perTaskUs),
      rssVsForEach: Stats.ratio(own?.maxRssBytes, reference?.maxRssBytes)
    }
  })
}

/**
 * The overhead cases: every approach at every size, at the configured
 * concurrency.
 *
 * @since 0.1.0
 * @category running
 */
export const overhead = (config: Config): Promise<ReadonlyArray<Results.CaseSummary>> =>
  runCases(
    config.sizes.flatMap((n) =>
      config.approaches.map((approach) => ({ approach, n, concurrency: config.concurrency }))
    ),
    config
  )

/**
 * The concurrency sweep at `scalingN`; `effect-foreach` is always included
 * as the reference of the ratios.
 *
 * @since 0.1.0
 * @category running
 */
export const scaling = (config: Config): Promise<ReadonlyArray<Results.CaseSummary>> => {
  const approaches = [...new Set<Approaches.ApproachName>([...config.scalingApproaches, "effect-foreach"])]
  return runCases(
    config.scalingConcurrencies.flatMap((concurrency) =>
      approaches.map((approach) => ({ approach, n: config.scalingN, concurrency }))
    ),
    config
  )
}

/**
 * Runs `node dist/latency-case.js <approach> <n> <concurrency> <taskMs>` and
 * parses its line.
 *
 * @since 0.1.0
 * @category running
 */
export const runLatencyCase = async (
  approach: Latency.LatencyApproachName,
  n: number,
  concurrency: number,
  taskMs: number,
  warmupTasks: number
): Promise<Latency.LatencyCaseResult> =>
  JSON.parse(
    await runChild("latency-case.js", [approach, String(n), String(concurrency), String(taskMs)], {
      BENCH_WARMUP: String(warmupTasks)
    })
  ) as Latency.LatencyCaseResult

/**
 * The latency-bound case: every approach of `Latency.all` on `latencyTasks`
 * tasks of `latencyMs` at the configured concurrency, each run in a child
 * process of its own, `rounds` rounds in alternating order, summarized by
 * `Latency.summarize`.
 *
 * @since 0.1.0
 * @category running
 */
export const latency = async (config: Config): Promise<Latency.LatencyResults> => {
  const { concurrency, latencyMs: taskMs, latencyTasks: n } = config
  const runs = Latency.all.map((approach) => ({
    approach: approach.name,
    rounds: [] as Array<Latency.LatencyCaseResult>,
    failed: [] as Array<string>
  }))
  for (let round = 0; round < config.rounds; round++) {
    for (const run of Stats.roundOrder(runs, round)) {
      const label = `  round ${round + 1} ${run.approach} n=${n} c=${concurrency} ${taskMs} ms`
      try {
        // A warm-up of at most a tenth of the run, so that it compiles the path without costing much.
        const result = await runLatencyCase(
          run.approach,
          n,
          concurrency,
          taskMs,
          Math.min(config.warmupTasks, Math.floor(n / 10))
        )
        run.rounds.push(result)
        config.log(`${label}: ${result.elapsedMs.toFixed(1)} ms`)
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error)
        run.failed.push(message)
        config.log(`${label}: FAILED ${message}`)
      }
    }
  }
  return Latency.summarize({ n, concurrency, taskMs, rounds: config.rounds }, runs)
}

interface MockProcess {
  readonly baseUrl: string
  readonly report: () => Promise<{
    readonly log: ReadonlyArray<MockServer.LoggedRequest>
    readonly report: MockServer.RateLimitReport
  }>
  readonly stop: () => Promise<void>
}

const startMock = (options: MockServer.MockServerOptions): Promise<MockProcess> =>
  new Promise((resolve, reject) => {
    const child = childProcess.fork(path.join(distDir, "mock-server.js"), [JSON.stringify(options)], {
      stdio: ["ignore", "ignore", "inherit", "ipc"]
    })
    child.once("error", reject)
    child.once("exit", (code) => reject(new Error(`the mock server exited with ${code}`)))
    child.once("message", (ready: { readonly baseUrl: string }) =>
      resolve({
        baseUrl: ready.baseUrl,
        report: () =>
          new Promise((resolveReport) => {
            child.once("message", resolveReport as never)
            child.send({ type: "report" })
          }),
        stop: () =>
          new Promise((resolveStop) => {
            child.removeAllListeners("exit")
            child.once("exit", () => resolveStop())
            child.send({ type: "stop" })
          })
      }))
  })

interface HttpCaseResult extends Http.HttpRun {
  readonly maxRssBytes: number
}

const runHttpCase = async (args: HttpCaseArgs): Promise<HttpCaseResult> =>
  JSON.parse(await runChild("http-case.js", [JSON.stringify(args)])) as HttpCaseResult

const writeRequests = (requests: ReadonlyArray<Http.MatchRequest>): string => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "volley-bench-")), "requests.json")
  fs.writeFileSync(file, JSON.stringify(requests))
  return file
}

const summarizeHttp = (
  approach: Http.HttpApproach,
  runs: ReadonlyArray<HttpCaseResult>
): Results.HttpSummary => ({
  approach,
  requests: runs[0]?.requests ?? 0,
  concurrency: runs[0]?.concurrency ?? 0,
  rounds: runs.length,
  failures: runs.reduce((sum, run) => sum + run.failures, 0),
  requestsPerSecond: Stats.median(runs.map((run) => (run.requests * 1000) / run.elapsedMs)),
  latencyP50Ms: Stats.median(runs.map((run) => Stats.percentile(run.latenciesMs, 50))),
  latencyP99Ms: Stats.median(runs.map((run) => Stats.percentile(run.latenciesMs, 99))),
  maxRssBytes: Stats.median(runs.map((run) => run.maxRssBytes))
})

/**
 * The HTTP comparison: a mock without rate limits in its own process, and
 * each round one child process per approach issuing the same requests.
 *
 * @since 0.1.0
 * @category running
 */
export const http = async (config: Config): Promise<Results.HttpResults> => {
  const mock = await startMock({ appLimits: false, methodLimits: false })
  try {
    const matches = await Http.listMatches(mock.baseUrl, MockServer.defaultApiKey, MockServer.defaultSeed)
    const requestsFile = writeRequests(Http.cycle(matches, config.httpRequests))
    const runs: Record<Http.HttpApproach, Array<HttpCaseResult>> = {
      client: [],
      "effect-httpclient": [],
      "bare-fetch": []
    }
    for (let round = 0; round < config.httpRounds; round++) {
      for (
        const approach of Stats.roundOrder<Http.HttpApproach>(["client", "effect-httpclient", "bare-fetch"], round)
      ) {
        const run = await runHttpCase({
          approach,
          requestsFile,
          concurrency: config.concurrency,
          baseUrl: mock.baseUrl,
          warmup: Math.min(200, config.httpRequests),
          maxRetries: 0
        })
        runs[approach].push(run)
        config.log(
          `  round ${round + 1} ${approach}: ${((run.requests * 1000) / run.elapsedMs).toFixed(0)} req/s, ` +
            `${run.failures} failures`
        )
      }
    }
    const client = summarizeHttp("client", runs.client)
    const effectHttpClient = summarizeHttp("effect-httpclient", runs["effect-httpclient"])
    const bareFetch = summarizeHttp("bare-fetch", runs["bare-fetch"])
    return {
      distinctMatches: matches.length,
      client,
      effectHttpClient,
      bareFetch,
      throughputVsBare: Stats.ratio(client.requestsPerSecond, bareFetch.requestsPerSecond),
      throughputVsEffectHttpClient: Stats.ratio(client.requestsPerSecond, effectHttpClient.requestsPerSecond),
      effectHttpClientVsBare: Stats.ratio(effectHttpClient.requestsPerSecond, bareFetch.requestsPerSecond),
      addedLatencyP50Ms: client.latencyP50Ms - bareFetch.latencyP50Ms,
      addedLatencyP99Ms: client.latencyP99Ms - bareFetch.latencyP99Ms
    }
  } finally {
    await mock.stop()
  }
}

/**
 * The application limits of the rate-limit run: 20 per second and 100 per
 * 10 seconds, as the issue asks.
 *
 * @since 0.1.0
 * @category constants
 */
export const rateLimitAppLimits: ReadonlyArray<Stats.FixedWindow> = [
  { limit: 20, windowSeconds: 1 },
  { limit: 100, windowSeconds: 10 }
]

/**
 * The rate-limit run: the client, through a TaskGroup, fetches matches of
 * one region (application limits are per route, so one route is one budget)
 * from a mock enforcing {@link rateLimitAppLimits} and the default method
 * limits, with no warm-up that would spend the budget. The mock's request
 * log is the witness of timing and of 429s.
 *
 * @since 0.1.0
 * @category running
 */
export const rateLimit = async (config: Config): Promise<Results.RateLimitResults> => {
  const unlimited = await startMock({ appLimits: false, methodLimits: false })
  const matches = await Http.listMatches(unlimited.baseUrl, MockServer.defaultApiKey, MockServer.defaultSeed)
  await unlimited.stop()
  const region = matches[0].region
  const requests = matches.filter((match) => match.region === region).slice(0, config.rateLimitRequests)
  if (requests.length < config.rateLimitRequests) {
    throw new Error(`the mock has ${requests.length} matches on ${region}, fewer than ${config.rateLimitRequests}`)
  }
  const methodLimits = MockServer.defaultMethodLimits["match-v5.getMatch"]
  const mock = await startMock({ appLimits: rateLimitAppLimits, methodLimits: { "match-v5.getMatch": methodLimits } })
  try {
    const run = await runHttpCase({
      approach: "client",
      requestsFile: writeRequests(requests),
      concurrency: config.concurrency,
      baseUrl: mock.baseUrl,
      warmup: 0,
      maxRetries: 3
    })
    const { log } = await mock.report()
    const served = log.filter((entry) => entry.status === 200)
    const times = served.map((entry) => entry.time)
    const spanMs = Math.max(...times) - Math.min(...times)
    const minimumSpanMs = Stats.minimumSpanMs(served.length, [...rateLimitAppLimits, ...methodLimits])
    const achievedPerSecond = ((served.length - 1) * 1000) / spanMs
    const longRunAllowedPerSecond = Math.min(
      ...[...rateLimitAppLimits, ...methodLimits].map((window) => window.limit / window.windowSeconds)
    )
    return {
      requests: requests.length,
      concurrency: config.concurrency,
      appLimits: rateLimitAppLimits,
      methodLimits,
      succeeded: served.length,
      rejected429: log.filter((entry) => entry.status === 429).length,
      clientFailures: run.failures,
      wallMs: run.elapsedMs,
      spanMs,
      minimumSpanMs,
      efficiency: Stats.ratio(minimumSpanMs, spanMs),
      achievedPerSecond,
      longRunAllowedPerSecond,
      vsLongRunRate: achievedPerSecond / longRunAllowedPerSecond
    }
  } finally {
    await mock.stop()
  }
}
