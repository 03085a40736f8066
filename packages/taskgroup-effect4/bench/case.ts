/**
 * The child-process entry of one Effect 4 case, as `packages/bench`'s
 * `case.ts` is of an Effect 3 one: `node build/bench/case.js <approach> <N>
 * <concurrency>` prints the same `CaseResult` JSON line, after the same
 * warm-up (`BENCH_WARMUP`) and the same checks of every count and result.
 */
import * as Approaches from "./Approaches.js"

const [name = "", n = "", concurrency = ""] = process.argv.slice(2)
const warmup = process.env.BENCH_WARMUP === undefined ? 1000 : Number(process.env.BENCH_WARMUP)

const measure = async () => {
  const approach = Approaches.all.find((a) => a.name === name)
  if (approach === undefined) throw new Error(`unknown approach ${name}`)
  const size = Number(n)
  if (warmup > 0) await approach.run(warmup, Number(concurrency))
  const start = performance.now()
  const outcome = await approach.run(size, Number(concurrency))
  const elapsedMs = performance.now() - start
  if (outcome.completed !== size) throw new Error(`${name}: ${outcome.completed} of ${size} tasks completed`)
  if (approach.collects) {
    const results = outcome.results ?? []
    if (results.length !== size) throw new Error(`${name}: ${results.length} of ${size} results collected`)
    for (let i = 0; i < size; i++) if (results[i] !== i) throw new Error(`${name}: result ${i} is ${results[i]}`)
  }
  return {
    approach: name,
    n: size,
    concurrency: Number(concurrency),
    elapsedMs,
    perTaskUs: (elapsedMs * 1000) / size,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    completed: outcome.completed,
    collected: outcome.results?.length ?? 0
  }
}

measure().then(
  (result) => process.stdout.write(JSON.stringify(result) + "\n"),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
    process.exitCode = 1
  }
)
