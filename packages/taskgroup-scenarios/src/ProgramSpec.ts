/**
 * Random programs over TaskGroups, as plain data: what groups, tasks and
 * interruptions a program has, and nothing of how it is run. It imports
 * neither Effect nor a TaskGroup, only fast-check (the 3.x that Effect 3
 * re-exports as `FastCheck`), so that both editions draw the same programs:
 * each runs them through its own adapter (`Programs.ts` here, for the
 * explorer of either edition) and also on its real group against its
 * reference model (`test/reference/Differential.ts` of each edition).
 */
import * as FastCheck from "fast-check"

export type FailureStrategy = "collect" | "interrupt"

/** `long` outlives every other task by far, so that it is the one that gets interrupted from outside. */
export type Outcome = "succeed" | "fail" | "die" | "interrupt" | "long"

/**
 * How the producer calls `createTask` for a task: as it is, with cooperative
 * yielding turned off (runtime flags, which live outside the FiberRefs), or
 * with a log annotation of the task's own (a change of FiberRefs).
 */
export type CallerSpec = "plain" | "noYielding" | "annotated"

export interface TaskSpec {
  readonly duration: number
  readonly outcome: Outcome
  readonly forksChild: boolean
  readonly caller: CallerSpec
  /**
   * Creates one more task in its own group while it runs, from a fiber it
   * forks (so that a task holding the only permit does not wait for it).
   */
  readonly spawnsSibling: boolean
  /** Interrupted alone this long after it was created. */
  readonly interruptAfter: number | undefined
  /** A group of its own, run inside the task. */
  readonly nested: ReadonlyArray<TaskSpec> | undefined
}

export interface GroupSpec {
  readonly strategy: FailureStrategy
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

const callerSpec = FastCheck.constantFrom<Array<CallerSpec>>("plain", "plain", "noYielding", "annotated")

const leafTask = (outcomes: Array<Outcome>): FastCheck.Arbitrary<TaskSpec> =>
  FastCheck.record({
    duration: FastCheck.integer({ min: 0, max: 6 }),
    outcome: FastCheck.constantFrom(...outcomes),
    forksChild: FastCheck.boolean(),
    caller: callerSpec,
    spawnsSibling: FastCheck.boolean(),
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
      caller: callerSpec,
      spawnsSibling: FastCheck.constant(false),
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
        strategy: FastCheck.constantFrom<Array<FailureStrategy>>("collect", "interrupt"),
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
