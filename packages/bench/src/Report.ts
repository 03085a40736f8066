/**
 * Turns a bench run into what people read: tables (Markdown, which reads as
 * well on a terminal as in `docs/benchmarks.md`), the target verdicts, and
 * the overhead chart rendered by Vega-Lite.
 *
 * @since 0.1.0
 */
import * as vega from "vega"
import * as vegaLite from "vega-lite"
import * as Approaches from "./Approaches.js"
import type * as Latency from "./Latency.js"
import type * as Results from "./Results.js"

const mib = (bytes: number) => (Number.isFinite(bytes) ? (bytes / 2 ** 20).toFixed(0) : "—")
const fixed = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : "—")
const times = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)}x` : "—")
const count = (n: number) => n.toLocaleString("en-US")

const table = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): string =>
  [
    `| ${header.join(" | ")} |`,
    `| ${header.map((_, i) => (i === 0 ? "---" : "---:")).join(" | ")} |`,
    ...rows.map((row) => `| ${row.join(" | ")} |`)
  ].join("\n")

const isMeasured = <A extends object>(value: A | { readonly skipped: string }): value is A => !("skipped" in value)

/**
 * The one line that says where the figures come from.
 *
 * @since 0.1.0
 * @category formatting
 */
export const machineLine = (machine: Results.Machine): string =>
  `${machine.cpu}, ${machine.cores} cores, ${(machine.memoryBytes / 2 ** 30).toFixed(0)} GiB RAM, ` +
  `Node ${machine.node} on ${machine.platform}; ` +
  Object.entries(machine.versions).map(([name, version]) => `${name} ${version}`).join(", ")

const caseRow = (summary: Results.CaseSummary, first: string): ReadonlyArray<string> => [
  first,
  summary.failed.length > 0 && summary.rounds.length === 0 ? "failed" : fixed(summary.perTaskUs),
  times(summary.perTaskVsForEach),
  mib(summary.maxRssBytes),
  times(summary.rssVsForEach),
  `${summary.rounds.length}${summary.failed.length > 0 ? ` (+${summary.failed.length} failed)` : ""}`
]

/**
 * One table per N: per-task µs, peak RSS and both as ratios to
 * `Effect.forEach`.
 *
 * @since 0.1.0
 * @category formatting
 */
export const overheadTables = (results: Results.BenchResults): string =>
  results.config.sizes.map((n) =>
    `#### N = ${count(n)}, concurrency ${results.config.concurrency}\n\n` +
    table(
      ["approach", "µs / task", "vs forEach", "peak RSS MiB", "vs forEach", "rounds"],
      results.overhead.filter((summary) => summary.n === n).map((summary) => caseRow(summary, summary.approach))
    )
  ).join("\n\n")

/**
 * The growth of per-task time and peak RSS with N, one row per approach.
 *
 * @since 0.1.0
 * @category formatting
 */
export const growthTable = (results: Results.BenchResults): string => {
  const sizes = results.config.sizes
  const approaches = [...new Set(results.overhead.map((summary) => summary.approach))]
  const cell = (approach: string, n: number) => results.overhead.find((s) => s.approach === approach && s.n === n)
  return table(
    ["approach", ...sizes.map((n) => `µs/task @${count(n)}`), ...sizes.map((n) => `MiB @${count(n)}`)],
    approaches.map((approach) => [
      approach,
      ...sizes.map((n) => fixed(cell(approach, n)?.perTaskUs ?? NaN)),
      ...sizes.map((n) => mib(cell(approach, n)?.maxRssBytes ?? NaN))
    ])
  )
}

/**
 * The concurrency sweep at one N.
 *
 * @since 0.1.0
 * @category formatting
 */
export const scalingTable = (results: Results.BenchResults): string =>
  table(
    ["approach @ concurrency", "µs / task", "vs forEach", "peak RSS MiB", "vs forEach", "rounds"],
    results.scaling.map((summary) => caseRow(summary, `${summary.approach} @ ${summary.concurrency}`))
  )

const latencyApproachNames: Record<Latency.LatencyApproachName, string> = {
  taskgroup: "TaskGroup (createTask loop)",
  "taskgroup-foreach": "TaskGroup.forEach",
  "effect-foreach": "Effect.forEach",
  "effect-pool": "bare Effect.sleep pool (Effect's floor)",
  "p-limit": "p-limit",
  "timer-pool": "bare setTimeout pool (floor)"
}

/**
 * The title of the latency-bound section, e.g. "Latency-bound: 20,000 × 1 ms
 * timers at concurrency 100".
 *
 * @since 0.1.0
 * @category formatting
 */
export const latencyTitle = (latency: Latency.LatencyResults): string =>
  `Latency-bound: ${count(latency.n)} × ${latency.taskMs} ms timers at concurrency ${latency.concurrency}`

/**
 * The latency-bound case: each approach's median wall time and its ratios to
 * the ideal, to `Effect.forEach` and to the bare `setTimeout` pool.
 *
 * @since 0.1.0
 * @category formatting
 */
export const latencyTable = (latency: Latency.LatencyResults): string =>
  table(
    ["approach", "wall ms", "vs ideal", "vs Effect.forEach", "vs setTimeout pool", "rounds"],
    latency.approaches.map((summary) => [
      latencyApproachNames[summary.approach],
      summary.failed.length > 0 && summary.rounds.length === 0 ? "failed" : fixed(summary.wallMs, 1),
      times(summary.vsIdeal),
      times(summary.vsForEach),
      times(summary.vsFloor),
      `${summary.rounds.length}${summary.failed.length > 0 ? ` (+${summary.failed.length} failed)` : ""}`
    ])
  ) +
  `\n\nIdeal: ${fixed(latency.idealMs, 1)} ms (ceil(${count(latency.n)} / ${latency.concurrency}) × ` +
  `${latency.taskMs} ms). Practical floor (bare setTimeout pool): ${floorLine(latency, "timer-pool")}. ` +
  `Effect's floor (bare Effect.sleep pool): ${floorLine(latency, "effect-pool")}.`

/**
 * The latency-bound section of `docs/benchmarks.md`: what the case does,
 * what the ideal is and why the bare `setTimeout` pool is the practical
 * floor, then {@link latencyTable}.
 *
 * @since 0.1.0
 * @category formatting
 */
export const latencySection = (latency: Latency.LatencyResults): string => {
  const { concurrency, n, rounds, taskMs } = latency
  return `## ${latencyTitle(latency)}

Each of ${
    count(n)
  } tasks waits ${taskMs} ms on a real timer and returns its index: \`Effect.sleep("${taskMs} millis")\` on
Effect's default clock in the Effect approaches, \`setTimeout(resolve, ${taskMs})\` in the promise ones. It is the shape
of I/O-bound work such as HTTP requests, where what a user feels is not the cost per task but how far the wall time
is from the **ideal**: ${concurrency} perfect workers doing ceil(N / concurrency) waits back to back, that is
ceil(${count(n)} / ${concurrency}) × ${taskMs} ms = ${
    fixed(latency.idealMs, 0)
  } ms here (N × ${taskMs} ms / concurrency when the
concurrency divides N). No approach reaches it, because Node fires a \`setTimeout(${taskMs})\` no sooner than ${taskMs} ms
after it was set and, its timer clock counting whole milliseconds, often later. The last row measures that practical
floor, a hand-written pool of ${concurrency} async loops each awaiting bare \`setTimeout\`s: ${
    floorLine(latency, "timer-pool")
  }.
Every Effect approach pays more: each \`Effect.sleep\` is an interruptible fiber suspension, a timer and a
resumption through Effect's scheduler, and the rounds of waits lengthen by the CPU they take. The row "bare
Effect.sleep pool" measures that: ${concurrency} fibers looping over the same tasks with nothing else around them, the
floor of any Effect-based approach.
Every approach runs in a child process of its own (\`node dist/latency-case.js <approach> <N> <concurrency> <ms>\`)
after a short warm-up, and checks that all ${count(n)} tasks completed and every result sits at its index;
approaches alternate in each of ${rounds} rounds and the table shows medians.

${latencyTable(latency)}`
}

const floorLine = (latency: Latency.LatencyResults, approach: Latency.LatencyApproachName): string => {
  const floor = latency.approaches.find((summary) => summary.approach === approach)
  return floor === undefined || !Number.isFinite(floor.wallMs)
    ? "not measured"
    : `${fixed(floor.wallMs, 1)} ms, ${times(floor.vsIdeal)} the ideal`
}

/**
 * The HTTP comparison.
 *
 * @since 0.1.0
 * @category formatting
 */
export const httpTable = (http: Results.HttpResults): string =>
  table(
    ["approach", "requests/s", "latency p50 ms", "latency p99 ms", "failures", "peak RSS MiB", "rounds"],
    [http.client, http.effectHttpClient, http.bareFetch].map((side) => [
      httpApproachNames[side.approach],
      fixed(side.requestsPerSecond, 0),
      fixed(side.latencyP50Ms),
      fixed(side.latencyP99Ms),
      String(side.failures),
      mib(side.maxRssBytes),
      String(side.rounds)
    ])
  ) +
  `\n\nClient vs bare: ${times(http.throughputVsBare)} the requests/s; added latency ` +
  `p50 ${fixed(http.addedLatencyP50Ms)} ms, p99 ${fixed(http.addedLatencyP99Ms)} ms. ` +
  `Client vs plain Effect HttpClient: ${times(http.throughputVsEffectHttpClient)}; ` +
  `plain Effect HttpClient vs bare: ${times(http.effectHttpClientVsBare)}.`

const httpApproachNames: Record<Results.HttpSummary["approach"], string> = {
  client: "TaskGroup + RiotClient",
  "effect-httpclient": "Effect.forEach + HttpClient",
  "bare-fetch": "bare fetch pool"
}

/**
 * The rate-limit run.
 *
 * @since 0.1.0
 * @category formatting
 */
export const rateLimitTable = (rate: Results.RateLimitResults): string =>
  table(
    ["measure", "value"],
    [
      ["requests (one region, one route budget)", String(rate.requests)],
      [
        "limits",
        [
          ...rate.appLimits.map((w) => `app ${w.limit}/${w.windowSeconds}s`),
          ...rate.methodLimits.map((w) => `method ${w.limit}/${w.windowSeconds}s`)
        ].join(", ")
      ],
      ["served (200)", String(rate.succeeded)],
      ["429 responses", String(rate.rejected429)],
      ["client-side failures", String(rate.clientFailures)],
      ["first to last arrival at the mock", `${fixed(rate.spanMs / 1000)} s`],
      ["shortest span the limits allow", `${fixed(rate.minimumSpanMs / 1000)} s`],
      ["efficiency (shortest / actual)", fixed(rate.efficiency)],
      ["achieved rate", `${fixed(rate.achievedPerSecond)} /s`],
      ["vs long-run allowed rate", `${times(rate.vsLongRunRate)} of ${fixed(rate.longRunAllowedPerSecond)} /s`],
      ["client wall time", `${fixed(rate.wallMs / 1000)} s`]
    ]
  )

/**
 * The issue's targets, each with this run's value and verdict.
 *
 * @since 0.1.0
 * @category targets
 */
export const targets = (
  overhead: ReadonlyArray<Results.CaseSummary>,
  http: Results.BenchResults["http"],
  rate: Results.BenchResults["rateLimit"],
  latency: Results.BenchResults["latency"]
): ReadonlyArray<Results.Target> => {
  const find = (approach: Approaches.ApproachName, n: number) =>
    overhead.find((summary) => summary.approach === approach && summary.n === n)
  const judge =
    (passes: (value: number, limit: number) => boolean) =>
    (name: string, value: number | undefined, limit: number, threshold: string): Results.Target => ({
      name,
      value: value ?? NaN,
      threshold,
      met: value === undefined || !Number.isFinite(value) ? "not measured" : passes(value, limit)
    })
  const atMost = judge((value, limit) => value <= limit)
  const atLeast = judge((value, limit) => value >= limit)
  const sizes = [...new Set(overhead.map((summary) => summary.n))].sort((a, b) => a - b)
  const largest = sizes[sizes.length - 1]
  const flat = find("taskgroup-nocollect", largest)?.maxRssBytes
  const base = find("taskgroup-nocollect", 10_000)?.maxRssBytes
  // The time target is judged for both ways in: a createTask loop (at most 1.0x), and TaskGroup.forEach,
  // which knows its items up front (at most 0.75x).
  const perTask = ([100_000, 1_000_000] as const).flatMap((n) =>
    ([["taskgroup", 1], ["taskgroup-foreach", 0.75]] as const).map(([approach, limit]) =>
      atMost(
        `${
          approach === "taskgroup" ? "TaskGroup (createTask loop)" : "TaskGroup.forEach"
        } µs/task vs Effect.forEach, N = ${count(n)}, results collected`,
        find(approach, n)?.perTaskVsForEach,
        limit,
        `<= ${limit.toFixed(2)}x`
      )
    )
  )
  const effect4PerTask = ([100_000, 1_000_000] as const).flatMap((n) =>
    ([["effect4-taskgroup", 1], ["effect4-taskgroup-foreach", 0.75]] as const).map(([approach, limit]) =>
      atMost(
        `Effect 4 ${
          approach === "effect4-taskgroup" ? "TaskGroup (createTask loop)" : "TaskGroup.forEach"
        } µs/task vs Effect 4 Effect.forEach, N = ${count(n)}, results collected`,
        find(approach, n)?.perTaskVsForEach,
        limit,
        `<= ${limit.toFixed(2)}x`
      )
    )
  )
  return [
    ...perTask,
    ...effect4PerTask,
    atMost(
      "Effect 4 TaskGroup peak RSS vs Effect 4 Effect.forEach, N = 1M, results collected",
      find("effect4-taskgroup", 1_000_000)?.rssVsForEach,
      1,
      "<= 1.0x"
    ),
    atMost(
      "TaskGroup peak RSS vs Effect.forEach, N = 1M, results collected",
      find("taskgroup", 1_000_000)?.rssVsForEach,
      1,
      "<= 1.0x"
    ),
    atMost(
      `TaskGroup peak RSS without collection, N = ${count(largest ?? 0)} vs N = 10k`,
      flat !== undefined && base !== undefined && largest !== 10_000 ? flat / base : undefined,
      1.2,
      "<= 1.2x"
    ),
    atLeast(
      "HTTP requests/s, TaskGroup + client vs bare fetch pool",
      isMeasured(http) ? http.throughputVsBare : undefined,
      0.9,
      ">= 0.9x"
    ),
    atLeast("Rate-limit efficiency", isMeasured(rate) ? rate.efficiency : undefined, 0.9, ">= 0.9"),
    atMost("429 responses in the rate-limit run", isMeasured(rate) ? rate.rejected429 : undefined, 0, "= 0"),
    atMost(
      "latency-bound createTask loop within 5% of ideal",
      isMeasured(latency)
        ? latency.approaches.find((summary) => summary.approach === "taskgroup")?.vsIdeal
        : undefined,
      1.05,
      "<= 1.05x"
    )
  ]
}

/**
 * The targets as a table.
 *
 * @since 0.1.0
 * @category formatting
 */
export const targetsTable = (list: ReadonlyArray<Results.Target>): string =>
  table(
    ["target", "threshold", "this run", "met"],
    list.map((target) => [
      target.name,
      target.threshold,
      target.name.startsWith("429") ? fixed(target.value, 0) : fixed(target.value),
      target.met === "not measured" ? "not measured" : target.met ? "yes" : "**no**"
    ])
  )

/**
 * Everything as text for the terminal.
 *
 * @since 0.1.0
 * @category formatting
 */
export const text = (results: Results.BenchResults): string =>
  [
    `Machine: ${machineLine(results.machine)}`,
    "### Overhead",
    overheadTables(results),
    "### Growth with N",
    growthTable(results),
    `### Concurrency sweep, N = ${count(results.config.scalingN)}`,
    scalingTable(results),
    isMeasured(results.latency) ? `### ${latencyTitle(results.latency)}` : "### Latency-bound",
    isMeasured(results.latency) ? latencyTable(results.latency) : `skipped: ${results.latency.skipped}`,
    "### HTTP",
    isMeasured(results.http) ? httpTable(results.http) : `skipped: ${results.http.skipped}`,
    "### Rate limits",
    isMeasured(results.rateLimit) ? rateLimitTable(results.rateLimit) : `skipped: ${results.rateLimit.skipped}`,
    "### Targets",
    targetsTable(results.targets)
  ].join("\n\n")

/**
 * The Vega-Lite spec of the overhead chart: per-task time and peak RSS
 * against N, one line per approach, log scales.
 *
 * @since 0.1.0
 * @category chart
 */
export const chartSpec = (results: Results.BenchResults): vegaLite.TopLevelSpec => {
  const values = results.overhead.filter((summary) => Number.isFinite(summary.perTaskUs)).map((summary) => ({
    approach: summary.approach,
    n: summary.n,
    perTaskUs: summary.perTaskUs,
    peakRssMiB: summary.maxRssBytes / 2 ** 20
  }))
  const x = { field: "n", type: "quantitative", scale: { type: "log" }, title: "tasks (N)" } as const
  const color = {
    field: "approach",
    type: "nominal",
    sort: Approaches.all.map((a) => a.name),
    legend: { labelLimit: 240 }
  } as const
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text:
        `No-op async tasks at concurrency ${results.config.concurrency} (median of ${results.config.rounds} rounds)`,
      subtitle: machineLine(results.machine)
    },
    data: { values },
    hconcat: [
      {
        width: 340,
        height: 260,
        mark: { type: "line", point: true },
        encoding: {
          x,
          y: { field: "perTaskUs", type: "quantitative", scale: { type: "log" }, title: "µs per task" },
          color
        }
      },
      {
        width: 340,
        height: 260,
        mark: { type: "line", point: true },
        encoding: {
          x,
          y: { field: "peakRssMiB", type: "quantitative", scale: { type: "log" }, title: "peak RSS (MiB)" },
          color
        }
      }
    ]
  }
}

/**
 * Renders {@link chartSpec} to SVG with Vega's headless view.
 *
 * @since 0.1.0
 * @category chart
 */
export const chartSvg = (results: Results.BenchResults): Promise<string> =>
  new vega.View(vega.parse(vegaLite.compile(chartSpec(results)).spec), { renderer: "none" }).toSVG()

/**
 * The whole of `docs/benchmarks.md`.
 *
 * @since 0.1.0
 * @category formatting
 */
export const markdown = (results: Results.BenchResults): string => {
  const { config } = results
  const descriptions = Approaches.all
    .filter((approach) => results.overhead.some((summary) => summary.approach === approach.name))
    .map((approach) => `- \`${approach.name}\`: ${approach.description}`)
    .join("\n")
  return `# Benchmarks

Generated by \`npx -y pnpm@10.34.8 bench\` (packages/bench) on ${results.generatedAt}; the raw figures are in
[packages/bench/results/latest.json](../packages/bench/results/latest.json).

**Machine:** ${machineLine(results.machine)}.

Every figure below belongs to that machine and Node version; on another machine only the ratios are comparable.

## Targets

${targetsTable(results.targets)}

Where the time goes, from CPU profiles, and what was tried for the targets missed:
[performance.md](performance.md).

## Overhead: N no-op async tasks

Each task yields once to the event loop with a real \`setImmediate\`, counts itself and returns its index
(promise approaches wrap the \`setImmediate\` in a \`Promise\`, Effect approaches in \`Effect.async\`). Inputs are a
lazy range \`0..N-1\`, so any copy into an array is the approach's own cost. Every case runs in a child process of its
own (\`node dist/case.js <approach> <N> <concurrency>\`) that runs ${config.warmupTasks} warm-up tasks, times the N
tasks with \`performance.now()\`, checks that all N completed and that every collected result sits at its index, and
reads its peak RSS with \`process.resourceUsage().maxRSS\` (the whole process: Node, the loaded modules and the
warm-up included). Cases run ${config.rounds} rounds, alternating the order of sizes and approaches; the tables show
medians. Ratios are to \`effect-foreach\` at the same N and concurrency; the Effect 4 cases' to
\`effect4-effect-foreach\`, Effect 4's own.

${descriptions}

![Per-task time and peak RSS against N](./benchmarks-overhead.svg)

${overheadTables(results)}

## Scaling

### With N (concurrency ${config.concurrency})

${growthTable(results)}

### With concurrency (N = ${count(config.scalingN)})

${scalingTable(results)}

${
    isMeasured(results.latency) ? latencySection(results.latency) : `## Latency-bound

Not measured in this run: ${results.latency.skipped}.`
  }

## HTTP: TaskGroup + RiotClient vs plain Effect and a bare fetch pool

${
    isMeasured(results.http)
      ? `The mock server (no rate limits) runs in a process of its own; each round, one child process per approach
issues the same ${count(results.http.client.requests)} match-v5 getMatch requests (the mock's
${count(results.http.distinctMatches)} matches, round-robin) at concurrency ${results.http.client.concurrency}, after
a warm-up of 200 requests. The client side is \`TaskGroup.forEach\` over \`RiotClient.getLolMatchV5Match\` (undici
HttpClient, the header-driven rate limiter, schema validation, retries off). Plain Effect is
\`Effect.forEach({ concurrency })\` over the same undici \`HttpClient\` with its defaults, reading each body with
\`response.json\`: what an Effect user would write without Volley, and the stack the client is built on. The bare side
is ${results.http.client.concurrency} async loops around Node's global \`fetch\` sending the same URL and the same
\`X-Riot-Token\` and \`Accept\` headers and parsing each body with \`response.json()\`. Every side checks each match id. Latency is from issuing a request to having its parsed body; figures
are medians over ${results.http.client.rounds} rounds.

${httpTable(results.http)}`
      : `Not measured in this run: ${results.http.skipped}.`
  }

## Rate-limit efficiency

${
    isMeasured(results.rateLimit)
      ? `The mock enforces application limits of 20 requests per 1 s and 100 per 10 s (and its default method limit
for getMatch, which does not bind here). The client fetches ${results.rateLimit.requests} matches of one region,
through a TaskGroup at concurrency ${results.rateLimit.concurrency}, starting cold: it learns the limits from the
mock's response headers. The mock's request log gives the arrival times and the count of 429s.

**What "allowed rate" means here.** The long-run allowed rate is 100 per 10 s, 10 per second, but a run of
${results.rateLimit.requests} requests is short enough for the burst to matter. Riot's windows are fixed: a window
opens with the first request after the previous one expired. The fastest schedule the limits allow sends 100
requests in the first 10 s window (five bursts of 20, one per second), waits for the window to expire, and does the
same again, so its last request goes out ${fixed(results.rateLimit.minimumSpanMs / 1000)} s after its first (not the ${
        fixed((results.rateLimit.requests - 1) / results.rateLimit.longRunAllowedPerSecond)
      } s the
long-run rate suggests). **Efficiency** is that shortest span divided by the actual span from the first arrival to
the last at the mock: 1.0 is the best any client can do. The achieved rate against the long-run 10/s is shown too;
it can exceed 1.0x on a run this short.

${rateLimitTable(results.rateLimit)}`
      : `Not measured in this run: ${results.rateLimit.skipped}.`
  }

## Running it

\`\`\`sh
npx -y pnpm@10.34.8 bench              # everything (about 5 minutes on the machine above)
npx -y pnpm@10.34.8 bench -- --quick  # N = 10k only, one HTTP round, no rate-limit run: about a minute
npx -y pnpm@10.34.8 bench -- --rounds=5 --sizes=10000,100000 --no-rate-limit
\`\`\`

Flags (or environment variables): \`--rounds=R\` (\`BENCH_ROUNDS\`), \`--sizes=N,...\` (\`BENCH_SIZES\`),
\`--concurrency=C\`, \`--approaches=a,b\`, \`--scaling-n=N\`, \`--scaling-concurrency=1,10,...\`,
\`--latency-tasks=N\`, \`--latency-ms=MS\`, \`--no-latency\`, \`--http-requests=M\`, \`--no-http\`,
\`--no-rate-limit\` / \`--rate-limit\`. A full run writes
\`packages/bench/results/latest.json\`, this file and its chart; \`--quick\` and partial runs write
\`packages/bench/.bench-out/\` instead, unless \`--write\` is given.
`
}
