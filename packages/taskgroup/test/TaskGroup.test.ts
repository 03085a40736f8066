import { assert, describe, it } from "@effect/vitest"
import { TaskGroup } from "@volley/taskgroup"
import {
  Cause,
  Chunk,
  Clock,
  Deferred,
  Effect,
  Exit,
  Fiber,
  FiberRef,
  Logger,
  LogLevel,
  Option,
  Ref,
  RuntimeFlags,
  RuntimeFlagsPatch,
  Scope,
  Stream,
  TestClock
} from "effect"

const freePermitsOf = (semaphore: Effect.Semaphore, permits: number) =>
  Effect.map(semaphore.withPermitsIfAvailable(permits)(Effect.void), Option.isSome)

const sleepThen = <A>(millis: number, value: A) => Effect.as(Effect.sleep(millis), value)

describe("TaskGroup", () => {
  describe("permits and timing", () => {
    it.effect("concurrency 2 runs four 1 s tasks in exactly 2 s", () =>
      Effect.gen(function*() {
        const fiber = yield* TaskGroup.run<number, never, void, TaskGroup.TaskGroupClosedError, never>(
          (group) =>
            Effect.gen(function*() {
              for (let i = 0; i < 4; i++) yield* TaskGroup.createTask(group, sleepThen(1000, i))
            }),
          { concurrency: 2 }
        ).pipe(Effect.zip(Clock.currentTimeMillis), Effect.fork)
        yield* TestClock.adjust("1999 millis")
        assert.isNull(fiber.unsafePoll())
        yield* TestClock.adjust("1 millis")
        const [summary, finishedAt] = yield* Fiber.join(fiber)
        assert.deepStrictEqual(summary.results, [0, 1, 2, 3])
        assert.strictEqual(finishedAt, 2000)
      }))

    it.scoped("with no backlog, createTask stays suspended while every permit is taken", () =>
      Effect.gen(function*() {
        const group = yield* TaskGroup.make<string>({ concurrency: 1, backlog: 0 })
        yield* TaskGroup.createTask(group, sleepThen(1000, "first"))
        const second = yield* Effect.fork(TaskGroup.createTask(group, Effect.succeed("second")))
        yield* TestClock.adjust("500 millis")
        assert.isNull(second.unsafePoll())
        assert.deepInclude(yield* TaskGroup.stats(group), { running: 1, waiting: 1, created: 1 })
        yield* TestClock.adjust("500 millis")
        const task = yield* Fiber.join(second)
        assert.strictEqual(task.index, 1)
        yield* TaskGroup.join(group)
        assert.deepStrictEqual(yield* TaskGroup.results(group), ["first", "second"])
      }))

    it.effect("every permit comes back, however a task ends", () =>
      Effect.gen(function*() {
        const semaphore = yield* Effect.makeSemaphore(3)
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
        })).pipe(Effect.fork)
        yield* TestClock.adjust("1 millis")
        yield* Fiber.interrupt(owner)
        assert.isFalse(yield* Ref.get(earlyRan))
        assert.isTrue(yield* freePermitsOf(semaphore, 3))
      }))

    it.effect("a caller interrupted while waiting takes no permit", () =>
      Effect.gen(function*() {
        const semaphore = yield* Effect.makeSemaphore(1)
        yield* Effect.scoped(Effect.gen(function*() {
          const group = yield* TaskGroup.make<void>({ semaphore })
          yield* TaskGroup.createTask(group, Effect.sleep(1000))
          const waiter = yield* Effect.fork(TaskGroup.createTask(group, Effect.void))
          yield* TestClock.adjust("10 millis")
          yield* Fiber.interrupt(waiter)
          yield* TestClock.adjust("1 second")
          assert.deepInclude(yield* TaskGroup.stats(group), { created: 1, waiting: 0, succeeded: 1 })
        }))
        assert.isTrue(yield* freePermitsOf(semaphore, 1))
      }))

    it.effect("several groups share one semaphore's limit", () =>
      Effect.gen(function*() {
        const semaphore = yield* Effect.makeSemaphore(3)
        const peak = yield* Ref.make(0)
        const running = yield* Ref.make(0)
        const task = Effect.acquireUseRelease(
          Ref.updateAndGet(running, (n) => n + 1).pipe(Effect.tap((n) => Ref.update(peak, (p) => Math.max(p, n)))),
          () => Effect.sleep(100),
          () => Ref.update(running, (n) => n - 1)
        )
        const fiber = yield* Effect.all(
          [1, 2, 3].map(() => TaskGroup.forEach(Array.from({ length: 5 }), () => task, { semaphore })),
          { concurrency: "unbounded" }
        ).pipe(Effect.fork)
        yield* TestClock.adjust("1 second")
        yield* Fiber.join(fiber)
        assert.strictEqual(yield* Ref.get(peak), 3)
        assert.isTrue(yield* freePermitsOf(semaphore, 3))
      }))
  })

  describe("closing", () => {
    it.effect("createTask on a closed group fails with a typed error and takes no permit", () =>
      Effect.gen(function*() {
        const semaphore = yield* Effect.makeSemaphore(1)
        const scope = yield* Scope.make()
        const group = yield* TaskGroup.make<number>({ semaphore }).pipe(Scope.extend(scope))
        yield* Scope.close(scope, Exit.void)
        const error = yield* Effect.flip(TaskGroup.createTask(group, Effect.succeed(1)))
        assert.strictEqual(error._tag, "TaskGroupClosedError")
        assert.strictEqual(error.reason, "closed")
        assert.isTrue(yield* freePermitsOf(semaphore, 1))
      }))

    it.effect("a createTask waiting when the group shuts down fails with a typed error", () =>
      Effect.gen(function*() {
        const semaphore = yield* Effect.makeSemaphore(1)
        const scope = yield* Scope.make()
        const group = yield* TaskGroup.make<void>({ semaphore }).pipe(Scope.extend(scope))
        yield* TaskGroup.createTask(group, Effect.sleep(1000))
        const waiter = yield* Effect.fork(TaskGroup.createTask(group, Effect.void))
        yield* TestClock.adjust("1 millis")
        const closing = yield* Effect.fork(Scope.close(scope, Exit.void))
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
            yield* TaskGroup.createTask(group, Effect.zipRight(Effect.sleep(1000), Ref.update(done, (n) => n + 1)))
          }
        })).pipe(Effect.zipRight(Clock.currentTimeMillis), Effect.fork)
        yield* TestClock.adjust("2 seconds")
        assert.strictEqual(yield* Fiber.join(fiber), 2000)
        assert.strictEqual(yield* Ref.get(done), 3)
      }))

    it.effect("interrupting the owner interrupts every task, all at once, and leaves no fiber behind", () =>
      Effect.gen(function*() {
        const tasks: Array<TaskGroup.Task<void, never>> = []
        let groupRef: TaskGroup.TaskGroup<void, never> | undefined
        const started = yield* Deferred.make<void>()
        const owner = yield* Effect.scoped(Effect.gen(function*() {
          const group = yield* TaskGroup.make<void>({ concurrency: 10 })
          groupRef = group
          for (let i = 0; i < 10; i++) {
            // each task needs 1 s to wind down once interrupted
            const task = yield* TaskGroup.createTask(
              group,
              Effect.never.pipe(Effect.onInterrupt(() => Effect.sleep(1000)))
            )
            tasks.push(task)
          }
          yield* Deferred.succeed(started, undefined)
          return yield* Effect.never
        })).pipe(Effect.fork)
        yield* Deferred.await(started)
        const interrupting = yield* Effect.fork(Fiber.interrupt(owner))
        yield* TestClock.adjust("1 second")
        // ten finalizers of 1 s each in parallel: done at t=1 s, not t=10 s
        assert.isTrue(Exit.isInterrupted(yield* Fiber.join(interrupting)))
        for (const task of tasks) {
          const exit = yield* task.poll
          assert.isTrue(Option.isSome(exit) && Exit.isInterrupted(exit.value))
        }
        assert.deepInclude(yield* TaskGroup.stats(groupRef!), { running: 0, queued: 0, waiting: 0 })
      }))

    it.scoped("a group is not single-use: tasks may follow a join", () =>
      Effect.gen(function*() {
        const group = yield* TaskGroup.make<number>({ concurrency: 2 })
        yield* TaskGroup.createTask(group, sleepThen(10, 1))
        yield* TestClock.adjust("10 millis")
        yield* TaskGroup.join(group)
        yield* TaskGroup.createTask(group, Effect.succeed(2))
        yield* TaskGroup.join(group)
        assert.deepStrictEqual(yield* TaskGroup.results(group), [1, 2])
      }))
  })

  describe("results and failures", () => {
    it.effect("results and exits are in creation order, failures carry their index", () =>
      Effect.gen(function*() {
        const fiber = yield* TaskGroup.forEach(
          [50, 40, 30, 20, 10],
          (delay, index) =>
            index === 1 ? Effect.zipRight(Effect.sleep(delay), Effect.fail(`boom ${index}`)) : sleepThen(delay, index),
          { concurrency: "unbounded" }
        ).pipe(Effect.fork)
        yield* TestClock.adjust("50 millis")
        const summary = yield* Fiber.join(fiber)
        assert.deepStrictEqual(summary.results, [0, 2, 3, 4])
        assert.deepStrictEqual(summary.exits.map(({ index }) => index), [0, 1, 2, 3, 4])
        assert.strictEqual(summary.failures.length, 1)
        assert.strictEqual(summary.failures[0].index, 1)
        assert.deepStrictEqual(Cause.failureOption(summary.failures[0].cause), Option.some("boom 1"))
        assert.deepInclude(summary.stats, { succeeded: 4, failed: 1, interrupted: 0, running: 0 })
      }))

    it.effect("collect: a failure never stops its siblings and is logged at warning level", () =>
      Effect.gen(function*() {
        const logs: Array<{ level: LogLevel.LogLevel; message: unknown }> = []
        const logger = Logger.make(({ logLevel, message }) => logs.push({ level: logLevel, message }))
        const fiber = yield* TaskGroup.forEach([0, 1, 2], (i) => i === 0 ? Effect.fail("early") : sleepThen(100, i))
          .pipe(
            Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
            Effect.fork
          )
        yield* TestClock.adjust("100 millis")
        const summary = yield* Fiber.join(fiber)
        assert.deepStrictEqual(summary.results, [1, 2])
        assert.strictEqual(summary.stats.interrupted, 0)
        const warnings = logs.filter(({ level }) => level === LogLevel.Warning)
        assert.strictEqual(warnings.length, 1)
        assert.include(String(warnings[0].message), "task 0 failed")
      }))

    it.effect("interrupt: the first failure interrupts siblings at that instant and fails the group", () =>
      Effect.gen(function*() {
        const interruptedAt = yield* Ref.make<ReadonlyArray<number>>([])
        const fiber = yield* TaskGroup.run<number, string, void, TaskGroup.TaskGroupClosedError, never>(
          (group) =>
            Effect.gen(function*() {
              yield* TaskGroup.createTask(group, sleepThen(100, 0))
              yield* TaskGroup.createTask(group, Effect.zipRight(Effect.sleep(300), Effect.fail("boom")))
              for (let i = 2; i < 5; i++) {
                yield* TaskGroup.createTask(
                  group,
                  sleepThen(1000, i).pipe(Effect.onInterrupt(() =>
                    Effect.flatMap(Clock.currentTimeMillis, (t) => Ref.update(interruptedAt, (ts) => [...ts, t]))
                  ))
                )
              }
              // this one waits for a permit and is stopped by the failure
              yield* TaskGroup.createTask(group, Effect.succeed(5))
            }),
          { concurrency: 4, strategy: "interrupt" }
        ).pipe(Effect.exit, Effect.fork)
        yield* TestClock.adjust("300 millis")
        const exit = yield* Fiber.join(fiber)
        assert.deepStrictEqual(exit, Exit.fail("boom"))
        // task 0 finished before the failure; tasks 3 and 4 got permits once 0 ended; 2, 3, 4 interrupted at t=300
        assert.deepStrictEqual(yield* Ref.get(interruptedAt), [300, 300, 300])
      }))

    it.effect("interrupt: tasks failing at the same instant all reach the group's cause", () =>
      Effect.gen(function*() {
        // "a" and "b" fail at t=100 inside uninterruptible sections, so the second to go fails rather than being interrupted
        const fiber = yield* TaskGroup.forEach(
          ["a", "b", "c"],
          (name) =>
            name === "c"
              ? sleepThen(200, name)
              : Effect.uninterruptible(Effect.zipRight(Effect.sleep(100), Effect.fail(name))),
          { strategy: "interrupt" }
        ).pipe(Effect.exit, Effect.fork)
        yield* TestClock.adjust("100 millis")
        const exit = yield* Fiber.join(fiber)
        assert.isTrue(Exit.isFailure(exit))
        if (Exit.isFailure(exit)) {
          assert.sameMembers([...Cause.failures(exit.cause)], ["a", "b"])
        }
      }))

    it.scoped("interrupt: results gathered before the failure stay readable", () =>
      Effect.gen(function*() {
        const group = yield* TaskGroup.make<number, string>({ strategy: "interrupt" })
        yield* TaskGroup.createTask(group, Effect.succeed(1))
        yield* TaskGroup.createTask(group, sleepThen(10, 2))
        yield* TestClock.adjust("10 millis")
        yield* TaskGroup.createTask(group, Effect.fail("boom"))
        yield* TaskGroup.createTask(group, Effect.never)
        yield* TestClock.adjust("1 millis")
        assert.deepStrictEqual(yield* Effect.exit(TaskGroup.join(group)), Exit.fail("boom"))
        assert.deepStrictEqual(yield* TaskGroup.results(group), [1, 2])
        assert.deepInclude(yield* TaskGroup.stats(group), { succeeded: 2, failed: 1, interrupted: 1 })
        const error = yield* Effect.flip(TaskGroup.createTask(group, Effect.succeed(3)))
        assert.strictEqual(error.reason, "failed")
      }))

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
        const exit = yield* TaskGroup.run<void, never, never, string | TaskGroup.TaskGroupClosedError, never>((group) =>
          Effect.gen(function*() {
            yield* TaskGroup.createTask(group, Effect.never)
            return yield* Effect.fail("body failed")
          })
        ).pipe(Effect.exit)
        assert.deepStrictEqual(exit, Exit.fail("body failed"))
      }))
  })

  describe("options", () => {
    const defectOf = (options: TaskGroup.TaskGroupOptions) =>
      Effect.map(
        Effect.exit(Effect.scoped(TaskGroup.make(options))),
        (exit) => Exit.isFailure(exit) && Cause.isDie(exit.cause) ? String(Cause.squash(exit.cause)) : "no defect"
      )

    it.effect("an invalid number is a clear defect at make, never a hang", () =>
      Effect.gen(function*() {
        for (const concurrency of [NaN, -1, 0, 1.5, Infinity, -Infinity]) {
          assert.match(yield* defectOf({ concurrency }), /concurrency must be a positive integer or "unbounded"/)
          // also where a shared semaphore takes precedence: the option is still wrong
          assert.match(
            yield* defectOf({ concurrency, semaphore: Effect.unsafeMakeSemaphore(1) }),
            /concurrency must be/
          )
        }
        for (const backlog of [NaN, -1, 0.5, Infinity]) {
          assert.match(yield* defectOf({ concurrency: 2, backlog }), /backlog must be a non-negative integer/)
        }
        assert.match(yield* defectOf({ strategy: "retry" as TaskGroup.FailureStrategy }), /strategy must be/)
        const viaRun = yield* Effect.exit(TaskGroup.forEach([1], Effect.succeed, { concurrency: NaN }))
        assert.isTrue(Exit.isFailure(viaRun) && Cause.isDie(viaRun.cause))
        assert.strictEqual(yield* defectOf({ concurrency: 3, backlog: 0 }), "no defect")
        assert.strictEqual(yield* defectOf({ concurrency: "unbounded", backlog: 2 }), "no defect")
      }))
  })

  describe("as forked", () => {
    // A FiberRef whose `fork` gives every fork a fresh, mutable value.
    const Bag = FiberRef.unsafeMake<Array<number>>([], { fork: () => [] })
    const bagSeen = (i: number) =>
      Effect.map(FiberRef.get(Bag), (bag) => {
        const seen = bag.length
        bag.push(i)
        return seen
      })
    const range = (n: number) => Array.from({ length: n }, (_, i) => i)

    it.effect("every task gets a FiberRef's forked value of its own, as Effect.fork gives", () => {
      const compare = Effect.gen(function*() {
        const forked = yield* Effect.forEach(range(6), (i) => Effect.flatMap(Effect.fork(bagSeen(i)), Fiber.join))
        for (const concurrency of [1, 2, "unbounded"] as const) {
          const viaForEach = yield* TaskGroup.forEach(range(6), bagSeen, { concurrency })
          assert.deepStrictEqual(viaForEach.results, forked)
          const viaLoop = yield* TaskGroup.run(
            (group: TaskGroup.TaskGroup<number, never>) =>
              Effect.forEach(range(6), (i) => TaskGroup.createTask(group, bagSeen(i))),
            { concurrency }
          )
          assert.deepStrictEqual(viaLoop.results, forked)
        }
        return forked
      })
      return Effect.gen(function*() {
        // Effect applies `fork` to the FiberRefs a fiber has set; an unset one is read as its initial value
        assert.deepStrictEqual(yield* Effect.locally(compare, Bag, []), [0, 0, 0, 0, 0, 0])
        yield* compare
      })
    })

    it.effect("a task runs with its caller's runtime flags at the createTask call", () =>
      Effect.gen(function*() {
        const yielding = Effect.map(Effect.getRuntimeFlags, RuntimeFlags.cooperativeYielding)
        const noYielding = RuntimeFlagsPatch.disable(RuntimeFlags.CooperativeYielding)
        const forked = yield* Effect.all([
          Effect.flatMap(Effect.fork(yielding), Fiber.join),
          Effect.withRuntimeFlagsPatch(Effect.flatMap(Effect.fork(yielding), Fiber.join), noYielding)
        ])
        assert.deepStrictEqual(forked, [true, false])
        for (const concurrency of [1, 2, "unbounded"] as const) {
          const summary = yield* TaskGroup.run((group: TaskGroup.TaskGroup<boolean, never>) =>
            Effect.gen(function*() {
              yield* TaskGroup.createTask(group, yielding)
              yield* Effect.withRuntimeFlagsPatch(TaskGroup.createTask(group, yielding), noYielding)
              yield* TaskGroup.createTask(group, yielding)
            }), { concurrency })
          assert.deepStrictEqual(summary.results, [true, false, true])
        }
      }))
  })

  describe("run and forEach", () => {
    it.effect("forEach calls f as each item's task is created, never ahead of room, and a throw of f is that task's defect", () =>
      Effect.gen(function*() {
        const called: Array<number> = []
        const fiber = yield* TaskGroup.forEach([0, 1, 2], (n) => {
          called.push(n)
          if (n === 1) throw new Error("f broke")
          return sleepThen(10, n)
        }, { concurrency: 1 }).pipe(Effect.fork)
        yield* Effect.yieldNow()
        assert.deepStrictEqual(called, [0])
        yield* TestClock.adjust("20 millis")
        const summary = yield* Fiber.join(fiber)
        assert.deepStrictEqual(called, [0, 1, 2])
        assert.deepStrictEqual(summary.results, [0, 2])
        assert.deepStrictEqual(summary.failures.map((failure) => failure.index), [1])
        assert.isTrue(Cause.isDie(summary.failures[0].cause))
      }))

    const childOf = (group: TaskGroup.TaskGroup<number, never>, delay: number) =>
      TaskGroup.createTask(
        group,
        Effect.gen(function*() {
          yield* Effect.orDie(TaskGroup.createTask(group, Effect.as(Effect.sleep(delay), 2)))
          return 1
        })
      )

    it.effect("run's summary is one snapshot taken once no task is left, also of tasks that tasks created", () =>
      Effect.gen(function*() {
        // a task that waits for a permit while it holds the only one would wait forever
        const semaphore = yield* Effect.makeSemaphore(2)
        for (const options of [{ concurrency: 1 }, {}, { semaphore }, { concurrency: 2, backlog: 0 }]) {
          for (const delay of [0, 10]) {
            const fiber = yield* Effect.fork(
              TaskGroup.run((group: TaskGroup.TaskGroup<number, never>) => childOf(group, delay), options)
            )
            yield* TestClock.adjust("10 millis")
            const summary = yield* Fiber.join(fiber)
            const seen = JSON.stringify(summary)
            assert.deepStrictEqual(summary.results, [1, 2])
            assert.deepStrictEqual(summary.exits.map(({ index }) => index), [0, 1])
            assert.deepStrictEqual(summary.stats, {
              created: 2,
              queued: 0,
              running: 0,
              waiting: 0,
              succeeded: 2,
              failed: 0,
              interrupted: 0
            })
            yield* TestClock.adjust("1 second")
            assert.strictEqual(JSON.stringify(summary), seen)
          }
        }
      }))

    it.effect("a group that run has summed up takes no more tasks", () =>
      Effect.gen(function*() {
        const late = (group: TaskGroup.TaskGroup<number, never>, at: number) =>
          Effect.forkDaemon(
            Effect.zipRight(Effect.sleep(at), Effect.exit(TaskGroup.createTask(group, Effect.succeed(at))))
          )
        const fiber = yield* Effect.fork(TaskGroup.run((group: TaskGroup.TaskGroup<number, never>) =>
          Effect.gen(function*() {
            const callers = [yield* late(group, 5), yield* late(group, 20)]
            yield* TaskGroup.createTask(group, Effect.as(Effect.sleep(10), 1))
            return callers
          }).pipe(Effect.tap((callers) => Effect.forkDaemon(Effect.forEach(callers, Fiber.join)))), { concurrency: 1 }))
        yield* TestClock.adjust("10 millis")
        const summary = yield* Fiber.join(fiber)
        // the caller at 5 ms came while a task ran: its task is in the summary
        assert.deepStrictEqual(summary.results, [1, 5])
        yield* TestClock.adjust("10 millis")
        assert.deepStrictEqual(summary.results, [1, 5])
        assert.strictEqual(summary.stats.created, 2)
      }))

    it.effect("another group's TaskGroupClosedError is a defect of run, as its type says", () =>
      Effect.gen(function*() {
        const other = yield* Effect.scoped(TaskGroup.make<void>())
        const exit = yield* Effect.exit(TaskGroup.run(() => TaskGroup.createTask(other, Effect.void)))
        assert.isTrue(Exit.isFailure(exit) && Cause.isDie(exit.cause))
        if (Exit.isFailure(exit)) {
          assert.deepStrictEqual([...Cause.failures(exit.cause)], [])
          assert.strictEqual((Cause.squash(exit.cause) as TaskGroup.TaskGroupClosedError)._tag, "TaskGroupClosedError")
        }
        // the body's other errors stay typed
        const typed = yield* Effect.exit(TaskGroup.run(() => Effect.fail("body")))
        assert.deepStrictEqual(typed, Exit.fail("body"))
        // and the group's own failure is reported as the group's failure
        const own = yield* Effect.exit(
          TaskGroup.run((group: TaskGroup.TaskGroup<void, string>) =>
            Effect.gen(function*() {
              yield* TaskGroup.createTask(group, Effect.fail("task"))
              yield* Effect.yieldNow()
              yield* TaskGroup.createTask(group, Effect.void)
            }), { strategy: "interrupt" })
        )
        assert.deepStrictEqual(own, Exit.fail("task"))
        // the group's own beside another failure of the body did not stop the body: a defect too
        const beside = yield* Effect.exit(
          TaskGroup.run((group: TaskGroup.TaskGroup<void, string>) =>
            Effect.gen(function*() {
              yield* TaskGroup.createTask(group, Effect.fail("task"))
              yield* Effect.ignore(TaskGroup.join(group))
              const refused = yield* Effect.flip(TaskGroup.createTask(group, Effect.void))
              return yield* Effect.failCause(Cause.parallel(Cause.fail(refused), Cause.fail("body")))
            }), { strategy: "interrupt" })
        )
        assert.isTrue(Exit.isFailure(beside))
        if (Exit.isFailure(beside)) {
          assert.deepStrictEqual([...Cause.failures(beside.cause)], ["body"])
          assert.strictEqual([...Cause.defects(beside.cause)].length, 1)
        }
      }))

    describe("forEach closes its iterator whenever it stops early", () => {
      const counted = (limit: number) => {
        const state = { closed: false, pulled: 0 }
        const items = function*() {
          try {
            for (let i = 0; i < limit; i++) {
              state.pulled++
              yield i
            }
          } finally {
            // also reached when the items run out: `pulled` tells the two apart
            state.closed = true
          }
        }
        return { items: items(), state }
      }
      // a group with its own permits takes the items itself; the others run a createTask loop
      const groups = [
        ["own permits", () => ({ concurrency: 2 })],
        ["a shared semaphore", () => ({ semaphore: Effect.unsafeMakeSemaphore(2) })],
        ["no bound", () => ({})]
      ] as const

      for (const [name, options] of groups) {
        it.effect(`under the interrupt strategy, with ${name}`, () =>
          Effect.gen(function*() {
            // more items than a createTask loop gets through before it yields to its tasks
            const { items, state } = counted(100_000)
            const fiber = yield* Effect.fork(Effect.exit(TaskGroup.forEach(
              items,
              (i) => i === 3 ? Effect.fail("stop") : Effect.sleep(5),
              { ...options(), strategy: "interrupt" }
            )))
            yield* TestClock.adjust("20 millis")
            assert.deepStrictEqual(yield* Fiber.join(fiber), Exit.fail("stop"))
            assert.isTrue(state.closed && state.pulled < 100_000)
          }))
      }

      for (const [name, options] of groups.slice(0, 2)) {
        it.effect(`when it is interrupted, with ${name}`, () =>
          Effect.gen(function*() {
            const { items, state } = counted(100)
            const fiber = yield* Effect.fork(
              Effect.timeout(TaskGroup.forEach(items, () => Effect.sleep(10), options()), 50)
            )
            yield* TestClock.adjust("100 millis")
            assert.isTrue(Exit.isFailure(yield* Fiber.await(fiber)))
            assert.isTrue(state.closed && state.pulled < 100)
          }))
      }

      it.effect("but not when it used every item, nor when the iterator threw", () =>
        Effect.gen(function*() {
          let returned = 0
          const iterable = (throwAt: number): Iterable<number> => ({
            [Symbol.iterator]: () => {
              let i = 0
              return {
                next: () => {
                  if (i === throwAt) throw new Error("broken")
                  return i < 3 ? { done: false, value: i++ } : { done: true, value: undefined }
                },
                return: () => {
                  returned++
                  return { done: true, value: undefined }
                }
              }
            }
          })
          for (const concurrency of [2, "unbounded"] as const) {
            yield* TaskGroup.forEach(iterable(-1), Effect.succeed, { concurrency })
            yield* Effect.exit(TaskGroup.forEach(iterable(1), Effect.succeed, { concurrency }))
          }
          assert.strictEqual(returned, 0)
        }))
    })
  })

  describe("observing", () => {
    it.scoped("changes streams the counters until the group closes", () =>
      Effect.gen(function*() {
        const scope = yield* Scope.make()
        const group = yield* TaskGroup.make<number>({ concurrency: 1 }).pipe(Scope.extend(scope))
        const seen = yield* TaskGroup.changes(group).pipe(Stream.runCollect, Effect.fork)
        yield* Effect.yieldNow()
        yield* TaskGroup.createTask(group, sleepThen(10, 1))
        yield* Effect.fork(TaskGroup.createTask(group, sleepThen(10, 2)))
        yield* TestClock.adjust("10 millis")
        yield* Effect.yieldNow()
        yield* TestClock.adjust("10 millis")
        yield* Scope.close(scope, Exit.void)
        const last = Chunk.last(yield* Fiber.join(seen))
        assert.deepStrictEqual(
          last,
          Option.some({ created: 2, queued: 0, running: 0, waiting: 0, succeeded: 2, failed: 0, interrupted: 0 })
        )
      }))

    it.scoped("completions come in completion order", () =>
      Effect.gen(function*() {
        const scope = yield* Scope.make()
        const group = yield* TaskGroup.make<number>().pipe(Scope.extend(scope))
        const seen = yield* TaskGroup.completions(group).pipe(
          Stream.map(({ index }) => index),
          Stream.runCollect,
          Effect.fork
        )
        yield* Effect.yieldNow()
        for (const delay of [30, 10, 20]) yield* TaskGroup.createTask(group, sleepThen(delay, delay))
        yield* TestClock.adjust("30 millis")
        yield* Scope.close(scope, Exit.void)
        assert.deepStrictEqual(Chunk.toReadonlyArray(yield* Fiber.join(seen)), [1, 2, 0])
      }))

    it.scoped("a group is pipeable and shows its counters when inspected", () =>
      Effect.gen(function*() {
        const group = yield* TaskGroup.make<number>({ concurrency: 3 })
        yield* group.pipe(TaskGroup.createTask(Effect.succeed(1)))
        yield* TaskGroup.join(group)
        assert.isTrue(TaskGroup.isTaskGroup(group))
        assert.deepInclude(group.toJSON() as object, { _id: "TaskGroup", state: "open", strategy: "collect" })
        assert.include(String(group), "\"succeeded\": 1")
      }))
  })
})
