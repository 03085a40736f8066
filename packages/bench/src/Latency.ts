/**
 * The latency-bound case: N tasks that each wait `taskMs` on a real timer,
 * at most `concurrency` at a time. Where the overhead case measures what an
 * approach costs per task, this one measures what a user whose tasks wait on
 * I/O feels: how far the wall time is from the ideal
 * `ceil(N / concurrency) × taskMs`, the time `concurrency` perfect workers
 * would take.
 *
 * Effect approaches wait with `Effect.sleep` on the default clock, promise
 * approaches with `setTimeout(resolve, taskMs)`. Node fires a timer no sooner
 * than its delay, and usually a little later, so no approach reaches the
 * ideal: the hand-written pool around bare `setTimeout` calls is the
 * practical floor, and the same pool of fibers around `Effect.sleep` is the
 * floor of any approach built on Effect.
 *
 * @since 0.1.0
 */
import { TaskGroup } from "@volley/taskgroup"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import pLimit from "p-limit"
import * as Stats from "./Stats.js"

/**
 * The name of a latency-bound approach, as passed to
 * `node dist/latency-case.js <approach> <N> <concurrency> <taskMs>`.
 *
 * @since 0.1.0
 * @category models
 */
export type LatencyApproachName =
  | "taskgroup"
  | "taskgroup-foreach"
  | "effect-foreach"
  | "effect-pool"
  | "p-limit"
  | "timer-pool"

/**
 * What one run of a latency-bound approach did: how many tasks ran to
 * completion, and their results.
 *
 * @since 0.1.0
 * @category models
 */
export interface LatencyOutcome {
  readonly completed: number
  readonly results: ReadonlyArray<number>
}

/**
 * One latency-bound approach: how it is described and how it runs `n` tasks
 * of `taskMs` each, at most `concurrency` at a time.
 *
 * @since 0.1.0
 * @category models
 */
export interface LatencyApproach {
  readonly name: LatencyApproachName
  readonly description: string
  readonly run: (n: number, concurrency: number, taskMs: number) => Promise<LatencyOutcome>
}

/**
 * What one latency-bound case measured in its own process.
 *
 * @since 0.1.0
 * @category models
 */
export interface LatencyCaseResult {
  readonly approach: LatencyApproachName
  readonly n: number
  readonly concurrency: number
  readonly taskMs: number
  readonly elapsedMs: number
  readonly completed: number
  readonly collected: number
}

/**
 * The medians over rounds of one latency-bound approach. `vsIdeal` is the
 * wall time over {@link idealMs}, `vsForEach` over `effect-foreach`'s, and
 * `vsFloor` over `timer-pool`'s (the bare `setTimeout` pool).
 *
 * @since 0.1.0
 * @category models
 */
export interface LatencySummary {
  readonly approach: LatencyApproachName
  readonly rounds: ReadonlyArray<LatencyCaseResult>
  readonly failed: ReadonlyArray<string>
  readonly wallMs: number
  readonly vsIdeal: number
  readonly vsForEach: number
  readonly vsFloor: number
}

/**
 * The whole latency-bound section of a bench run.
 *
 * @since 0.1.0
 * @category models
 */
export interface LatencyResults {
  readonly n: number
  readonly concurrency: number
  readonly taskMs: number
  readonly rounds: number
  readonly idealMs: number
  readonly approaches: ReadonlyArray<LatencySummary>
}

/**
 * The defaults of the case, as the issue asks: 20,000 tasks of 1 ms.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaults = { n: 20_000, taskMs: 1 } as const

/** The task inputs 0..n-1, produced lazily so that no approach is handed a prebuilt array. */
function* range(n: number): Generator<number> {
  for (let i = 0; i < n; i++) yield i
}

interface Counter {
  completed: number
}

const effectTask = (counter: Counter, i: number, delay: Duration.Duration): Effect.Effect<number> =>
  Effect.zipRight(
    Effect.sleep(delay),
    Effect.sync(() => {
      counter.completed++
      return i
    })
  )

const promiseTask = (counter: Counter, i: number, taskMs: number): Promise<number> =>
  new Promise<number>((resolve) => {
    setTimeout(() => {
      counter.completed++
      resolve(i)
    }, taskMs)
  })

const runEffect = async (
  program: (counter: Counter) => Effect.Effect<ReadonlyArray<number>>
): Promise<LatencyOutcome> => {
  const counter: Counter = { completed: 0 }
  const results = await Effect.runPromise(program(counter))
  return { completed: counter.completed, results }
}

const runPromise = async (
  program: (counter: Counter) => Promise<ReadonlyArray<number>>
): Promise<LatencyOutcome> => {
  const counter: Counter = { completed: 0 }
  const results = await program(counter)
  return { completed: counter.completed, results }
}

/**
 * Every latency-bound approach, in the order the table lists them.
 *
 * @since 0.1.0
 * @category approaches
 */
export const all: ReadonlyArray<LatencyApproach> = [
  {
    name: "taskgroup",
    description: "TaskGroup: `createTask` in a loop, `join`, `results` (results collected)",
    run: (n, concurrency, taskMs) =>
      runEffect((counter) =>
        Effect.scoped(Effect.gen(function*() {
          const delay = Duration.millis(taskMs)
          const group = yield* TaskGroup.make<number>({ concurrency })
          for (const i of range(n)) {
            yield* TaskGroup.createTask(group, effectTask(counter, i, delay))
          }
          yield* TaskGroup.join(group)
          return yield* TaskGroup.results(group)
        })).pipe(Effect.orDie)
      )
  },
  {
    name: "taskgroup-foreach",
    description: "`TaskGroup.forEach` (returns the full summary: results, failures, exits)",
    run: (n, concurrency, taskMs) =>
      runEffect((counter) => {
        const delay = Duration.millis(taskMs)
        return Effect.map(
          TaskGroup.forEach(range(n), (i) => effectTask(counter, i, delay), { concurrency }),
          (summary) => summary.results
        )
      })
  },
  {
    name: "effect-foreach",
    description: "`Effect.forEach(items, f, { concurrency })` (results collected)",
    run: (n, concurrency, taskMs) =>
      runEffect((counter) => {
        const delay = Duration.millis(taskMs)
        return Effect.forEach(range(n), (i) => effectTask(counter, i, delay), { concurrency })
      })
  },
  {
    name: "effect-pool",
    description:
      "Hand-written Effect pool: `concurrency` fibers looping over one iterator, running the same `Effect.sleep` tasks (the floor of any Effect approach)",
    run: (n, concurrency, taskMs) =>
      runEffect((counter) => {
        const delay = Duration.millis(taskMs)
        const results = new Array<number>(n)
        const items = range(n)
        const worker: Effect.Effect<void> = Effect.suspend(() => {
          const next = items.next()
          if (next.done === true) return Effect.void
          return Effect.flatMap(effectTask(counter, next.value, delay), (value) => {
            results[next.value] = value
            return worker
          })
        })
        const workers = Array.from({ length: Math.min(concurrency, n) }, () => worker)
        return Effect.as(Effect.all(workers, { concurrency: "unbounded", discard: true }), results)
      })
  },
  {
    name: "p-limit",
    description: "`Promise.all(items.map((i) => limit(task, i)))` with `p-limit`, each task a `setTimeout`",
    run: (n, concurrency, taskMs) =>
      runPromise((counter) => {
        const limit = pLimit(concurrency)
        return Promise.all(Array.from(range(n), (i) => limit(promiseTask, counter, i, taskMs)))
      })
  },
  {
    name: "timer-pool",
    description: "Hand-written pool: `concurrency` async loops awaiting bare `setTimeout`s (the practical floor)",
    run: (n, concurrency, taskMs) =>
      runPromise(async (counter) => {
        const results = new Array<number>(n)
        const items = range(n)
        const worker = async () => {
          for (let next = items.next(); !next.done; next = items.next()) {
            results[next.value] = await promiseTask(counter, next.value, taskMs)
          }
        }
        await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker))
        return results
      })
  }
]

/**
 * The latency-bound approach called `name`, or `undefined`.
 *
 * @since 0.1.0
 * @category approaches
 */
export const find = (name: string): LatencyApproach | undefined => all.find((approach) => approach.name === name)

/**
 * The wall time of `n` tasks of `taskMs` each run by `concurrency` perfect
 * workers: `ceil(n / concurrency) × taskMs`, which is `n × taskMs /
 * concurrency` when the concurrency divides `n`.
 *
 * @example
 * ```ts
 * import { Latency } from "@volley/bench"
 *
 * Latency.idealMs(20_000, 100, 1) // 200
 * Latency.idealMs(150, 100, 1) // 2
 * ```
 *
 * @since 0.1.0
 * @category statistics
 */
export const idealMs = (n: number, concurrency: number, taskMs: number): number =>
  n <= 0 ? 0 : Math.ceil(n / Math.max(concurrency, 1)) * taskMs

/**
 * Checks that all `n` tasks completed and that every result sits at its
 * index, and throws otherwise: a run that skipped work must not report a
 * flattering time.
 *
 * @example
 * ```ts
 * import { Latency } from "@volley/bench"
 *
 * Latency.verify("timer-pool", 3, { completed: 3, results: [0, 1, 2] }) // passes
 * ```
 *
 * @since 0.1.0
 * @category running
 */
export const verify = (name: string, n: number, outcome: LatencyOutcome): void => {
  if (outcome.completed !== n) throw new Error(`${name}: ${outcome.completed} of ${n} tasks completed`)
  if (outcome.results.length !== n) throw new Error(`${name}: ${outcome.results.length} of ${n} results collected`)
  for (let i = 0; i < n; i++) {
    if (outcome.results[i] !== i) throw new Error(`${name}: result ${i} is ${outcome.results[i]}`)
  }
}

/**
 * Runs one latency-bound case in this process: `warmupTasks` tasks first so
 * that the measured run is of JIT-compiled code, then the `n` timed ones,
 * verified with {@link verify}.
 *
 * @example
 * ```ts
 * import { Latency } from "@volley/bench"
 *
 * const result = await Latency.measure("effect-foreach", 1000, 100, 1, 0)
 * ```
 *
 * @since 0.1.0
 * @category running
 */
export const measure = async (
  name: string,
  n: number,
  concurrency: number,
  taskMs: number,
  warmupTasks: number
): Promise<LatencyCaseResult> => {
  const approach = find(name)
  if (approach === undefined) throw new Error(`unknown latency approach ${name}`)
  if (warmupTasks > 0) verify(approach.name, warmupTasks, await approach.run(warmupTasks, concurrency, taskMs))
  const start = performance.now()
  const outcome = await approach.run(n, concurrency, taskMs)
  const elapsedMs = performance.now() - start
  verify(approach.name, n, outcome)
  return {
    approach: approach.name,
    n,
    concurrency,
    taskMs,
    elapsedMs,
    completed: outcome.completed,
    collected: outcome.results.length
  }
}

/**
 * Summarizes the rounds of every approach by their median wall time, with
 * the ratios to the ideal, to `effect-foreach` and to `timer-pool`. A
 * missing reference gives `NaN` ratios, never flattering ones.
 *
 * @example
 * ```ts
 * import { Latency } from "@volley/bench"
 *
 * const round = (approach: Latency.LatencyApproachName, elapsedMs: number): Latency.LatencyCaseResult => ({
 *   approach,
 *   n: 20_000,
 *   concurrency: 100,
 *   taskMs: 1,
 *   elapsedMs,
 *   completed: 20_000,
 *   collected: 20_000
 * })
 * const results = Latency.summarize(
 *   { n: 20_000, concurrency: 100, taskMs: 1, rounds: 1 },
 *   [
 *     { approach: "effect-foreach", rounds: [round("effect-foreach", 240)], failed: [] },
 *     { approach: "taskgroup", rounds: [round("taskgroup", 252)], failed: [] }
 *   ]
 * )
 * results.approaches[1].vsIdeal // 1.26
 * results.approaches[1].vsForEach // 1.05
 * ```
 *
 * @since 0.1.0
 * @category statistics
 */
export const summarize = (
  config: { readonly n: number; readonly concurrency: number; readonly taskMs: number; readonly rounds: number },
  runs: ReadonlyArray<{
    readonly approach: LatencyApproachName
    readonly rounds: ReadonlyArray<LatencyCaseResult>
    readonly failed: ReadonlyArray<string>
  }>
): LatencyResults => {
  const ideal = idealMs(config.n, config.concurrency, config.taskMs)
  const wall = (approach: LatencyApproachName): number | undefined => {
    const run = runs.find((candidate) => candidate.approach === approach)
    return run === undefined || run.rounds.length === 0
      ? undefined
      : Stats.median(run.rounds.map((round) => round.elapsedMs))
  }
  const forEach = wall("effect-foreach")
  const floor = wall("timer-pool")
  return {
    ...config,
    idealMs: ideal,
    approaches: runs.map((run) => {
      const own = wall(run.approach)
      return {
        approach: run.approach,
        rounds: run.rounds,
        failed: run.failed,
        wallMs: own ?? NaN,
        vsIdeal: Stats.ratio(own, ideal),
        vsForEach: Stats.ratio(own, forEach),
        vsFloor: Stats.ratio(own, floor)
      }
    })
  }
}
