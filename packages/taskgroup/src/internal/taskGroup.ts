import * as Cause from "effect/Cause"
import * as Data from "effect/Data"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import type * as FiberId from "effect/FiberId"
import { dual } from "effect/Function"
import * as Inspectable from "effect/Inspectable"
import { pipeArguments } from "effect/Pipeable"
import * as Predicate from "effect/Predicate"
import * as Queue from "effect/Queue"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import type * as TaskGroup from "../TaskGroup.js"
import * as runtime from "./runtime.js"

/** @internal */
export const TypeId: TaskGroup.TypeId = Symbol.for("@volley/taskgroup/TaskGroup") as TaskGroup.TypeId

/** @internal */
export class TaskGroupClosedError extends Data.TaggedError("TaskGroupClosedError")<{
  readonly reason: "closing" | "closed" | "failed"
}> {
  override get message(): string {
    return this.reason === "failed"
      ? "the TaskGroup failed and takes no more tasks"
      : `the TaskGroup is ${this.reason} and takes no more tasks`
  }
}

type State = "open" | "failed" | "closing" | "closed"

type AnyFiber = Fiber.RuntimeFiber<unknown, unknown>

const variance = { _A: (_: any) => _, _E: (_: any) => _ }

const Proto = {
  [TypeId]: variance,
  toString(this: TaskGroupImpl<unknown, unknown>) {
    return Inspectable.format(this.toJSON())
  },
  toJSON(this: TaskGroupImpl<unknown, unknown>) {
    return { _id: "TaskGroup", state: this.state, strategy: this.strategy, stats: snapshot(this) }
  },
  [Inspectable.NodeInspectSymbol](this: TaskGroupImpl<unknown, unknown>) {
    return this.toJSON()
  },
  pipe() {
    return pipeArguments(this, arguments)
  }
}

interface TaskGroupImpl<A, E> extends TaskGroup.TaskGroup<A, E> {
  state: State
  readonly strategy: TaskGroup.FailureStrategy
  readonly semaphore: Effect.Semaphore | undefined
  readonly closeSignal: Deferred.Deferred<never, TaskGroup.TaskGroupClosedError>
  readonly interruptAs: FiberId.FiberId
  /** Task fibers that have not exited yet. */
  readonly fibers: Set<AnyFiber>
  /** Every exit, at its task's index; `undefined` when results are not collected. */
  readonly exits: Array<Exit.Exit<A, E>> | undefined
  /** Failures in completion order; kept even without result collection. */
  readonly failureLog: Array<TaskGroup.TaskFailure<E>>
  /** Under the `interrupt` strategy, the causes that failed the group. */
  readonly groupFailures: Array<Cause.Cause<E>>
  readonly idleListeners: Array<() => void>
  readonly statsSubscribers: Set<Queue.Queue<TaskGroup.Stats>>
  readonly completionSubscribers: Set<Queue.Queue<TaskGroup.TaskExit<A, E>>>
  created: number
  running: number
  waiting: number
  succeeded: number
  failed: number
  interrupted: number
}

const snapshot = (group: TaskGroupImpl<any, any>): TaskGroup.Stats => ({
  created: group.created,
  running: group.running,
  waiting: group.waiting,
  succeeded: group.succeeded,
  failed: group.failed,
  interrupted: group.interrupted
})

const impl = <A, E>(self: TaskGroup.TaskGroup<A, E>) => self as TaskGroupImpl<A, E>

/** @internal */
export const isTaskGroup = (u: unknown): u is TaskGroup.TaskGroup<unknown, unknown> => Predicate.hasProperty(u, TypeId)

const closedError = (group: TaskGroupImpl<any, any>) =>
  new TaskGroupClosedError({ reason: group.state === "open" ? "closing" : group.state })

const notifyStats = (group: TaskGroupImpl<any, any>): void => {
  if (group.statsSubscribers.size === 0) return
  const stats = snapshot(group)
  for (const queue of group.statsSubscribers) Queue.unsafeOffer(queue, stats)
}

const whenIdle = (group: TaskGroupImpl<any, any>): void => {
  if (group.fibers.size > 0 || group.idleListeners.length === 0) return
  const listeners = group.idleListeners.splice(0)
  for (const listener of listeners) listener()
}

const awaitIdle = (group: TaskGroupImpl<any, any>): Effect.Effect<void> =>
  Effect.async<void>((resume) => {
    if (group.fibers.size === 0) return resume(Effect.void)
    const listener = () => resume(Effect.void)
    group.idleListeners.push(listener)
    return Effect.sync(() => {
      const at = group.idleListeners.indexOf(listener)
      if (at >= 0) group.idleListeners.splice(at, 1)
    })
  })

/** Stops the group taking tasks, and wakes every `createTask` waiting for a permit. */
const stopAccepting = (group: TaskGroupImpl<any, any>, state: "failed" | "closing"): void => {
  group.state = state
  Deferred.unsafeDone(group.closeSignal, Effect.fail(closedError(group)))
}

const failGroup = <A, E>(group: TaskGroupImpl<A, E>, cause: Cause.Cause<E>, self: AnyFiber): void => {
  group.groupFailures.push(cause)
  if (group.state !== "open") return
  stopAccepting(group, "failed")
  for (const fiber of group.fibers) {
    if (fiber !== self) fiber.unsafeInterruptAsFork(group.interruptAs)
  }
}

const onTaskExit = <A, E>(
  group: TaskGroupImpl<A, E>,
  index: number,
  exit: Exit.Exit<A, E>
): Effect.Effect<void> =>
  Effect.withFiberRuntime((fiber) => {
    group.running--
    if (group.exits !== undefined) group.exits[index] = exit
    let afterwards: Effect.Effect<void> = Effect.void
    switch (runtime.exitKind(exit)) {
      case "succeeded":
        group.succeeded++
        break
      case "interrupted":
        group.interrupted++
        break
      case "failed": {
        group.failed++
        const cause = (exit as Exit.Failure<A, E>).cause
        group.failureLog.push({ index, cause })
        if (group.strategy === "interrupt") {
          failGroup(group, cause, fiber as AnyFiber)
        } else {
          afterwards = Effect.logWarning(`TaskGroup: task ${index} failed`, cause).pipe(
            Effect.annotateLogs("taskIndex", index)
          )
        }
      }
    }
    if (group.completionSubscribers.size > 0) {
      const completion: TaskGroup.TaskExit<A, E> = { index, exit }
      for (const queue of group.completionSubscribers) Queue.unsafeOffer(queue, completion)
    }
    notifyStats(group)
    return group.semaphore === undefined ? afterwards : Effect.zipRight(group.semaphore.release(1), afterwards)
  })

const spawn = <A, E, XA extends A, XE extends E, R>(
  group: TaskGroupImpl<A, E>,
  effect: Effect.Effect<XA, XE, R>
): Effect.Effect<TaskGroup.Task<XA, XE>, never, R> => {
  const index = group.created++
  group.running++
  notifyStats(group)
  const body = Effect.onExit(Effect.interruptible(effect), (exit) => onTaskExit<A, E>(group, index, exit))
  return Effect.map(runtime.forkDetached(body), (fiber) => {
    if (!runtime.isDone(fiber)) {
      group.fibers.add(fiber)
      fiber.addObserver(() => {
        group.fibers.delete(fiber)
        whenIdle(group)
      })
    }
    return { index, fiber }
  })
}

/**
 * Waits for one permit, or for the group to stop taking tasks, whichever
 * comes first. A permit won by a wait that ends in failure is given back.
 */
const acquirePermit = (
  group: TaskGroupImpl<any, any>,
  semaphore: Effect.Semaphore,
  restore: <X, XE, XR>(effect: Effect.Effect<X, XE, XR>) => Effect.Effect<X, XE, XR>
): Effect.Effect<void, TaskGroup.TaskGroupClosedError> => {
  if ((runtime.freePermits(semaphore) ?? 0) > 0) return Effect.asVoid(semaphore.take(1))
  let owned = false
  const take = Effect.map(semaphore.take(1), () => {
    owned = true
  })
  group.waiting++
  notifyStats(group)
  return restore(
    Effect.raceWith(take, Deferred.await(group.closeSignal), {
      onSelfDone: (exit, closing) => Effect.zipRight(Fiber.interrupt(closing), exit),
      onOtherDone: (exit, taking) => Effect.zipRight(Fiber.interrupt(taking), exit)
    })
  ).pipe(
    Effect.onExit((exit) => {
      group.waiting--
      notifyStats(group)
      return Exit.isFailure(exit) && owned ? semaphore.release(1) : Effect.void
    })
  )
}

/** @internal */
export const make = <A = unknown, E = never>(
  options: TaskGroup.TaskGroupOptions = {}
): Effect.Effect<TaskGroup.TaskGroup<A, E>, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.withFiberRuntime<TaskGroupImpl<A, E>>((fiber) => {
      const group: TaskGroupImpl<A, E> = Object.create(Proto)
      Object.assign(group, {
        state: "open",
        strategy: options.strategy ?? "collect",
        semaphore: options.semaphore ??
          (options.concurrency === undefined || options.concurrency === "unbounded"
            ? undefined
            : Effect.unsafeMakeSemaphore(options.concurrency)),
        closeSignal: Deferred.unsafeMake(fiber.id()),
        interruptAs: fiber.id(),
        fibers: new Set(),
        exits: options.collectResults === false ? undefined : [],
        failureLog: [],
        groupFailures: [],
        idleListeners: [],
        statsSubscribers: new Set(),
        completionSubscribers: new Set(),
        created: 0,
        running: 0,
        waiting: 0,
        succeeded: 0,
        failed: 0,
        interrupted: 0
      })
      return Effect.succeed(group)
    }),
    (group, scopeExit) =>
      Effect.suspend(() => {
        if (group.state === "open") stopAccepting(group, "closing")
        if (Exit.isFailure(scopeExit)) runtime.interruptAllNow(group.fibers, group.interruptAs)
        return Effect.map(awaitIdle(group), () => {
          group.state = "closed"
          for (const queue of group.statsSubscribers) Queue.unsafeOffer(queue, snapshot(group))
          for (const queue of group.statsSubscribers) Effect.runFork(Queue.shutdown(queue))
          for (const queue of group.completionSubscribers) Effect.runFork(Queue.shutdown(queue))
        })
      })
  )

/** @internal */
export const createTask = dual<
  <A, E, XA extends A, XE extends E, R>(
    effect: Effect.Effect<XA, XE, R>
  ) => (self: TaskGroup.TaskGroup<A, E>) => Effect.Effect<TaskGroup.Task<XA, XE>, TaskGroup.TaskGroupClosedError, R>,
  <A, E, XA extends A, XE extends E, R>(
    self: TaskGroup.TaskGroup<A, E>,
    effect: Effect.Effect<XA, XE, R>
  ) => Effect.Effect<TaskGroup.Task<XA, XE>, TaskGroup.TaskGroupClosedError, R>
>(2, (self, effect) =>
  Effect.uninterruptibleMask((restore) =>
    Effect.suspend(() => {
      const group = impl(self)
      if (group.state !== "open") return Effect.fail(closedError(group))
      const semaphore = group.semaphore
      if (semaphore === undefined) return spawn(group, effect)
      return Effect.flatMap(acquirePermit(group, semaphore, restore), () => {
        if (group.state !== "open") return Effect.zipRight(semaphore.release(1), Effect.fail(closedError(group)))
        return spawn(group, effect)
      })
    })
  ))

/** @internal */
export const join = <A, E>(self: TaskGroup.TaskGroup<A, E>): Effect.Effect<void, E> =>
  Effect.suspend(() => {
    const group = impl(self)
    return Effect.flatMap(
      awaitIdle(group),
      () => {
        const [first, ...rest] = group.groupFailures
        return first === undefined ? Effect.void : Effect.failCause(runtime.combineCauses([first, ...rest]))
      }
    )
  })

/** @internal */
export const stats = <A, E>(self: TaskGroup.TaskGroup<A, E>): Effect.Effect<TaskGroup.Stats> =>
  Effect.sync(() => snapshot(impl(self)))

/** @internal */
export const exits = <A, E>(self: TaskGroup.TaskGroup<A, E>): Effect.Effect<ReadonlyArray<TaskGroup.TaskExit<A, E>>> =>
  Effect.sync(() => {
    const out: Array<TaskGroup.TaskExit<A, E>> = []
    impl(self).exits?.forEach((exit, index) => out.push({ index, exit }))
    return out
  })

/** @internal */
export const results = <A, E>(self: TaskGroup.TaskGroup<A, E>): Effect.Effect<ReadonlyArray<A>> =>
  Effect.sync(() => {
    const out: Array<A> = []
    impl(self).exits?.forEach((exit) => {
      if (Exit.isSuccess(exit)) out.push(exit.value)
    })
    return out
  })

/** @internal */
export const failures = <A, E>(
  self: TaskGroup.TaskGroup<A, E>
): Effect.Effect<ReadonlyArray<TaskGroup.TaskFailure<E>>> =>
  Effect.sync(() => impl(self).failureLog.slice().sort((a, b) => a.index - b.index))

const subscribe = <A>(
  subscribers: Set<Queue.Queue<A>>,
  makeQueue: Effect.Effect<Queue.Queue<A>>,
  initial: () => ReadonlyArray<A>,
  closed: () => boolean
): Stream.Stream<A> =>
  Stream.unwrapScoped(
    Effect.map(
      Effect.acquireRelease(
        Effect.tap(makeQueue, (queue) => {
          for (const item of initial()) Queue.unsafeOffer(queue, item)
          if (closed()) return Queue.shutdown(queue)
          subscribers.add(queue)
        }),
        (queue) => Effect.sync(() => subscribers.delete(queue))
      ),
      (queue) => Stream.fromQueue(queue)
    )
  )

/** @internal */
export const changes = <A, E>(self: TaskGroup.TaskGroup<A, E>): Stream.Stream<TaskGroup.Stats> => {
  const group = impl(self)
  return subscribe(
    group.statsSubscribers,
    Queue.sliding<TaskGroup.Stats>(1),
    () => [snapshot(group)],
    () => group.state === "closed"
  )
}

/** @internal */
export const completions = <A, E>(self: TaskGroup.TaskGroup<A, E>): Stream.Stream<TaskGroup.TaskExit<A, E>> => {
  const group = impl(self)
  return subscribe(group.completionSubscribers, Queue.unbounded(), () => [], () => group.state === "closed")
}

const summarize = <A, E>(group: TaskGroup.TaskGroup<A, E>): Effect.Effect<TaskGroup.Summary<A, E>> =>
  Effect.all({ results: results(group), failures: failures(group), exits: exits(group), stats: stats(group) })

const isClosedError = (u: unknown): u is TaskGroup.TaskGroupClosedError => Predicate.isTagged(u, "TaskGroupClosedError")

/** @internal */
export const run = <A, E, X, E2, R>(
  body: (group: TaskGroup.TaskGroup<A, E>) => Effect.Effect<X, E2, R>,
  options?: TaskGroup.TaskGroupOptions
): Effect.Effect<TaskGroup.Summary<A, E>, E | Exclude<E2, TaskGroup.TaskGroupClosedError>, R> =>
  Effect.scoped(
    Effect.flatMap(make<A, E>(options), (group) =>
      Effect.flatMap(Effect.exit(body(group)), (bodyExit): Effect.Effect<
        TaskGroup.Summary<A, E>,
        E | Exclude<E2, TaskGroup.TaskGroupClosedError>
      > => {
        // A body stopped by the group's own failure reports that failure, as join does.
        const stoppedByGroup = Exit.isFailure(bodyExit) && impl(group).state === "failed" &&
          Cause.failures(bodyExit.cause).pipe((errors) => [...errors].every(isClosedError))
        if (Exit.isFailure(bodyExit) && !stoppedByGroup) {
          return Effect.failCause(bodyExit.cause as Cause.Cause<Exclude<E2, TaskGroup.TaskGroupClosedError>>)
        }
        return Effect.zipRight(join(group), summarize(group))
      }))
  )

/** @internal */
export const forEach = dual<
  <I, A, E, R>(
    f: (item: I, index: number) => Effect.Effect<A, E, R>,
    options?: TaskGroup.TaskGroupOptions
  ) => (items: Iterable<I>) => Effect.Effect<TaskGroup.Summary<A, E>, E, R>,
  <I, A, E, R>(
    items: Iterable<I>,
    f: (item: I, index: number) => Effect.Effect<A, E, R>,
    options?: TaskGroup.TaskGroupOptions
  ) => Effect.Effect<TaskGroup.Summary<A, E>, E, R>
>(
  (args) => Predicate.isIterable(args[0]),
  (items, f, options) =>
    run((group) =>
      Effect.forEach(items, (item, index) => createTask(group, Effect.suspend(() => f(item, index))), {
        discard: true
      }), options)
)
