/**
 * The child-process entry of one case:
 * `node dist/case.js <approach> <N> <concurrency>` prints the `CaseResult`
 * as one JSON line. `BENCH_WARMUP` sets the warm-up task count.
 *
 * @since 0.1.0
 */
import * as Measure from "./Measure.js"

const [name = "", n = "", concurrency = ""] = process.argv.slice(2)
const warmup = process.env.BENCH_WARMUP === undefined ? Measure.defaultWarmupTasks : Number(process.env.BENCH_WARMUP)

Measure.measure(name, Number(n), Number(concurrency), warmup).then(
  (result) => {
    process.stdout.write(JSON.stringify(result) + "\n")
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
    process.exitCode = 1
  }
)
