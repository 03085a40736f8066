/**
 * The Effect 3 edition's property tests (packages/taskgroup/test/TaskGroup.property.test.ts),
 * ported to Effect 4: fast-check draws the task sets, and each runs on
 * Effect 4's TestClock.
 */
import { assert, describe, it } from "@effect/vitest"
import { TaskGroup } from "@volley/taskgroup-effect4"
import type { Layer } from "effect"
import { Cause, Effect, Exit, Fiber, Option, References, Semaphore } from "effect"
import { TestClock } from "effect/testing"
import * as FastCheck from "fast-check"

/** Runs a property's program on a fresh TestClock, as `it.effect` would. */
const onTestClock = <A, E>(program: Effect.Effect<A, E>): Promise<A> =>
  Effect.runPromise(
    Effect.provide(program, TestClock.layer() as Layer.Layer<never>).pipe(
      // the collect strategy logs each failure: hundreds of drawn failures are not worth reading
      Effect.provideService(References.MinimumLogLevel, "None")
    )
  )

const errorsAndDefects = (cause: Cause.Cause<unknown>) =>
  cause.reasons.flatMap((reason) =>
    Cause.isFailReason(reason) ? [reason.error] : Cause.isDieReason(reason) ? [reason.defect] : []
  )

type Outcome = "succeed" | "fail" | "die" | "interrupt" | "interruptedFromOutside"

interface TaskSpec {
  readonly duration: number
  readonly outcome: Outcome
}

const taskSpec: FastCheck.Arbitrary<TaskSpec> = FastCheck.record({
  duration: FastCheck.integer({ min: 0, max: 20 }),
  outcome: FastCheck.constantFrom<Array<Outcome>>(
    "succeed",
    "succeed",
    "fail",
    "die",
    "interrupt",
    "interruptedFromOutside"
  )
})

const expectedKind = (outcome: Outcome) =>
  outcome === "succeed" ? "success" : outcome === "fail" || outcome === "die" ? "failure" : "interrupted"

const kindOf = (exit: Exit.Exit<unknown, unknown>) =>
  Exit.isSuccess(exit) ? "success" : Cause.hasInterruptsOnly(exit.cause) ? "interrupted" : "failure"

/** Counts the tasks running at once, and the most there ever were. */
const makeGauge = () => {
  const gauge = { running: 0, peak: 0 }
  const task = (spec: TaskSpec, index: number): Effect.Effect<number, number> =>
    Effect.acquireUseRelease(
      Effect.sync(() => {
        gauge.running++
        gauge.peak = Math.max(gauge.peak, gauge.running)
      }),
      () =>
        Effect.andThen(
          Effect.sleep(spec.duration),
          spec.outcome === "fail"
            ? Effect.fail(index)
            : spec.outcome === "die"
            ? Effect.die(index)
            : spec.outcome === "interrupt"
            ? Effect.interrupt
            : spec.outcome === "interruptedFromOutside"
            ? Effect.never
            : Effect.succeed(index)
        ),
      () => Effect.sync(() => gauge.running--)
    )
  return { gauge, task }
}

describe("TaskGroup properties", () => {
  it(
    "limits, outcomes, permits and fibers hold for any task set",
    { timeout: 60_000 },
    () =>
      FastCheck.assert(
        FastCheck.asyncProperty(
          FastCheck.array(taskSpec, { maxLength: 30 }),
          FastCheck.integer({ min: 1, max: 16 }),
          FastCheck.constantFrom<Array<TaskGroup.FailureStrategy>>("collect", "interrupt"),
          FastCheck.boolean(),
          (specs, concurrency, strategy, shared) =>
            onTestClock(Effect.gen(function*() {
              const semaphore = yield* Semaphore.make(concurrency)
              const { gauge, task: body } = makeGauge()
              const tasks: Array<TaskGroup.Task<number, number>> = []
              let groupRef: TaskGroup.TaskGroup<number, number> | undefined = undefined

              const fiber = yield* Effect.forkChild(Effect.scoped(Effect.gen(function*() {
                const group = yield* TaskGroup.make<number, number>(
                  shared ? { semaphore, strategy } : { concurrency, strategy }
                )
                groupRef = group
                yield* Effect.forEach(specs, (spec, index) =>
                  Effect.tap(TaskGroup.createTask(group, body(spec, index)), (task) => {
                    tasks.push(task)
                    return spec.outcome === "interruptedFromOutside"
                      ? Effect.forkDetach(Effect.andThen(Effect.sleep(spec.duration), task.interrupt))
                      : Effect.void
                  }), { discard: true }).pipe(Effect.catchTag("TaskGroupClosedError", () => Effect.void))
                const joined = yield* Effect.exit(TaskGroup.join(group))
                return { joined, exits: yield* TaskGroup.exits(group), results: yield* TaskGroup.results(group) }
              })))
              yield* TestClock.adjust(20 * (specs.length + 1))
              const { exits, joined, results } = yield* Fiber.join(fiber)

              // never more than the limit running at once
              assert.isAtMost(gauge.peak, concurrency)
              // every permit of a shared semaphore back
              assert.isTrue(Option.isSome(yield* semaphore.withPermitsIfAvailable(concurrency)(Effect.void)))
              // the task handles are in creation order
              assert.deepStrictEqual(
                tasks.map(({ index }) =>
                  index
                ),
                tasks.map((_, index) => index)
              )
              // no task, and no fiber of the group, outlives the group
              for (const task of tasks) assert.isTrue(Option.isSome(yield* task.poll))
              assert.deepInclude(yield* TaskGroup.stats(groupRef!), { running: 0, queued: 0, waiting: 0 })
              assert.strictEqual(gauge.running, 0)
              // each created task's outcome recorded exactly once, in creation order
              assert.deepStrictEqual(
                exits.map(({ index }) => index),
                tasks.map((_, index) => index)
              )
              // results are the successes, in creation order
              assert.deepStrictEqual(
                results,
                exits.flatMap(({ exit }) => Exit.isSuccess(exit) ? [exit.value] : [])
              )
              for (const { exit, index } of exits) {
                if (Exit.isSuccess(exit)) assert.strictEqual(specs[index].outcome, "succeed")
              }

              const failing = specs.flatMap(({ outcome }, index) =>
                outcome === "fail" || outcome === "die" ? [index] : []
              )
              if (strategy === "collect" || failing.length === 0) {
                assert.isTrue(Exit.isSuccess(joined))
                assert.strictEqual(exits.length, specs.length)
                assert.deepStrictEqual(
                  exits.map(({ exit }) => kindOf(exit)),
                  specs.map(({ outcome }) => expectedKind(outcome))
                )
              } else {
                // the group fails with the causes of tasks that were meant to fail, and no others
                assert.isTrue(Exit.isFailure(joined))
                if (Exit.isFailure(joined)) {
                  const blamed = errorsAndDefects(joined.cause) as Array<number>
                  assert.isNotEmpty(blamed)
                  for (const index of blamed) assert.include(failing, index)
                }
              }
            }))
        ),
        { numRuns: 100 }
      )
  )
})

describe("TaskGroup.forEach properties", () => {
  it(
    "forEach keeps the limit and returns every outcome in item order",
    { timeout: 60_000 },
    () =>
      FastCheck.assert(
        FastCheck.asyncProperty(
          FastCheck.array(taskSpec.filter(({ outcome }) => outcome !== "interruptedFromOutside"), { maxLength: 40 }),
          FastCheck.integer({ min: 1, max: 16 }),
          FastCheck.constantFrom<Array<TaskGroup.FailureStrategy>>("collect", "interrupt"),
          (specs, concurrency, strategy) =>
            onTestClock(Effect.gen(function*() {
              const { gauge, task } = makeGauge()
              const fiber = yield* TaskGroup.forEach(
                specs,
                task,
                { concurrency, strategy }
              ).pipe(Effect.exit, Effect.forkChild)
              yield* TestClock.adjust(20 * (specs.length + 1))
              const exit = yield* Fiber.join(fiber)
              assert.isAtMost(gauge.peak, concurrency)
              assert.strictEqual(gauge.running, 0)
              const failing = specs.some(({ outcome }) => outcome === "fail" || outcome === "die")
              if (strategy === "interrupt" && failing) {
                assert.isTrue(Exit.isFailure(exit))
              } else {
                assert.isTrue(Exit.isSuccess(exit))
                if (Exit.isSuccess(exit)) {
                  const { exits, results, stats } = exit.value
                  assert.deepStrictEqual(exits.map(({ index }) => index), specs.map((_, index) => index))
                  assert.deepStrictEqual(
                    exits.map(({ exit }) => kindOf(exit)),
                    specs.map(({ outcome }) => expectedKind(outcome))
                  )
                  assert.deepStrictEqual(
                    results,
                    specs.flatMap(({ outcome }, index) => outcome === "succeed" ? [index] : [])
                  )
                  assert.strictEqual(stats.created, specs.length)
                }
              }
            }))
        ),
        { numRuns: 100 }
      )
  )
})
