/**
 * The few places where the Effect 4 TaskGroup touches Effect's fiber, cause
 * and semaphore machinery. Everything that reads or writes Effect 4's
 * internals lives here, each use with a plain fallback for when the
 * internal is missing, and each pinned by a test in `test/Runtime.test.ts`
 * that fails if Effect changes underneath.
 *
 * @internal
 */
import * as Cause from "effect/Cause"
import type * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import type * as Scheduler from "effect/Scheduler"
import * as Scope from "effect/Scope"
import type * as Semaphore from "effect/Semaphore"

/** @internal */
export type ExitKind = "succeeded" | "failed" | "interrupted"

/**
 * A task whose cause holds nothing but interruptions was stopped from
 * outside; anything else (a typed failure or a defect) is its own failure.
 *
 * @internal
 */
export const exitKind = (exit: Exit.Exit<unknown, unknown>): ExitKind =>
  Exit.isSuccess(exit) ? "succeeded" : Cause.hasInterruptsOnly(exit.cause) ? "interrupted" : "failed"

/**
 * The typed errors in a cause, without its defects and interruptions.
 *
 * @internal
 */
export const failuresOf = <E>(cause: Cause.Cause<E>): ReadonlyArray<E> =>
  cause.reasons.filter(Cause.isFailReason).map((reason) => reason.error)

/** @internal */
export const combineCauses = <E>(causes: readonly [Cause.Cause<E>, ...Array<Cause.Cause<E>>]): Cause.Cause<E> =>
  causes.reduce((acc, cause) => Cause.combine(acc, cause))

/** @internal */
export type AnyFiber = Fiber.Fiber<unknown, unknown>

/**
 * How to start fibers as if they were forked by one caller, as
 * `Effect.forkChild` starts them: with the caller's whole context (services
 * and references: annotations, span, scheduler, log level), queued on the
 * caller's dispatcher rather than run inside the caller's step, but always
 * interruptible, so that the group can stop what it owns even when
 * `createTask` was called inside an uninterruptible region, and owned by the
 * group rather than by the caller.
 *
 * Effect 4 keeps all of a fiber's state in its `Context` (there are no
 * FiberRefs with fork functions and no runtime flags but interruptibility),
 * and a `Context` is immutable, so a task forked from the caller's context
 * sees exactly what `Effect.forkChild` would give it, whichever fiber
 * happens to start it.
 *
 * @internal
 */
export interface Forker {
  readonly context: Context.Context<never>
  readonly dispatcher: Scheduler.SchedulerDispatcher
  /** Forks `effect`, queued on the caller's dispatcher: it starts after the current step. */
  readonly fork: <A, E>(effect: Effect.Effect<A, E, any>) => Fiber.Fiber<A, E>
  /**
   * Makes the fiber for `effect` now, for a caller that starts it with
   * `start` right after its step, as `Effect.forEach` starts a task in the
   * step that freed its slot. The fallback cannot split the two, and queues
   * the fiber on the scheduler instead (its `start` does nothing).
   */
  readonly forkUnstarted: <A, E>(effect: Effect.Effect<A, E, any>) => Fiber.Fiber<A, E>
  readonly start: (fiber: Fiber.Fiber<unknown, unknown>, effect: Effect.Effect<unknown, unknown, any>) => void
  /** Runs an effect that never suspends (such as a semaphore's release) to its end, as the caller. */
  readonly runSync: (effect: Effect.Effect<unknown>) => void
  /** Whether its fibers are Effect 4.1's own, which `isAsForked` can check. */
  readonly reusable: boolean
}

const startNothing = () => {}

/** The parts of Effect 4's `FiberImpl` that a fork as the caller needs; each may be missing in another version. */
interface FiberInternals {
  readonly constructor: new(context: Context.Context<never>, interruptible: boolean) => FiberInternals
  readonly evaluate?: (effect: Effect.Effect<unknown, unknown>) => void
}

/**
 * Whether `caller` is an Effect 4.1 `FiberImpl` that can start an
 * unstarted fiber of its class: then a task fiber is made and queued exactly
 * as `Effect.forkChild` does it (`internal/effect.ts`, `forkUnsafe`), on the
 * caller's dispatcher, so that the tasks of one caller start in one drain.
 *
 * @internal
 */
export const canForkAsEffectDoes = (caller: AnyFiber): boolean => {
  const internals = caller as unknown as FiberInternals
  return typeof internals.evaluate === "function" && typeof internals.constructor === "function"
}

/**
 * The caller's `Forker`. `previous` is returned when the caller's context
 * and dispatcher are the ones it was made from (the common case of a
 * loop): a `Context` is immutable, so the same one is the same state, and
 * nothing else of the caller reaches a task.
 *
 * The plain fallback, when the fiber is not as expected, runs the task
 * through the public `Effect.runForkWith` behind a `yieldNow`, which also
 * starts it on the scheduler, only on a dispatcher of its own.
 *
 * @internal
 */
export const forkerOf = (caller: AnyFiber, previous: Forker | undefined): Forker => {
  const context = caller.context
  const dispatcher: Scheduler.SchedulerDispatcher = caller.currentDispatcher
  if (previous !== undefined && previous.context === context && previous.dispatcher === dispatcher) return previous
  const runFork = Effect.runForkWith(context)
  const runSync = (effect: Effect.Effect<unknown>) => void runFork(effect)
  if (canForkAsEffectDoes(caller)) {
    const FiberImpl = (caller as unknown as FiberInternals).constructor
    const forkUnstarted = <A, E>(_: Effect.Effect<A, E, any>) =>
      new FiberImpl(context, true) as unknown as Fiber.Fiber<A, E>
    const start = (fiber: Fiber.Fiber<unknown, unknown>, effect: Effect.Effect<unknown, unknown, any>) =>
      (fiber as unknown as FiberInternals).evaluate!(effect as Effect.Effect<unknown, unknown>)
    return {
      context,
      dispatcher,
      fork: (effect) => {
        const fiber = forkUnstarted(effect)
        dispatcher.scheduleTask(() => start(fiber, effect), 0)
        return fiber
      },
      forkUnstarted,
      start,
      runSync,
      reusable: true
    }
  }
  const fork = <A, E>(effect: Effect.Effect<A, E, any>) =>
    runFork(Effect.andThen(Effect.yieldNow, effect as Effect.Effect<A, E, never>))
  return {
    context,
    dispatcher,
    fork,
    forkUnstarted: fork,
    start: startNothing,
    runSync,
    reusable: false
  }
}

/** The observer list of Effect 4.1's `FiberImpl`, which `observe` fills without `addObserver`'s extra closure. */
interface ObservedInternals {
  _observers: Array<(exit: Exit.Exit<unknown, unknown>) => void> | undefined
  readonly _exit: Exit.Exit<unknown, unknown> | undefined
}

/**
 * Calls `observer` with `fiber`'s exit once it has ended, as
 * `fiber.addObserver` does, for a fiber that may not have started yet.
 * `addObserver` also makes a closure to remove the observer, once per call,
 * which a group that observes each of its million task fibers once never
 * uses: on an Effect 4.1 fiber that nobody observes yet, the observer list
 * is set directly (its only reader is the fiber's end, which calls each
 * observer in turn). Anything else goes through `addObserver`.
 *
 * @internal
 */
export const observe = <A, E>(fiber: Fiber.Fiber<A, E>, observer: (exit: Exit.Exit<A, E>) => void): void => {
  const internals = fiber as unknown as Partial<ObservedInternals>
  if ("_observers" in internals && internals._observers === undefined && internals._exit === undefined) {
    internals._observers = [observer as (exit: Exit.Exit<unknown, unknown>) => void]
  } else {
    fiber.addObserver(observer)
  }
}

/** The fields of Effect 4.1's `FiberImpl` that tell whether a fiber is still as it was forked. */
interface ForkedInternals {
  readonly interruptible: boolean
  readonly _interruptedCause: unknown
  readonly _deferredInterrupt: boolean
  readonly _children: Set<unknown> | undefined
  readonly _observers: Array<unknown> | undefined
  readonly _stack: Array<unknown>
}

/**
 * Whether `fiber`, the running fiber of a task that has just ended, is
 * exactly as `forker` forked it, so that it may run another task of the
 * same caller as a fresh fork would: the same context (a `Context` is
 * immutable, so the same object is the same services and references; a
 * task's own `provideService` has been undone by now), interruptible, no
 * interruption asked for or pending, no child fiber, nothing on its stack
 * below the task, and no observer but the group's own, so that nobody who
 * observes it through a handle of their own sees it run another task.
 * (An interruption of the fiber skips the loop that asks, see `loopOf`, so
 * the interruption fields are read only in case Effect ever stops skipping
 * it.) When Effect's internals are not as expected the answer is no, and
 * every task gets a fiber of its own.
 *
 * One thing no check can see: a handle to its own fiber that a task took
 * (`Fiber.getCurrent`, `Effect.withFiber`) and kept past its end, which
 * would then speak for a later task, as on the Effect 3 edition.
 *
 * @internal
 */
export const isAsForked = (fiber: AnyFiber, forker: Forker): boolean => {
  if (!forker.reusable || fiber.context !== forker.context) return false
  const internals = fiber as unknown as Partial<ForkedInternals>
  return internals.interruptible === true && internals._interruptedCause === undefined &&
    internals._deferredInterrupt === false && (internals._children === undefined || internals._children.size === 0) &&
    internals._observers !== undefined && internals._observers.length === 1 &&
    internals._stack !== undefined && internals._stack.length === 0
}

/**
 * Interrupts `fiber` without waiting for it, on behalf of the fiber `as`.
 * On Effect 4.1 a suspended fiber runs its finalizers and exit observers
 * before this returns: the group calls it only where that re-entry is safe
 * (see `Steps` in `taskGroup.ts`).
 *
 * @internal
 */
export const interruptNow = (fiber: AnyFiber, as: number): void => {
  fiber.interruptUnsafe(as)
}

/** The fields of Effect 4.1's `SemaphoreImpl` that a try-take reads and writes. */
interface SemaphoreInternals {
  readonly free: number
  taken: number
  readonly waiters: Set<unknown>
}

const internalsOf = (semaphore: Semaphore.Semaphore): SemaphoreInternals | undefined => {
  const internals = semaphore as unknown as Partial<SemaphoreInternals>
  return typeof internals.free === "number" && typeof internals.taken === "number" &&
      internals.waiters instanceof Set
    ? internals as SemaphoreInternals
    : undefined
}

/**
 * Whether `semaphore` is Effect 4.1's own, whose permits can be taken in
 * the caller's step and in line with its waiters.
 *
 * @internal
 */
export const isEffectSemaphore = (semaphore: Semaphore.Semaphore): boolean => internalsOf(semaphore) !== undefined

/**
 * Takes one permit of `semaphore` now if one is free, in the caller's step,
 * so that no interruption can fall between the take and its use.
 *
 * With Effect's own semaphore it does what `take` does when it need not
 * wait: a permit is free and no waiter is in line before us (a waiter that
 * was woken keeps its place until it takes its permit). Otherwise it runs
 * the public `takeIfAvailable` to its end, which never suspends.
 *
 * @internal
 */
export const tryTakePermit = (semaphore: Semaphore.Semaphore, forker: Forker): boolean => {
  const internals = internalsOf(semaphore)
  if (internals !== undefined) {
    if (internals.free < 1 || internals.waiters.size > 0) return false
    internals.taken += 1
    return true
  }
  let taken = false
  forker.runSync(Effect.map(semaphore.takeIfAvailable(1), (ok) => (taken = ok)))
  return taken
}

/**
 * Calls `onPermit` once a permit of `semaphore` has been taken for the
 * group, and returns how to stop waiting.
 *
 * The wait is a fiber of the group's. Effect 4's `take` is not atomic
 * under interruption: once woken it takes its permits and may then yield
 * before it returns, and an interruption landing there loses them (the
 * explorer finds this at a budget of 2). `takeScoped` is: it takes the
 * permit and adds its release to a scope in one uninterruptible step. So
 * the fiber takes the permit into a scope of its own and hands it over
 * uninterruptibly; a stop that comes after the take is seen by the
 * hand-over, and a fiber interrupted between the two closes the scope, so
 * the permit is used, or given back, or was never taken. A permit handed
 * over leaves its scope unclosed: it is the group's to release.
 *
 * (Effect 4's waiters are `{ permits, resume }` records woken on a later
 * scheduler task, whose resume re-checks its place in line; joining them
 * by hand would tie the group to their shape for little gain over this
 * fiber, which only a group that shares its semaphore pays, once per wait.)
 *
 * @internal
 */
export const awaitPermit = (semaphore: Semaphore.Semaphore, forker: Forker, onPermit: () => void): () => void => {
  let stopped = false
  const holder = Scope.makeUnsafe()
  const giveBack = (exit: Exit.Exit<unknown, unknown>) => forker.runSync(Scope.close(holder, exit))
  const waiter = forker.fork(Effect.uninterruptibleMask((restore) =>
    Effect.andThen(
      restore(semaphore.takeScoped(1).pipe(Scope.provide(holder))),
      Effect.sync(() => {
        if (stopped) giveBack(Exit.void)
        else onPermit()
      })
    )
  ))
  waiter.addObserver((exit) => {
    if (Exit.isFailure(exit)) giveBack(exit)
  })
  return () => {
    if (stopped) return
    stopped = true
    waiter.interruptUnsafe()
  }
}

/** The parts of Effect 4.1's `FiberImpl` that a step run inside `Effect.gen` reads and writes. */
interface StepInternals {
  currentOpCount: number
  readonly _deferredInterrupt: boolean
}

/**
 * Whether `fiber` may run a step of the group right inside the `Effect.gen`
 * step that asked for it, counted as one operation of its run loop, as the
 * run loop would have run it: no interruption is pending, no tracer wraps
 * its operations, and its scheduler does not ask it to yield now.
 * Otherwise the step goes through the run loop, which yields, or is
 * interrupted, or traces it, first.
 */
const mayStepInline = (fiber: AnyFiber): boolean => {
  const internals = fiber as unknown as Partial<StepInternals>
  if (internals._deferredInterrupt !== false || typeof internals.currentOpCount !== "number") return false
  const cache = fiber.cache
  if (cache.tracerContext !== undefined || (!cache.preventYield && cache.scheduler.shouldYield(fiber))) return false
  internals.currentOpCount++
  return true
}

/** Effect 4.1's key of a primitive effect's evaluation, which its run loop calls with the running fiber. */
const evaluateKey = "~effect/Effect/evaluate"
/** Effect 4.1's keys of a stack frame's continuations, on success and on failure, which its run loop calls. */
const successContKey = "~effect/Effect/successCont"
const failureContKey = "~effect/Effect/failureCont"
/** Effect 4.1's key of a primitive's name, whose presence on a frame makes it a recovery handler. */
const identifierKey = "~effect/Effect/identifier"

/** The prototype of Effect 4.1's primitive effects, or `undefined` where it is not as expected. */
const primitiveProto = (): Record<string, unknown> | undefined => {
  const proto = Object.getPrototypeOf(Effect.withFiber(() => Effect.void)) as Record<string, unknown> | null
  return proto !== null && typeof proto[evaluateKey] === "function" && Object.hasOwn(proto, Symbol.iterator)
    ? proto
    : undefined
}

/**
 * `(first, second) => Effect.withFiber((fiber) => body(first, second, fiber))`,
 * for a call made once per task, in three ways cheaper:
 *
 * - the effect is one object with two fields, not a closure and its context
 *   around an effect;
 * - `yield*`ed in `Effect.gen`, it runs `body` in that same generator step,
 *   on the fiber that runs the generator (`Fiber.getCurrent()`), whenever
 *   `mayStepInline` allows: a success is the `yield*`'s value at once,
 *   without the generator yielding to `Effect.gen` at all (in a createTask
 *   loop that yield was about 200 instructions a task); any other effect
 *   is handed to `Effect.gen`, which runs a failure `Exit` with no turn of
 *   the run loop;
 * - it is its own iterator for `yield*`, as `SingleShotGen` is one, without
 *   a `SingleShotGen` and its result object per call. `yield*` reads each
 *   result before anything else can run, so two generators that yield the
 *   same effect never see each other's state.
 *
 * In a profile of a createTask loop, the run loop's turn for
 * `Effect.withFiber` and then for its `Effect.succeed(task)` cost as much
 * as the group's own bookkeeping per task. Run elsewhere (piped, mapped,
 * forked) it is `Effect.withFiber`. Without Effect 4.1's primitives it is
 * `Effect.withFiber` everywhere.
 *
 * @internal
 */
export const fiberStep = <F, S, A, E, R>(
  body: (first: F, second: S, fiber: AnyFiber) => Effect.Effect<A, E, R>
): (first: F, second: S) => Effect.Effect<A, E, R> => {
  const proto = primitiveProto()
  if (proto === undefined) return (first, second) => Effect.withFiber((fiber) => body(first, second, fiber))
  class FiberStep {
    /**
     * Its own iterator's state, as `SingleShotGen` keeps it, so that `yield*`
     * makes no object of its own: "ready" holds the result in `value` for the
     * `next` that follows at once, "yield" still has `pending` to hand
     * `Effect.gen`. Any other `next` is `Effect.gen` sending back a result,
     * which may come after another generator has yielded the same effect,
     * so it depends on nothing but what it is sent.
     */
    state: "ready" | "yield" | "sent" = "sent"
    pending: unknown = undefined
    value: unknown = undefined
    done = true
    constructor(readonly first: F, readonly second: S) {}
    next(sent: unknown): this {
      if (this.state === "yield") {
        this.value = this.pending
        this.pending = undefined
        this.done = false
      } else {
        if (this.state === "sent") this.value = sent
        this.done = true
      }
      this.state = "sent"
      return this
    }
  }
  Object.setPrototypeOf(FiberStep.prototype, proto)
  Object.defineProperty(FiberStep.prototype, evaluateKey, {
    value(this: FiberStep, fiber: AnyFiber) {
      return body(this.first, this.second, fiber)
    }
  })
  Object.defineProperty(FiberStep.prototype, Symbol.iterator, {
    value(this: FiberStep) {
      const fiber = Fiber.getCurrent()
      if (fiber === undefined || !mayStepInline(fiber)) {
        this.pending = this
        this.state = "yield"
        return this
      }
      const effect = body(this.first, this.second, fiber)
      // a success is the `yield*`'s value at once, as `Effect.gen` would have
      // taken it from the Exit, without the generator yielding to it
      if (Exit.isExit(effect) && Exit.isSuccess(effect)) {
        this.value = effect.value
        this.state = "ready"
      } else {
        this.pending = effect
        this.state = "yield"
      }
      return this
    }
  })
  return (first, second) => new FiberStep(first, second) as unknown as Effect.Effect<A, E, R>
}

/** The part of Effect 4.1's `FiberImpl` that a frame of its own is pushed on. */
interface StackInternals {
  readonly _stack: Array<unknown>
}

/**
 * An effect that runs `first`, hands its exit to `ended`, and runs the
 * effect that `ended` returns next in the same way, on the same fiber, until
 * `ended` returns `undefined`: it then ends as the last effect ended, with
 * that very `Exit`. `ended` is called as `Effect.matchCauseEffect` calls its
 * handlers: on a failure too, but an interruption of the fiber skips it,
 * and the fiber ends interrupted. Only where `canLoop()`: elsewhere each
 * task keeps a fiber of its own (the public `matchCauseEffect` is no
 * fallback: see `loopProto`).
 *
 * With Effect 4.1's primitives the loop is one frame of its own on the
 * fiber's stack, pushed again for each effect it runs, rather than a
 * `matchCauseEffect` per effect: that cost each task on a reused fiber a
 * new effect, a read of each handler's `length` through a native getter,
 * and stores under keys V8 sees on every kind of effect, and in all more
 * than the fresh fiber it saved. The `Exit` that ended an effect is handed
 * on as it is, where the run loop passes it.
 *
 * @internal
 */
export const loopOf = (
  first: Effect.Effect<unknown, unknown, any>,
  ended: (exit: Exit.Exit<unknown, unknown>) => Effect.Effect<unknown, unknown, any> | undefined
): Effect.Effect<unknown, unknown, any> => {
  const loop = Object.create(loopProto()!) as Loop
  loop.pending = first
  loop.ended = ended
  return loop as unknown as Effect.Effect<unknown, unknown, any>
}

interface Loop {
  pending: Effect.Effect<unknown, unknown, any> | undefined
  ended: (exit: Exit.Exit<unknown, unknown>) => Effect.Effect<unknown, unknown, any> | undefined
}

/**
 * Whether Effect's primitives are as `loopOf` needs them.
 *
 * @internal
 */
export const canLoop = (): boolean => loopProto() !== undefined

let loopPrototype: object | undefined | null = null

/**
 * The loop's frame is a primitive without a name. An interruption that
 * skips a frame with a name (a recovery handler, such as `matchCauseEffect`)
 * drops the typed failures from its cause, and the loop is no handler of
 * the task's: a task that fails in an uninterruptible region as it is
 * interrupted must end with its failure and the interruption, as on a fiber
 * of its own (test "a task that fails in an uninterruptible region as it is
 * interrupted keeps its failure").
 */
const loopProto = (): object | undefined => {
  if (loopPrototype !== null) return loopPrototype
  const proto = primitiveProto()
  if (proto === undefined) return loopPrototype = undefined
  const unnamed = Object.create(Object.getPrototypeOf(proto)) as Record<PropertyKey, unknown>
  for (const key of Reflect.ownKeys(proto)) {
    if (key !== identifierKey) Object.defineProperty(unnamed, key, Object.getOwnPropertyDescriptor(proto, key)!)
  }
  const after = (loop: Loop, exit: Exit.Exit<unknown, unknown>) => {
    const next = loop.ended(exit)
    if (next === undefined) return exit
    loop.pending = next
    return loop
  }
  return loopPrototype = Object.create(unnamed, {
    [evaluateKey]: {
      value(this: Loop, fiber: AnyFiber) {
        ;(fiber as unknown as StackInternals)._stack.push(this)
        const effect = this.pending
        this.pending = undefined
        return effect
      }
    },
    [successContKey]: {
      value(this: Loop, value: unknown, _fiber: AnyFiber, exit?: Exit.Exit<unknown, unknown>) {
        return after(this, exit ?? Exit.succeed(value))
      }
    },
    [failureContKey]: {
      value(this: Loop, cause: Cause.Cause<unknown>, _fiber: AnyFiber, exit?: Exit.Exit<unknown, unknown>) {
        return after(this, exit ?? Exit.failCause(cause))
      }
    }
  }) as object
}
