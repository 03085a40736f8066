import { assert, describe, it } from "@effect/vitest"
import { TaskGroup } from "@volley/taskgroup-effect4"
import {
  Cause,
  Clock,
  Context,
  Deferred,
  Effect,
  Exit,
  Fiber,
  Logger,
  Option,
  Ref,
  References,
  Scope,
  Semaphore,
  Stream
} from "effect"
import { pipe } from "effect/Function"
import { TestClock } from "effect/testing"

const freePermitsOf = (semaphore: Semaphore.Semaphore, permits: number) =>
  Effect.map(semaphore.withPermitsIfAvailable(permits)(Effect.void), Option.isSome)

const sleepThen = <A>(millis: number, value: A) => Effect.as(Effect.sleep(millis), value)

const errorsOf = <E>(cause: Cause.Cause<E>) => cause.reasons.filter(Cause.isFailReason).map((r) => r.error)

describe("TaskGroup (Effect 4)", () => {
  describe("permits and timing", () => {
    it.effect("concurrency 2 runs four 1 s tasks in exactly 2 s", () =>
      Effect.gen(function*() {
        const fiber = yield* TaskGroup.run(
          (group: TaskGroup.TaskGroup<number>) =>
            Effect.gen(function*() {
              for (let i = 0; i < 4; i++) yield* TaskGroup.createTask(group, sleepThen(1000, i))
            }),
          { concurrency: 2 }
        ).pipe(Effect.zip(Clock.currentTimeMillis), Effect.forkChild)
        yield* TestClock.adjust("1999 millis")
        assert.isUndefined(fiber.pollUnsafe())
        yield* TestClock.adjust("1 millis")
        const [summary, finishedAt] = yield* Fiber.join(fiber)
        assert.deepStrictEqual(summary.results, [0, 1, 2, 3])
        assert.strictEqual(finishedAt, 2000)
      }))

    it.effect("with no backlog, createTask stays suspended while every permit is taken", () =>
      Effect.scoped(Effect.gen(function*() {
        const group = yield* TaskGroup.make<string>({ concurrency: 1, backlog: 0 })
        yield* TaskGroup.createTask(group, sleepThen(1000, "first"))
        const second = yield* Effect.forkChild(TaskGroup.createTask(group, Effect.succeed("second")))
        yield* TestClock.adjust("500 millis")
        assert.isUndefined(second.pollUnsafe())
        assert.deepInclude(yield* TaskGroup.stats(group), { running: 1, waiting: 1, created: 1 })
        yield* TestClock.adjust("500 millis")
        const task = yield* Fiber.join(second)
        assert.strictEqual(task.index, 1)
        yield* TaskGroup.join(group)
        assert.deepStrictEqual(yield* TaskGroup.results(group), ["first", "second"])
      })))

    it.effect("every permit comes back, however a task ends", () =>
      Effect.gen(function*() {
        const semaphore = yield* Semaphore.make(3)
        const earlyRan = yield* Ref.make(false)
        const owner = yield* Effect.scoped(Effect.gen(function*() {
          const group = yield* TaskGroup.make<unknown, string>({ semaphore })
          yield* TaskGroup.createTask(group, Effect.succeed(1))
          yield* TaskGroup.createTask(group, Effect.fail("typed"))
          yield* TaskGroup.createTask(group, Effect.die("defect"))
          yield* TaskGroup.createTask(group, Effect.interrupt)
          const never = yield* TaskGroup.createTask(group, Effect.never)
          yield* never.interrupt
          // forked, then interrupted before it ever ran
          const early = yield* TaskGroup.createTask(group, Ref.set(earlyRan, true))
          yield* early.interrupt
          yield* TaskGroup.createTask(group, Effect.never)
          return yield* Effect.never
        })).pipe(Effect.forkChild)
        yield* TestClock.adjust("1 millis")
        yield* Fiber.interrupt(owner)
        assert.isFalse(yield* Ref.get(earlyRan))
        assert.isTrue(yield* freePermitsOf(semaphore, 3))
      }))

    it.effect("a caller interrupted while waiting takes no permit", () =>
      Effect.gen(function*() {
        const semaphore = yield* Semaphore.make(1)
        yield* Effect.scoped(Effect.gen(function*() {
          const group = yield* TaskGroup.make<void>({ semaphore })
          yield* TaskGroup.createTask(group, Effect.sleep(1000))
          const waiter = yield* Effect.forkChild(TaskGroup.createTask(group, Effect.void))
          yield* TestClock.adjust("10 millis")
          yield* Fiber.interrupt(waiter)
          yield* TestClock.adjust("1 second")
          assert.deepInclude(yield* TaskGroup.stats(group), { created: 1, waiting: 0, succeeded: 1 })
        }))
        assert.isTrue(yield* freePermitsOf(semaphore, 1))
      }))

    it.effect("several groups share one semaphore's limit", () =>
      Effect.gen(function*() {
        const semaphore = yield* Semaphore.make(3)
        const gauge = { running: 0, peak: 0 }
        const task = Effect.acquireUseRelease(
          Effect.sync(() => {
            gauge.running++
            gauge.peak = Math.max(gauge.peak, gauge.running)
          }),
          () => Effect.sleep(100),
          () => Effect.sync(() => gauge.running--)
        )
        const fiber = yield* Effect.all(
          [1, 2, 3].map(() => TaskGroup.forEach(Array.from({ length: 5 }), () => task, { semaphore })),
          { concurrency: "unbounded" }
        ).pipe(Effect.forkChild)
        yield* TestClock.adjust("1 second")
        const summaries = yield* Fiber.join(fiber)
        assert.deepStrictEqual(summaries.map((s) => s.stats.succeeded), [5, 5, 5])
        assert.strictEqual(gauge.peak, 3)
        assert.isTrue(yield* freePermitsOf(semaphore, 3))
      }))

    it.effect("a semaphore that is not Effect's own still bounds the group", () =>
      Effect.gen(function*() {
        const inner = yield* Semaphore.make(2)
        // every method delegated, so none of Effect's internals are reachable
        const foreign: Semaphore.Semaphore = {
          resize: (n) => inner.resize(n),
          withPermits: (n) => inner.withPermits(n),
          withPermit: (self) => inner.withPermit(self),
          withPermitsIfAvailable: (n) => inner.withPermitsIfAvailable(n),
          take: (n) => inner.take(n),
          takeScoped: (n) => inner.takeScoped(n),
          takeIfAvailable: (n) => inner.takeIfAvailable(n),
          release: (n) => inner.release(n),
          releaseAll: inner.releaseAll
        }
        const gauge = { running: 0, peak: 0 }
        const fiber = yield* TaskGroup.forEach(
          [1, 2, 3, 4, 5],
          (n) =>
            Effect.acquireUseRelease(
              Effect.sync(() => {
                gauge.running++
                gauge.peak = Math.max(gauge.peak, gauge.running)
              }),
              () => sleepThen(10, n),
              () => Effect.sync(() => gauge.running--)
            ),
          { semaphore: foreign }
        ).pipe(Effect.forkChild)
        yield* TestClock.adjust("30 millis")
        const summary = yield* Fiber.join(fiber)
        assert.deepStrictEqual(summary.results, [1, 2, 3, 4, 5])
        assert.strictEqual(gauge.peak, 2)
        assert.isTrue(yield* freePermitsOf(inner, 2))
      }))
    it.effect("one createTask effect yielded by several generators at once gives each its own task", () =>
      Effect.scoped(Effect.gen(function*() {
        const group = yield* TaskGroup.make<void>({ concurrency: 1, backlog: 0 })
        const create = TaskGroup.createTask(group, Effect.sleep(10))
        const producers = yield* Effect.forEach([0, 1, 2], () =>
          Effect.forkChild(Effect.gen(function*() {
            const first = yield* create
            const second = yield* create
            return [first.index, second.index]
          })))
        yield* TestClock.adjust("100 millis")
        const indexes = (yield* Effect.forEach(producers, Fiber.join)).flat()
        assert.deepStrictEqual(indexes.sort((a, b) => a - b), [0, 1, 2, 3, 4, 5])
      })))

    it.effect("a long createTask loop on an unbounded group still yields, so its tasks start while it runs", () =>
      Effect.scoped(Effect.gen(function*() {
        const group = yield* TaskGroup.make({ concurrency: "unbounded" })
        let started = 0
        for (let i = 0; i < 10_000; i++) {
          yield* TaskGroup.createTask(group, Effect.sync(() => started++))
        }
        const startedWhileLooping = started
        yield* TaskGroup.join(group)
        assert.isAbove(startedWhileLooping, 0)
        assert.strictEqual(started, 10_000)
      })))
  })

  describe("options", () => {
    for (
      const [name, options] of [
        ["concurrency NaN", { concurrency: NaN }],
        ["concurrency 0", { concurrency: 0 }],
        ["concurrency -1", { concurrency: -1 }],
        ["concurrency 1.5", { concurrency: 1.5 }],
        ["concurrency Infinity", { concurrency: Infinity }],
        ["backlog NaN", { concurrency: 2, backlog: NaN }],
        ["backlog -1", { concurrency: 2, backlog: -1 }],
        ["backlog 0.5", { concurrency: 2, backlog: 0.5 }],
        ["backlog Infinity", { concurrency: 2, backlog: Infinity }]
      ] as const
    ) {
      it.effect(`${name} is a defect at make, never a hang`, () =>
        Effect.gen(function*() {
          const exit = yield* Effect.exit(Effect.scoped(TaskGroup.make(options)))
          assert.isTrue(Exit.isFailure(exit) && Cause.hasDies(exit.cause))
          if (Exit.isFailure(exit)) assert.match(String(Cause.squash(exit.cause)), /^RangeError: TaskGroup: /)
        }))
    }
  })

  describe("closing", () => {
    it.effect("createTask on a closed group fails with a typed error and takes no permit", () =>
      Effect.gen(function*() {
        const semaphore = yield* Semaphore.make(1)
        const scope = yield* Scope.make()
        const group = yield* TaskGroup.make<number>({ semaphore }).pipe(Scope.provide(scope))
        yield* Scope.close(scope, Exit.void)
        const error = yield* Effect.flip(TaskGroup.createTask(group, Effect.succeed(1)))
        assert.strictEqual(error._tag, "TaskGroupClosedError")
        assert.strictEqual(error.reason, "closed")
        assert.isTrue(yield* freePermitsOf(semaphore, 1))
      }))

    it.effect("a createTask waiting when the group shuts down fails with a typed error", () =>
      Effect.gen(function*() {
        const semaphore = yield* Semaphore.make(1)
        const scope = yield* Scope.make()
        const group = yield* TaskGroup.make<void>({ semaphore }).pipe(Scope.provide(scope))
        yield* TaskGroup.createTask(group, Effect.sleep(1000))
        const waiter = yield* Effect.forkChild(TaskGroup.createTask(group, Effect.void))
        yield* TestClock.adjust("1 millis")
        const closing = yield* Effect.forkChild(Scope.close(scope, Exit.void))
        yield* TestClock.adjust("1 millis")
        const error = yield* Effect.flip(Fiber.join(waiter))
        assert.strictEqual(error.reason, "closing")
        yield* TestClock.adjust("1 second")
        yield* Fiber.join(closing)
        assert.isTrue(yield* freePermitsOf(semaphore, 1))
      }))

    it.effect("a normal close waits for every task", () =>
      Effect.gen(function*() {
        const done = yield* Ref.make(0)
        const fiber = yield* Effect.scoped(Effect.gen(function*() {
          const group = yield* TaskGroup.make<void>({ concurrency: 2 })
          for (let i = 0; i < 3; i++) {
            yield* TaskGroup.createTask(group, Effect.andThen(Effect.sleep(1000), Ref.update(done, (n) => n + 1)))
          }
        })).pipe(Effect.andThen(Clock.currentTimeMillis), Effect.forkChild)
        yield* TestClock.adjust("2 seconds")
        assert.strictEqual(yield* Fiber.join(fiber), 2000)
        assert.strictEqual(yield* Ref.get(done), 3)
      }))

    it.effect("interrupting the owner interrupts every task, all at once", () =>
      Effect.gen(function*() {
        const tasks: Array<TaskGroup.Task<void, never>> = []
        let groupRef: TaskGroup.TaskGroup<void, never> | undefined
        const started = yield* Deferred.make<void>()
        const owner = yield* Effect.scoped(Effect.gen(function*() {
          const group = yield* TaskGroup.make<void>({ concurrency: 10 })
          groupRef = group
          for (let i = 0; i < 10; i++) {
            // each task needs 1 s to wind down once interrupted
            tasks.push(
              yield* TaskGroup.createTask(group, Effect.never.pipe(Effect.onInterrupt(() => Effect.sleep(1000))))
            )
          }
          yield* Deferred.succeed(started, undefined)
          return yield* Effect.never
        })).pipe(Effect.forkChild)
        yield* Deferred.await(started)
        yield* Effect.yieldNow
        const interrupting = yield* Effect.forkChild(Fiber.interrupt(owner))
        yield* TestClock.adjust("1 second")
        // ten finalizers of 1 s each in parallel: done at t=1 s, not t=10 s
        yield* Fiber.join(interrupting)
        for (const task of tasks) {
          const exit = yield* task.poll
          assert.isTrue(Option.isSome(exit) && Exit.hasInterrupts(exit.value))
        }
        assert.deepInclude(yield* TaskGroup.stats(groupRef!), { running: 0, queued: 0, waiting: 0, interrupted: 10 })
      }))

    it.effect("a group is not single-use: tasks may follow a join", () =>
      Effect.scoped(Effect.gen(function*() {
        const group = yield* TaskGroup.make<number>({ concurrency: 2 })
        yield* TaskGroup.createTask(group, sleepThen(10, 1))
        yield* TestClock.adjust("10 millis")
        yield* TaskGroup.join(group)
        yield* TaskGroup.createTask(group, Effect.succeed(2))
        yield* TaskGroup.join(group)
        assert.deepStrictEqual(yield* TaskGroup.results(group), [1, 2])
      })))
  })

  describe("results and failures", () => {
    it.effect("results and exits are in creation order, failures carry their index", () =>
      Effect.gen(function*() {
        const fiber = yield* TaskGroup.forEach(
          [50, 40, 30, 20, 10],
          (delay, index) =>
            index === 1 ? Effect.andThen(Effect.sleep(delay), Effect.fail(`boom ${index}`)) : sleepThen(delay, index),
          { concurrency: "unbounded" }
        ).pipe(Effect.forkChild)
        yield* TestClock.adjust("50 millis")
        const summary = yield* Fiber.join(fiber)
        assert.deepStrictEqual(summary.results, [0, 2, 3, 4])
        assert.deepStrictEqual(summary.exits.map(({ index }) => index), [0, 1, 2, 3, 4])
        assert.strictEqual(summary.failures.length, 1)
        assert.strictEqual(summary.failures[0].index, 1)
        assert.deepStrictEqual(errorsOf(summary.failures[0].cause), ["boom 1"])
        assert.deepInclude(summary.stats, { succeeded: 4, failed: 1, interrupted: 0, running: 0 })
      }))

    it.effect("collect: a failure never stops its siblings and is logged at warning level", () =>
      Effect.gen(function*() {
        const logs: Array<{ level: string; message: unknown }> = []
        const logger = Logger.make(({ logLevel, message }) => logs.push({ level: logLevel, message }))
        const fiber = yield* TaskGroup.forEach([0, 1, 2], (i) => i === 0 ? Effect.fail("early") : sleepThen(100, i))
          .pipe(Effect.provideService(References.CurrentLoggers, new Set([logger])), Effect.forkChild)
        yield* TestClock.adjust("100 millis")
        const summary = yield* Fiber.join(fiber)
        assert.deepStrictEqual(summary.results, [1, 2])
        assert.strictEqual(summary.stats.interrupted, 0)
        const warnings = logs.filter(({ level }) => level === "Warn")
        assert.strictEqual(warnings.length, 1)
        assert.include(String(warnings[0].message), "task 0 failed")
      }))

    it.effect("interrupt: the first failure interrupts siblings at that instant and fails the group", () =>
      Effect.gen(function*() {
        const interruptedAt: Array<number> = []
        const fiber = yield* TaskGroup.run(
          (group: TaskGroup.TaskGroup<number, string>) =>
            Effect.gen(function*() {
              yield* TaskGroup.createTask(group, sleepThen(100, 0))
              yield* TaskGroup.createTask(group, Effect.andThen(Effect.sleep(300), Effect.fail("boom")))
              for (let i = 2; i < 5; i++) {
                yield* TaskGroup.createTask(
                  group,
                  sleepThen(1000, i).pipe(
                    Effect.onInterrupt(() => Effect.map(Clock.currentTimeMillis, (t) => interruptedAt.push(t)))
                  )
                )
              }
              // this one waits for a permit and is stopped by the failure
              yield* TaskGroup.createTask(group, Effect.succeed(5))
            }),
          { concurrency: 4, strategy: "interrupt" }
        ).pipe(Effect.exit, Effect.forkChild)
        yield* TestClock.adjust("300 millis")
        const exit = yield* Fiber.join(fiber)
        assert.isTrue(Exit.isFailure(exit))
        if (Exit.isFailure(exit)) assert.deepStrictEqual(errorsOf(exit.cause), ["boom"])
        assert.deepStrictEqual(interruptedAt, [300, 300, 300])
      }))

    it.effect("interrupt: results gathered before the failure stay readable", () =>
      Effect.scoped(Effect.gen(function*() {
        const group = yield* TaskGroup.make<number, string>({ strategy: "interrupt" })
        yield* TaskGroup.createTask(group, Effect.succeed(1))
        yield* TaskGroup.createTask(group, sleepThen(10, 2))
        yield* TestClock.adjust("10 millis")
        yield* TaskGroup.createTask(group, Effect.fail("boom"))
        yield* TaskGroup.createTask(group, Effect.never)
        yield* TestClock.adjust("1 millis")
        const joined = yield* Effect.exit(TaskGroup.join(group))
        assert.isTrue(Exit.isFailure(joined) && errorsOf(joined.cause)[0] === "boom")
        assert.deepStrictEqual(yield* TaskGroup.results(group), [1, 2])
        assert.deepInclude(yield* TaskGroup.stats(group), { succeeded: 2, failed: 1, interrupted: 1 })
        const error = yield* Effect.flip(TaskGroup.createTask(group, Effect.succeed(3)))
        assert.strictEqual(error.reason, "failed")
      })))

    it.effect("without result collection only failures are kept", () =>
      Effect.gen(function*() {
        const summary = yield* TaskGroup.forEach(
          [1, 2, 3],
          (n) => n === 2 ? Effect.fail("two") : Effect.succeed(n),
          { collectResults: false, concurrency: 2 }
        )
        assert.deepStrictEqual(summary.results, [])
        assert.deepStrictEqual(summary.exits, [])
        assert.deepStrictEqual(summary.failures.map(({ index }) => index), [1])
        assert.deepInclude(summary.stats, { succeeded: 2, failed: 1 })
      }))

    it.effect("a body failure interrupts the tasks and is the run's failure", () =>
      Effect.gen(function*() {
        const exit = yield* TaskGroup.run((group: TaskGroup.TaskGroup<void>) =>
          Effect.gen(function*() {
            yield* TaskGroup.createTask(group, Effect.never)
            return yield* Effect.fail("body failed")
          })
        ).pipe(Effect.exit)
        assert.isTrue(Exit.isFailure(exit) && errorsOf(exit.cause)[0] === "body failed")
      }))
  })

  describe("run's summary (issue 18)", () => {
    for (
      const [name, options] of [
        ["own permits", { concurrency: 1 }],
        ["unbounded", {}],
        // two permits: with one, the child would wait for the permit its parent holds
        ["a shared semaphore", { semaphore: Semaphore.makeUnsafe(2) }]
      ] as const
    ) {
      it.effect(`with ${name}, it is taken once no task is left, tasks created by tasks included`, () =>
        Effect.gen(function*() {
          const s = yield* TaskGroup.run(
            (g: TaskGroup.TaskGroup<number, TaskGroup.TaskGroupClosedError>) =>
              TaskGroup.createTask(
                g,
                Effect.gen(function*() {
                  yield* TaskGroup.createTask(g, Effect.succeed(2))
                  return 1
                })
              ),
            options
          )
          assert.deepStrictEqual(s.results, [1, 2])
          assert.deepInclude(s.stats, { created: 2, running: 0, queued: 0, succeeded: 2 })
          assert.strictEqual(s.exits.length, 2)
        }))
    }

    it.effect("another group's TaskGroupClosedError is a defect, as run's type says", () =>
      Effect.gen(function*() {
        const other = yield* Effect.scoped(TaskGroup.make<void>())
        const exit = yield* Effect.exit(TaskGroup.run(() => TaskGroup.createTask(other, Effect.void)))
        assert.isTrue(Exit.isFailure(exit))
        if (Exit.isFailure(exit)) {
          assert.isFalse(Cause.hasFails(exit.cause))
          assert.isTrue(Cause.hasDies(exit.cause))
        }
      }))

    it.effect("the group's own TaskGroupClosedError beside a failure of the body is a defect, as run's type says", () =>
      Effect.gen(function*() {
        const exit = yield* Effect.exit(TaskGroup.run(
          (group: TaskGroup.TaskGroup<number, string>) =>
            Effect.gen(function*() {
              yield* TaskGroup.createTask(group, Effect.fail("task"))
              yield* Effect.ignore(TaskGroup.join(group))
              const refused = yield* Effect.flip(TaskGroup.createTask(group, Effect.succeed(1)))
              return yield* Effect.failCause(Cause.combine(Cause.fail(refused), Cause.fail("body")))
            }),
          { strategy: "interrupt" }
        ))
        assert.isTrue(Exit.isFailure(exit))
        if (Exit.isFailure(exit)) {
          assert.deepStrictEqual(errorsOf(exit.cause), ["body"])
          assert.isTrue(Cause.hasDies(exit.cause))
        }
      }))
  })

  describe("forEach", () => {
    it.effect("closes its iterator when the interrupt strategy stops it", () =>
      Effect.gen(function*() {
        let closed = false
        function* items() {
          try {
            for (let i = 0;; i++) yield i
          } finally {
            closed = true
          }
        }
        const fiber = yield* Effect.exit(TaskGroup.forEach(
          items(),
          (i) => i === 3 ? Effect.fail("stop") : Effect.sleep(5),
          { concurrency: 2, strategy: "interrupt" }
        )).pipe(Effect.forkChild)
        yield* TestClock.adjust("20 millis")
        const exit = yield* Fiber.join(fiber)
        assert.isTrue(Exit.isFailure(exit))
        assert.isTrue(closed)
      }))

    for (
      const [name, options] of [["own permits", { concurrency: 2 }], ["a shared semaphore", {
        semaphore: Semaphore.makeUnsafe(2)
      }]] as const
    ) {
      it.effect(`closes its iterator when it is interrupted (${name})`, () =>
        Effect.gen(function*() {
          let closed = false
          function* items() {
            try {
              for (let i = 0;; i++) yield i
            } finally {
              closed = true
            }
          }
          const fiber = yield* Effect.timeout(TaskGroup.forEach(items(), () => Effect.sleep(10), options), 50)
            .pipe(Effect.exit, Effect.forkChild)
          yield* TestClock.adjust("50 millis")
          yield* Fiber.join(fiber)
          assert.isTrue(closed)
        }))
    }

    it.effect("an iterator that throws makes forEach die with that defect", () =>
      Effect.gen(function*() {
        function* items() {
          yield 1
          throw new Error("iterator broke")
        }
        const exit = yield* Effect.exit(TaskGroup.forEach(items(), Effect.succeed, { concurrency: 2 }))
        assert.isTrue(Exit.isFailure(exit) && Cause.hasDies(exit.cause))
      }))

    it.effect("calls f as each item's task is created, never ahead of room, and a throw of f is that task's defect", () =>
      Effect.gen(function*() {
        const called: Array<number> = []
        const fiber = yield* TaskGroup.forEach([0, 1, 2], (n) => {
          called.push(n)
          if (n === 1) throw new Error("f broke")
          return Effect.as(Effect.sleep(10), n)
        }, { concurrency: 1 }).pipe(Effect.forkChild)
        yield* Effect.yieldNow
        assert.deepStrictEqual(called, [0])
        yield* TestClock.adjust("20 millis")
        const summary = yield* Fiber.join(fiber)
        assert.deepStrictEqual(called, [0, 1, 2])
        assert.deepStrictEqual(summary.results, [0, 2])
        assert.deepStrictEqual(summary.failures.map((failure) => failure.index), [1])
        assert.isTrue(Cause.hasDies(summary.failures[0].cause))
      }))

    it.effect("is dual", () =>
      Effect.gen(function*() {
        const summary = yield* pipe(
          [1, 2, 3],
          TaskGroup.forEach((n: number) => Effect.succeed(n * 2), { concurrency: 2 })
        )
        assert.deepStrictEqual(summary.results, [2, 4, 6])
      }))
  })

  describe("forking as the caller", () => {
    const Label = Context.Reference<string>("test/Label", { defaultValue: () => "none" })
    class Service extends Context.Service<Service, { readonly name: string }>()("test/Service") {}

    it.effect("each task sees the services and references of its own createTask call, nothing of another's", () =>
      Effect.scoped(Effect.gen(function*() {
        const group = yield* TaskGroup.make<string>({ concurrency: 1, backlog: 4 })
        const probe = Effect.gen(function*() {
          const label = yield* Label
          const service = yield* Effect.serviceOption(Service)
          return `${label}/${Option.match(service, { onNone: () => "-", onSome: (s) => s.name })}`
        })
        yield* TaskGroup.createTask(group, probe).pipe(Effect.provideService(Label, "a"))
        yield* TaskGroup.createTask(group, probe).pipe(Effect.provideService(Service, { name: "s" }))
        yield* TaskGroup.createTask(group, Effect.provideService(probe, Label, "inner"))
        yield* TaskGroup.createTask(group, probe)
        yield* TaskGroup.join(group)
        assert.deepStrictEqual(yield* TaskGroup.results(group), ["a/-", "none/s", "inner/-", "none/-"])
      })))

    it.effect("a task created in an uninterruptible region is still interruptible by its group", () =>
      Effect.scoped(Effect.gen(function*() {
        const group = yield* TaskGroup.make<void>({ concurrency: 2 })
        const task = yield* Effect.uninterruptible(TaskGroup.createTask(group, Effect.never))
        yield* Effect.yieldNow
        yield* task.interrupt
        const exit = yield* task.poll
        assert.isTrue(Option.isSome(exit) && Exit.hasInterrupts(exit.value))
      })))

    it.effect("a task does not run inside createTask's step: it starts on the scheduler", () =>
      Effect.scoped(Effect.gen(function*() {
        const group = yield* TaskGroup.make<void>({ concurrency: 2 })
        let ran = false
        yield* TaskGroup.createTask(group, Effect.sync(() => (ran = true)))
        assert.isFalse(ran)
        yield* TaskGroup.join(group)
        assert.isTrue(ran)
      })))
  })

  describe("reusing a task's fiber", () => {
    const fiberId = Effect.withFiber((fiber) => Effect.succeed(fiber.id))

    it.effect("a group with its own permits runs the next task of the same caller on the fiber of one that ended", () =>
      Effect.gen(function*() {
        const ranOn: Array<number> = []
        const fiber = yield* TaskGroup.forEach(
          Array.from({ length: 20 }, (_, i) => i),
          (i) => Effect.andThen(Effect.tap(fiberId, (id) => Effect.sync(() => ranOn.push(id))), sleepThen(10, i)),
          { concurrency: 3 }
        ).pipe(Effect.forkChild)
        yield* TestClock.adjust("70 millis")
        const summary = yield* Fiber.join(fiber)
        assert.deepStrictEqual(summary.results, Array.from({ length: 20 }, (_, i) => i))
        assert.strictEqual(ranOn.length, 20)
        assert.strictEqual(new Set(ranOn).size, 3)
      }))

    it.effect("a task that leaves a child fiber ends with its fiber, the child is interrupted, the next gets a new fiber", () =>
      Effect.scoped(Effect.gen(function*() {
        const group = yield* TaskGroup.make<string>({ concurrency: 1, backlog: 4 })
        let childInterrupted = false
        const first = yield* TaskGroup.createTask(
          group,
          Effect.gen(function*() {
            yield* Effect.forkChild(
              Effect.onInterrupt(Effect.never, () => Effect.sync(() => (childInterrupted = true)))
            )
            yield* Effect.yieldNow
            return String(yield* fiberId)
          })
        )
        // each suspends before it ends, so that it ends outside the group's steps, where a fiber is handed on
        const suspended = Effect.andThen(Effect.yieldNow, Effect.map(fiberId, String))
        const second = yield* TaskGroup.createTask(group, suspended)
        const third = yield* TaskGroup.createTask(group, suspended)
        const [firstOn, secondOn, thirdOn] = [yield* first.join, yield* second.join, yield* third.join]
        assert.isTrue(childInterrupted)
        assert.notStrictEqual(firstOn, secondOn)
        // the second task left nothing behind, and the third is of the same caller
        assert.strictEqual(secondOn, thirdOn)
      })))

    it.effect("a task of another caller, with another context, never runs on a fiber of this caller's tasks", () =>
      Effect.scoped(Effect.gen(function*() {
        const Label = Context.Reference<string>("test/reuse/Label", { defaultValue: () => "none" })
        const group = yield* TaskGroup.make<string>({ concurrency: 1, backlog: 4 })
        const probe = Effect.gen(function*() {
          yield* Effect.yieldNow
          return `${yield* fiberId}/${yield* Label}`
        })
        const first = yield* TaskGroup.createTask(group, probe)
        const second = yield* TaskGroup.createTask(group, probe).pipe(Effect.provideService(Label, "other"))
        const [firstOn, secondOn] = [yield* first.join, yield* second.join]
        assert.notStrictEqual(firstOn.split("/")[0], secondOn.split("/")[0])
        assert.deepStrictEqual([firstOn.split("/")[1], secondOn.split("/")[1]], ["none", "other"])
      })))
  })

  describe("observing", () => {
    it.effect("changes streams the counters until the group closes", () =>
      Effect.scoped(Effect.gen(function*() {
        const scope = yield* Scope.make()
        const group = yield* TaskGroup.make<number>({ concurrency: 1 }).pipe(Scope.provide(scope))
        const seen = yield* TaskGroup.changes(group).pipe(Stream.runCollect, Effect.forkChild)
        yield* Effect.yieldNow
        yield* TaskGroup.createTask(group, sleepThen(10, 1))
        yield* Effect.forkChild(TaskGroup.createTask(group, sleepThen(10, 2)))
        yield* TestClock.adjust("10 millis")
        yield* Effect.yieldNow
        yield* TestClock.adjust("10 millis")
        yield* Scope.close(scope, Exit.void)
        const all = yield* Fiber.join(seen)
        assert.deepStrictEqual(
          all[all.length - 1],
          { created: 2, queued: 0, running: 0, waiting: 0, succeeded: 2, failed: 0, interrupted: 0 }
        )
      })))

    it.effect("completions come in completion order", () =>
      Effect.scoped(Effect.gen(function*() {
        const scope = yield* Scope.make()
        const group = yield* TaskGroup.make<number>().pipe(Scope.provide(scope))
        const seen = yield* TaskGroup.completions(group).pipe(
          Stream.map(({ index }) => index),
          Stream.runCollect,
          Effect.forkChild
        )
        yield* Effect.yieldNow
        for (const delay of [30, 10, 20]) yield* TaskGroup.createTask(group, sleepThen(delay, delay))
        yield* TestClock.adjust("30 millis")
        yield* Scope.close(scope, Exit.void)
        assert.deepStrictEqual(yield* Fiber.join(seen), [1, 2, 0])
      })))

    it.effect("a group is pipeable and shows its counters when inspected", () =>
      Effect.scoped(Effect.gen(function*() {
        const group = yield* TaskGroup.make<number>({ concurrency: 3 })
        yield* group.pipe(TaskGroup.createTask(Effect.succeed(1)))
        yield* TaskGroup.join(group)
        assert.isTrue(TaskGroup.isTaskGroup(group))
        assert.deepInclude(group.toJSON() as object, { _id: "TaskGroup", state: "open", strategy: "collect" })
        assert.include(String(group), "\"succeeded\": 1")
      })))
  })
})
