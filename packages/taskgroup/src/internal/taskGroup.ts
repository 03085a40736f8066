import * as Cause from "effect/Cause"
import * as Chunk from "effect/Chunk"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"
import type * as FiberId from "effect/FiberId"
import { dual } from "effect/Function"
import * as Inspectable from "effect/Inspectable"
import * as Option from "effect/Option"
import { pipeArguments } from "effect/Pipeable"
import * as Predicate from "effect/Predicate"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import type * as TaskGroup from "../TaskGroup.js"
import * as runtime from "./runtime.js"

/*
 * How the group stays correct: every change of its state happens in one
 * synchronous step, never split by a yield. A task's life begins in `start`
 * (a permit is held, a fiber is forked and registered, all at once) and ends
 * in `onTaskExit`, the observer of that fiber, which runs once the fiber and
 * every fiber it forked are done. Effects appear only at the edges: a
 * `createTask` that suspends for room, and callers of `join`, the close and
 * the streams. With a shared semaphore, permits are taken in the semaphore's
 * own step too (see `runtime.awaitPermit`).
 */

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

const notASuccess: unique symbol = Symbol.for("@volley/taskgroup/notASuccess")

/**
 * A `createTask` call suspended until the group has room for its task. It
 * is in the group's line from when it starts to wait until its task is
 * admitted, it is refused, or it is interrupted.
 */
class Producer {
  resume: ((outcome: Effect.Effect<TaskRecord<any, any>, TaskGroup.TaskGroupClosedError>) => void) | undefined =
    undefined
  constructor(
    readonly effect: Effect.Effect<any, any, any>,
    readonly forker: runtime.Forker
  ) {}
}

/**
 * The rest of a `forEach`'s items, in a group with its own permits: a freed
 * permit takes the next item straight from the iterator, so that a list
 * costs its caller one wait rather than one `createTask` per item.
 */
interface Source {
  readonly forker: runtime.Forker
  readonly next: () => IteratorResult<Effect.Effect<any, any, any>>
  /** Answers the `forEach` waiting for its items to be taken: done, refused, or dead with the iterator's throw. */
  readonly resume: (outcome: Effect.Effect<void, TaskGroup.TaskGroupClosedError>) => void
}

/**
 * What a stream reader has not read yet. A conflating feed keeps only the
 * latest item (counters); the others keep every item (completions). Ending a
 * feed lets its reader drain what is left before the stream ends.
 *
 * Hand-rolled because the group pushes from inside its synchronous steps:
 * Effect's `Mailbox` drains on `done` but cannot conflate, and a sliding
 * `Queue` loses what a slow reader has not read when it is shut down.
 */
class Feed<A> {
  private items: Array<A> = []
  private ended = false
  private wake: (() => void) | undefined = undefined
  constructor(private readonly conflate: boolean) {}

  push(item: A): void {
    if (this.conflate) this.items[0] = item
    else this.items.push(item)
    this.wake?.()
  }

  end(): void {
    this.ended = true
    this.wake?.()
  }

  readonly pull: Effect.Effect<Chunk.Chunk<A>, Option.Option<never>> = Effect.async((resume) => {
    const answer = () => {
      this.wake = undefined
      if (this.items.length > 0) {
        const items = this.items
        this.items = []
        resume(Effect.succeed(Chunk.unsafeFromArray(items)))
      } else {
        resume(Effect.fail(Option.none()))
      }
    }
    if (this.items.length > 0 || this.ended) return answer()
    this.wake = answer
    return Effect.sync(() => {
      this.wake = undefined
    })
  })
}

class TaskRecord<A, E> implements TaskGroup.Task<A, E> {
  exit: Exit.Exit<A, E> | undefined = undefined
  fiber: Fiber.RuntimeFiber<unknown, unknown> | undefined = undefined
  /** Its links in its group's `RunningTasks`, set only while it runs. */
  runningBefore: TaskRecord<any, any> | undefined = undefined
  runningAfter: TaskRecord<any, any> | undefined = undefined
  isRunning = false
  /** Set by `interrupt`: the fiber it runs on must not take another task. */
  interruptRequested = false
  observers: Array<(exit: Exit.Exit<A, E>) => void> | undefined = undefined
  constructor(
    readonly group: TaskGroupImpl<any, any>,
    readonly index: number,
    public effect: Effect.Effect<A, E, any> | undefined,
    readonly forker: runtime.Forker
  ) {}

  get await(): Effect.Effect<Exit.Exit<A, E>> {
    return Effect.async<Exit.Exit<A, E>>((resume) => {
      if (this.exit !== undefined) return resume(Effect.succeed(this.exit))
      const observer = (exit: Exit.Exit<A, E>) => resume(Effect.succeed(exit))
      ;(this.observers ??= []).push(observer)
      return Effect.sync(() => {
        const at = this.observers?.indexOf(observer) ?? -1
        if (at >= 0) this.observers!.splice(at, 1)
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
      if (this.exit === undefined) {
        this.interruptRequested = true
        if (this.fiber !== undefined) runtime.interruptNow(this.fiber, caller.id())
        else dropQueued(this.group, this, caller.id())
      }
      return Effect.asVoid(this.await)
    })
  }
}

/**
 * The started tasks, in start order, as a list threaded through the tasks
 * themselves.
 *
 * Not a `Set`, for the garbage collector's sake: a `Set` that sees an add
 * and a delete per task is rehashed over and over, and V8 links each old
 * table to its successor. Once one table has been promoted to the old
 * generation, it keeps every later table, and every task and result they
 * held, alive until the next full collection: in a million-task createTask
 * loop without results that took peak RSS from about 104 to 134 MiB. A
 * task's links are cleared when it leaves, so a finished task never holds
 * another. Effect's `MutableList` would do but for one thing: it cannot
 * remove from the middle, and tasks end in any order.
 */
class RunningTasks {
  private head: TaskRecord<any, any> | undefined = undefined
  private tail: TaskRecord<any, any> | undefined = undefined
  size = 0

  /** The earliest started task still running, which is the earliest created. */
  get first(): TaskRecord<any, any> | undefined {
    return this.head
  }

  add(task: TaskRecord<any, any>): void {
    task.isRunning = true
    task.runningBefore = this.tail
    if (this.tail === undefined) this.head = task
    else this.tail.runningAfter = task
    this.tail = task
    this.size++
  }

  delete(task: TaskRecord<any, any>): void {
    if (!task.isRunning) return
    const before = task.runningBefore
    const after = task.runningAfter
    if (before === undefined) this.head = after
    else before.runningAfter = after
    if (after === undefined) this.tail = before
    else after.runningBefore = before
    task.isRunning = false
    task.runningBefore = task.runningAfter = undefined
    this.size--
  }

  toArray(): Array<TaskRecord<any, any>> {
    const tasks: Array<TaskRecord<any, any>> = []
    for (let task = this.head; task !== undefined; task = task.runningAfter) tasks.push(task)
    return tasks
  }
}

const variance = { _A: (_: any) => _, _E: (_: any) => _ }

/**
 * The group's state. A class, not `Object.create(Proto)` with the fields
 * assigned after: with this many fields V8 would keep such an object as a
 * dictionary, and every access on the hot path would be a hash lookup.
 *
 * @internal
 */
export class TaskGroupImpl<A, E> implements TaskGroup.TaskGroup<A, E> {
  readonly [TypeId] = variance
  /** `open` takes tasks; `closing` runs what it has until idle; `closed` is the end. */
  phase: "open" | "closing" | "closed" = "open"
  /** Set once, when the group interrupts everything it holds: a failure under `interrupt`, or an aborted scope. */
  interrupting = false
  readonly strategy: TaskGroup.FailureStrategy
  /** The group's own permits, when it made them itself; `undefined` with a shared semaphore or no bound. */
  readonly capacity: number | undefined
  free: number
  readonly semaphore: Effect.Semaphore | undefined
  /** How many admitted tasks may wait for a permit before `createTask` itself waits. */
  readonly backlog: number
  readonly lowWater: number
  /** Admitted tasks waiting for a permit, in creation order. */
  queued: Array<TaskRecord<any, any>> = []
  /** `createTask` calls waiting for room, first come first served. */
  readonly producers: Array<Producer> = []
  /** `forEach` calls whose items are taken as permits free up. */
  readonly sources: Array<Source> = []
  /** Started tasks, in start order, which is creation order. */
  readonly running = new RunningTasks()
  /** With a shared semaphore: how to stop waiting for a permit, while the group waits for one. */
  stopWaitingForPermit: (() => void) | undefined = undefined
  readonly forker: runtime.Forker
  lastForker: runtime.Forker | undefined = undefined
  readonly interruptAs: FiberId.FiberId
  /**
   * When results are collected: each task's value at its index, or
   * `notASuccess` while it runs or if it did not succeed. Values rather than
   * `Exit`s keep a million results as small as `Effect.forEach` keeps them.
   */
  readonly values: Array<A | typeof notASuccess> | undefined
  /** When results are collected: the exits of tasks that ended other than in success. */
  readonly otherExits: Map<number, Exit.Exit<A, E>> | undefined
  /** Failures in completion order; kept even without result collection. */
  readonly failureLog: Array<TaskGroup.TaskFailure<E>> = []
  /** Under the `interrupt` strategy, the causes that failed the group. */
  readonly groupFailures: Array<Cause.Cause<E>> = []
  readonly joiners: Array<{ readonly upTo: number; readonly resume: () => void }> = []
  closeWaiter: (() => void) | undefined = undefined
  readonly statsFeeds = new Set<Feed<TaskGroup.Stats>>()
  readonly completionFeeds = new Set<Feed<TaskGroup.TaskExit<A, E>>>()
  created = 0
  succeeded = 0
  failed = 0
  interrupted = 0

  constructor(options: TaskGroup.TaskGroupOptions, owner: Fiber.RuntimeFiber<unknown, unknown>) {
    this.capacity = options.semaphore !== undefined || options.concurrency === undefined ||
        options.concurrency === "unbounded"
      ? undefined
      : options.concurrency
    this.free = this.capacity ?? 0
    this.semaphore = options.semaphore
    this.strategy = options.strategy ?? "collect"
    this.backlog = options.backlog ?? this.capacity ?? 0
    this.lowWater = Math.floor(this.backlog / 2)
    this.forker = runtime.forkerOf(owner, undefined)
    this.interruptAs = owner.id()
    this.values = options.collectResults === false ? undefined : []
    this.otherExits = options.collectResults === false ? undefined : new Map()
  }

  toString(): string {
    return Inspectable.format(this.toJSON())
  }
  toJSON(): unknown {
    return {
      _id: "TaskGroup",
      state: stateOf(this),
      strategy: this.strategy,
      backlog: this.backlog,
      stats: snapshot(this)
    }
  }
  [Inspectable.NodeInspectSymbol](): unknown {
    return this.toJSON()
  }
  pipe() {
    return pipeArguments(this, arguments)
  }
}

const stateOf = (group: TaskGroupImpl<any, any>): "open" | "failed" | "closing" | "closed" =>
  group.phase === "closed" ? "closed" : group.groupFailures.length > 0 ? "failed" : group.phase

const snapshot = (group: TaskGroupImpl<any, any>): TaskGroup.Stats => ({
  created: group.created,
  queued: group.queued.length,
  running: group.running.size,
  waiting: group.producers.length,
  succeeded: group.succeeded,
  failed: group.failed,
  interrupted: group.interrupted
})

const impl = <A, E>(self: TaskGroup.TaskGroup<A, E>) => self as TaskGroupImpl<A, E>

/** @internal */
export const isTaskGroup = (u: unknown): u is TaskGroup.TaskGroup<unknown, unknown> => Predicate.hasProperty(u, TypeId)

const closedError = (group: TaskGroupImpl<any, any>) => {
  const state = stateOf(group)
  return new TaskGroupClosedError({ reason: state === "open" ? "closing" : state })
}

const takesTasks = (group: TaskGroupImpl<any, any>): boolean => group.phase === "open" && !group.interrupting

const notifyStats = (group: TaskGroupImpl<any, any>): void => {
  if (group.statsFeeds.size === 0) return
  const stats = snapshot(group)
  for (const feed of group.statsFeeds) feed.push(stats)
}

/** The lowest index of a task that has not ended, or `created` if none. */
const lowestLive = (group: TaskGroupImpl<any, any>): number => {
  if (group.running.first !== undefined) return group.running.first.index
  return group.queued.length > 0 ? group.queued[0].index : group.created
}

/** Answers every `join` whose tasks have all ended, and the close once nothing is left. */
const settle = (group: TaskGroupImpl<any, any>): void => {
  if (group.joiners.length > 0) {
    const lowest = lowestLive(group)
    for (let i = group.joiners.length - 1; i >= 0; i--) {
      const joiner = group.joiners[i]
      if (joiner.upTo <= lowest) {
        group.joiners.splice(i, 1)
        joiner.resume()
      }
    }
  }
  if (group.closeWaiter !== undefined && isIdle(group)) {
    const resume = group.closeWaiter
    group.closeWaiter = undefined
    resume()
  }
}

const isIdle = (group: TaskGroupImpl<any, any>): boolean => group.running.size === 0 && group.queued.length === 0

const admit = <A, E>(group: TaskGroupImpl<any, any>, effect: Effect.Effect<A, E, any>, forker: runtime.Forker) => {
  const task = new TaskRecord<A, E>(group, group.created++, effect, forker)
  // a slot per task keeps the array dense while tasks end out of order
  group.values?.push(notASuccess)
  return task
}

/**
 * A task's life begins: it holds a permit (or needs none), and its fiber is
 * forked and registered in the same step, so that nothing can see the one
 * without the other.
 */
const start = (group: TaskGroupImpl<any, any>, task: TaskRecord<any, any>): void => {
  const worker: { current: TaskRecord<any, any> } = { current: task }
  const fiber = task.forker.fork(group.capacity === undefined ? task.effect! : runTasks(group, worker))
  if (group.capacity === undefined) task.effect = undefined
  task.fiber = fiber
  group.running.add(task)
  fiber.addObserver((exit) =>
    onTaskExit(
      group,
      worker.current,
      group.capacity === undefined || Exit.isFailure(exit) ? exit : exit.value as Exit.Exit<any, any>
    )
  )
}

/**
 * A task's life ends: its fiber and every fiber it forked are done, or its
 * fiber is about to take over the next task (see `runTasks`).
 */
const onTaskExit = (group: TaskGroupImpl<any, any>, task: TaskRecord<any, any>, exit: Exit.Exit<any, any>): void => {
  group.running.delete(task)
  record(group, task, exit)
  passPermitOn(group)
  notifyStats(group)
  settle(group)
}

/**
 * In a group with its own permits, a task's fiber may run the next queued
 * task of the same caller instead of ending and forking a new one, which is
 * where most of a task's cost goes. It does so only when the fiber is as it
 * was forked: the same FiberRefs (so no pending interruption, annotation or
 * span is carried over), the same runtime flags, no child fiber, no message
 * waiting, and nobody asked to interrupt the task. Anything else, and the
 * fiber ends as a fiber per task would, and the next task gets a fresh one.
 * The fiber's value is the last task's `Exit`, for its observer to record.
 */
const runTasks = (group: TaskGroupImpl<any, any>, worker: { current: TaskRecord<any, any> }) =>
  Effect.withFiberRuntime<Exit.Exit<unknown, unknown>, never, never>((self) => {
    let pristine = runtime.snapshotOf(self)
    const runCurrent = (): Effect.Effect<Exit.Exit<unknown, unknown>> => {
      const task = worker.current
      const effect = task.effect as Effect.Effect<unknown, unknown>
      task.effect = undefined
      return Effect.matchCauseEffect(effect, whenEnded)
    }
    const ended = (exit: Exit.Exit<unknown, unknown>): Effect.Effect<Exit.Exit<unknown, unknown>> => {
      const task = worker.current
      if (task.interruptRequested || !runtime.isAsForked(self, pristine)) return Effect.succeed(exit)
      const next = takeOver(group, task, exit)
      if (next === undefined) return Effect.succeed(exit)
      worker.current = next
      pristine = runtime.reforkAs(self, next.forker, pristine)
      return runCurrent()
    }
    // made once per fiber, so that a task costs the fiber a single step
    const whenEnded = {
      onFailure: (cause: Cause.Cause<unknown>) => ended(Exit.failCause(cause)),
      onSuccess: (value: unknown) => ended(Exit.succeed(value))
    }
    return runCurrent()
  })

/**
 * Ends `task` and starts the next one on its fiber, with its permit, when
 * the next one comes from the same caller; `undefined` when it cannot.
 */
const takeOver = (
  group: TaskGroupImpl<any, any>,
  task: TaskRecord<any, any>,
  exit: Exit.Exit<any, any>
): TaskRecord<any, any> | undefined => {
  // a failure that fails the group ends the fiber with the task, as a fiber per task would
  if (group.interrupting || (group.strategy === "interrupt" && runtime.exitKind(exit) === "failed")) return undefined
  const next = nextToStart(group, task.forker)
  if (next === undefined) return undefined
  group.running.delete(task)
  record(group, task, exit)
  next.fiber = task.fiber
  task.fiber = undefined
  group.running.add(next)
  admitProducers(group)
  notifyStats(group)
  settle(group)
  return next
}

const record = <A, E>(group: TaskGroupImpl<A, E>, task: TaskRecord<A, E>, exit: Exit.Exit<A, E>): void => {
  const index = task.index
  task.exit = exit
  if (group.values !== undefined) {
    if (Exit.isSuccess(exit)) group.values[index] = exit.value
    else group.otherExits!.set(index, exit)
  }
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
      if (group.strategy === "collect") {
        // logged as if by the task itself: with its caller's logger and annotations
        task.forker.fork(
          Effect.annotateLogs(Effect.logWarning(`TaskGroup: task ${index} failed`, cause), "taskIndex", index)
        )
      } else if (group.phase !== "closed") {
        group.groupFailures.push(cause)
        interruptEverything(group)
      }
    }
  }
  if (task.observers !== undefined) { for (const observer of task.observers.splice(0)) observer(exit) }
  if (group.completionFeeds.size > 0) {
    const completion: TaskGroup.TaskExit<A, E> = { index, exit }
    for (const feed of group.completionFeeds) feed.push(completion)
  }
}

/** An admitted task that never started is interrupted where it waits, and never runs. */
const dropQueued = (group: TaskGroupImpl<any, any>, task: TaskRecord<any, any>, as: FiberId.FiberId): void => {
  const at = group.queued.indexOf(task)
  if (at < 0) return
  group.queued.splice(at, 1)
  task.effect = undefined
  record(group, task, Exit.interrupt(as))
  admitProducers(group)
  stopWaitingIfUnneeded(group)
  notifyStats(group)
  settle(group)
}

/**
 * Refills the queue from waiting `createTask` calls once it has drained to
 * its low-water mark, so that a producer is woken once per half a backlog,
 * not once per task.
 */
const admitProducers = (group: TaskGroupImpl<any, any>): void => {
  if (group.producers.length === 0 || group.queued.length > group.lowWater || !takesTasks(group)) return
  while (group.producers.length > 0 && group.queued.length < group.backlog) {
    const producer = group.producers.shift()!
    const task = admit(group, producer.effect, producer.forker)
    group.queued.push(task)
    producer.resume!(Effect.succeed(task))
  }
}

/**
 * The next task that a freed permit should go to: the oldest queued task,
 * else a waiting `createTask` call (whose task is admitted and started at
 * once, as with a backlog of 0).
 */
const nextToStart = (
  group: TaskGroupImpl<any, any>,
  sameCallerAs?: runtime.Forker
): TaskRecord<any, any> | undefined => {
  if (group.interrupting) return undefined
  if (group.queued.length > 0) {
    return sameCallerAs === undefined || group.queued[0].forker === sameCallerAs ? group.queued.shift() : undefined
  }
  if (group.phase !== "open") return undefined
  const producer = group.producers[0]
  if (producer !== undefined) {
    if (sameCallerAs !== undefined && producer.forker !== sameCallerAs) return undefined
    group.producers.shift()
    const task = admit(group, producer.effect, producer.forker)
    producer.resume!(Effect.succeed(task))
    return task
  }
  // a source whose items are used up leaves the line, and the next one is asked
  while (group.sources.length > 0) {
    const source = group.sources[0]
    if (sameCallerAs !== undefined && source.forker !== sameCallerAs) return undefined
    const task = takeFrom(group, source)
    if (task !== undefined) return task
  }
  return undefined
}

/**
 * The next item of a `forEach` as a task, or `undefined` once the items are
 * used up. An iterator that throws answers its `forEach` with that defect at
 * once, and the group goes on without it.
 */
const takeFrom = (group: TaskGroupImpl<any, any>, source: Source): TaskRecord<any, any> | undefined => {
  let item: IteratorResult<Effect.Effect<any, any, any>>
  try {
    item = source.next()
  } catch (defect) {
    endSource(group, source, Effect.die(defect))
    return undefined
  }
  if (item.done === true) {
    endSource(group, source, Effect.void)
    return undefined
  }
  return admit(group, item.value, source.forker)
}

const endSource = (
  group: TaskGroupImpl<any, any>,
  source: Source,
  outcome: Effect.Effect<void, TaskGroup.TaskGroupClosedError>
): void => {
  const at = group.sources.indexOf(source)
  if (at < 0) return
  group.sources.splice(at, 1)
  source.resume(outcome)
}

/**
 * A task ended and its permit is free: a group with its own permits hands it
 * straight to the next task; a shared semaphore gets it back, so that other
 * groups on it are served in turn, and the group asks again if it needs one.
 */
const passPermitOn = (group: TaskGroupImpl<any, any>): void => {
  if (group.capacity !== undefined) {
    const next = nextToStart(group)
    if (next === undefined) group.free++
    else start(group, next)
    admitProducers(group)
  } else if (group.semaphore !== undefined) {
    group.forker.runSync(group.semaphore.release(1))
    servePermits(group)
  }
}

const needsPermit = (group: TaskGroupImpl<any, any>): boolean =>
  !group.interrupting && (group.queued.length > 0 || (group.producers.length > 0 && group.phase === "open"))

/** A permit of the shared semaphore is ours: it goes to the next task, or back if none needs it any more. */
const usePermit = (group: TaskGroupImpl<any, any>): void => {
  const next = nextToStart(group)
  if (next === undefined) {
    group.forker.runSync(group.semaphore!.release(1))
    return
  }
  start(group, next)
  admitProducers(group)
}

/**
 * With a shared semaphore, takes permits for the queue and the waiting
 * callers while they need one: at once while permits are free, then by
 * waiting in the semaphore's own queue. There is no fiber in between, so
 * nothing to interrupt between a permit taken and a task started.
 */
const servePermits = (group: TaskGroupImpl<any, any>): void => {
  const semaphore = group.semaphore!
  while (group.stopWaitingForPermit === undefined && needsPermit(group)) {
    if (runtime.tryTakePermit(semaphore)) {
      usePermit(group)
      continue
    }
    group.stopWaitingForPermit = runtime.awaitPermit(semaphore, () => {
      group.stopWaitingForPermit = undefined
      usePermit(group)
      servePermits(group)
      notifyStats(group)
      settle(group)
    })
  }
}

/** Stops waiting for a permit once nothing needs one, so a closed group leaves nothing in the semaphore. */
const stopWaitingIfUnneeded = (group: TaskGroupImpl<any, any>): void => {
  if (group.stopWaitingForPermit === undefined || needsPermit(group)) return
  group.stopWaitingForPermit()
  group.stopWaitingForPermit = undefined
}

const refuseProducers = (group: TaskGroupImpl<any, any>): void => {
  if (group.producers.length === 0 && group.sources.length === 0) return
  const refused = Effect.fail(closedError(group))
  for (const producer of group.producers.splice(0)) producer.resume!(refused)
  for (const source of group.sources.splice(0)) source.resume(refused)
  stopWaitingIfUnneeded(group)
}

/**
 * The group stops everything it holds: waiting callers are refused, queued
 * tasks are interrupted where they wait, running tasks are interrupted, and
 * the group stops waiting for permits, all in this one step.
 */
const interruptEverything = (group: TaskGroupImpl<any, any>): void => {
  if (group.interrupting) return
  group.interrupting = true
  refuseProducers(group)
  const queued = group.queued
  group.queued = []
  for (const task of queued) {
    task.effect = undefined
    record(group, task, Exit.interrupt(group.interruptAs))
  }
  for (const task of group.running.toArray()) runtime.interruptNow(task.fiber!, group.interruptAs)
  stopWaitingIfUnneeded(group)
  notifyStats(group)
}

/** Waits until the group has no task left, and runs `onIdle` in that same step. */
const awaitIdle = <A>(group: TaskGroupImpl<any, any>, onIdle: () => A): Effect.Effect<A> =>
  Effect.async<A>((resume) => {
    if (isIdle(group)) return resume(Effect.succeed(onIdle()))
    const waiter = () => resume(Effect.succeed(onIdle()))
    group.closeWaiter = waiter
    return Effect.sync(() => {
      if (group.closeWaiter === waiter) group.closeWaiter = undefined
    })
  })

/** The group stops taking tasks: waiting callers are refused, what it holds runs on. */
const stopTakingTasks = (group: TaskGroupImpl<any, any>): void => {
  if (group.phase !== "open") return
  group.phase = "closing"
  refuseProducers(group)
  notifyStats(group)
}

const close = (group: TaskGroupImpl<any, any>, scopeExit: Exit.Exit<unknown, unknown>): Effect.Effect<void> =>
  Effect.suspend(() => {
    stopTakingTasks(group)
    if (Exit.isFailure(scopeExit)) interruptEverything(group)
    return awaitIdle(group, () => {
      group.phase = "closed"
      const final = snapshot(group)
      for (const feed of group.statsFeeds) {
        feed.push(final)
        feed.end()
      }
      for (const feed of group.completionFeeds) feed.end()
      group.statsFeeds.clear()
      group.completionFeeds.clear()
    })
  })

const isCount = (n: unknown, min: number): boolean => typeof n === "number" && Number.isSafeInteger(n) && n >= min

/**
 * What is wrong with `options`, if anything. Every option is checked, even
 * one that another takes precedence over, since a wrong number is a mistake
 * either way; left alone, a `NaN` compares false with everything and a
 * group would neither start nor queue its first task.
 */
const invalidOption = (options: TaskGroup.TaskGroupOptions): string | undefined => {
  const { backlog, concurrency, strategy } = options
  if (concurrency !== undefined && concurrency !== "unbounded" && !isCount(concurrency, 1)) {
    return `concurrency must be a positive integer or "unbounded", got ${String(concurrency)}`
  }
  if (backlog !== undefined && !isCount(backlog, 0)) {
    return `backlog must be a non-negative integer, got ${String(backlog)}`
  }
  if (strategy !== undefined && strategy !== "collect" && strategy !== "interrupt") {
    return `strategy must be "collect" or "interrupt", got ${String(strategy)}`
  }
  return undefined
}

/** @internal */
export const make = <A = unknown, E = never>(
  options: TaskGroup.TaskGroupOptions = {}
): Effect.Effect<TaskGroup.TaskGroup<A, E>, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.withFiberRuntime<TaskGroupImpl<A, E>>((fiber) => {
      const invalid = invalidOption(options)
      if (invalid !== undefined) return Effect.die(new Cause.IllegalArgumentException(`TaskGroup.make: ${invalid}`))
      if (options.semaphore !== undefined) runtime.checkSemaphore(options.semaphore)
      const group = new TaskGroupImpl<A, E>(options, fiber)
      return Effect.succeed(group)
    }),
    close
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
    const forker = group.lastForker = runtime.forkerOf(caller, group.lastForker)
    const now = admitNow<XA, XE>(group, effect, forker)
    if (now !== undefined) return now
    const producer = new Producer(effect, forker)
    // An interrupted wait leaves the line in `onExit`, not in a canceler returned
    // by the register function. Effect wraps such a canceler in `onInterrupt`,
    // whose options object V8 soon allocates straight in the old generation,
    // and from there it keeps every finished wait, with the task it carried,
    // alive until the next full collection: in a million-task loop without
    // results that took peak RSS from about 97 MiB to 106–117 MiB.
    return Effect.onExit(
      // The register function decides again: the group may have changed in the ops since.
      Effect.async<TaskGroup.Task<XA, XE>, TaskGroup.TaskGroupClosedError>((resume) => {
        const again = admitNow<XA, XE>(group, effect, forker)
        if (again !== undefined) return resume(again)
        producer.resume = resume
        group.producers.push(producer)
        if (group.semaphore !== undefined) servePermits(group)
        notifyStats(group)
      }),
      () => Effect.sync(() => leaveLine(group, producer))
    )
  }))

/** A waiting `createTask` call that was interrupted gives up its place. */
const leaveLine = (group: TaskGroupImpl<any, any>, producer: Producer): void => {
  const at = group.producers.indexOf(producer)
  if (at < 0) return
  group.producers.splice(at, 1)
  stopWaitingIfUnneeded(group)
  notifyStats(group)
}

/**
 * What `createTask` can do without waiting, decided and done in one step:
 * refuse, start the task on a free permit, or queue it in the backlog.
 * `undefined` means it must wait for room.
 */
const admitNow = <A, E>(
  group: TaskGroupImpl<any, any>,
  effect: Effect.Effect<A, E, any>,
  forker: runtime.Forker
): Effect.Effect<TaskRecord<A, E>, TaskGroup.TaskGroupClosedError> | undefined => {
  if (!takesTasks(group)) return Effect.fail(closedError(group))
  if (group.producers.length > 0) return undefined
  if (group.capacity === undefined && group.semaphore === undefined) {
    const task = admit<A, E>(group, effect, forker)
    start(group, task)
    notifyStats(group)
    return Effect.succeed(task)
  }
  if (
    group.queued.length === 0 &&
    (group.semaphore === undefined ? group.free > 0 : runtime.tryTakePermit(group.semaphore))
  ) {
    if (group.semaphore === undefined) group.free--
    const task = admit<A, E>(group, effect, forker)
    start(group, task)
    notifyStats(group)
    return Effect.succeed(task)
  }
  if (group.queued.length < group.backlog) {
    const task = admit<A, E>(group, effect, forker)
    group.queued.push(task)
    if (group.semaphore !== undefined) servePermits(group)
    notifyStats(group)
    return Effect.succeed(task)
  }
  return undefined
}

/** @internal */
export const join = <A, E>(self: TaskGroup.TaskGroup<A, E>): Effect.Effect<void, E> =>
  Effect.suspend(() => {
    const group = impl(self)
    const upTo = group.created
    return Effect.zipRight(
      Effect.async<void>((resume) => {
        // checked here, in the same step as the registration, so that no task can end in between
        if (lowestLive(group) >= upTo) return resume(Effect.void)
        const joiner = { upTo, resume: () => resume(Effect.void) }
        group.joiners.push(joiner)
        return Effect.sync(() => {
          const at = group.joiners.indexOf(joiner)
          if (at >= 0) group.joiners.splice(at, 1)
        })
      }),
      failIfFailed(group)
    )
  })

/** @internal */
export const unsafeStats = (self: TaskGroup.TaskGroup<any, any>): TaskGroup.Stats => snapshot(impl(self))

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

/**
 * A stream of what the group pushes into `feeds` from the moment the stream
 * runs: the feed is subscribed when the stream starts, seeded with `first()`
 * in that same step, and ended at once on a closed group, so that its
 * reader drains and stops.
 */
const subscribe = <A>(
  group: TaskGroupImpl<any, any>,
  feeds: Set<Feed<A>>,
  conflate: boolean,
  first: () => ReadonlyArray<A>
): Stream.Stream<A> =>
  Stream.unwrapScoped(
    Effect.map(
      Effect.acquireRelease(
        Effect.sync(() => {
          const feed = new Feed<A>(conflate)
          for (const item of first()) feed.push(item)
          if (group.phase === "closed") feed.end()
          else feeds.add(feed)
          return feed
        }),
        (feed) => Effect.sync(() => feeds.delete(feed))
      ),
      (feed) => Stream.repeatEffectChunkOption(feed.pull)
    )
  )

/** @internal */
export const changes = <A, E>(self: TaskGroup.TaskGroup<A, E>): Stream.Stream<TaskGroup.Stats> => {
  const group = impl(self)
  return subscribe(group, group.statsFeeds, true, () => [snapshot(group)])
}

/** @internal */
export const completions = <A, E>(self: TaskGroup.TaskGroup<A, E>): Stream.Stream<TaskGroup.TaskExit<A, E>> => {
  const group = impl(self)
  return subscribe(group, group.completionFeeds, false, () => [])
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
 * The group's summary, taken in the step in which its last task ended, and
 * in which it stops taking tasks, so that no task can come after it: tasks
 * that tasks created are in it, and it never changes. The exits are built
 * when first read, from records that can no longer change: most callers want
 * only the results, and a million `Exit`s would double the memory a big
 * group ends with.
 */
const finalSummary = <A, E>(self: TaskGroup.TaskGroup<A, E>): Effect.Effect<TaskGroup.Summary<A, E>> => {
  const group = impl(self)
  return awaitIdle(group, () => {
    stopTakingTasks(group)
    const results = (group.values?.filter((value) => value !== notASuccess) ?? []) as Array<A>
    const failures = group.failureLog.slice().sort((a, b) => a.index - b.index)
    let exits: ReadonlyArray<TaskGroup.TaskExit<A, E>> | undefined
    return {
      results,
      failures,
      stats: snapshot(group),
      get exits() {
        return exits ??= exitsOf(self)
      }
    }
  })
}

const isClosedError = (u: unknown): u is TaskGroup.TaskGroupClosedError => Predicate.isTagged(u, "TaskGroupClosedError")

/**
 * `run`'s type leaves `TaskGroupClosedError` out of what it fails with: its
 * own group's can only mean that the group failed, which `run` reports
 * instead. Any other that reaches it from the body (another group's, say) is
 * a defect, so that the type tells the truth.
 */
const closedErrorsAsDefects = <E>(cause: Cause.Cause<E>): Cause.Cause<Exclude<E, TaskGroup.TaskGroupClosedError>> =>
  Cause.flatMap(cause, (error) => isClosedError(error) ? Cause.die(error) : Cause.fail(error)) as Cause.Cause<
    Exclude<E, TaskGroup.TaskGroupClosedError>
  >

const failIfFailed = (group: TaskGroupImpl<any, any>): Effect.Effect<void, any> =>
  Effect.suspend(() => {
    const [first, ...rest] = group.groupFailures
    return first === undefined ? Effect.void : Effect.failCause(runtime.combineCauses([first, ...rest]))
  })

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
        if (Exit.isFailure(bodyExit)) {
          // A body stopped by the group's own failure reports that failure, as join does.
          const failures = runtime.failuresOf(bodyExit.cause)
          const stoppedByGroup = impl(group).groupFailures.length > 0 && failures.length > 0 &&
            failures.every(isClosedError)
          if (!stoppedByGroup) return Effect.failCause(closedErrorsAsDefects(bodyExit.cause))
        }
        return Effect.flatMap(finalSummary(group), (summary) => Effect.as(failIfFailed(impl(group)), summary))
      }))
  )

/**
 * Creates a task per item, in item order. In a group with its own permits
 * the items are taken as permits free up (see `Source`); otherwise it is a
 * `createTask` loop. Either way the iterator is advanced inside the group's
 * steps, never ahead of them: an iterator that throws makes `forEach` die
 * with that defect at once, and the group interrupts what it started, as
 * `Effect.forEach` does. When it stops before the items run out (refused by
 * its group, or interrupted), it closes the iterator, as `for…of` does, so
 * that a generator's `finally` runs.
 *
 * @internal
 */
export const feed = <I, A, E, R>(
  self: TaskGroup.TaskGroup<A, E>,
  items: Iterable<I>,
  f: (item: I, index: number) => Effect.Effect<A, E, R>
): Effect.Effect<void, TaskGroup.TaskGroupClosedError, R> =>
  Effect.suspend(() => {
    const iterator = items[Symbol.iterator]()
    /** Set once the iterator has said it is done, or has thrown: there is nothing to close then. */
    let finished = false
    const next = (): IteratorResult<I> => {
      try {
        const item = iterator.next()
        if (item.done === true) finished = true
        return item
      } catch (defect) {
        finished = true
        throw defect
      }
    }
    return Effect.onExit(
      feedFrom(impl(self), next, f),
      (exit) => Exit.isFailure(exit) && !finished ? Effect.sync(() => closeIterator(iterator)) : Effect.void
    )
  })

/**
 * As `for…of` does when it stops early; an error from `return` is dropped,
 * as `for…of` drops it when it stops on an error of its own.
 */
const closeIterator = (iterator: Iterator<unknown>): void => {
  try {
    iterator.return?.()
  } catch {
    // the reason forEach stopped is the one it reports
  }
}

const feedFrom = <I, A, E, R>(
  group: TaskGroupImpl<A, E>,
  next: () => IteratorResult<I>,
  f: (item: I, index: number) => Effect.Effect<A, E, R>
): Effect.Effect<void, TaskGroup.TaskGroupClosedError, R> => {
  let index = 0
  // `f` is called as its item is taken, as a createTask loop calls it; a throw of `f` is that item's task dying
  const taskOf = (item: I): Effect.Effect<A, E, R> => {
    try {
      return f(item, index++)
    } catch (defect) {
      return Effect.die(defect)
    }
  }
  if (group.capacity === undefined) {
    return Effect.gen(function*() {
      for (let item = next(); item.done !== true; item = next()) {
        yield* createTask(group, taskOf(item.value))
      }
    })
  }
  return Effect.withFiberRuntime<void, TaskGroup.TaskGroupClosedError, R>((caller) => {
    const forker = group.lastForker = runtime.forkerOf(caller, group.lastForker)
    return Effect.async<void, TaskGroup.TaskGroupClosedError>((resume) => {
      if (!takesTasks(group)) return resume(Effect.fail(closedError(group)))
      const source: Source = {
        forker,
        next: () => {
          const item = next()
          if (item.done === true) return item
          return { done: false, value: taskOf(item.value) }
        },
        resume
      }
      group.sources.push(source)
      // in line behind any waiting createTask, as a loop would be
      while (group.free > 0 && group.queued.length === 0 && group.producers.length === 0) {
        const task = takeFrom(group, source)
        if (task === undefined) break
        group.free--
        start(group, task)
      }
      notifyStats(group)
      return Effect.sync(() => {
        const at = group.sources.indexOf(source)
        if (at >= 0) group.sources.splice(at, 1)
      })
    })
  })
}

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

/**
 * What the interleaving explorer checks after each run: the group's permits,
 * queue, waiting callers and permit wait, which no public getter shows.
 *
 * @internal
 */
export const debugState = (self: TaskGroup.TaskGroup<any, any>) => {
  const group = impl(self)
  return {
    phase: group.phase,
    capacity: group.capacity,
    free: group.free,
    queued: group.queued.length,
    producers: group.producers.length,
    running: group.running.size,
    waitingForPermit: group.stopWaitingForPermit !== undefined,
    joiners: group.joiners.length + group.sources.length,
    subscribers: group.statsFeeds.size + group.completionFeeds.size
  }
}
