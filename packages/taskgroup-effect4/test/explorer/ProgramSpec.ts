/**
 * Random programs over TaskGroups, as data: shared semaphores, several
 * groups, both strategies, backlogs, nested groups, tasks that fork fibers,
 * and interruption of producers, of single tasks and of whole scopes.
 *
 * Version-neutral: this module imports neither Effect nor a TaskGroup, only
 * fast-check, so that the Effect 3 and the Effect 4 editions can run the
 * same programs, each through its own interpreter. It is a copy of the spec
 * part of packages/taskgroup/test/explorer/Programs.ts (whose FastCheck is
 * Effect 3's re-export of the same fast-check 3), kept word for word; at
 * merge both editions should import this one module.
 */
import * as FastCheck from "fast-check"

/** What a group does with a failing task. */
export type Strategy = "collect" | "interrupt"

/** `long` outlives every other task by far, so that it is the one that gets interrupted from outside. */
export type Outcome = "succeed" | "fail" | "die" | "interrupt" | "long"

export interface TaskSpec {
  readonly duration: number
  readonly outcome: Outcome
  readonly forksChild: boolean
  /** Interrupted alone this long after it was created. */
  readonly interruptAfter: number | undefined
  /** A group of its own, run inside the task. */
  readonly nested: ReadonlyArray<TaskSpec> | undefined
}

export interface GroupSpec {
  readonly strategy: Strategy
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
        strategy: FastCheck.constantFrom<Array<Strategy>>("collect", "interrupt"),
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
