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
import * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"
import type * as FiberId from "effect/FiberId"
import type * as FiberRefs from "effect/FiberRefs"
import * as Runtime from "effect/Runtime"
import * as RuntimeFlags from "effect/RuntimeFlags"

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

interface FiberInternals {
  readonly _fiberRefs?: FiberRefs.FiberRefs
  readonly currentRuntimeFlags?: RuntimeFlags.RuntimeFlags
  readonly currentContext?: Context.Context<never>
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
  readonly fiberRefs: FiberRefs.FiberRefs
  readonly fork: <A, E>(effect: Effect.Effect<A, E, any>) => Fiber.RuntimeFiber<A, E>
  /**
   * Runs an effect that never suspends (such as releasing a semaphore's
   * permit) to its end on the current thread, so that the release is done
   * when the caller's step is.
   */
  readonly runSync: (effect: Effect.Effect<unknown>) => void
}

/**
 * The caller's `Forker`. `previous` is returned when the caller's FiberRefs
 * are still the ones it was made from (the common case of a loop), which
 * saves a `Runtime` per task. `_fiberRefs` is read by identity because
 * `getFiberRefs()` writes the runtime flags into a fresh copy on every call.
 *
 * @internal
 */
export const forkerOf = (caller: AnyFiber, previous: Forker | undefined): Forker => {
  const internals = caller as unknown as FiberInternals
  const fiberRefs = internals._fiberRefs ?? caller.getFiberRefs()
  if (previous !== undefined && previous.fiberRefs === fiberRefs) return previous
  const flags = internals.currentRuntimeFlags ?? RuntimeFlags.make(RuntimeFlags.Interruption)
  const runtime = Runtime.make({
    context: internals.currentContext ?? caller.currentContext,
    fiberRefs,
    runtimeFlags: RuntimeFlags.enable(flags, RuntimeFlags.Interruption)
  })
  const runFork = Runtime.runFork(runtime)
  const runSync = Runtime.runSync(runtime)
  return {
    fiberRefs,
    // started as `Effect.fork` starts a child: on the scheduler, not inside the caller's step
    fork: (effect) => runFork(effect as Effect.Effect<any, any>, { immediate: false }),
    runSync: (effect) => void runSync(effect)
  }
}

/**
 * Interrupts `fiber` without waiting for it, on behalf of `as`.
 *
 * @internal
 */
export const interruptNow = (fiber: AnyFiber, as: FiberId.FiberId): void => {
  fiber.unsafeInterruptAsFork(as)
}

/**
 * Takes one permit of `semaphore` now if one is free, without suspending.
 * Effect 3's `Semaphore` has no public count, but its only implementation
 * keeps one in `free`; when that is missing the answer is no, and callers
 * wait for a permit the ordinary way.
 *
 * @internal
 */
export const tryTakePermit = (forker: Forker, semaphore: Effect.Semaphore): boolean => {
  const free = (semaphore as { readonly free?: unknown }).free
  if (typeof free !== "number" || free < 1) return false
  forker.runSync(semaphore.take(1))
  return true
}
