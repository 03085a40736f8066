/**
 * A deliberately naive TaskGroup for Effect 4, for the tests only: it
 * defines what every observable of the real one should be, as the Effect 3
 * edition's reference (packages/taskgroup/test/reference) does for that
 * one. A fiber per task through `Effect.forkDetach` (so that the task has
 * its caller's context, services and references, as `Effect.forkChild`
 * gives them, but is owned by the group), an Effect 4 `Semaphore` for the
 * permits, arrays of outcomes; nothing clever, and only public API.
 * `createTask` returns once its task holds a permit, as the real group does
 * with `backlog: 0`.
 *
 * It follows the documented contract, not the real group's code: where the
 * two disagree, one of them is wrong.
 */
import { TaskGroup } from "@volley/taskgroup-effect4"
import * as Cause from "effect/Cause"
import type * as Clock from "effect/Clock"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Predicate from "effect/Predicate"
import * as Semaphore from "effect/Semaphore"

export interface ReferenceGroup<A, E> {
  readonly semaphore: Semaphore.Semaphore | undefined
  readonly strategy: TaskGroup.FailureStrategy
  readonly clock: Clock.Clock
  phase: "open" | "closing" | "closed"
  failed: boolean
  /** Completed once the group stops taking tasks, to wake `createTask` calls waiting for a permit. */
  readonly stopped: Deferred.Deferred<void>
  /** Every task's fiber, by index. */
  readonly fibers: Array<Fiber.Fiber<A, E>>
  readonly exits: Array<Exit.Exit<A, E> | undefined>
  readonly live: Set<Fiber.Fiber<A, E>>
  readonly groupFailures: Array<Cause.Cause<E>>
  readonly completions: Array<{ readonly at: number; readonly index: number }>
  waiting: number
}

const isClosedError = (u: unknown): u is TaskGroup.TaskGroupClosedError => Predicate.isTagged(u, "TaskGroupClosedError")

const failuresOf = <E>(cause: Cause.Cause<E>): Array<E> =>
  cause.reasons.filter(Cause.isFailReason).map((reason) => reason.error)

const reasonOf = (group: ReferenceGroup<any, any>): TaskGroup.TaskGroupClosedError["reason"] =>
  group.phase === "closed" ? "closed" : group.failed ? "failed" : "closing"

const takesTasks = (group: ReferenceGroup<any, any>) => group.phase === "open" && !group.failed

/**
 * Over a copy: on Effect 4 an interrupted fiber that is suspended ends (and
 * its observer leaves `live`) before `interruptUnsafe` returns.
 */
const interruptAll = (group: ReferenceGroup<any, any>) => {
  for (const fiber of [...group.live]) fiber.interruptUnsafe()
}

export const make = <A, E>(options: TaskGroup.TaskGroupOptions): Effect.Effect<ReferenceGroup<A, E>> =>
  Effect.gen(function*() {
    const semaphore = options.semaphore ??
      (typeof options.concurrency === "number" ? yield* Semaphore.make(options.concurrency) : undefined)
    return {
      semaphore,
      strategy: options.strategy ?? "collect",
      clock: yield* Effect.clockWith(Effect.succeed),
      phase: "open",
      failed: false,
      stopped: yield* Deferred.make<void>(),
      fibers: [],
      exits: [],
      live: new Set(),
      groupFailures: [],
      completions: [],
      waiting: 0
    }
  })

const record = <A, E>(group: ReferenceGroup<A, E>, index: number, exit: Exit.Exit<A, E>) => {
  group.exits[index] = exit
  group.completions.push({ at: group.clock.currentTimeMillisUnsafe(), index })
  if (Exit.isFailure(exit) && !Cause.hasInterruptsOnly(exit.cause) && group.strategy === "interrupt") {
    if (group.phase !== "closed") group.groupFailures.push(exit.cause)
    if (!group.failed) {
      group.failed = true
      Deferred.doneUnsafe(group.stopped, Exit.void)
      interruptAll(group)
    }
  }
}

export interface ReferenceTask<A, E> {
  readonly index: number
  readonly fiber: Fiber.Fiber<A, E>
  readonly interrupt: Effect.Effect<void>
}

const refused = (group: ReferenceGroup<any, any>) =>
  Effect.suspend(() => Effect.fail(new TaskGroup.TaskGroupClosedError({ reason: reasonOf(group) })))

/**
 * Waits for a permit, or for the group to stop taking tasks: whether it
 * holds one. Uninterruptible but for the wait. The permit is taken by a
 * fiber of its own, whose exit says whether it got one: racing
 * `semaphore.take` directly would lose a permit granted in the same step
 * as an interruption.
 */
const takePermit = (
  group: ReferenceGroup<any, any>,
  restore: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
): Effect.Effect<boolean> =>
  Effect.gen(function*() {
    if (!takesTasks(group)) return false
    const semaphore = group.semaphore
    if (semaphore === undefined) return true
    group.waiting++
    const taker = yield* Effect.forkChild(Effect.interruptible(semaphore.take(1)))
    const waited = yield* Effect.exit(restore(Effect.raceFirst(Fiber.await(taker), Deferred.await(group.stopped))))
    group.waiting--
    yield* Fiber.interrupt(taker)
    const granted = Exit.isSuccess(yield* Fiber.await(taker))
    if (granted && (Exit.isFailure(waited) || !takesTasks(group))) yield* semaphore.release(1)
    if (Exit.isFailure(waited)) return yield* Effect.failCause(waited.cause)
    return granted && takesTasks(group)
  })

const releasePermit = (group: ReferenceGroup<any, any>) =>
  group.semaphore === undefined ? Effect.void : Effect.asVoid(group.semaphore.release(1))

/** Forks the task of a caller that holds its permit. */
const forkTask = <A, E, R>(
  group: ReferenceGroup<A, E>,
  effect: Effect.Effect<A, E, R>
): Effect.Effect<ReferenceTask<A, E>, never, R> =>
  Effect.gen(function*() {
    const index = group.fibers.length
    // the release runs as the caller, on its scheduler, where a semaphore's release wakes its waiters
    const releaseAsCaller = Effect.runForkWith(yield* Effect.context<never>())
    const fiber = yield* Effect.forkDetach(Effect.interruptible(effect))
    group.fibers.push(fiber)
    group.exits.push(undefined)
    group.live.add(fiber)
    fiber.addObserver((exit) => {
      group.live.delete(fiber)
      if (group.semaphore !== undefined) releaseAsCaller(group.semaphore.release(1))
      record(group, index, exit)
    })
    return { index, fiber, interrupt: Fiber.interrupt(fiber) }
  })

export const createTask = <A, E, R>(
  group: ReferenceGroup<A, E>,
  effect: Effect.Effect<A, E, R>
): Effect.Effect<ReferenceTask<A, E>, TaskGroup.TaskGroupClosedError, R> =>
  Effect.uninterruptibleMask((restore) =>
    Effect.flatMap(takePermit(group, restore), (permitted) => permitted ? forkTask(group, effect) : refused(group))
  )

const failIfFailed = <E>(group: ReferenceGroup<any, E>): Effect.Effect<void, E> =>
  Effect.suspend(() =>
    group.groupFailures.length === 0
      ? Effect.void
      : Effect.failCause(group.groupFailures.reduce((a, b) => Cause.combine(a, b)))
  )

export const join = <A, E>(group: ReferenceGroup<A, E>): Effect.Effect<void, E> =>
  Effect.suspend(() =>
    Effect.andThen(Effect.forEach(group.fibers.slice(), Fiber.await, { discard: true }), failIfFailed(group))
  )

export const stats = (group: ReferenceGroup<any, any>): TaskGroup.Stats => {
  const ended = group.exits.filter((exit) => exit !== undefined)
  const kinds = ended.map((exit) =>
    Exit.isSuccess(exit) ? "succeeded" : Cause.hasInterruptsOnly(exit.cause) ? "interrupted" : "failed"
  )
  return {
    created: group.fibers.length,
    queued: 0,
    running: group.live.size,
    waiting: group.waiting,
    succeeded: kinds.filter((kind) => kind === "succeeded").length,
    failed: kinds.filter((kind) => kind === "failed").length,
    interrupted: kinds.filter((kind) => kind === "interrupted").length
  }
}

const summaryOf = <A, E>(group: ReferenceGroup<A, E>): TaskGroup.Summary<A, E> => {
  const exits = group.exits.flatMap((exit, index) => exit === undefined ? [] : [{ index, exit }])
  return {
    results: exits.flatMap(({ exit }) => Exit.isSuccess(exit) ? [exit.value] : []),
    failures: exits.flatMap(({ exit, index }) =>
      Exit.isFailure(exit) && !Cause.hasInterruptsOnly(exit.cause) ? [{ index, cause: exit.cause }] : []
    ),
    exits,
    stats: stats(group)
  }
}

/** Waits until no task is left, then stops taking tasks in that same step. */
const drain = (group: ReferenceGroup<any, any>): Effect.Effect<void> =>
  Effect.suspend(() => {
    if (group.live.size > 0) return Effect.andThen(Fiber.awaitAll([...group.live]), drain(group))
    if (group.phase === "open") group.phase = "closing"
    Deferred.doneUnsafe(group.stopped, Exit.void)
    return Effect.void
  })

const close = (group: ReferenceGroup<any, any>, exit: Exit.Exit<unknown, unknown>): Effect.Effect<void> =>
  Effect.suspend(() => {
    if (group.phase === "open") group.phase = "closing"
    Deferred.doneUnsafe(group.stopped, Exit.void)
    if (Exit.isFailure(exit)) interruptAll(group)
    return Effect.andThen(drain(group), Effect.sync(() => (group.phase = "closed")))
  })

/** `cause` with every `TaskGroupClosedError` a defect: `run`'s type admits none. */
const closedErrorsAsDefects = (cause: Cause.Cause<unknown>): Cause.Cause<unknown> =>
  Cause.fromReasons(
    cause.reasons.map((reason) =>
      Cause.isFailReason(reason) && isClosedError(reason.error) ? Cause.makeDieReason(reason.error) : reason
    )
  )

export const run = <A, E, X, E2, R>(
  body: (group: ReferenceGroup<A, E>) => Effect.Effect<X, E2, R>,
  options: TaskGroup.TaskGroupOptions
): Effect.Effect<TaskGroup.Summary<A, E>, E | Exclude<E2, TaskGroup.TaskGroupClosedError>, R> =>
  Effect.acquireUseRelease(
    make<A, E>(options),
    (group) =>
      Effect.flatMap(Effect.exit(body(group)), (bodyExit): Effect.Effect<
        TaskGroup.Summary<A, E>,
        E | Exclude<E2, TaskGroup.TaskGroupClosedError>
      > => {
        if (Exit.isFailure(bodyExit)) {
          const failures = failuresOf(bodyExit.cause)
          const stoppedByGroup = group.failed && failures.length > 0 && failures.every(isClosedError)
          if (!stoppedByGroup) {
            return Effect.failCause(
              closedErrorsAsDefects(bodyExit.cause) as Cause.Cause<Exclude<E2, TaskGroup.TaskGroupClosedError>>
            )
          }
        }
        return Effect.andThen(drain(group), Effect.andThen(failIfFailed(group), Effect.sync(() => summaryOf(group))))
      }),
    close
  )

/**
 * A `createTask` loop over the items that closes the iterator when it stops
 * early, as `for…of` does. With permits of its own, a group asks for the
 * next item only once it has a permit for it (the real group's items are
 * taken by freed permits); otherwise it asks first and then waits, as a
 * plain loop does.
 */
export const feed = <I, A, E, R>(
  group: ReferenceGroup<A, E>,
  items: Iterable<I>,
  f: (item: I, index: number) => Effect.Effect<A, E, R>,
  options: { readonly pullWithPermit: boolean }
): Effect.Effect<void, TaskGroup.TaskGroupClosedError, R> =>
  Effect.suspend(() => {
    const iterator = items[Symbol.iterator]()
    let finished = false
    const pull = (): Exit.Exit<IteratorResult<I>> => {
      try {
        const item = iterator.next()
        if (item.done === true) finished = true
        return Exit.succeed(item)
      } catch (defect) {
        finished = true
        return Exit.die(defect)
      }
    }
    const loop = (index: number): Effect.Effect<void, TaskGroup.TaskGroupClosedError, R> =>
      options.pullWithPermit
        ? Effect.uninterruptibleMask((restore) =>
          Effect.flatMap(takePermit(group, restore), (permitted): Effect.Effect<boolean, any, R> => {
            if (!permitted) return refused(group)
            const item = pull()
            if (Exit.isFailure(item) || item.value.done === true) {
              return Effect.andThen(
                releasePermit(group),
                Exit.isFailure(item) ? Effect.failCause(item.cause) : Effect.succeed(false)
              )
            }
            const value = item.value.value
            return Effect.as(forkTask(group, Effect.suspend(() => f(value, index))), true)
          })
        ).pipe(Effect.flatMap((more) => more ? loop(index + 1) : Effect.void))
        : Effect.suspend(() => {
          const item = pull()
          if (Exit.isFailure(item)) return item
          if (item.value.done === true) return Effect.void
          const value = item.value.value
          return Effect.flatMap(createTask(group, Effect.suspend(() => f(value, index))), () => loop(index + 1))
        })
    return Effect.onExit(loop(0), (exit) =>
      Exit.isFailure(exit) && !finished
        ? Effect.sync(() => {
          try {
            iterator.return?.()
          } catch {
            // as for…of
          }
        })
        : Effect.void)
  })
