import { assert, describe, it } from "@effect/vitest"
import { TaskGroup } from "@volley/taskgroup"
import { Cause, Effect, Exit, FastCheck, Fiber, Option, TestClock } from "effect"

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
  Exit.isSuccess(exit) ? "success" : Cause.isInterruptedOnly(exit.cause) ? "interrupted" : "failure"

describe("TaskGroup properties", () => {
  it.effect.prop(
    "limits, outcomes, permits and fibers hold for any task set",
    {
      specs: FastCheck.array(taskSpec, { maxLength: 30 }),
      concurrency: FastCheck.integer({ min: 1, max: 16 }),
      strategy: FastCheck.constantFrom<Array<TaskGroup.FailureStrategy>>("collect", "interrupt")
    },
    ({ concurrency, specs, strategy }) =>
      Effect.gen(function*() {
        const semaphore = yield* Effect.makeSemaphore(concurrency)
        let running = 0
        let peak = 0
        const fibers: Array<Fiber.RuntimeFiber<number, number>> = []
        const body = (spec: TaskSpec, index: number) =>
          Effect.acquireUseRelease(
            Effect.sync(() => {
              running++
              peak = Math.max(peak, running)
            }),
            () =>
              Effect.zipRight(
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
            () => Effect.sync(() => running--)
          )

        const fiber = yield* Effect.fork(Effect.scoped(Effect.gen(function*() {
          const group = yield* TaskGroup.make<number, number>({ semaphore, strategy })
          yield* Effect.forEach(specs, (spec, index) =>
            Effect.tap(TaskGroup.createTask(group, body(spec, index)), (task) => {
              fibers.push(task.fiber)
              return spec.outcome === "interruptedFromOutside"
                ? Effect.forkDaemon(Effect.zipRight(Effect.sleep(spec.duration), Fiber.interrupt(task.fiber)))
                : Effect.void
            }), { discard: true }).pipe(Effect.catchTag("TaskGroupClosedError", () =>
              Effect.void))
          const joined = yield* Effect.exit(TaskGroup.join(group))
          return { joined, exits: yield* TaskGroup.exits(group), results: yield* TaskGroup.results(group) }
        })))
        yield* TestClock.adjust(20 * (specs.length + 1))
        const { exits, joined, results } = yield* Fiber.join(fiber)

        // never more than the limit running at once
        assert.isAtMost(peak, concurrency)
        // every permit back
        assert.isTrue(Option.isSome(yield* semaphore.withPermitsIfAvailable(concurrency)(Effect.void)))
        // no task fiber outlives the group
        assert.isTrue(fibers.every((taskFiber) =>
          taskFiber.unsafePoll() !== null
        ))
        assert.strictEqual(running, 0)
        // each created task's outcome recorded exactly once, in creation order
        assert.deepStrictEqual(exits.map(({ index }) => index), fibers.map((_, index) => index))
        // results are the successes, in creation order
        assert.deepStrictEqual(
          results,
          exits.flatMap(({ exit }) => Exit.isSuccess(exit) ? [exit.value] : [])
        )
        for (const { exit, index } of exits) {
          if (Exit.isSuccess(exit)) assert.strictEqual(specs[index].outcome, "succeed")
        }

        const failing = specs.flatMap(({ outcome }, index) => outcome === "fail" || outcome === "die" ? [index] : [])
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
            const blamed = [...Cause.failures(joined.cause), ...Cause.defects(joined.cause)]
            assert.isNotEmpty(blamed)
            for (const index of blamed) assert.include(failing, index)
          }
        }
      }),
    { timeout: 30_000, fastCheck: { numRuns: 100 } }
  )
})
