/**
 * `npx -y pnpm@10.34.8 bench`: runs the suite and writes `results/latest.json`,
 * `docs/benchmarks.md` and `docs/benchmarks-overhead.svg` (a full run), or
 * `.bench-out/` (a quick or partial run). The flags are listed in
 * `docs/benchmarks.md`.
 *
 * @since 0.1.0
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import * as Approaches from "./Approaches.js"
import * as Latency from "./Latency.js"
import * as Measure from "./Measure.js"
import * as Report from "./Report.js"
import type * as Results from "./Results.js"
import * as Suite from "./Suite.js"

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const repositoryDir = path.resolve(packageDir, "../..")

const argv = process.argv.slice(2)
const flag = (name: string): boolean => argv.includes(`--${name}`)
const option = (name: string, env?: string): string | undefined =>
  argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3) ??
    (env === undefined ? undefined : process.env[env])
const numbers = (value: string | undefined): ReadonlyArray<number> | undefined =>
  value === undefined ? undefined : value.split(",").map((part) => Number(part.trim()))
const names = (value: string | undefined): ReadonlyArray<Approaches.ApproachName> | undefined => {
  if (value === undefined) return undefined
  const list = value.split(",").map((part) => part.trim())
  for (const name of list) {
    if (Approaches.find(name) === undefined) throw new Error(`unknown approach ${name}`)
  }
  return list as ReadonlyArray<Approaches.ApproachName>
}

const quick = flag("quick")
const sizes = numbers(option("sizes", "BENCH_SIZES")) ?? (quick ? [10_000] : [10_000, 100_000, 1_000_000])
const approaches = names(option("approaches")) ?? Approaches.all.map((approach) => approach.name)
const config: Suite.Config = {
  quick,
  rounds: Number(option("rounds", "BENCH_ROUNDS") ?? 3),
  sizes,
  concurrency: Number(option("concurrency") ?? 100),
  warmupTasks: Number(option("warmup") ?? Measure.defaultWarmupTasks),
  approaches,
  scalingN: Number(option("scaling-n") ?? (quick ? 10_000 : 100_000)),
  scalingConcurrencies: numbers(option("scaling-concurrency")) ?? [1, 10, 100, 1000],
  scalingApproaches: names(option("scaling-approaches")) ??
    ["taskgroup", "taskgroup-nocollect", "effect-foreach", "p-limit", "p-map", "worker-pool"],
  latency: !flag("no-latency"),
  latencyTasks: Number(option("latency-tasks") ?? Latency.defaults.n),
  latencyMs: Number(option("latency-ms") ?? Latency.defaults.taskMs),
  http: !flag("no-http"),
  httpRequests: Number(option("http-requests") ?? (quick ? 500 : 2000)),
  httpRounds: quick ? 1 : Number(option("rounds", "BENCH_ROUNDS") ?? 3),
  rateLimit: flag("rate-limit") || (!quick && !flag("no-rate-limit")),
  rateLimitRequests: 200,
  log: (line) => process.stderr.write(line + "\n")
}
const isFull = !quick && option("sizes", "BENCH_SIZES") === undefined && option("approaches") === undefined &&
  config.http && config.rateLimit && config.latency && option("latency-tasks") === undefined &&
  option("latency-ms") === undefined
const write = isFull || flag("write")

const versionOf = (name: string, from: string = packageDir): string => {
  try {
    const file = path.join(from, "node_modules", name, "package.json")
    return (JSON.parse(fs.readFileSync(file, "utf8")) as { readonly version: string }).version
  } catch {
    return "?"
  }
}

const machine: Results.Machine = {
  cpu: os.cpus()[0]?.model.trim() ?? "unknown CPU",
  cores: os.cpus().length,
  memoryBytes: os.totalmem(),
  node: process.version,
  platform: `${os.platform()} ${os.release()}`,
  versions: {
    ...Object.fromEntries(["effect", "p-limit", "p-map"].map((name) => [name, versionOf(name)])),
    // the effect that the Effect 4 cases run on
    "effect (Effect 4 cases)": versionOf("effect", path.join(packageDir, "..", "taskgroup-effect4"))
  }
}

const section = async <A>(
  title: string,
  enabled: boolean,
  why: string,
  run: () => Promise<A>
): Promise<A | { readonly skipped: string }> => {
  if (!enabled) return { skipped: why }
  config.log(`${title}...`)
  try {
    return await run()
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    config.log(`${title} failed: ${message}`)
    return { skipped: `failed: ${message}` }
  }
}

const main = async () => {
  config.log(`Machine: ${Report.machineLine(machine)}`)
  config.log("Overhead...")
  const overhead = await Suite.overhead(config)
  config.log("Scaling...")
  const scaling = await Suite.scaling({
    ...config,
    // The run at the overhead concurrency is in the overhead table already when N matches.
    scalingConcurrencies: config.sizes.includes(config.scalingN)
      ? config.scalingConcurrencies.filter((c) => c !== config.concurrency)
      : config.scalingConcurrencies
  })
  const reused = overhead.filter((summary) =>
    summary.n === config.scalingN && config.scalingConcurrencies.includes(summary.concurrency) &&
    (config.scalingApproaches.includes(summary.approach) || summary.approach === "effect-foreach")
  )
  const sweep = [...scaling, ...reused].sort((a, b) =>
    a.approach === b.approach ?
      a.concurrency - b.concurrency :
      approaches.indexOf(a.approach) - approaches.indexOf(b.approach)
  )
  const latency = await section(
    `Latency-bound (${config.latencyTasks} x ${config.latencyMs} ms timers)`,
    config.latency,
    "--no-latency",
    () => Suite.latency(config)
  )
  const http = await section("HTTP", config.http, "--no-http", () => Suite.http(config))
  const rateLimit = await section(
    "Rate limits (about 15 s)",
    config.rateLimit,
    "not requested (--rate-limit runs it)",
    () => Suite.rateLimit(config)
  )
  const results: Results.BenchResults = {
    generatedAt: new Date().toISOString(),
    machine,
    config: {
      quick,
      rounds: config.rounds,
      sizes: config.sizes,
      concurrency: config.concurrency,
      warmupTasks: config.warmupTasks,
      scalingN: config.scalingN,
      scalingConcurrencies: config.scalingConcurrencies
    },
    overhead,
    scaling: sweep,
    latency,
    http,
    rateLimit,
    targets: Report.targets(overhead, http, rateLimit, latency)
  }
  process.stdout.write(Report.text(results) + "\n")
  const outDir = write ? path.join(packageDir, "results") : path.join(packageDir, ".bench-out")
  const docsDir = write ? path.join(repositoryDir, "docs") : outDir
  fs.mkdirSync(outDir, { recursive: true })
  fs.mkdirSync(docsDir, { recursive: true })
  fs.writeFileSync(path.join(outDir, write ? "latest.json" : "run.json"), JSON.stringify(results, null, 2) + "\n")
  fs.writeFileSync(path.join(docsDir, "benchmarks.md"), Report.markdown(results))
  fs.writeFileSync(path.join(docsDir, "benchmarks-overhead.svg"), await Report.chartSvg(results))
  config.log(`Wrote ${path.relative(repositoryDir, outDir)} and ${path.relative(repositoryDir, docsDir)}`)
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`)
  process.exitCode = 1
})
