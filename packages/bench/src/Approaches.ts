/**
 * The ways of running N small async tasks with bounded concurrency that the
 * overhead benchmark compares: the TaskGroup, what Effect users would pick
 * instead, what promise users would pick instead, and a hand-written worker
 * pool as the floor.
 *
 * Every task does the same work: it yields once to the event loop with a
 * real `setImmediate`, counts itself, and returns its index. Promise-based
 * approaches wrap that `setImmediate` in a `Promise`, Effect-based ones in
 * `Effect.async`, each its own native way to wait for a callback.
 *
 * @since 0.1.0
 */
import { TaskGroup } from "@volley/taskgroup"
import * as Effect from "effect/Effect"
import * as FiberSet from "effect/FiberSet"
import pLimit from "p-limit"
import pMap from "p-map"

/**
 * The name of an approach, as passed to `node dist/case.js <approach> <N> <concurrency>`.
 *
 * @since 0.1.0
 * @category models
 */
export type ApproachName =
  | "taskgroup"
  | "taskgroup-nocollect"
  | "taskgroup-foreach"
  | "effect-foreach"
  | "effect-foreach-discard"
  | "fiberset-semaphore"
  | "p-limit"
  | "p-map"
  | "promise-all"
  | "worker-pool"
  | Effect4ApproachName

/**
 * The Effect 4 cases: the same task through `@volley/taskgroup-effect4`,
 * Effect 4's `Effect.forEach` and Effect 4's `FiberSet`. They need effect 4,
 * which this package (on Effect 3) cannot load, so they are built in
 * packages/taskgroup-effect4/bench and run by its own child entry (see
 * `Suite.runCase`); their ratios are to Effect 4's `Effect.forEach`.
 *
 * @since 0.1.0
 * @category models
 */
export type Effect4ApproachName =
  | "effect4-taskgroup"
  | "effect4-taskgroup-nocollect"
  | "effect4-taskgroup-foreach"
  | "effect4-effect-foreach"
  | "effect4-fiberset-semaphore"
  | "effect4-fiber-floor"

/**
 * What one run of an approach did: how many tasks ran to completion, and the
 * results it kept (`undefined` for approaches that keep none).
 *
 * @since 0.1.0
 * @category models
 */
export interface RunOutcome {
  readonly completed: number
  readonly results: ReadonlyArray<number> | undefined
}

/**
 * One approach: how it is described and how it runs `n` tasks at most
 * `concurrency` at a time (`promise-all` ignores the bound).
 *
 * @since 0.1.0
 * @category models
 */
export interface Approach {
  readonly name: ApproachName
  readonly description: string
  /** Whether it keeps every task's result. */
  readonly collects: boolean
  /** Whether it honours the concurrency bound. */
  readonly bounded: boolean
  readonly run: (n: number, concurrency: number) => Promise<RunOutcome>
  /** Set for the Effect 4 cases, which run in the Effect 4 edition's own child entry, never in this process. */
  readonly edition?: 4
}

const effect4Case = (name: Effect4ApproachName, description: string, collects: boolean): Approach => ({
  name,
  description: `Effect 4: ${description}`,
  collects,
  bounded: true,
  edition: 4,
  run: () => Promise.reject(new Error(`${name} runs in packages/taskgroup-effect4/build/bench/case.js`))
})

/** The task inputs 0..n-1, produced lazily so that no approach is handed a prebuilt array. */
function* range(n: number): Generator<number> {
  for (let i = 0; i < n; i++) yield i
}

interface Counter {
  completed: number
}

const promiseTask = (counter: Counter, i: number): Promise<number> =>
  new Promise<number>((resolve) => {
    setImmediate(() => {
      counter.completed++
      resolve(i)
    })
  })

const effectTask = (counter: Counter, i: number): Effect.Effect<number> =>
  Effect.async<number>((resume) => {
    setImmediate(() => {
      counter.completed++
      resume(Effect.succeed(i))
    })
  })

const runEffect = async (
  program: (counter: Counter) => Effect.Effect<ReadonlyArray<number> | undefined>
): Promise<RunOutcome> => {
  const counter: Counter = { completed: 0 }
  const results = await Effect.runPromise(program(counter))
  return { completed: counter.completed, results }
}

const runPromise = async (
  program: (counter: Counter) => Promise<ReadonlyArray<number> | undefined>
): Promise<RunOutcome> => {
  const counter: Counter = { completed: 0 }
  const results = await program(counter)
  return { completed: counter.completed, results }
}

const taskGroupLoop = (collectResults: boolean) => (n: number, concurrency: number) =>
  runEffect((counter) =>
    Effect.scoped(Effect.gen(function*() {
      const group = yield* TaskGroup.make<number>({ concurrency, collectResults })
      for (const i of range(n)) {
        yield* TaskGroup.createTask(group, effectTask(counter, i))
      }
      yield* TaskGroup.join(group)
      return collectResults ? yield* TaskGroup.results(group) : undefined
    })).pipe(Effect.orDie)
  )

/**
 * Every approach, in the order the tables list them.
 *
 * @since 0.1.0
 * @category approaches
 */
export const all: ReadonlyArray<Approach> = [
  {
    name: "taskgroup",
    description: "TaskGroup: `createTask` in a loop, `join`, `results` (results collected)",
    collects: true,
    bounded: true,
    run: taskGroupLoop(true)
  },
  {
    name: "taskgroup-nocollect",
    description: "TaskGroup as above with `collectResults: false`",
    collects: false,
    bounded: true,
    run: taskGroupLoop(false)
  },
  {
    name: "taskgroup-foreach",
    description: "`TaskGroup.forEach` (returns the full summary: results, failures, exits)",
    collects: true,
    bounded: true,
    run: (n, concurrency) =>
      runEffect((counter) =>
        Effect.map(
          TaskGroup.forEach(range(n), (i) => effectTask(counter, i), { concurrency }),
          (summary) => summary.results
        )
      )
  },
  {
    name: "effect-foreach",
    description: "`Effect.forEach(items, f, { concurrency })` (results collected)",
    collects: true,
    bounded: true,
    run: (n, concurrency) =>
      runEffect((counter) => Effect.forEach(range(n), (i) => effectTask(counter, i), { concurrency }))
  },
  {
    name: "effect-foreach-discard",
    description: "`Effect.forEach(items, f, { concurrency, discard: true })`",
    collects: false,
    bounded: true,
    run: (n, concurrency) =>
      runEffect((counter) =>
        Effect.as(
          Effect.forEach(range(n), (i) => effectTask(counter, i), { concurrency, discard: true }),
          undefined
        )
      )
  },
  {
    name: "fiberset-semaphore",
    description: "`FiberSet.run` after `Semaphore.take(1)`, results stored by index",
    collects: true,
    bounded: true,
    run: (n, concurrency) =>
      runEffect((counter) =>
        Effect.scoped(Effect.gen(function*() {
          const fibers = yield* FiberSet.make<void>()
          const semaphore = yield* Effect.makeSemaphore(concurrency)
          const results = new Array<number>(n)
          for (const i of range(n)) {
            yield* semaphore.take(1)
            const task = Effect.map(effectTask(counter, i), (value) => {
              results[i] = value
            })
            yield* FiberSet.run(fibers, Effect.ensuring(task, semaphore.release(1)))
          }
          yield* FiberSet.awaitEmpty(fibers)
          return results
        }))
      )
  },
  {
    name: "p-limit",
    description: "`Promise.all(items.map((i) => limit(task, i)))` with `p-limit`",
    collects: true,
    bounded: true,
    run: (n, concurrency) =>
      runPromise((counter) => {
        const limit = pLimit(concurrency)
        return Promise.all(Array.from(range(n), (i) => limit(promiseTask, counter, i)))
      })
  },
  {
    name: "p-map",
    description: "`pMap(items, task, { concurrency })` with `p-map`",
    collects: true,
    bounded: true,
    run: (n, concurrency) => runPromise((counter) => pMap(range(n), (i) => promiseTask(counter, i), { concurrency }))
  },
  {
    name: "promise-all",
    description: "`Promise.all(items.map(task))`: every task at once, no bound",
    collects: true,
    bounded: false,
    run: (n) => runPromise((counter) => Promise.all(Array.from(range(n), (i) => promiseTask(counter, i))))
  },
  {
    name: "worker-pool",
    description: "Hand-written pool: `concurrency` async loops pulling from one iterator (the floor)",
    collects: true,
    bounded: true,
    run: (n, concurrency) =>
      runPromise(async (counter) => {
        const results = new Array<number>(n)
        const items = range(n)
        const worker = async () => {
          for (let next = items.next(); !next.done; next = items.next()) {
            results[next.value] = await promiseTask(counter, next.value)
          }
        }
        await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker))
        return results
      })
  },
  effect4Case("effect4-taskgroup", "`@volley/taskgroup-effect4`, `createTask` in a loop, `join`, `results`", true),
  effect4Case("effect4-taskgroup-nocollect", "the createTask loop with `collectResults: false`", false),
  effect4Case("effect4-taskgroup-foreach", "`TaskGroup.forEach` of `@volley/taskgroup-effect4`", true),
  effect4Case("effect4-effect-foreach", "Effect 4's `Effect.forEach(items, f, { concurrency })`", true),
  effect4Case("effect4-fiberset-semaphore", "Effect 4's `FiberSet.run` after `Semaphore.take(1)`", true),
  effect4Case(
    "effect4-fiber-floor",
    "a bare fiber per task with no bookkeeping, the floor of a fiber-per-task design (not a user's choice)",
    true
  )
]

/**
 * The approach called `name`, or `undefined`.
 *
 * @example
 * ```ts
 * import { Approaches } from "@volley/bench"
 *
 * const floor = Approaches.find("worker-pool")
 * ```
 *
 * @since 0.1.0
 * @category approaches
 */
export const find = (name: string): Approach | undefined => all.find((approach) => approach.name === name)
