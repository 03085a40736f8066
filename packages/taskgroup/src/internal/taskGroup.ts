import * as Cause from "effect/Cause"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"
import type * as FiberId from "effect/FiberId"
import type * as FiberRefs from "effect/FiberRefs"
import { dual } from "effect/Function"
import * as Inspectable from "effect/Inspectable"
import * as Option from "effect/Option"
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

const notASuccess: unique symbol = Symbol.for("@volley/taskgroup/notASuccess")

/**
 * The rest of a `forEach`'s items. Workers pull from it when no `createTask`
 * waits, so a list of items costs no suspension of its caller per task.
 */
interface Source {
  /** The next task, or `undefined` once the items are used up (which answers the caller). */
  readonly next: () => TaskRecord<any, any> | undefined
  readonly abort: (error: TaskGroup.TaskGroupClosedError) => void
}

/**
 * A fiber that holds one permit and runs tasks one after another. Forking a
 * fiber per task is what makes a naive group several times slower than
 * `Effect.forEach`, which likewise reuses one fiber per unit of concurrency.
 */
interface Worker {
  fiber: AnyFiber | undefined
  /** The caller FiberRefs this worker runs tasks with, and its own refs made from them. */
  sourceRefs: FiberRefs.FiberRefs | undefined
  baseRefs: FiberRefs.FiberRefs | undefined
  /** Its current task was interrupted alone: the fiber carries that interruption, so it runs nothing more. */
  doomed: boolean
}

class TaskRecord<A, E> implements TaskGroup.Task<A, E> {
  index = -1
  exit: Exit.Exit<A, E> | undefined = undefined
  worker: Worker | undefined = undefined
  /** Set once its worker has entered the task's effect. */
  entered = false
  interruptRequested = false
  observers: Array<(exit: Exit.Exit<A, E>) => void> | undefined = undefined
  /** While its `createTask` call waits for a permit: how to answer that call. */
  answer: ((outcome: Effect.Effect<TaskGroup.Task<A, E>, TaskGroup.TaskGroupClosedError>) => void) | undefined =
    undefined
  constructor(
    public effect: Effect.Effect<A, E, any> | undefined,
    readonly callerRefs: FiberRefs.FiberRefs
  ) {}

  get await(): Effect.Effect<Exit.Exit<A, E>> {
    return Effect.async<Exit.Exit<A, E>>((resume) => {
      if (this.exit !== undefined) return resume(Effect.succeed(this.exit))
      const observer = (exit: Exit.Exit<A, E>) => resume(Effect.succeed(exit))
      ;(this.observers ??= []).push(observer)
      return Effect.sync(() => {
        this.observers?.splice(this.observers.indexOf(observer) >>> 0, 1)
      })
    })
  }
  get join(): Effect.Effect<A, E> {
    return Effect.flatten(this.await)
  }
  get poll(): Effect.Effect<Option.Option<Exit.Exit<A, E>>> {
    return Effect.sync(() => Option.fromNullable(this.exit))
  }
  get interrupt(): Effect.Effect<void> {
    return Effect.withFiberRuntime((caller) => {
      if (this.exit === undefined && !this.interruptRequested) {
        this.interruptRequested = true
        if (this.entered && this.worker?.fiber !== undefined) {
          this.worker.doomed = true
          this.worker.fiber.unsafeInterruptAsFork(caller.id())
        }
      }
      return Effect.asVoid(this.await)
    })
  }
}

const variance = { _A: (_: any) => _, _E: (_: any) => _ }

const Proto = {
  [TypeId]: variance,
  toString(this: TaskGroupImpl<unknown, unknown>) {
    return Inspectable.format(this.toJSON())
  },
  toJSON(this: TaskGroupImpl<unknown, unknown>) {
    return {
      _id: "TaskGroup",
      state: this.state,
      strategy: this.strategy,
      stats: snapshot(this),
      fibers: this.workers.size
    }
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
  /** The group made its semaphore itself, so its workers may keep their permits between tasks. */
  readonly ownsSemaphore: boolean
  /** Tasks whose `createTask` calls wait for a permit, first come first served. */
  readonly queue: Array<TaskRecord<any, any>>
  /** With a shared semaphore: the fiber taking permits from it for the queue. */
  pump: AnyFiber | undefined
  readonly interruptAs: FiberId.FiberId
  /** Worker fibers that have not exited yet. */
  readonly workers: Set<AnyFiber>
  /**
   * When results are collected: each task's value at its index, or
   * `notASuccess` while it runs or if it did not succeed. Values rather than
   * `Exit`s keep a million results as small as `Effect.forEach` keeps them.
   */
  readonly values: Array<A | typeof notASuccess> | undefined
  /** When results are collected: the exits of tasks that ended other than in success. */
  readonly otherExits: Map<number, Exit.Exit<A, E>> | undefined
  /** Callers of `forEach` whose remaining items the workers pull themselves. */
  readonly sources: Array<Source>
  /** Failures in completion order; kept even without result collection. */
  readonly failureLog: Array<TaskGroup.TaskFailure<E>>
  /** Under the `interrupt` strategy, the causes that failed the group. */
  readonly groupFailures: Array<Cause.Cause<E>>
  readonly idleListeners: Array<() => void>
  readonly statsSubscribers: Set<Queue.Queue<TaskGroup.Stats>>
  readonly completionSubscribers: Set<Queue.Queue<TaskGroup.TaskExit<A, E>>>
  created: number
  running: number
  succeeded: number
  failed: number
  interrupted: number
}

const snapshot = (group: TaskGroupImpl<any, any>): TaskGroup.Stats => ({
  created: group.created,
  running: group.running,
  waiting: group.queue.length,
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
  if (group.workers.size > 0 || group.idleListeners.length === 0) return
  const listeners = group.idleListeners.splice(0)
  for (const listener of listeners) listener()
}

const awaitIdle = (group: TaskGroupImpl<any, any>): Effect.Effect<void> =>
  Effect.async<void>((resume) => {
    if (group.workers.size === 0) return resume(Effect.void)
    const listener = () => resume(Effect.void)
    group.idleListeners.push(listener)
    return Effect.sync(() => {
      const at = group.idleListeners.indexOf(listener)
      if (at >= 0) group.idleListeners.splice(at, 1)
    })
  })

/** Stops the group taking tasks, and answers every waiting `createTask`. */
const stopAccepting = (group: TaskGroupImpl<any, any>, state: "failed" | "closing"): void => {
  group.state = state
  const refused = Effect.fail(closedError(group))
  for (const task of group.queue.splice(0)) answer(task, refused)
  for (const source of group.sources.splice(0)) source.abort(closedError(group))
  group.pump?.unsafeInterruptAsFork(group.interruptAs)
  notifyStats(group)
}

const failGroup = <A, E>(group: TaskGroupImpl<A, E>, cause: Cause.Cause<E>, self: AnyFiber): void => {
  group.groupFailures.push(cause)
  if (group.state !== "open") return
  stopAccepting(group, "failed")
  for (const fiber of group.workers) {
    if (fiber !== self) fiber.unsafeInterruptAsFork(group.interruptAs)
  }
}

const answer = (
  task: TaskRecord<any, any>,
  outcome: Effect.Effect<TaskGroup.Task<any, any>, TaskGroup.TaskGroupClosedError>
): void => {
  const resume = task.answer!
  task.answer = undefined
  resume(outcome)
}

/** Gives a task its index: it counts as created from the moment it has a permit and a worker. */
const start = (group: TaskGroupImpl<any, any>, task: TaskRecord<any, any>, worker: Worker): void => {
  task.index = group.created++
  task.worker = worker
  group.running++
  // a slot per task keeps the array dense while tasks end out of order
  group.values?.push(notASuccess)
  notifyStats(group)
}

const recordExit = <A, E>(
  group: TaskGroupImpl<A, E>,
  task: TaskRecord<A, E>,
  exit: Exit.Exit<A, E>,
  self: AnyFiber
): Effect.Effect<void> => {
  const index = task.index
  task.exit = exit
  task.worker = undefined
  task.effect = undefined
  group.running--
  if (group.values !== undefined) {
    if (Exit.isSuccess(exit)) group.values[index] = exit.value
    else group.otherExits!.set(index, exit)
  }
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
        failGroup(group, cause, self)
      } else {
        afterwards = Effect.logWarning(`TaskGroup: task ${index} failed`, cause).pipe(
          Effect.annotateLogs("taskIndex", index)
        )
      }
    }
  }
  if (task.observers !== undefined) { for (const observer of task.observers.splice(0)) observer(exit) }
  if (group.completionSubscribers.size > 0) {
    const completion: TaskGroup.TaskExit<A, E> = { index, exit }
    for (const queue of group.completionSubscribers) Queue.unsafeOffer(queue, completion)
  }
  notifyStats(group)
  return afterwards
}

/** Gives the worker the FiberRefs of the task's caller, as if the task were forked there. */
const adoptCallerRefs = (worker: Worker, task: TaskRecord<any, any>, self: AnyFiber): void => {
  if (task.callerRefs === worker.sourceRefs) {
    if (worker.baseRefs === undefined) worker.baseRefs = runtime.fiberRefsOf(self)
    else runtime.restoreFiberRefs(self, worker.baseRefs)
  } else {
    runtime.adoptFiberRefs(self, task.callerRefs)
    worker.sourceRefs = task.callerRefs
    worker.baseRefs = runtime.fiberRefsOf(self)
  }
}

/**
 * The next task that may take over a permit this group holds: a waiting
 * `createTask` first, then the next item of a `forEach`. Only a group that
 * owns its semaphore keeps permits from task to task.
 */
const takeNextWaiting = (group: TaskGroupImpl<any, any>): TaskRecord<any, any> | undefined => {
  if (group.state !== "open" || !group.ownsSemaphore) return undefined
  const waiting = group.queue.shift()
  if (waiting !== undefined) return waiting
  while (group.sources.length > 0) {
    const task = group.sources[0].next()
    if (task !== undefined) return task
  }
  return undefined
}

/** Starts `task` on the worker, and answers its `createTask` call if one waits. */
const startOn = (group: TaskGroupImpl<any, any>, task: TaskRecord<any, any>, worker: Worker): void => {
  start(group, task, worker)
  if (task.answer !== undefined) answer(task, Effect.succeed(task))
}

/**
 * Runs tasks until none is left for this worker. A worker starts
 * uninterruptible, as it was forked (see `forkWorker`); only the tasks
 * themselves run interruptibly. The step and its handlers are made once per
 * worker, not once per task.
 */
const runWorker = (group: TaskGroupImpl<any, any>, worker: Worker, first: TaskRecord<any, any>): Effect.Effect<void> =>
  Effect.withFiberRuntime<void>((self) => {
    let current = first
    const afterTask = (exit: Exit.Exit<unknown, unknown>): Effect.Effect<void> => {
      const logged = recordExit(group, current, exit, self)
      const next = worker.doomed ? undefined : takeNextWaiting(group)
      if (next === undefined) return logged
      startOn(group, next, worker)
      current = next
      return logged === Effect.void ? step : Effect.zipRight(logged, step)
    }
    const handlers = {
      onFailure: (cause: Cause.Cause<unknown>) => afterTask(Exit.failCause(cause)),
      onSuccess: (value: unknown) => afterTask(Exit.succeed(value))
    }
    const step: Effect.Effect<void> = Effect.suspend(() => {
      adoptCallerRefs(worker, current, self)
      if (current.interruptRequested) return afterTask(Exit.interrupt(self.id()))
      current.entered = true
      return Effect.matchCauseEffect(Effect.interruptible(current.effect as Effect.Effect<unknown, unknown>), handlers)
    })
    return Effect.ensuring(step, Effect.suspend(() => retireWorker(group)))
  })

/**
 * Forks a worker for `first`, which takes over a permit already held (or
 * needs none, in an unbounded group). A worker is forked while its forker is
 * uninterruptible, which it inherits, so an interruption that arrives before
 * its first step is held back until the task's own interruptible region, and
 * its bookkeeping always runs.
 */
const forkWorker = (
  group: TaskGroupImpl<any, any>,
  first: TaskRecord<any, any>,
  sourceRefs: FiberRefs.FiberRefs | undefined
): Effect.Effect<void> => {
  const worker: Worker = { fiber: undefined, sourceRefs, baseRefs: undefined, doomed: false }
  startOn(group, first, worker)
  return Effect.map(runtime.forkDetached(runWorker(group, worker, first)), (fiber) => {
    worker.fiber = fiber
    if (runtime.isDone(fiber)) return
    group.workers.add(fiber)
    fiber.addObserver(() => {
      group.workers.delete(fiber)
      whenIdle(group)
    })
  })
}

/**
 * A worker leaves: its permit goes to a fresh worker when a waiting
 * `createTask` or a `forEach` item of ours can take it (a doomed worker can
 * run no more tasks), else back to the semaphore, so that other groups
 * sharing it are served in turn.
 */
const retireWorker = (group: TaskGroupImpl<any, any>): Effect.Effect<void> => {
  const semaphore = group.semaphore
  if (semaphore === undefined) return Effect.void
  const next = takeNextWaiting(group)
  return next === undefined ? Effect.asVoid(semaphore.release(1)) : forkWorker(group, next, undefined)
}

/**
 * With a shared semaphore, one fiber per group takes permits on behalf of the
 * group's waiting callers, so that each wait costs a callback rather than a
 * fiber racing the group's shutdown. It stops when no one waits.
 */
const pumpPermits = (group: TaskGroupImpl<any, any>, semaphore: Effect.Semaphore): Effect.Effect<void> =>
  Effect.suspend(() => {
    const loop: Effect.Effect<void> = Effect.flatMap(Effect.interruptible(semaphore.take(1)), () => {
      const waiting = group.queue.shift()
      if (waiting === undefined) return Effect.asVoid(semaphore.release(1))
      return Effect.zipRight(
        forkWorker(group, waiting, undefined),
        group.queue.length > 0 ? loop : Effect.void
      )
    })
    return Effect.ensuring(
      loop,
      Effect.sync(() => {
        group.pump = undefined
      })
    )
  })

const startPump = (group: TaskGroupImpl<any, any>, semaphore: Effect.Semaphore): Effect.Effect<void> =>
  group.ownsSemaphore || group.pump !== undefined
    ? Effect.void
    : Effect.map(runtime.forkDetached(pumpPermits(group, semaphore)), (fiber) => {
      if (!runtime.isDone(fiber)) group.pump = fiber as AnyFiber
    })

/** @internal */
export const make = <A = unknown, E = never>(
  options: TaskGroup.TaskGroupOptions = {}
): Effect.Effect<TaskGroup.TaskGroup<A, E>, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.withFiberRuntime<TaskGroupImpl<A, E>>((fiber) => {
      const semaphore = options.semaphore ??
        (options.concurrency === undefined || options.concurrency === "unbounded"
          ? undefined
          : Effect.unsafeMakeSemaphore(options.concurrency))
      const group: TaskGroupImpl<A, E> = Object.create(Proto)
      Object.assign(group, {
        state: "open",
        strategy: options.strategy ?? "collect",
        semaphore,
        ownsSemaphore: options.semaphore === undefined,
        queue: [],
        pump: undefined,
        interruptAs: fiber.id(),
        workers: new Set(),
        values: options.collectResults === false ? undefined : [],
        otherExits: options.collectResults === false ? undefined : new Map(),
        sources: [],
        failureLog: [],
        groupFailures: [],
        idleListeners: [],
        statsSubscribers: new Set(),
        completionSubscribers: new Set(),
        created: 0,
        running: 0,
        succeeded: 0,
        failed: 0,
        interrupted: 0
      })
      return Effect.succeed(group)
    }),
    (group, scopeExit) =>
      Effect.suspend(() => {
        if (group.state === "open") stopAccepting(group, "closing")
        if (Exit.isFailure(scopeExit)) runtime.interruptAllNow(group.workers, group.interruptAs)
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
>(2, <A, E, XA extends A, XE extends E, R>(
  self: TaskGroup.TaskGroup<A, E>,
  effect: Effect.Effect<XA, XE, R>
) =>
  Effect.withFiberRuntime<TaskGroup.Task<XA, XE>, TaskGroup.TaskGroupClosedError, R>((caller) => {
    const group = impl(self)
    if (group.state !== "open") return Effect.fail(closedError(group))
    const task = new TaskRecord<XA, XE>(effect, runtime.fiberRefsOf(caller))
    const semaphore = group.semaphore
    if (semaphore === undefined) return Effect.as(forkWorker(group, task, task.callerRefs), task)
    if (group.queue.length === 0 && (runtime.freePermits(semaphore) ?? 0) > 0) {
      // the permit and the fork must not be parted by an interruption
      return Effect.uninterruptibleMask((restore) =>
        Effect.flatMap(restore(semaphore.take(1)), () => {
          if (group.state !== "open") return Effect.zipRight(semaphore.release(1), Effect.fail(closedError(group)))
          return Effect.as(forkWorker(group, task, task.callerRefs), task)
        })
      )
    }
    // Waiting needs no protection: whoever answers has already started the task on a permit of its own.
    const wait = Effect.async<TaskGroup.Task<XA, XE>, TaskGroup.TaskGroupClosedError>((resume) => {
      task.answer = resume
      group.queue.push(task)
      notifyStats(group)
      return Effect.sync(() => {
        const at = group.queue.indexOf(task)
        if (at >= 0) group.queue.splice(at, 1)
        notifyStats(group)
      })
    })
    return group.ownsSemaphore ? wait : Effect.zipRight(startPump(group, semaphore), wait)
  }))

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
  Effect.sync(() => exitsOf(self))

/** @internal */
export const results = <A, E>(self: TaskGroup.TaskGroup<A, E>): Effect.Effect<ReadonlyArray<A>> =>
  Effect.sync(() => (impl(self).values?.filter((value) => value !== notASuccess) ?? []) as Array<A>)

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

const exitsOf = <A, E>(self: TaskGroup.TaskGroup<A, E>): ReadonlyArray<TaskGroup.TaskExit<A, E>> => {
  const { otherExits, values } = impl(self)
  const out: Array<TaskGroup.TaskExit<A, E>> = []
  values?.forEach((value, index) => {
    const exit = value === notASuccess ? otherExits!.get(index) : Exit.succeed(value)
    if (exit !== undefined) out.push({ index, exit })
  })
  return out
}

/**
 * The exits are built when first read: most callers want only the results,
 * and a million `Exit`s would double the memory a big group ends with.
 */
const summarize = <A, E>(group: TaskGroup.TaskGroup<A, E>): Effect.Effect<TaskGroup.Summary<A, E>> =>
  Effect.map(Effect.all({ results: results(group), failures: failures(group), stats: stats(group) }), (summary) => {
    let exits: ReadonlyArray<TaskGroup.TaskExit<A, E>> | undefined
    return {
      ...summary,
      get exits() {
        return exits ??= exitsOf(group)
      }
    }
  })

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

/**
 * Starts tasks for `items` while permits are free, then leaves the rest to
 * the workers, which pull the next item as they finish one: the caller waits
 * once for the whole list, not once per item. A shared semaphore is served
 * task by task, as `createTask` does, so that other groups get their turn.
 */
const feed = <I, A, E, R>(
  self: TaskGroup.TaskGroup<A, E>,
  items: Iterable<I>,
  f: (item: I, index: number) => Effect.Effect<A, E, R>
): Effect.Effect<void, TaskGroup.TaskGroupClosedError, R> =>
  Effect.uninterruptibleMask((restore) =>
    Effect.withFiberRuntime<void, TaskGroup.TaskGroupClosedError, R>((caller) => {
      const group = impl(self)
      const semaphore = group.semaphore
      if (semaphore === undefined || !group.ownsSemaphore) {
        return restore(Effect.forEach(items, (item, i) => createTask(self, Effect.suspend(() => f(item, i))), {
          discard: true
        }))
      }
      const iterator = items[Symbol.iterator]()
      let itemIndex = 0
      const callerRefs = runtime.fiberRefsOf(caller)
      const taskFor = (item: I) => {
        const i = itemIndex++
        return new TaskRecord<A, E>(Effect.suspend(() => f(item, i)), callerRefs)
      }
      const startWhilePermitsAreFree: Effect.Effect<void, TaskGroup.TaskGroupClosedError> = Effect.suspend(() => {
        if (group.state !== "open") return Effect.fail(closedError(group))
        if (group.queue.length > 0 || (runtime.freePermits(semaphore) ?? 0) === 0) return handOver
        const item = iterator.next()
        if (item.done === true) return Effect.void
        return Effect.zipRight(
          semaphore.take(1),
          Effect.zipRight(forkWorker(group, taskFor(item.value), callerRefs), startWhilePermitsAreFree)
        )
      })
      const handOver = restore(Effect.async<void, TaskGroup.TaskGroupClosedError>((resume) => {
        const source: Source = {
          next: () => {
            const item = iterator.next()
            if (item.done !== true) return taskFor(item.value)
            group.sources.splice(group.sources.indexOf(source) >>> 0, 1)
            resume(Effect.void)
            return undefined
          },
          abort: (error) => resume(Effect.fail(error))
        }
        group.sources.push(source)
        return Effect.sync(() => {
          const at = group.sources.indexOf(source)
          if (at >= 0) group.sources.splice(at, 1)
        })
      }))
      return startWhilePermitsAreFree
    })
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
>((args) => Predicate.isIterable(args[0]), (items, f, options) => run((group) => feed(group, items, f), options))
