/**
 * The Effect 4 edition's uses of Effect's internals (`src/internal/runtime.ts`),
 * each pinned by a test that fails if Effect changes underneath, and the
 * Effect 4 behaviours the design rests on.
 */
import { assert, describe, it } from "@effect/vitest"
import { Cause, Context, Effect, Exit, Fiber, Option, Scheduler, Semaphore } from "effect"
import * as runtime from "../src/internal/runtime.js"

const freePermits = (semaphore: Semaphore.Semaphore, permits: number) =>
  Effect.map(semaphore.withPermitsIfAvailable(permits)(Effect.void), Option.isSome)

const Label = Context.Reference<string>("test/runtime/Label", { defaultValue: () => "none" })

/** A scheduler that counts the tasks its dispatchers are given, and runs them as Effect's own would. */
const countingScheduler = () => {
  const inner = new Scheduler.MixedScheduler()
  const counter = { scheduled: 0 }
  const scheduler: Scheduler.Scheduler = {
    executionMode: inner.executionMode,
    shouldYield: (fiber) => inner.shouldYield(fiber),
    makeDispatcher: () => {
      const dispatcher = inner.makeDispatcher()
      return {
        scheduleTask: (task, priority) => {
          counter.scheduled++
          dispatcher.scheduleTask(task, priority)
        },
        flush: () => dispatcher.flush()
      }
    }
  }
  return { counter, scheduler }
}

describe("runtime (Effect 4 internals)", () => {
  it.effect("a fiber of Effect 4.1 can be forked as Effect.forkChild forks one", () =>
    Effect.withFiber((fiber) => {
      assert.isTrue(runtime.canForkAsEffectDoes(fiber))
      return Effect.void
    }))

  for (const path of ["Effect's own fork", "the public fallback"] as const) {
    it.effect(`${path}: a task has its caller's context, is interruptible, and starts on the scheduler`, () =>
      Effect.gen(function*() {
        const { counter, scheduler } = countingScheduler()
        const observed = yield* Effect.uninterruptible(
          Effect.withFiber((caller) => {
            const forker = runtime.forkerOf(
              path === "the public fallback"
                ? {
                  // a fiber without Effect 4.1's internals: only the public fields
                  id: caller.id,
                  context: caller.context,
                  currentDispatcher: caller.currentDispatcher
                } as unknown as runtime.AnyFiber
                : caller,
              undefined
            )
            let ran = false
            const fiber = forker.fork(Effect.withFiber((child) => {
              ran = true
              return Effect.succeed({ label: child.getRef(Label), interruptible: child !== caller })
            }))
            // nothing of the task ran inside the caller's step
            assert.isFalse(ran)
            assert.isAtLeast(counter.scheduled, 1)
            return Effect.succeed(fiber)
          })
        ).pipe(
          Effect.provideService(Label, "caller"),
          Effect.provideService(Scheduler.Scheduler, scheduler)
        )
        const exit = yield* Fiber.await(observed)
        assert.deepStrictEqual(exit, Exit.succeed({ label: "caller", interruptible: true }))
        // forked inside an uninterruptible region, and still interruptible
        const forker = yield* Effect.uninterruptible(
          Effect.withFiber((caller) => Effect.succeed(runtime.forkerOf(caller, undefined)))
        )
        const never = forker.fork(Effect.never)
        yield* Effect.yieldNow
        runtime.interruptNow(never, 0)
        assert.isTrue(Exit.hasInterrupts(never.pollUnsafe()!))
      }))
  }

  it.effect("observe sets an unstarted fiber's observer list directly, and calls the observer once at its end", () =>
    Effect.withFiber((caller) => {
      const forker = runtime.forkerOf(caller, undefined)
      const fiber = forker.forkUnstarted(Effect.succeed(1))
      const seen: Array<Exit.Exit<number>> = []
      runtime.observe(fiber, (exit) => seen.push(exit))
      // the internal path was taken: Effect 4.1's FiberImpl keeps its observers in `_observers`
      assert.strictEqual((fiber as unknown as { _observers: Array<unknown> })._observers.length, 1)
      forker.start(fiber, Effect.succeed(1))
      assert.deepStrictEqual(seen, [Exit.succeed(1)])
      // an ended fiber, or one observed already, goes through addObserver, which calls at once or adds
      runtime.observe(fiber, (exit) => seen.push(exit))
      assert.deepStrictEqual(seen, [Exit.succeed(1), Exit.succeed(1)])
      const twice = forker.forkUnstarted(Effect.succeed(2))
      const calls: Array<string> = []
      runtime.observe(twice, () => calls.push("first"))
      runtime.observe(twice, () => calls.push("second"))
      forker.start(twice, Effect.succeed(2))
      assert.deepStrictEqual(calls, ["first", "second"])
      return Effect.void
    }))

  it.effect("interruptUnsafe on a suspended fiber runs its finalizers and observers before it returns", () =>
    Effect.gen(function*() {
      const events: Array<string> = []
      const fiber = yield* Effect.forkChild(
        Effect.never.pipe(Effect.ensuring(Effect.sync(() => events.push("finalizer"))))
      )
      yield* Effect.yieldNow
      fiber.addObserver(() => events.push("observer"))
      runtime.interruptNow(fiber, 0)
      events.push("returned")
      // this is why the group's steps defer their interrupts (see `Steps` in taskGroup.ts)
      assert.deepStrictEqual(events, ["finalizer", "observer", "returned"])
    }))

  it.effect("resuming a suspended fiber runs it inline", () =>
    Effect.gen(function*() {
      const events: Array<string> = []
      let resume: ((effect: Effect.Effect<void>) => void) | undefined
      const fiber = yield* Effect.forkChild(
        Effect.andThen(Effect.callback<void>((r) => void (resume = r)), Effect.sync(() => events.push("resumed")))
      )
      yield* Effect.yieldNow
      resume!(Effect.void)
      events.push("returned")
      // and why they defer every wake-up of another fiber too
      assert.deepStrictEqual(events, ["resumed", "returned"])
      yield* Fiber.join(fiber)
    }))

  it.effect("tryTakePermit takes exactly one free permit, and none while a waiter is in line", () =>
    Effect.gen(function*() {
      const forker = yield* Effect.withFiber((caller) => Effect.succeed(runtime.forkerOf(caller, undefined)))
      const semaphore = yield* Semaphore.make(2)
      assert.isTrue(runtime.isEffectSemaphore(semaphore))
      assert.isTrue(runtime.tryTakePermit(semaphore, forker))
      assert.isFalse(yield* freePermits(semaphore, 2))
      assert.isTrue(yield* freePermits(semaphore, 1))
      assert.isTrue(runtime.tryTakePermit(semaphore, forker))
      assert.isFalse(runtime.tryTakePermit(semaphore, forker))
      // a waiter for two permits is in line: a freed permit is not taken from under it
      const waiter = yield* Effect.forkChild(semaphore.take(2))
      yield* Effect.yieldNow
      yield* semaphore.release(1)
      assert.isFalse(runtime.tryTakePermit(semaphore, forker))
      yield* semaphore.release(1)
      assert.strictEqual(yield* Fiber.join(waiter), 2)
      yield* semaphore.release(2)
      assert.isTrue(yield* freePermits(semaphore, 2))
    }))

  it.effect("tryTakePermit falls back to takeIfAvailable for a semaphore that is not Effect's own", () =>
    Effect.gen(function*() {
      const forker = yield* Effect.withFiber((caller) => Effect.succeed(runtime.forkerOf(caller, undefined)))
      const inner = yield* Semaphore.make(1)
      const foreign = { takeIfAvailable: (n: number) => inner.takeIfAvailable(n) } as unknown as Semaphore.Semaphore
      assert.isFalse(runtime.isEffectSemaphore(foreign))
      assert.isTrue(runtime.tryTakePermit(foreign, forker))
      assert.isFalse(runtime.tryTakePermit(foreign, forker))
      assert.isFalse(yield* freePermits(inner, 1))
    }))

  it.effect("awaitPermit is handed a released permit, and a stopped wait takes none", () =>
    Effect.gen(function*() {
      const forker = yield* Effect.withFiber((caller) => Effect.succeed(runtime.forkerOf(caller, undefined)))
      const semaphore = yield* Semaphore.make(1)
      assert.isTrue(runtime.tryTakePermit(semaphore, forker))
      let handed = 0
      const stop = runtime.awaitPermit(semaphore, forker, () => handed++)
      const stopped = runtime.awaitPermit(semaphore, forker, () => assert.fail("a stopped wait was handed a permit"))
      yield* Effect.yieldNow
      stopped()
      yield* semaphore.release(1)
      yield* Effect.yieldNow
      yield* Effect.yieldNow
      assert.strictEqual(handed, 1)
      // the permit is held for the group now
      assert.isFalse(yield* freePermits(semaphore, 1))
      stop()
      yield* semaphore.release(1)
      assert.isTrue(yield* freePermits(semaphore, 1))
    }))

  describe("fiberStep", () => {
    const recording = () => {
      const ranOn: Array<number> = []
      const step = runtime.fiberStep((first: number, second: number, fiber) => {
        ranOn.push(fiber.id)
        return Effect.succeed(first + second)
      })
      return { ranOn, step }
    }
    /** A scheduler that asks fibers to yield only while `asking` is set. */
    const askingToYield = () => {
      const inner = new Scheduler.MixedScheduler()
      const control = { asking: false }
      const scheduler: Scheduler.Scheduler = {
        executionMode: inner.executionMode,
        shouldYield: (fiber) => control.asking || inner.shouldYield(fiber),
        makeDispatcher: () => inner.makeDispatcher()
      }
      return { control, scheduler }
    }

    it.effect("yield*ed in Effect.gen, runs its body in that generator step, on that fiber, as one operation", () =>
      Effect.gen(function*() {
        const { ranOn, step } = recording()
        const self = yield* Effect.withFiber((fiber) => Effect.succeed(fiber))
        const before = self.currentOpCount
        // `yield*` asks the effect for its iterator in the generator's own step
        step(1, 2)[Symbol.iterator]()
        assert.deepStrictEqual(ranOn, [self.id])
        assert.strictEqual(self.currentOpCount, before + 1)
        assert.strictEqual(yield* step(1, 2), 3)
        // anywhere else it is Effect.withFiber
        assert.strictEqual(yield* Effect.map(step(2, 3), (sum) => sum * 2), 10)
        assert.deepStrictEqual(ranOn, [self.id, self.id, self.id])
      }))

    it.effect("hands a success straight to yield*, without the generator yielding, and yields anything else", () =>
      Effect.gen(function*() {
        const succeeding = runtime.fiberStep((first: number, second: number) => Effect.succeed(first + second))
        const iterator = succeeding(1, 2)[Symbol.iterator]()
        // the first `next` is the end of the `yield*`: nothing reaches Effect.gen
        const result = iterator.next()
        assert.deepStrictEqual([result.done, result.value], [true, 3])
        const failing = runtime.fiberStep((_: number, __: number) => Effect.fail("refused"))
        const yielded = failing(1, 2)[Symbol.iterator]().next()
        assert.isFalse(yielded.done)
        assert.deepStrictEqual(yield* Effect.exit(failing(1, 2)), Exit.fail("refused"))
      }))

    it.effect("goes through the run loop when the scheduler asks the fiber to yield", () => {
      const { control, scheduler } = askingToYield()
      return Effect.gen(function*() {
        const { ranOn, step } = recording()
        control.asking = true
        step(1, 2)[Symbol.iterator]()
        control.asking = false
        assert.deepStrictEqual(ranOn, [])
        assert.strictEqual(yield* step(1, 2), 3)
        assert.strictEqual(ranOn.length, 1)
      }).pipe(Effect.provideService(Scheduler.Scheduler, scheduler))
    })

    it.effect("goes through the run loop, which interrupts first, when an interruption is pending", () =>
      Effect.gen(function*() {
        const { ranOn, step } = recording()
        let ranInline = true
        const fiber = yield* Effect.forkChild(Effect.gen(function*() {
          const self = yield* Effect.withFiber((fiber) => Effect.succeed(fiber))
          // interrupting a running fiber only marks it; its run loop acts at its next operation
          self.interruptUnsafe()
          step(1, 2)[Symbol.iterator]()
          ranInline = ranOn.length > 0
          yield* step(1, 2)
        }))
        const exit = yield* Fiber.await(fiber)
        assert.isFalse(ranInline)
        assert.deepStrictEqual(ranOn, [])
        assert.isTrue(Exit.hasInterrupts(exit))
      }))
  })

  describe("isAsForked", () => {
    /**
     * Runs `body` on a task fiber of the caller's forker and answers
     * `isAsForked` at its end, as the group asks it, with nobody else
     * observing the fiber unless `observers` says so.
     */
    const askedAtTheEnd = (body: Effect.Effect<unknown>, observers = 1) =>
      Effect.withFiber((caller) =>
        Effect.callback<boolean | undefined>((resume) => {
          const forker = runtime.forkerOf(caller, undefined)
          const fiber = forker.forkUnstarted(Effect.void)
          let answer: boolean | undefined
          runtime.observe(fiber, () => resume(Effect.succeed(answer)))
          for (let i = 1; i < observers; i++) fiber.addObserver(() => {})
          forker.start(fiber, runtime.loopOf(body, () => void (answer = runtime.isAsForked(fiber, forker))))
        })
      )

    it.effect("a task fiber that left nothing behind is as forked, after a scoped service and a suspension", () =>
      Effect.gen(function*() {
        assert.isTrue(yield* askedAtTheEnd(Effect.provideService(Effect.yieldNow, Label, "scoped")))
        assert.isTrue(yield* askedAtTheEnd(Effect.uninterruptible(Effect.yieldNow)))
      }))

    it.effect("a task fiber that left a child fiber or an observer of its own behind is not as forked", () =>
      Effect.gen(function*() {
        assert.isFalse(yield* askedAtTheEnd(Effect.asVoid(Effect.forkChild(Effect.never))))
        assert.isFalse(yield* askedAtTheEnd(Effect.void, 2))
      }))

    it.effect("a fiber of another caller's context, or of the public fallback, is not as forked", () =>
      Effect.gen(function*() {
        const forker = yield* Effect.withFiber((caller) => Effect.succeed(runtime.forkerOf(caller, undefined)))
        const other = yield* Effect.withFiber((caller) => Effect.succeed(runtime.forkerOf(caller, undefined))).pipe(
          Effect.provideService(Label, "other")
        )
        const fiber = forker.forkUnstarted(Effect.void)
        assert.isFalse(runtime.isAsForked(fiber, other))
        const fallback = yield* Effect.withFiber((caller) =>
          Effect.succeed(runtime.forkerOf({
            id: caller.id,
            context: caller.context,
            currentDispatcher: caller.currentDispatcher
          } as unknown as runtime.AnyFiber, undefined))
        )
        assert.isFalse(fallback.reusable)
        assert.isFalse(runtime.isAsForked(fiber, fallback))
      }))
  })

  describe("loopOf", () => {
    const loopOf = runtime.loopOf
    it("finds Effect's primitives as it needs them", () => {
      assert.isTrue(runtime.canLoop())
    })

    it.effect("runs each effect on the same fiber, hands on every exit, and ends as the last did", () =>
      Effect.gen(function*() {
        const effects: Array<Effect.Effect<unknown, unknown>> = [
          Effect.succeed(1),
          Effect.andThen(Effect.yieldNow, Effect.fail("two")),
          Effect.die("three"),
          Effect.interrupt,
          Effect.succeed(5)
        ]
        const seen: Array<Exit.Exit<unknown, unknown>> = []
        const fibers = new Set<number>()
        const onFiber = (effect: Effect.Effect<unknown, unknown>) =>
          Effect.andThen(Effect.withFiber((fiber) => Effect.sync(() => fibers.add(fiber.id))), effect)
        let next = 1
        const loop = loopOf(onFiber(effects[0]), (exit) => {
          seen.push(exit)
          return next < effects.length ? onFiber(effects[next++]) : undefined
        })
        const exit = yield* Fiber.await(yield* Effect.forkChild(loop))
        assert.deepStrictEqual(seen.map((e) => e._tag), ["Success", "Failure", "Failure", "Failure", "Success"])
        assert.deepStrictEqual(seen[1], Exit.fail("two"))
        assert.isTrue(Exit.hasDies(seen[2]) && Exit.hasInterrupts(seen[3]))
        assert.strictEqual(fibers.size, 1)
        // the fiber ends as the last effect ended, with that very exit
        assert.strictEqual(exit, seen[4])
        const failing = loopOf(Effect.fail("last"), () => undefined)
        assert.deepStrictEqual(yield* Effect.exit(failing), Exit.fail("last"))
      }))

    it.effect("an interruption of the fiber skips the loop, and the fiber ends interrupted", () =>
      Effect.gen(function*() {
        let handed = 0
        const loop = loopOf(Effect.never, () => {
          handed++
          return Effect.void
        })
        const fiber = yield* Effect.forkChild(loop)
        yield* Effect.yieldNow
        const exit = yield* Fiber.interrupt(fiber).pipe(Effect.andThen(Fiber.await(fiber)))
        assert.isTrue(Exit.hasInterrupts(exit))
        assert.strictEqual(handed, 0)
      }))

    it.effect("an effect that fails in an uninterruptible region as its fiber is interrupted keeps its failure", () =>
      Effect.gen(function*() {
        const failing = Effect.uninterruptible(Effect.andThen(Effect.yieldNow, Effect.fail("boom")))
        const ends = [failing, loopOf(failing, () => undefined)]
        const exits: Array<Exit.Exit<unknown, unknown>> = []
        for (const effect of ends) {
          const fiber = yield* Effect.forkChild(effect)
          yield* Effect.yieldNow
          fiber.interruptUnsafe()
          exits.push(yield* Fiber.await(fiber))
        }
        // as on a fiber of its own: the loop's frame is no recovery handler whose skip drops failures
        assert.deepStrictEqual(exits.map((exit) => Exit.isFailure(exit) && Cause.hasFails(exit.cause)), [true, true])
      }))
  })

  it("combineCauses and failuresOf read Effect 4's cause reasons", () => {
    const cause = runtime.combineCauses([
      Effect.runSync(Effect.exit(Effect.fail("a"))).pipe((e) => (e as Exit.Failure<never, string>).cause),
      Effect.runSync(Effect.exit(Effect.die("d"))).pipe((e) => (e as Exit.Failure<never, string>).cause)
    ])
    assert.deepStrictEqual(runtime.failuresOf(cause), ["a"])
    assert.strictEqual(runtime.exitKind(Exit.failCause(cause)), "failed")
    assert.strictEqual(runtime.exitKind(Exit.interrupt(1)), "interrupted")
    assert.strictEqual(runtime.exitKind(Exit.succeed(1)), "succeeded")
  })
})
