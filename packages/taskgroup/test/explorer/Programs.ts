/**
 * Random programs over TaskGroups for the explorer to run: shared
 * semaphores, several groups, both strategies, backlogs, nested groups,
 * tasks that fork fibers, and interruption of producers, of single tasks and
 * of whole scopes.
 */
import { TaskGroup } from "@volley/taskgroup"
import { Effect, FastCheck, Fiber } from "effect"
import * as internal from "../../src/internal/taskGroup.js"
import type { Harness } from "./Explorer.js"

/** `long` outlives every other task by far, so that it is the one that gets interrupted from outside. */
type Outcome = "succeed" | "fail" | "die" | "interrupt" | "long"

interface TaskSpec {
  readonly duration: number
  readonly outcome: Outcome
  readonly forksChild: boolean
  /** Interrupted alone this long after it was created. */
  readonly interruptAfter: number | undefined
  /** A group of its own, run inside the task. */
  readonly nested: ReadonlyArray<TaskSpec> | undefined
}

interface GroupSpec {
  readonly strategy: TaskGroup.FailureStrategy
  readonly limit: { readonly kind: "own"; readonly concurrency: number } | {
    readonly kind: "shared"
    readonly semaphore: number
  } | { readonly kind: "unbounded" }
  readonly backlog: number | undefined
  /** One producer per entry, each creating its tasks in order. */
  readonly producers: ReadonlyArray<{
    readonly tasks: ReadonlyArray<TaskSpec>
    readonly interruptAfter: number | undefined
    /** Hands its tasks over as `forEach` does, rather than by `createTask` calls. */
    readonly asForEach: boolean
  }>
  /** The group's scope is interrupted this long after it opened. */
  readonly interruptScopeAfter: number | undefined
  readonly joins: boolean
}

export interface ProgramSpec {
  readonly semaphores: ReadonlyArray<number>
  readonly groups: ReadonlyArray<GroupSpec>
}

const maybe = <A>(arb: FastCheck.Arbitrary<A>) => FastCheck.option(arb, { nil: undefined, freq: 3 })

const leafTask = (outcomes: Array<Outcome>): FastCheck.Arbitrary<TaskSpec> =>
  FastCheck.record({
    duration: FastCheck.integer({ min: 0, max: 6 }),
    outcome: FastCheck.constantFrom(...outcomes),
    forksChild: FastCheck.boolean(),
    interruptAfter: maybe(FastCheck.integer({ min: 0, max: 6 })),
    nested: FastCheck.constant(undefined)
  })

const taskSpec: FastCheck.Arbitrary<TaskSpec> = FastCheck.oneof(
  { weight: 6, arbitrary: leafTask(["succeed", "succeed", "succeed", "fail", "die", "interrupt", "long"]) },
  {
    weight: 1,
    arbitrary: FastCheck.record({
      duration: FastCheck.integer({ min: 0, max: 3 }),
      outcome: FastCheck.constantFrom<Array<Outcome>>("succeed", "fail"),
      forksChild: FastCheck.constant(false),
      interruptAfter: maybe(FastCheck.integer({ min: 0, max: 6 })),
      nested: FastCheck.array(leafTask(["succeed", "fail", "die", "interrupt"]), { minLength: 1, maxLength: 3 })
    })
  }
)

export const programSpec: FastCheck.Arbitrary<ProgramSpec> = FastCheck.integer({ min: 1, max: 2 }).chain((
  semaphoreCount
) =>
  FastCheck.record({
    semaphores: FastCheck.array(FastCheck.integer({ min: 1, max: 3 }), {
      minLength: semaphoreCount,
      maxLength: semaphoreCount
    }),
    groups: FastCheck.array(
      FastCheck.record({
        strategy: FastCheck.constantFrom<Array<TaskGroup.FailureStrategy>>("collect", "interrupt"),
        limit: FastCheck.oneof(
          FastCheck.record({
            kind: FastCheck.constant("own" as const),
            concurrency: FastCheck.integer({ min: 1, max: 3 })
          }),
          FastCheck.record({
            kind: FastCheck.constant("shared" as const),
            semaphore: FastCheck.integer({ min: 0, max: semaphoreCount - 1 })
          }),
          FastCheck.record({ kind: FastCheck.constant("unbounded" as const) })
        ),
        backlog: maybe(FastCheck.integer({ min: 0, max: 3 })),
        producers: FastCheck.array(
          FastCheck.record({
            tasks: FastCheck.array(taskSpec, { maxLength: 5 }),
            interruptAfter: maybe(FastCheck.integer({ min: 0, max: 8 })),
            asForEach: FastCheck.boolean()
          }),
          { minLength: 1, maxLength: 2 }
        ),
        interruptScopeAfter: maybe(FastCheck.integer({ min: 0, max: 10 })),
        joins: FastCheck.boolean()
      }),
      { minLength: 1, maxLength: 3 }
    )
  })
)

const body = (h: Harness, spec: TaskSpec, index: number): Effect.Effect<number, unknown> => {
  const ending: Effect.Effect<number, number> = spec.outcome === "succeed"
    ? Effect.succeed(index)
    : spec.outcome === "fail"
    ? Effect.fail(index)
    : spec.outcome === "die"
    ? Effect.die(index)
    : spec.outcome === "interrupt"
    ? Effect.interrupt
    // not Effect.never: its interrupter may itself be interrupted first, and a normal close rightly waits
    : Effect.as(Effect.sleep(1000), index)
  const nested = spec.nested === undefined ? Effect.void : Effect.scoped(Effect.gen(function*() {
    const group = yield* h.group<number, unknown>(`nested in ${index}`, { concurrency: 2 })
    for (const [i, child] of spec.nested!.entries()) yield* h.createTask(group, body(h, child, i))
  }))
  const child = spec.forksChild ? Effect.fork(Effect.never) : Effect.void
  return Effect.zipRight(Effect.zipRight(Effect.zipRight(child, nested), Effect.sleep(spec.duration)), ending)
}

const options = (semaphores: ReadonlyArray<Effect.Semaphore>, spec: GroupSpec): TaskGroup.TaskGroupOptions => ({
  strategy: spec.strategy,
  backlog: spec.backlog,
  ...(spec.limit.kind === "own"
    ? { concurrency: spec.limit.concurrency }
    : spec.limit.kind === "shared"
    ? { semaphore: semaphores[spec.limit.semaphore] }
    : {})
})

export const program = (spec: ProgramSpec) => (h: Harness) =>
  Effect.gen(function*() {
    const semaphores = spec.semaphores.map((permits) => h.semaphore(permits))
    const groups = spec.groups.map((groupSpec, g) =>
      Effect.scoped(Effect.gen(function*() {
        const group = yield* h.group<number, unknown>(`group ${g}`, options(semaphores, groupSpec))
        const producers = yield* Effect.forEach(groupSpec.producers, (producer) =>
          Effect.fork(
            producer.asForEach
              ? internal.feed(group, producer.tasks, (task, i) => h.task(group, body(h, task, i))).pipe(
                producer.interruptAfter === undefined ? (self) => self : Effect.timeout(producer.interruptAfter),
                Effect.ignore
              ) :
              Effect.forEach(producer.tasks, (task, i) =>
                Effect.flatMap(h.createTask(group, body(h, task, i)), (handle) =>
                  task.interruptAfter === undefined
                    ? Effect.void
                    : Effect.forkDaemon(Effect.zipRight(Effect.sleep(task.interruptAfter), handle.interrupt))), {
                discard: true
              }).pipe(
                producer.interruptAfter === undefined
                  ? (self) => self
                  : Effect.timeout(producer.interruptAfter),
                Effect.ignore
              )
          ))
        yield* Fiber.joinAll(producers)
        if (groupSpec.joins) yield* Effect.ignore(TaskGroup.join(group))
      })).pipe(
        groupSpec.interruptScopeAfter === undefined
          ? Effect.interruptible
          : Effect.timeout(groupSpec.interruptScopeAfter),
        Effect.ignore
      )
    )
    yield* Effect.all(groups, { concurrency: "unbounded", discard: true })
  })
