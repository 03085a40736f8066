/**
 * The few places where the TaskGroup touches Effect's fiber, cause and
 * semaphore machinery. Everything version-specific lives here, so that a port
 * to Effect 4 changes this file and little else.
 *
 * @internal
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"
import type * as FiberId from "effect/FiberId"
import * as FiberRefs from "effect/FiberRefs"

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

/** @internal */
export const combineCauses = <E>(causes: readonly [Cause.Cause<E>, ...Array<Cause.Cause<E>>]): Cause.Cause<E> =>
  causes.reduce((acc, cause) => Cause.parallel(acc, cause))

/**
 * Forks `body` detached from the calling fiber: a task belongs to its group,
 * not to whoever called `createTask`, so it must outlive that caller. The
 * child is forked uninterruptible and stays so until it opens an
 * interruptible region itself, so an interruption that arrives before its
 * first step is held back and its bookkeeping always runs.
 *
 * @internal
 */
export const forkDetached = <A, E, R>(
  body: Effect.Effect<A, E, R>
): Effect.Effect<Fiber.RuntimeFiber<A, E>, never, R> => Effect.uninterruptible(Effect.forkDaemon(body))

/** @internal */
export const isDone = (fiber: Fiber.RuntimeFiber<unknown, unknown>): boolean => fiber.unsafePoll() !== null

/**
 * Interrupts every fiber at once without waiting, so N tasks wind down in
 * parallel rather than one finalizer after another.
 *
 * @internal
 */
export const interruptAllNow = (fibers: Iterable<Fiber.RuntimeFiber<unknown, unknown>>, as: FiberId.FiberId): void => {
  for (const fiber of fibers) fiber.unsafeInterruptAsFork(as)
}

/**
 * Free permits of a semaphore, when its implementation tells; `undefined`
 * when it does not, and callers must then assume a wait. Effect 3's
 * `Semaphore` exposes no public count, but its only implementation keeps one.
 *
 * @internal
 */
export const freePermits = (semaphore: Effect.Semaphore): number | undefined => {
  const free = (semaphore as { readonly free?: unknown }).free
  return typeof free === "number" ? free : undefined
}

interface FiberRuntimeInternals {
  readonly _fiberRefs?: FiberRefs.FiberRefs
  setFiberRefs?: (fiberRefs: FiberRefs.FiberRefs) => void
}

/**
 * The fiber's FiberRefs as they stand, by identity. `getFiberRefs()` would
 * copy them on every call; a worker only needs to know whether a caller's
 * refs are the ones it already runs with.
 *
 * @internal
 */
export const fiberRefsOf = (fiber: Fiber.RuntimeFiber<unknown, unknown>): FiberRefs.FiberRefs =>
  (fiber as FiberRuntimeInternals)._fiberRefs ?? fiber.getFiberRefs()

/**
 * Makes the running fiber carry `fiberRefs` as if it had just been forked
 * from their owner, so that a worker runs each task with its caller's
 * services, annotations and span. Must be called by the fiber itself.
 *
 * @internal
 */
export const adoptFiberRefs = (self: Fiber.RuntimeFiber<unknown, unknown>, fiberRefs: FiberRefs.FiberRefs): void => {
  ;(self as FiberRuntimeInternals).setFiberRefs!(FiberRefs.forkAs(fiberRefs, self.id()))
}

/**
 * Puts back FiberRefs the fiber ran with before, dropping whatever the last
 * task changed. Must be called by the fiber itself.
 *
 * @internal
 */
export const restoreFiberRefs = (self: Fiber.RuntimeFiber<unknown, unknown>, fiberRefs: FiberRefs.FiberRefs): void => {
  if (fiberRefsOf(self) !== fiberRefs) (self as FiberRuntimeInternals).setFiberRefs!(fiberRefs)
}
