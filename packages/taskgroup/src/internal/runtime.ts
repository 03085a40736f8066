/**
 * The few places where the TaskGroup touches Effect's fiber, cause and
 * runtime machinery. Everything version-specific lives here, so that a port
 * to Effect 4 changes this file and little else. Each export has a test in
 * `test/Runtime.test.ts` that fails if Effect changes underneath.
 *
 * @internal
 */
import * as Cause from "effect/Cause"
import type * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import * as Equal from "effect/Equal"
import * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"
import type * as FiberId from "effect/FiberId"
type FiberRefs = FiberRefsModule.FiberRefs
import * as FiberRef from "effect/FiberRef"
import * as FiberRefsModule from "effect/FiberRefs"
import * as Runtime from "effect/Runtime"
import * as RuntimeFlags from "effect/RuntimeFlags"
import * as Scheduler from "effect/Scheduler"

/** @internal */
export type ExitKind = "succeeded" | "failed" | "interrupted"

/**
 * A task whose cause holds nothing but interruptions was stopped from
 * outside; anything else (a typed failure or a defect) is its own failure.
 *
 * @internal
 */
export const exitKind = (exit: Exit.Exit<unknown, unknown>): ExitKind =>
  Exit.isSuccess(exit) ? "succeeded" : Cause.isInterruptedOnly(exit.cause) ? "interrupted" : "failed"

/**
 * The typed errors in a cause, without its defects and interruptions.
 *
 * @internal
 */
export const failuresOf = <E>(cause: Cause.Cause<E>): ReadonlyArray<E> => [...Cause.failures(cause)]

/** @internal */
export const combineCauses = <E>(causes: readonly [Cause.Cause<E>, ...Array<Cause.Cause<E>>]): Cause.Cause<E> =>
  causes.reduce((acc, cause) => Cause.parallel(acc, cause))

/** @internal */
export type AnyFiber = Fiber.RuntimeFiber<unknown, unknown>

/** How Effect 3's `FiberRef` forks its value, as `FiberRefs.forkAs` applies it. */
interface FiberRefInternals {
  readonly fork: unknown
  readonly patch: (patch: unknown) => (value: unknown) => unknown
}

/** The fields of Effect 3's `FiberRuntime` this module reads; each may be missing in another version. */
interface FiberInternals {
  readonly _fiberRefs?: FiberRefs
  readonly currentRuntimeFlags?: RuntimeFlags.RuntimeFlags
  readonly currentContext?: Context.Context<never>
  readonly _children?: Set<unknown> | null
  readonly _queue?: ReadonlyArray<unknown>
  readonly setFiberRefs?: (fiberRefs: FiberRefs) => void
}

/**
 * How to start fibers as if they were forked by one caller: with its
 * services, FiberRefs (annotations, span, scheduler, logger) and runtime
 * flags, but always interruptible, so that the group can stop what it owns
 * even when `createTask` was called inside an uninterruptible region.
 *
 * A task is started by whichever fiber frees its permit, not by its caller,
 * so it cannot simply be forked from the fiber that happens to run.
 *
 * @internal
 */
export interface Forker {
  readonly fiberRefs: FiberRefs
  /** The caller's runtime flags when the `Forker` was made, before interruption is enabled. */
  readonly callerFlags: RuntimeFlags.RuntimeFlags
  readonly fork: <A, E>(effect: Effect.Effect<A, E, any>) => Fiber.RuntimeFiber<A, E>
  /**
   * The FiberRefs that `fork` gives a fiber with the id `childId`: the
   * caller's, each forked with its own `fork` function, so that a fiber
   * that runs another task can start it exactly as a fresh fork would.
   */
  readonly fiberRefsFor: (childId: FiberId.Runtime) => FiberRefs
  /**
   * Whether forking changes any of the caller's FiberRefs (a `fork`
   * function that gives each fork a value of its own), asked once per
   * `Forker`: when none does, every fork gets the caller's values as they
   * are, and a fiber that runs another task needs no new FiberRefs. A `fork`
   * function is taken to be a function of the parent's value.
   */
  readonly forkChangesFiberRefs: () => boolean
  /**
   * Runs an effect that never suspends (such as releasing a semaphore's
   * permit) to its end on the current thread, so that the release is done
   * when the caller's step is.
   */
  readonly runSync: (effect: Effect.Effect<unknown>) => void
}

/**
 * Effect's default scheduler, with one runner for all the fibers it serves.
 *
 * Since Effect 3.20 the default scheduler makes a runner (a `WeakMap` entry,
 * its own task buckets and its own microtask) for every fiber it sees, which
 * a group that forks a fiber per task paid once per task: in the createTask
 * loop's profile it was the largest cost after GC. Passing no fiber to it
 * selects its shared fallback runner, which batches every task fiber's
 * wake-ups into one drain, as Effect's scheduler did before 3.20. It is used
 * only in place of the default scheduler, never of one the caller chose.
 */
const oneRunnerScheduler: Scheduler.Scheduler = {
  shouldYield: (fiber) => Scheduler.defaultScheduler.shouldYield(fiber),
  scheduleTask: (task, priority) => Scheduler.defaultScheduler.scheduleTask(task, priority)
}

/**
 * The caller's `Forker`. `previous` is returned when the caller's FiberRefs
 * and runtime flags are still the ones it was made from (the common case of
 * a loop), which saves a `Runtime` per task. `_fiberRefs` is read by
 * identity because `getFiberRefs()` writes the runtime flags into a fresh
 * copy on every call; the flags are compared too, because they live outside
 * the FiberRefs (`Effect.withRuntimeFlagsPatch` changes them alone).
 *
 * @internal
 */
export const forkerOf = (caller: AnyFiber, previous: Forker | undefined): Forker => {
  const internals = caller as unknown as FiberInternals
  const fiberRefs = internals._fiberRefs ?? caller.getFiberRefs()
  const callerFlags = internals.currentRuntimeFlags ?? RuntimeFlags.make(RuntimeFlags.Interruption)
  if (previous !== undefined && previous.fiberRefs === fiberRefs && previous.callerFlags === callerFlags) {
    return previous
  }
  const context = internals.currentContext ?? caller.currentContext
  const runtime = Runtime.make({
    context,
    fiberRefs,
    runtimeFlags: RuntimeFlags.enable(callerFlags, RuntimeFlags.Interruption)
  })
  const scheduler = FiberRefsModule.getOrDefault(fiberRefs, FiberRef.currentScheduler) === Scheduler.defaultScheduler
    ? oneRunnerScheduler
    : undefined
  const runFork = Runtime.runFork(runtime)
  const runSync = Runtime.runSync(runtime)
  let forkChangesFiberRefs: boolean | undefined
  return {
    fiberRefs,
    callerFlags,
    // started as `Effect.fork` starts a child: on the scheduler, not inside the caller's step
    fork: (effect) => runFork(effect as Effect.Effect<any, any>, { immediate: false, scheduler }),
    // what `Runtime.runFork` does to the runtime's FiberRefs for a new fiber
    fiberRefsFor: (childId) =>
      FiberRefsModule.updateManyAs(fiberRefs, {
        forkAs: childId,
        entries: scheduler === undefined
          ? [[FiberRef.currentContext, [[childId, context]]]]
          : [[FiberRef.currentContext, [[childId, context]]], [FiberRef.currentScheduler, [[childId, scheduler]]]]
      }),
    forkChangesFiberRefs: () => forkChangesFiberRefs ??= changesOnFork(fiberRefs),
    runSync: (effect) => void runSync(effect)
  }
}

/** What `FiberRefs.forkAs` compares: whether some FiberRef's forked value differs from its parent's. */
const changesOnFork = (fiberRefs: FiberRefs): boolean => {
  for (const [fiberRef, stack] of fiberRefs.locals) {
    const { fork, patch } = fiberRef as unknown as FiberRefInternals
    const value = stack[0][1]
    if (!Equal.equals(value, patch(fork)(value))) return true
  }
  return false
}

/**
 * Interrupts `fiber` without waiting for it, on behalf of `as`.
 *
 * @internal
 */
export const interruptNow = (fiber: AnyFiber, as: FiberId.FiberId): void => {
  fiber.unsafeInterruptAsFork(as)
}

interface SemaphoreInternals {
  readonly free: number
  taken: number
  readonly waiters: Set<() => void>
}

const internalsOf = (semaphore: Effect.Semaphore): SemaphoreInternals => {
  const internals = semaphore as unknown as Partial<SemaphoreInternals>
  if (
    typeof internals.free !== "number" || typeof internals.taken !== "number" || !(internals.waiters instanceof Set)
  ) {
    throw new TypeError("a TaskGroup can share only a semaphore made by Effect.makeSemaphore")
  }
  return internals as SemaphoreInternals
}

/**
 * Fails at once, with a defect, for a semaphore that is not Effect's own, so
 * that a group never starts with one it cannot take permits from safely.
 *
 * @internal
 */
export const checkSemaphore = (semaphore: Effect.Semaphore): void => {
  internalsOf(semaphore)
}

/**
 * Takes one permit of `semaphore` now if one is free, in the caller's step.
 *
 * Effect 3's `Semaphore` has no public way to do that: `take` hands the
 * permit over in a resumed effect, and an interruption that lands at a yield
 * between that effect and its continuation loses the permit (the explorer
 * found this under a small ops-before-yield budget). Its only
 * implementation keeps `free` and `taken`, which this reads and writes.
 *
 * @internal
 */
export const tryTakePermit = (semaphore: Effect.Semaphore): boolean => {
  const internals = internalsOf(semaphore)
  if (internals.free < 1) return false
  internals.taken += 1
  return true
}

/**
 * Calls `onPermit` once a permit of `semaphore` has been taken for it, in
 * the same step as the semaphore hands it over, so that no interruption can
 * fall in between. It joins the semaphore's own waiters, which a release
 * wakes while permits are free. Returns how to stop waiting.
 *
 * @internal
 */
export const awaitPermit = (semaphore: Effect.Semaphore, onPermit: () => void): () => void => {
  const internals = internalsOf(semaphore)
  const observer = () => {
    if (internals.free < 1) return
    internals.waiters.delete(observer)
    internals.taken += 1
    onPermit()
  }
  internals.waiters.add(observer)
  return () => {
    internals.waiters.delete(observer)
  }
}

/** @internal */
export interface FiberSnapshot {
  readonly fiberRefs: FiberRefs | undefined
  readonly flags: RuntimeFlags.RuntimeFlags | undefined
}

/**
 * What a fiber is made of when it starts, for `isAsForked`.
 *
 * @internal
 */
export const snapshotOf = (fiber: AnyFiber): FiberSnapshot => {
  const internals = fiber as unknown as FiberInternals
  return { fiberRefs: internals._fiberRefs, flags: internals.currentRuntimeFlags }
}

/**
 * Makes `fiber`, which must be the running fiber and as it was forked (see
 * `isAsForked`), what `forker.fork` would make a new fiber: every FiberRef
 * forked afresh from the caller's. Without this, a FiberRef whose `fork`
 * gives each fork its own mutable value (an array, a map) would be shared
 * by every task the fiber runs, since changing it in place leaves the
 * FiberRefs unchanged. Returns the snapshot to check the next task against.
 *
 * @internal
 */
export const reforkAs = (fiber: AnyFiber, forker: Forker, snapshot: FiberSnapshot): FiberSnapshot => {
  if (!forker.forkChangesFiberRefs()) return snapshot
  const internals = fiber as unknown as FiberInternals
  internals.setFiberRefs!(forker.fiberRefsFor(fiber.id()))
  return snapshotOf(fiber)
}

/**
 * Whether `fiber`, which must be the running fiber, is exactly as it was
 * when `snapshot` was taken: the same FiberRefs object (FiberRefs are
 * immutable, so any change, a pending interruption included, makes a new
 * one), the same runtime flags, no child fiber and no message waiting. Only
 * then may it run another task as if it were a fresh fork. When Effect's
 * internals are not as expected, the answer is no, and every task gets a
 * fiber of its own.
 *
 * @internal
 */
export const isAsForked = (fiber: AnyFiber, snapshot: FiberSnapshot): boolean => {
  const internals = fiber as unknown as FiberInternals
  return snapshot.fiberRefs !== undefined && internals._fiberRefs === snapshot.fiberRefs &&
    snapshot.flags !== undefined && internals.currentRuntimeFlags === snapshot.flags &&
    (internals._children === null || internals._children?.size === 0) &&
    internals._queue !== undefined && internals._queue.length === 0 &&
    typeof internals.setFiberRefs === "function"
}
