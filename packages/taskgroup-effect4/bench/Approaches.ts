/**
 * The Effect 4 side of the overhead benchmark (packages/bench): the same
 * task as the Effect 3 cases (one real `setImmediate` wait, a count, its
 * index as result), through the Effect 4 TaskGroup and through what an
 * Effect 4 user would pick instead. They need effect 4, so they are built
 * here, against this package's effect, and run by `case.ts` in a child
 * process of their own, as the Effect 3 cases are.
 */
import { TaskGroup } from "@volley/taskgroup-effect4"
import * as Effect from "effect/Effect"
import * as FiberSet from "effect/FiberSet"
import * as Semaphore from "effect/Semaphore"

/** The Effect 4 approaches, named as `packages/bench` lists them. */
export type Effect4ApproachName =
  | "effect4-taskgroup"
  | "effect4-taskgroup-nocollect"
  | "effect4-taskgroup-foreach"
  | "effect4-effect-foreach"
  | "effect4-fiberset-semaphore"
  | "effect4-fiber-floor"

export interface RunOutcome {
  readonly completed: number
  readonly results: ReadonlyArray<number> | undefined
}

export interface Effect4Approach {
  readonly name: Effect4ApproachName
  readonly collects: boolean
  readonly run: (n: number, concurrency: number) => Promise<RunOutcome>
}

function* range(n: number): Generator<number> {
  for (let i = 0; i < n; i++) yield i
}

interface Counter {
  completed: number
}

const effectTask = (counter: Counter, i: number): Effect.Effect<number> =>
  Effect.callback<number>((resume) => {
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
 * The floor of any design that gives each task a fiber of its own, as the
 * Effect 4 edition does: a fiber per item, forked where a finished item
 * frees its slot, its result kept at its index, and nothing else: no
 * caller's services, no group state, no interruption, no failure handling.
 * It is not something a user would pick; it shows how far below Effect 4's
 * `Effect.forEach` a fiber per task can go at all.
 */
const fiberFloor = (counter: Counter, n: number, concurrency: number): Effect.Effect<ReadonlyArray<number>> =>
  Effect.callback<ReadonlyArray<number>>((resume) => {
    const results = new Array<number>(n)
    let next = 0
    let done = 0
    const forkNext = (): void => {
      const index = next++
      Effect.runFork(effectTask(counter, index)).addObserver((exit) => {
        if (exit._tag === "Success") results[index] = exit.value
        done++
        if (next < n) forkNext()
        else if (done === n) resume(Effect.succeed(results))
      })
    }
    if (n === 0) return resume(Effect.succeed(results))
    for (let slot = 0; slot < concurrency && next < n; slot++) forkNext()
  })

export const all: ReadonlyArray<Effect4Approach> = [
  { name: "effect4-taskgroup", collects: true, run: taskGroupLoop(true) },
  { name: "effect4-taskgroup-nocollect", collects: false, run: taskGroupLoop(false) },
  {
    name: "effect4-taskgroup-foreach",
    collects: true,
    run: (n, concurrency) =>
      runEffect((counter) =>
        Effect.map(
          TaskGroup.forEach(range(n), (i) => effectTask(counter, i), { concurrency }),
          (summary) => summary.results
        )
      )
  },
  {
    name: "effect4-effect-foreach",
    collects: true,
    run: (n, concurrency) =>
      runEffect((counter) => Effect.forEach(range(n), (i) => effectTask(counter, i), { concurrency }))
  },
  {
    name: "effect4-fiberset-semaphore",
    collects: true,
    run: (n, concurrency) =>
      runEffect((counter) =>
        Effect.scoped(Effect.gen(function*() {
          const fibers = yield* FiberSet.make<void>()
          const semaphore = yield* Semaphore.make(concurrency)
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
    name: "effect4-fiber-floor",
    collects: true,
    run: (n, concurrency) => runEffect((counter) => fiberFloor(counter, n, concurrency))
  }
]
