/**
 * The Effect 4 edition's run of the Effect 3 suite's 13 interleaving
 * scenarios (packages/taskgroup/test/Interleavings.test.ts), ported program
 * for program to Effect 4's API with the same expectations, and the
 * scenarios of the three parts that are hard on Effect 4.
 *
 * The TaskGroup's guarantees, checked by the interleaving explorer under
 * every budget and at every place where the scheduler can switch fibers.
 * Each numbered scenario reproduces one class of bug that the first
 * worker-reuse design had (issue 10); the explorer's own invariants (permits
 * back, tasks ended before their group closed, no waiting createTask left,
 * counters that add up, creation order, complete streams, no fiber left,
 * no hang) are checked in every run of every scenario.
 */
import { describe, expect, it } from "@effect/vitest"
import { TaskGroup } from "@volley/taskgroup-effect4"
import { Cause, Clock, Context, Deferred, Effect, Exit, Fiber, Ref } from "effect"
import type { ExploreOptions, Harness, Outcome } from "./explorer/Explorer.js"
import { describeFailures, explore } from "./explorer/Explorer.js"

/** The exit of `effect` and the virtual instant it ended at. */
const timed = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.zip(Effect.exit(effect), Clock.currentTimeMillis), ([exit, at]) => ({ exit, at }))

const expectAlways = async <A, E>(
  scenario: (h: Harness) => Effect.Effect<A, E, any>,
  check: (outcome: Outcome<A, E>) => string | undefined = () => undefined,
  options?: ExploreOptions
) => {
  const report = await explore(scenario, check, options)
  expect(describeFailures(report as any)).toBe("")
  expect(report.runs).toBeGreaterThan(100)
}

/** The current value of a reference, as an effect. */
const read = <A>(ref: Context.Reference<A>): Effect.Effect<A> =>
  Effect.gen(function*() {
    return yield* ref
  })

const valueOf = <A>(outcome: Outcome<A, unknown>): A | undefined =>
  Exit.isSuccess(outcome.exit) ? outcome.exit.value : undefined

describe("interleavings", { timeout: 120_000 }, () => {
  it("1. an interruption lands while a task waits for the permit another holds", () =>
    expectAlways(
      (h) =>
        timed(Effect.scoped(Effect.gen(function*() {
          const group = yield* h.group<void, never>("g", { semaphore: h.semaphore(1) })
          yield* h.createTask(group, Effect.sleep(10))
          yield* h.createTask(group, Effect.never)
          return yield* Effect.fail("stop")
        }))),
      (outcome) => {
        const result = valueOf(outcome)
        if (result === undefined || !Exit.isFailure(result.exit)) return "did not fail"
        if (Cause.squash(result.exit.cause) !== "stop") return "did not fail with stop"
        return result.at === 10 ? undefined : `ended at t=${result.at}, not t=10`
      }
    ))

  it("1. a task created in an uninterruptible region can still be interrupted by its group", () =>
    expectAlways(
      (h) =>
        timed(Effect.scoped(Effect.gen(function*() {
          const group = yield* h.group<void, string>("g", { concurrency: 2, strategy: "interrupt" })
          yield* Effect.uninterruptible(h.createTask(group, Effect.never))
          yield* h.createTask(group, Effect.andThen(Effect.sleep(10), Effect.fail("boom")))
          return yield* TaskGroup.join(group)
        }))),
      (outcome) => {
        const result = valueOf(outcome)
        return result !== undefined && Exit.isFailure(result.exit) && result.at === 10
          ? undefined
          : `expected a failure at t=10, got t=${result?.at}`
      }
    ))

  it("2. under interrupt, a failure while the scope closes normally interrupts the siblings", () =>
    expectAlways(
      (h) =>
        Effect.gen(function*() {
          const closed = yield* timed(Effect.scoped(Effect.gen(function*() {
            const group = yield* h.group<void, string>("g", { strategy: "interrupt", concurrency: 4 })
            yield* h.createTask(group, Effect.andThen(Effect.sleep(100), Effect.fail("boom")))
            yield* h.createTask(group, Effect.sleep(10_000))
            return group
          })))
          return {
            at: closed.at,
            stats: yield* TaskGroup.stats((closed.exit as Exit.Success<TaskGroup.TaskGroup<void, string>>).value)
          }
        }),
      (outcome) => {
        const result = valueOf(outcome)
        if (result === undefined) return "the scope did not close"
        if (result.at !== 100) return `closed at t=${result.at}, not t=100`
        return result.stats.interrupted === 1 ? undefined : "the sibling was not interrupted"
      }
    ))

  it("3. with a shared semaphore, waiting createTasks never start a task on a failed group", () =>
    expectAlways((h) =>
      Effect.gen(function*() {
        const semaphore = h.semaphore(1)
        const other = yield* h.group<void, never>("other", { semaphore })
        yield* h.createTask(other, Effect.sleep(10))
        return yield* Effect.scoped(Effect.gen(function*() {
          const group = yield* h.group<void, string>("g", { semaphore, strategy: "interrupt" })
          const first = yield* Effect.forkChild(h.createTask(group, Effect.fail("boom")))
          const second = yield* Effect.forkChild(h.createTask(group, Effect.sleep(5)))
          const third = yield* Effect.forkChild(h.createTask(group, Effect.void))
          return [yield* Fiber.await(first), yield* Fiber.await(second), yield* Fiber.await(third)]
        }))
      })
    ))

  it("3. a createTask waiting on a shared semaphore is refused when its group closes", () =>
    expectAlways((h) =>
      Effect.gen(function*() {
        const semaphore = h.semaphore(1)
        const other = yield* h.group<void, never>("other", { semaphore })
        yield* h.createTask(other, Effect.sleep(10))
        const waiting = yield* Effect.scoped(Effect.gen(function*() {
          const group = yield* h.group<void, never>("g", { semaphore })
          const waiting = yield* Effect.forkChild(h.createTask(group, Effect.void))
          yield* Effect.sleep(1)
          return waiting
        }))
        return yield* Fiber.await(waiting)
      }), (outcome) => {
      const exit = valueOf(outcome)
      return exit !== undefined && Exit.isFailure(exit) ? undefined : "the waiting createTask was not refused"
    }))

  it("4. join and close see every task of an unbounded group", () =>
    expectAlways((h) =>
      Effect.scoped(Effect.gen(function*() {
        const group = yield* h.group<number, never>("g")
        const ended = yield* Ref.make(0)
        for (let i = 0; i < 4; i++) {
          yield* h.createTask(
            group,
            Effect.andThen(Effect.repeat(Effect.yieldNow, { times: i }), Ref.updateAndGet(ended, (n) => n + 1))
          )
        }
        yield* TaskGroup.join(group)
        return yield* Ref.get(ended)
      })), (outcome) => valueOf(outcome) === 4 ? undefined : `join returned with ${valueOf(outcome)} of 4 ended`))

  it("5. join waits for the tasks created before it, and a busy producer cannot starve it", () =>
    expectAlways(
      (h) =>
        Effect.scoped(Effect.gen(function*() {
          const group = yield* h.group<void, never>("g", { concurrency: 4 })
          yield* Effect.forkScoped(
            Effect.forever(Effect.andThen(h.createTask(group, Effect.sleep(10)), Effect.sleep(1)))
          )
          yield* Effect.sleep(5)
          const createdBefore = (yield* TaskGroup.stats(group)).created
          const joined = yield* timed(TaskGroup.join(group))
          const exits = yield* TaskGroup.exits(group)
          return { joined, createdBefore, endedBefore: exits.filter((e) => e.index < createdBefore).length }
        })),
      (outcome) => {
        const result = valueOf(outcome)
        if (result === undefined) return "the scenario failed"
        if (result.endedBefore !== result.createdBefore) return "join returned before its tasks ended"
        // the last of them is queued at t=5 behind four running tasks: it starts at t=11 and ends at t=21
        return result.joined.at <= 22 ? undefined : `join returned at t=${result.joined.at}`
      },
      { budgets: [4, 8, 2048], switchRuns: 60, randomRuns: 15 }
    ))

  it("6. slow stream readers get every completion and the final counters, even at close", () =>
    expectAlways((h) =>
      Effect.scoped(Effect.gen(function*() {
        const group = yield* h.group<number, string>("g", { concurrency: 2 })
        for (let i = 0; i < 6; i++) yield* h.createTask(group, i % 3 === 0 ? Effect.fail("x") : Effect.succeed(i))
      }))
    ))

  it("7. forEach over an iterator that throws dies promptly with that defect, every permit back", () =>
    expectAlways(
      (h) => {
        const semaphore = h.semaphore(2)
        function* items() {
          yield 1
          yield 2
          yield 3
          throw new Error("bad iterator")
        }
        // the time each one took: both reach the throw once their first tasks have ended
        const took = <A, E>(effect: Effect.Effect<A, E>) =>
          Effect.flatMap(Clock.currentTimeMillis, (start) =>
            Effect.map(timed(effect), (result) => ({ ...result, at: result.at - start })))
        return Effect.zip(
          took(TaskGroup.forEach(items(), () =>
            Effect.sleep(10), { concurrency: 2 })),
          took(TaskGroup.forEach(items(), () => Effect.sleep(10), { semaphore }))
        )
      },
      (outcome) => {
        const both = valueOf(outcome)
        if (both === undefined) return "the scenario failed"
        for (const result of both) {
          if (!Exit.isFailure(result.exit)) return "forEach did not fail"
          const defect = Cause.squash(result.exit.cause)
          if (!(defect instanceof Error) || defect.message !== "bad iterator") return `wrong cause ${String(defect)}`
          if (result.at > 10) return `died at t=${result.at}`
        }
        return undefined
      }
    ))

  it("8. fibers a task forks are interrupted when the task ends", () =>
    expectAlways(
      (h) =>
        Effect.gen(function*() {
          const childEnded = yield* Ref.make(-1)
          const closed = yield* timed(Effect.scoped(Effect.gen(function*() {
            // one permit: the second task runs right after the first, where a reused fiber would keep the child
            const group = yield* h.group<void, never>("g", { concurrency: 1 })
            const child = Effect.never.pipe(
              Effect.onInterrupt(() => Effect.flatMap(Clock.currentTimeMillis, (t) => Ref.set(childEnded, t)))
            )
            yield* h.createTask(group, Effect.andThen(Effect.forkChild(child), Effect.sleep(10)))
            yield* h.createTask(group, Effect.sleep(100))
          })))
          return { childEndedAt: yield* Ref.get(childEnded), closedAt: closed.at }
        }),
      (outcome) => {
        const result = valueOf(outcome)
        return result?.childEndedAt === 10 && result.closedAt === 110
          ? undefined
          : `child ended at ${result?.childEndedAt}, group closed at ${result?.closedAt}`
      }
    ))

  it("a task interrupted alone, queued or running, gives its permit on and the next runs", () =>
    expectAlways((h) =>
      Effect.scoped(Effect.gen(function*() {
        const group = yield* h.group<string, never>("g", { concurrency: 1, backlog: 2 })
        const first = yield* h.createTask(group, Effect.as(Effect.sleep(5), "first"))
        const queued = yield* h.createTask(group, Effect.succeed("queued"))
        const last = yield* h.createTask(group, Effect.succeed("last"))
        yield* queued.interrupt
        yield* Effect.forkChild(first.interrupt)
        return [yield* last.join, yield* Effect.exit(queued.join)] as const
      })), (outcome) => {
      const result = valueOf(outcome)
      return result?.[0] === "last" && result[1] !== undefined && Exit.hasInterrupts(result[1])
        ? undefined
        : "wrong outcomes"
    }))

  it("a producer that outruns the backlog is held back, and interrupting it loses nothing", () =>
    expectAlways((h) =>
      Effect.scoped(Effect.gen(function*() {
        const group = yield* h.group<number, never>("g", { concurrency: 2, backlog: 2 })
        const producer = yield* Effect.forkChild(Effect.forEach(
          [0, 1, 2, 3, 4, 5, 6, 7],
          (i) => h.createTask(group, Effect.as(Effect.sleep(1 + (i % 3)), i))
        ))
        yield* Effect.sleep(2)
        yield* Fiber.interrupt(producer)
        yield* TaskGroup.join(group)
        const stats = yield* TaskGroup.stats(group)
        const results = yield* TaskGroup.results(group)
        return { stats, results }
      })), (outcome) => {
      const result = valueOf(outcome)
      if (result === undefined) return "the scenario failed"
      const expected = Array.from({ length: result.stats.created }, (_, i) => i)
      return JSON.stringify(result.results) === JSON.stringify(expected)
        ? undefined
        : `results ${result.results} for ${result.stats.created} created`
    }))

  it("a task runs as on a fiber of its own: nothing an earlier task left behind reaches it", () =>
    expectAlways(
      (h) =>
        Effect.scoped(Effect.gen(function*() {
          const Label = Context.Reference<string>("test/Label", { defaultValue: () => "caller's" })
          const childInterrupted = yield* Ref.make(false)
          const group = yield* h.group<string, never>("g", { concurrency: 1, backlog: 8 })
          yield* h.createTask(
            group,
            Effect.gen(function*() {
              const started = yield* Deferred.make<void>()
              yield* Effect.forkChild(
                Effect.onInterrupt(
                  Effect.andThen(Deferred.succeed(started, undefined), Effect.never),
                  () => Ref.set(childInterrupted, true)
                )
              )
              // a fiber interrupted before its first step runs no finalizer: let the child start
              yield* Deferred.await(started)
              return "first"
            }).pipe(Effect.provideService(Label, "first task's"))
          )
          const second = yield* h.createTask(
            group,
            Effect.flatMap(
              Effect.zip(read(Label), Ref.get(childInterrupted)),
              ([seen, interrupted]) => Effect.succeed(`${seen} ${interrupted}`)
            )
          )
          const third = yield* h.createTask(group, Effect.as(Effect.sleep(1), "third"))
          const fourth = yield* h.createTask(group, Effect.succeed("fourth"))
          // lands as the third task ends: it must never reach the fourth
          yield* Effect.forkChild(Effect.andThen(Effect.sleep(1), third.interrupt))
          return [yield* second.join, yield* fourth.join] as const
        })),
      (outcome) => {
        const result = valueOf(outcome)
        return result?.[0] === "caller's true" && result[1] === "fourth" ? undefined : `saw ${result}`
      }
    ))

  describe("the parts that are hard on Effect 4", () => {
    for (const stop of ["the waiting createTask", "the group's scope"] as const) {
      it(`a permit handed to a waiting createTask is never lost when ${stop} is interrupted as it comes`, () =>
        expectAlways(
          (h) =>
            Effect.gen(function*() {
              const semaphore = h.semaphore(1)
              const other = yield* h.group<void, never>("other", { semaphore })
              // the permit comes free at t=10, the instant the interruption lands
              yield* h.createTask(other, Effect.sleep(10))
              const inner = Effect.scoped(Effect.gen(function*() {
                const group = yield* h.group<void, never>("g", { semaphore })
                const waiting = yield* Effect.forkChild(h.createTask(group, Effect.sleep(1)))
                if (stop === "the waiting createTask") {
                  yield* Effect.sleep(10)
                  yield* Fiber.interrupt(waiting)
                }
                yield* Fiber.await(waiting)
              }))
              yield* stop === "the group's scope" ? Effect.ignore(Effect.timeout(inner, 10)) : inner
              // the other group's task may end in the same instant as the interruption, after it
              yield* TaskGroup.join(other)
              return yield* Effect.map(semaphore.withPermitsIfAvailable(1)(Effect.void), (o) => o._tag)
            }),
          (outcome) => valueOf(outcome) === "Some" ? undefined : "the permit was not free once both groups were done"
        ))
    }

    it("a shared semaphore's permits are taken atomically by several groups at once", () =>
      expectAlways((h) =>
        Effect.gen(function*() {
          const semaphore = h.semaphore(2)
          const groups = ["a", "b", "c"].map((name) =>
            Effect.scoped(Effect.gen(function*() {
              const group = yield* h.group<void, never>(name, { semaphore, backlog: 1 })
              const producer = yield* Effect.forkChild(
                Effect.forEach([1, 2, 3], (d) => h.createTask(group, Effect.sleep(d)), { discard: true })
              )
              yield* Effect.sleep(2)
              yield* Fiber.interrupt(producer)
            }))
          )
          yield* Effect.all(groups, { concurrency: "unbounded", discard: true })
        })
      ))

    it("interrupting every task re-enters the group from its finalizers, and the group stays consistent", () =>
      expectAlways(
        (h) =>
          Effect.scoped(Effect.gen(function*() {
            const group = yield* h.group<number, string>("g", { concurrency: 4, strategy: "interrupt" })
            const handles: Array<TaskGroup.Task<number, string>> = []
            const seen: Array<string> = []
            // each finalizer calls back into the group while the group is interrupting its tasks
            const reentering = (i: number) =>
              Effect.never.pipe(Effect.onInterrupt(() =>
                Effect.gen(function*() {
                  const refused = yield* Effect.exit(TaskGroup.createTask(group, Effect.succeed(99)))
                  seen.push(
                    Exit.isFailure(refused)
                      ? String((Cause.squash(refused.cause) as { reason: string }).reason)
                      : "created"
                  )
                  h.checkStats("g (in a finalizer)", yield* TaskGroup.stats(group))
                  const next = handles[(i + 1) % handles.length]
                  if (next !== undefined) yield* Effect.forkDetach(next.interrupt)
                })
              ))
            for (let i = 0; i < 3; i++) handles.push(yield* h.createTask(group, reentering(i)))
            yield* h.createTask(group, Effect.andThen(Effect.sleep(5), Effect.fail("boom")))
            const joined = yield* Effect.exit(TaskGroup.join(group))
            return { joined, seen, stats: yield* TaskGroup.stats(group) }
          })),
        (outcome) => {
          const result = valueOf(outcome)
          if (result === undefined) return "the scenario failed"
          if (!Exit.isFailure(result.joined)) return "join did not fail"
          if (result.seen.length !== 3 || result.seen.some((r) => r !== "failed")) return `refusals ${result.seen}`
          const { failed, interrupted, running } = result.stats
          return failed === 1 && interrupted === 3 && running === 0 ? undefined : JSON.stringify(result.stats)
        }
      ))

    it("a task is forked as its caller at the createTask call, whichever task's end starts it", () =>
      expectAlways(
        (h) =>
          Effect.scoped(Effect.gen(function*() {
            const Who = Context.Reference<string>("test/Who", { defaultValue: () => "nobody" })
            const group = yield* h.group<string, never>("g", { concurrency: 1, backlog: 0 })
            const probe = Effect.as(Effect.sleep(1), undefined).pipe(Effect.andThen(read(Who)))
            const callers = ["a", "b", "c"].map((who) =>
              Effect.forkChild(Effect.provideService(h.createTask(group, probe), Who, who))
            )
            const fibers = yield* Effect.all(callers)
            const handles = yield* Fiber.joinAll(fibers)
            const seen = yield* Effect.forEach(handles, (handle) => handle.join)
            return seen.sort().join(",")
          })),
        (outcome) => valueOf(outcome) === "a,b,c" ? undefined : `tasks saw ${valueOf(outcome)}`
      ))
  })
})
