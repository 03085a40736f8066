/**
 * The TaskGroup's few uses of Effect's internals (`src/internal/runtime.ts`),
 * each pinned by a test that fails if Effect changes underneath.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber, FiberRef, Option, Ref, RuntimeFlags, RuntimeFlagsPatch, Scheduler } from "effect"
import * as runtime from "../src/internal/runtime.js"

const freePermits = (semaphore: Effect.Semaphore, permits: number) =>
  Effect.map(semaphore.withPermitsIfAvailable(permits)(Effect.void), Option.isSome)

describe("runtime", () => {
  it.effect("tryTakePermit takes exactly one free permit, and none when none is free", () =>
    Effect.gen(function*() {
      const semaphore = yield* Effect.makeSemaphore(2)
      assert.isTrue(runtime.tryTakePermit(semaphore))
      assert.isFalse(yield* freePermits(semaphore, 2))
      assert.isTrue(yield* freePermits(semaphore, 1))
      assert.isTrue(runtime.tryTakePermit(semaphore))
      assert.isFalse(runtime.tryTakePermit(semaphore))
      yield* semaphore.release(2)
      assert.isTrue(yield* freePermits(semaphore, 2))
    }))

  it.effect("awaitPermit is handed the next released permit, and stops waiting when told", () =>
    Effect.gen(function*() {
      const semaphore = yield* Effect.makeSemaphore(1)
      assert.isTrue(runtime.tryTakePermit(semaphore))
      let handed = 0
      const stop = runtime.awaitPermit(semaphore, () => handed++)
      const stopped = runtime.awaitPermit(semaphore, () => assert.fail("a cancelled waiter was handed a permit"))
      stopped()
      yield* semaphore.release(1)
      yield* Effect.yieldNow()
      assert.strictEqual(handed, 1)
      // the permit is held by the waiter now
      assert.isFalse(yield* freePermits(semaphore, 1))
      stop()
      yield* semaphore.release(1)
      assert.isTrue(yield* freePermits(semaphore, 1))
    }))

  it("checkSemaphore refuses a semaphore that is not Effect's own", () => {
    const foreign: Effect.Semaphore = {
      resize: () => Effect.void,
      withPermits: () => (self) => self,
      withPermitsIfAvailable: () => (self) => Effect.asSome(self),
      take: () => Effect.succeed(1),
      release: () => Effect.succeed(1),
      releaseAll: Effect.succeed(1)
    }
    assert.throws(() => runtime.checkSemaphore(foreign), /Effect.makeSemaphore/)
    runtime.checkSemaphore(Effect.unsafeMakeSemaphore(1))
  })

  it.effect("a forked task has its caller's FiberRefs, is interruptible, and starts on the scheduler", () =>
    Effect.gen(function*() {
      const label = FiberRef.unsafeMake("none")
      const ran = yield* Ref.make(false)
      const fiber = yield* Effect.uninterruptible(
        Effect.locally(
          Effect.withFiberRuntime<Fiber.RuntimeFiber<string, never>>((caller) =>
            Effect.succeed(
              runtime.forkerOf(caller, undefined).fork(
                Effect.zipRight(Ref.set(ran, true), Effect.zipRight(Effect.never, FiberRef.get(label)))
              )
            )
          ),
          label,
          "caller's"
        )
      )
      // forked like Effect.fork: not run inside the caller's step
      assert.isFalse(yield* Ref.get(ran))
      yield* Effect.yieldNow()
      assert.isTrue(yield* Ref.get(ran))
      yield* Fiber.interrupt(fiber)
      assert.isTrue(fiber.unsafePoll() !== null)
      const sees = yield* Effect.withFiberRuntime<string>((caller) =>
        Effect.flatMap(
          Effect.succeed(runtime.forkerOf(caller, undefined).fork(FiberRef.get(label))),
          Fiber.join
        )
      ).pipe(Effect.locally(label, "second caller's"))
      assert.strictEqual(sees, "second caller's")
    }))

  it.effect("a caller's own scheduler is kept; only Effect's default one is replaced", () =>
    Effect.gen(function*() {
      const mine = new Scheduler.SyncScheduler()
      const seen = yield* Effect.withFiberRuntime<Scheduler.Scheduler>((caller) =>
        Fiber.join(runtime.forkerOf(caller, undefined).fork(FiberRef.get(FiberRef.currentScheduler)))
      ).pipe(
        Effect.withScheduler(mine),
        Effect.fork,
        Effect.tap(() => Effect.sync(() => mine.flush())),
        Effect.flatMap(Fiber.join)
      )
      assert.strictEqual(seen, mine)
      const byDefault = yield* Effect.withFiberRuntime<Scheduler.Scheduler>((caller) =>
        Fiber.join(runtime.forkerOf(caller, undefined).fork(FiberRef.get(FiberRef.currentScheduler)))
      ).pipe(Effect.withScheduler(Scheduler.defaultScheduler))
      assert.notStrictEqual(byDefault, Scheduler.defaultScheduler)
    }))

  it.effect("forkerOf reuses its Forker while the caller's FiberRefs stay the same", () =>
    Effect.gen(function*() {
      const label = FiberRef.unsafeMake("a")
      const [first, second] = yield* Effect.withFiberRuntime<readonly [runtime.Forker, runtime.Forker]>((caller) => {
        const first = runtime.forkerOf(caller, undefined)
        return Effect.succeed([first, runtime.forkerOf(caller, first)] as const)
      })
      assert.strictEqual(second, first)
      const third = yield* Effect.zipRight(
        FiberRef.set(label, "b"),
        Effect.withFiberRuntime<runtime.Forker>((caller) => Effect.succeed(runtime.forkerOf(caller, first)))
      )
      assert.notStrictEqual(third, first)
      // runtime flags live outside the FiberRefs: a change of them alone makes a new Forker too
      const [before, after] = yield* Effect.withFiberRuntime<readonly [runtime.Forker, runtime.Forker]>((caller) => {
        const before = runtime.forkerOf(caller, undefined)
        return Effect.map(
          Effect.withRuntimeFlagsPatch(
            Effect.withFiberRuntime<runtime.Forker>((again) => Effect.succeed(runtime.forkerOf(again, before))),
            RuntimeFlagsPatch.disable(RuntimeFlags.CooperativeYielding)
          ),
          (after) => [before, after] as const
        )
      })
      assert.notStrictEqual(after, before)
      assert.isFalse(RuntimeFlags.cooperativeYielding(after.callerFlags))
    }))

  it.effect("isAsForked tells a fiber left as it was forked from one a task changed", () =>
    Effect.gen(function*() {
      const label = FiberRef.unsafeMake("a")
      const check = (change: Effect.Effect<unknown>) =>
        Effect.withFiberRuntime<boolean>((self) => {
          const snapshot = runtime.snapshotOf(self)
          return Effect.map(change, () => runtime.isAsForked(self, snapshot))
        }).pipe(Effect.fork, Effect.flatMap(Fiber.join))
      assert.isTrue(yield* check(Effect.succeed(1)))
      assert.isTrue(yield* check(Effect.sleep(0)))
      assert.isFalse(yield* check(FiberRef.set(label, "b")))
      assert.isFalse(yield* check(Effect.fork(Effect.never)))
      assert.isFalse(
        yield* check(
          Effect.annotateCurrentSpan("k", "v").pipe(Effect.withSpan("s"), Effect.zipRight(FiberRef.set(label, "c")))
        )
      )
    }))

  it.effect("reforkAs gives the running fiber the FiberRefs a fresh fork of the caller would have", () =>
    Effect.gen(function*() {
      const bag = FiberRef.unsafeMake<Array<number>>([], { fork: () => [] })
      const seen = yield* Effect.withFiberRuntime<readonly [number, number, boolean]>((caller) => {
        const forker = runtime.forkerOf(caller, undefined)
        const fiber = forker.fork(
          Effect.withFiberRuntime<readonly [number, number, boolean]>((self) =>
            Effect.gen(function*() {
              ;(yield* FiberRef.get(bag)).push(1)
              const before = (yield* FiberRef.get(bag)).length
              const snapshot = runtime.reforkAs(self, forker, runtime.snapshotOf(self))
              const after = (yield* FiberRef.get(bag)).length
              return [before, after, runtime.isAsForked(self, snapshot)] as const
            })
          )
        )
        return Fiber.join(fiber)
      }).pipe(Effect.locally(bag, []))
      assert.deepStrictEqual(seen, [1, 0, true])
    }))
})
