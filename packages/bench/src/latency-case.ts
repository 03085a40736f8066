/**
 * The child-process entry of one latency-bound case:
 * `node dist/latency-case.js <approach> <N> <concurrency> <taskMs>` prints
 * the `LatencyCaseResult` as one JSON line. `BENCH_WARMUP` sets the warm-up
 * task count.
 *
 * @since 0.1.0
 */
import * as Latency from "./Latency.js"
import * as Measure from "./Measure.js"

const [name = "", n = "", concurrency = "", taskMs = ""] = process.argv.slice(2)
const warmup = process.env.BENCH_WARMUP === undefined ? Measure.defaultWarmupTasks : Number(process.env.BENCH_WARMUP)

Latency.measure(name, Number(n), Number(concurrency), Number(taskMs), warmup).then(
  (result) => {
    process.stdout.write(JSON.stringify(result) + "\n")
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
    process.exitCode = 1
  }
)
