import type * as Cause from "effect/Cause"
import * as CauseModule from "effect/Cause"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"
import { dual } from "effect/Function"
import * as Inspectable from "effect/Inspectable"
import * as Option from "effect/Option"
import { pipeArguments } from "effect/Pipeable"
import * as Predicate from "effect/Predicate"
import type * as Scope from "effect/Scope"
import type * as Semaphore from "effect/Semaphore"
import * as Stream from "effect/Stream"
import type * as TaskGroup from "../TaskGroup.js"
import * as runtime from "./runtime.js"

/*
 * How the group stays correct on Effect 4: every change of its state happens
 * in one synchronous step, and nothing outside the group runs inside a step.
 *
 * That second half is what Effect 4 makes hard: resuming a suspended fiber
 * (a waiting `createTask`, a `join`, a stream reader, a `Task.await`) runs
 * that fiber inline, and `fiber.interruptUnsafe` on a suspended task runs
 * its finalizers and its exit observer, the group's own `onTaskExit`, before
 * it returns. So a step never calls out: it records what must be woken or
 * interrupted in the group's `Steps`, and the outermost step runs those
 * calls once its state is consistent. A call that re-enters the group (an
 * interrupted task ending, a woken producer creating its next task) starts
 * a step of its own, whose calls join the same drain. All of it still
 * happens in the caller's step: no interrupt waits for a scheduler task.
 *
 * A task's fiber is made and registered inside a step, and started outside
 * it: on the scheduler when its caller's `createTask` or `forEach` started
 * it, right after the step when it took the permit of a task that ended
 * (see `start`). Either way a start is state in the step, never a call. In
 * a group with its own permits, the fiber of a task that ended may go on to
 * run the next task of the same caller, right after the step that handed
 * it over (see `TaskRunner`).
 */

/** @internal */
export const TypeId: TaskGroup.TypeId = Symbol.for("@volley/taskgroup-effect4/TaskGroup") as TaskGroup.TypeId

/** Which group refused a call, so that `run` can tell its own refusals from another group's. */
const refusedBy = new WeakMap<object, TaskGroupImpl<any, any>>()

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

const notASuccess: unique symbol = Symbol.for("@volley/taskgroup-effect4/notASuccess")

type Resume<A, E = never> = (effect: Effect.Effect<A, E>) => void

/** A `createTask` call suspended until the group has room for its task. */
class Producer {
  resume: Resume<TaskRecord<any, any>, TaskGroup.TaskGroupClosedError> | undefined = undefined
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
  /** The next item's task effect, or `undefined` once the items are used up. */
  readonly next: () => Effect.Effect<any, any, any> | undefined
  /** Answers the `forEach` waiting for its items to be taken: done, refused, or dead with the iterator's throw. */
  readonly resume: Resume<void, TaskGroup.TaskGroupClosedError>
}

/**
 * What a stream reader has not read yet. A conflating feed keeps only the
 * latest item (counters); the others keep every item (completions). Ending a
 * feed lets its reader drain what is left before the stream ends.
 *
 * Hand-rolled because the group pushes from inside its synchronous steps,
 * and a reader must be woken after the step, not inside it: Effect's
 * `Queue` offers resume their takers inline, and a sliding `Queue` loses
 * what a slow reader has not read when it is shut down.
 */
class Feed<A> {
  private items: Array<A> = []
  private ended = false
  private wake: (() => void) | undefined = undefined
  constructor(private readonly conflate: boolean, private readonly steps: Steps) {}

  push(item: A): void {
    if (this.conflate) this.items[0] = item
    else this.items.push(item)
    this.signal()
  }

  end(): void {
    this.ended = true
    this.signal()
  }

  private signal(): void {
    const wake = this.wake
    if (wake === undefined) return
    this.wake = undefined
    this.steps.later(wake)
  }

  readonly pull: Effect.Effect<readonly [A, ...Array<A>], Cause.Done> = Effect.callback((resume) => {
    const answer = () => {
      if (this.items.length > 0) {
        const items = this.items as [A, ...Array<A>]
        this.items = []
        resume(Effect.succeed(items))
      } else {
        resume(CauseModule.done())
      }
    }
    if (this.items.length > 0 || this.ended) return answer()
    this.wake = answer
    return Effect.sync(() => {
      this.wake = undefined
    })
  })
}

/**
 * The group's calls out of a step, run once the outermost step is done.
 * See the comment at the top of this module.
 */
class Steps {
  private depth = 0
  /**
   * Slots are reused rather than the array truncated after each drain: a
   * task's end drains once per task, and truncating made V8 shrink and
   * regrow the array every time.
   */
  private calls: Array<(() => void) | TaskRecord<any, any> | undefined> = []
  private count = 0

  /** Runs `change` as a step; if it is the outermost, runs every call it and its re-entries queued. */
  run<X>(change: () => X): X {
    this.enter()
    try {
      return change()
    } finally {
      this.exit()
    }
  }

  /** `run` without its closure, for the hot paths: `exit` must follow in a `finally`. */
  enter(): void {
    this.depth++
  }

  exit(): void {
    this.depth--
    if (this.depth === 0 && this.count > 0) this.drain()
  }

  /** Whether a step, or the calls after one, are under way. */
  get busy(): boolean {
    return this.depth > 0
  }

  later(call: () => void): void {
    this.calls[this.count++] = call
    if (this.depth === 0) this.drain()
  }

  /** Starts `task`'s unstarted fiber after the step: a call without a closure, since it comes once per task. */
  startLater(task: TaskRecord<any, any>): void {
    this.calls[this.count++] = task
    if (this.depth === 0) this.drain()
  }

  private drain(): void {
    this.depth++
    try {
      for (let i = 0; i < this.count; i++) {
        const call = this.calls[i]!
        this.calls[i] = undefined
        if (typeof call === "function") call()
        else call.startFiber()
      }
    } finally {
      this.count = 0
      // a burst (interrupting a whole group) leaves no large array behind
      if (this.calls.length > 1024) this.calls = []
      this.depth--
    }
  }
}

class TaskRecord<A, E> implements TaskGroup.Task<A, E> {
  exit: Exit.Exit<A, E> | undefined = undefined
  fiber: Fiber.Fiber<unknown, unknown> | undefined = undefined
  /** Its links in its group's `RunningTasks`, set only while it runs. */
  runningBefore: TaskRecord<any, any> | undefined = undefined
  runningAfter: TaskRecord<any, any> | undefined = undefined
  isRunning = false
  observers: Array<(exit: Exit.Exit<A, E>) => void> | undefined = undefined
  constructor(
    readonly group: TaskGroupImpl<any, any>,
    readonly index: number,
    /** Kept until its fiber starts, which with a fiber made but not yet started is after the step (see `start`). */
    public effect: Effect.Effect<A, E, any> | undefined,
    readonly forker: runtime.Forker
  ) {}

  startFiber(): void {
    const effect = this.effect!
    this.effect = undefined
    // still unstarted, it may have been interrupted and ended already, which `start` sees
    if (this.fiber !== undefined) this.forker.start(this.fiber, effect)
  }

  get await(): Effect.Effect<Exit.Exit<A, E>> {
    return Effect.callback<Exit.Exit<A, E>>((resume) => {
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
    return Effect.flatten(Effect.map(this.await, (exit) => exit as Effect.Effect<A, E>))
  }
  get poll(): Effect.Effect<Option.Option<Exit.Exit<A, E>>> {
    return Effect.sync(() => Option.fromNullishOr(this.exit))
  }
  get interrupt(): Effect.Effect<void> {
    return Effect.withFiber((caller) => {
      const group = this.group
      group.steps.run(() => {
        if (this.exit !== undefined) return
        if (this.fiber !== undefined) {
          const fiber = this.fiber
          group.steps.later(() => interruptIfRunning(this, fiber, caller.id))
        } else dropQueued(group, this, caller.id)
      })
      return Effect.asVoid(this.await)
    })
  }
}

/**
 * The started tasks, in start order, as a list threaded through the tasks
 * themselves: not a `Set`, which a million adds and deletes keep rehashing
 * (see the Effect 3 edition for the memory this saves).
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

/**
 * The backlog: first in, first out, with `shift` in constant time. An
 * `Array`'s `shift` moves every element, and with a backlog of 100 that was
 * the largest single cost of a createTask loop's profile.
 */
class Backlog {
  private items: Array<TaskRecord<any, any> | undefined> = []
  private head = 0

  get length(): number {
    return this.items.length - this.head
  }

  get first(): TaskRecord<any, any> | undefined {
    return this.items[this.head]
  }

  push(task: TaskRecord<any, any>): void {
    this.items.push(task)
  }

  shift(): TaskRecord<any, any> | undefined {
    if (this.head >= this.items.length) return undefined
    const task = this.items[this.head]
    this.items[this.head++] = undefined
    if (this.head === this.items.length) {
      this.items.length = 0
      this.head = 0
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head)
      this.head = 0
    }
    return task
  }

  /** Takes `task` out wherever it waits; false if it is not here. */
  remove(task: TaskRecord<any, any>): boolean {
    const at = this.items.indexOf(task, this.head)
    if (at < 0) return false
    this.items.splice(at, 1)
    return true
  }

  /** Empties the backlog and returns what it held, in order. */
  takeAll(): Array<TaskRecord<any, any>> {
    const tasks = this.items.slice(this.head) as Array<TaskRecord<any, any>>
    this.items = []
    this.head = 0
    return tasks
  }
}

const pageBits = 12
const pageSize = 1 << pageBits
const pageMask = pageSize - 1

/**
 * Each task's value at its index, or `notASuccess` while it runs or if it
 * did not succeed, kept dense while tasks end out of order by a slot per
 * task. In pages of a fixed size, not one array: V8 regrew a single array
 * all the way to a million tasks, copying every slot so far each time, and
 * that growth was the largest single line of a task's bookkeeping in a
 * profile of `forEach`.
 */
class Values<A> {
  private readonly pages: Array<Array<A | typeof notASuccess>> = []
  private length = 0

  /** The slot of the next task, `notASuccess` until it succeeds. */
  add(): void {
    const at = this.length++ & pageMask
    if (at === 0) this.pages.push(new Array<A | typeof notASuccess>(pageSize))
    this.pages[this.pages.length - 1][at] = notASuccess
  }

  set(index: number, value: A): void {
    this.pages[index >>> pageBits][index & pageMask] = value
  }

  /** Calls `f` with every slot and its index, in index order, without copying the slots first. */
  forEach(f: (value: A | typeof notASuccess, index: number) => void): void {
    for (let index = 0; index < this.length; index++) f(this.pages[index >>> pageBits][index & pageMask], index)
  }

  /** Every slot in index order, as one new array (one argument per page: a million tasks make 245). */
  toArray(): Array<A | typeof notASuccess> {
    const pages = this.pages
    if (pages.length === 0) return []
    const last = pages.length - 1
    const parts = pages.slice(0, last)
    parts.push(pages[last].slice(0, this.length - last * pageSize))
    return ([] as Array<A | typeof notASuccess>).concat(...parts)
  }
}

const variance = { _A: (_: any) => _, _E: (_: any) => _ }

/**
 * Checks the numeric options once, at `make`: a value no comparison can
 * order (NaN), a fraction, a negative count or an infinite one would leave
 * tasks neither started nor queued, so it is a defect here, never a hang
 * later.
 */
const validate = (options: TaskGroup.TaskGroupOptions): void => {
  const { backlog, concurrency } = options
  if (
    concurrency !== undefined && concurrency !== "unbounded" &&
    !(Number.isSafeInteger(concurrency) && concurrency >= 1)
  ) {
    throw new RangeError(
      `TaskGroup: concurrency must be a whole number of at least 1 or "unbounded", got ${String(concurrency)}`
    )
  }
  if (backlog !== undefined && !(Number.isSafeInteger(backlog) && backlog >= 0)) {
    throw new RangeError(`TaskGroup: backlog must be a whole number of at least 0, got ${String(backlog)}`)
  }
}

/**
 * The group's state: a class, so that V8 keeps its many fields in a fixed
 * shape rather than a dictionary.
 *
 * @internal
 */
export class TaskGroupImpl<A, E> implements TaskGroup.TaskGroup<A, E> {
  readonly [TypeId] = variance
  /** `open` takes tasks; `closing` runs what it has until idle; `closed` is the end. */
  phase: "open" | "closing" | "closed" = "open"
  /** Set once, when the group interrupts everything it holds: a failure under `interrupt`, or an aborted scope. */
  interrupting = false
  readonly steps = new Steps()
  readonly strategy: TaskGroup.FailureStrategy
  /** The group's own permits, when it made them itself; `undefined` with a shared semaphore or no bound. */
  readonly capacity: number | undefined
  free: number
  readonly semaphore: Semaphore.Semaphore | undefined
  /** How many admitted tasks may wait for a permit before `createTask` itself waits. */
  readonly backlog: number
  readonly lowWater: number
  /** Admitted tasks waiting for a permit, in creation order. */
  readonly queued = new Backlog()
  /** `createTask` calls waiting for room, first come first served. */
  readonly producers: Array<Producer> = []
  /** `forEach` calls whose items are taken as permits free up. */
  readonly sources: Array<Source> = []
  /** Started tasks, in start order, which is creation order. */
  readonly running = new RunningTasks()
  /** With a shared semaphore: how to stop waiting for a permit, while the group waits for one. */
  stopWaitingForPermit: (() => void) | undefined = undefined
  readonly forker: runtime.Forker
  /** The forker of the latest caller, which the next call of the same caller reuses. */
  lastForker: runtime.Forker | undefined = undefined
  readonly interruptAs: number
  /** When results are collected: each task's value at its index, or `notASuccess` while it runs or if it did not succeed. */
  readonly values: Values<A> | undefined
  /** When results are collected: the exits of tasks that ended other than in success. */
  readonly otherExits: Map<number, Exit.Exit<A, E>> | undefined
  /** Failures in completion order; kept even without result collection. */
  readonly failureLog: Array<TaskGroup.TaskFailure<E>> = []
  /** Under the `interrupt` strategy, the causes that failed the group. */
  readonly groupFailures: Array<Cause.Cause<E>> = []
  readonly joiners: Array<{ readonly upTo: number; readonly resume: () => void }> = []
  readonly idleWaiters: Array<() => void> = []
  readonly statsFeeds = new Set<Feed<TaskGroup.Stats>>()
  readonly completionFeeds = new Set<Feed<TaskGroup.TaskExit<A, E>>>()
  created = 0
  succeeded = 0
  failed = 0
  interrupted = 0

  constructor(options: TaskGroup.TaskGroupOptions, owner: runtime.AnyFiber) {
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
    this.interruptAs = owner.id
    this.values = options.collectResults === false ? undefined : new Values()
    this.otherExits = options.collectResults === false ? undefined : new Map()
  }

  toString(): string {
    return Inspectable.toStringUnknown(this.toJSON())
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
  const error = new TaskGroupClosedError({ reason: state === "open" ? "closing" : state })
  refusedBy.set(error, group)
  return error
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
  return group.queued.length > 0 ? group.queued.first!.index : group.created
}

const isIdle = (group: TaskGroupImpl<any, any>): boolean => group.running.size === 0 && group.queued.length === 0

/** Wakes every `join` whose tasks have all ended, and every wait for idleness once nothing is left. */
const settle = (group: TaskGroupImpl<any, any>): void => {
  if (group.joiners.length > 0) {
    const lowest = lowestLive(group)
    for (let i = group.joiners.length - 1; i >= 0; i--) {
      const joiner = group.joiners[i]
      if (joiner.upTo <= lowest) {
        group.joiners.splice(i, 1)
        group.steps.later(joiner.resume)
      }
    }
  }
  if (group.idleWaiters.length > 0 && isIdle(group) && group.producers.length === 0) {
    for (const resume of group.idleWaiters.splice(0)) group.steps.later(resume)
  }
}

const admit = <A, E>(group: TaskGroupImpl<any, any>, effect: Effect.Effect<A, E, any>, forker: runtime.Forker) => {
  const task = new TaskRecord<A, E>(group, group.created++, effect, forker)
  group.values?.add()
  return task
}

/**
 * A task's life begins: it holds a permit (or needs none), and its fiber is
 * forked and registered in the same step, so that nothing can see the one
 * without the other. A task created by `createTask` or `forEach` starts on
 * the scheduler, after its caller's step, as `Effect.forkChild` starts a
 * fiber. A task that takes the permit another task freed starts right
 * after that task's exit step, as `Effect.forEach` starts its next item;
 * its code never runs inside a step of the group.
 */
const start = (group: TaskGroupImpl<any, any>, task: TaskRecord<any, any>, when: "scheduled" | "afterStep"): void => {
  const runner = group.capacity !== undefined && task.forker.reusable && runtime.canLoop()
    ? new TaskRunner(group, task)
    : undefined
  const effect = runner === undefined ? task.effect! : runtime.loopOf(task.effect!, runner.ended)
  const fiber = when === "scheduled" ? task.forker.fork(effect) : task.forker.forkUnstarted(effect)
  task.fiber = fiber
  if (runner !== undefined) runner.fiber = fiber
  group.running.add(task)
  runtime.observe(fiber, runner === undefined ? (exit) => onTaskExit(group, task, exit) : runner.fiberEnded)
  if (when === "scheduled") {
    task.effect = undefined
  } else {
    task.effect = effect
    group.steps.startLater(task)
  }
}

/**
 * The fiber of a task in a group with its own permits, which may go on to
 * run the next task of the same caller instead of ending and leaving it a
 * new fiber: a fiber and its start and end are most of what a task costs.
 * It does so only when the fiber is exactly as it was forked (see
 * `runtime.isAsForked`) and the group can hand it the next task in a step
 * of its own (see `takeOver`); otherwise the fiber ends as a fiber per task
 * would, and the next task gets a fresh one. The fiber then ends as its
 * last task ended, for its observer to record.
 */
class TaskRunner {
  fiber: Fiber.Fiber<unknown, unknown> | undefined = undefined
  constructor(readonly group: TaskGroupImpl<any, any>, public current: TaskRecord<any, any>) {}

  readonly ended = (exit: Exit.Exit<unknown, unknown>): Effect.Effect<unknown, unknown, any> | undefined => {
    const task = this.current
    const fiber = this.fiber!
    const next = runtime.isAsForked(fiber, task.forker) ? takeOver(this.group, task, exit, fiber) : undefined
    if (next === undefined) return undefined
    this.current = next
    const effect = next.effect
    next.effect = undefined
    return effect
  }

  readonly fiberEnded = (exit: Exit.Exit<any, any>): void => onTaskExit(this.group, this.current, exit)
}

/**
 * Ends `task` and hands its fiber and permit to the next task when that one
 * comes from the same caller; `undefined` when it cannot. Only from outside
 * any step and its calls: then the next task starts right after this step,
 * as it would on a fiber of its own, and never between the calls another
 * step left, one of which may be an interrupt of `task` itself (scenario
 * "an interrupt asked for as a task ends never reaches the task its fiber
 * runs next"; `interruptIfRunning` guards the same, and the scenario fails
 * only with both guards gone). A failure that fails the group ends the
 * fiber with the task, as a fiber per task would.
 */
const takeOver = (
  group: TaskGroupImpl<any, any>,
  task: TaskRecord<any, any>,
  exit: Exit.Exit<any, any>,
  fiber: Fiber.Fiber<unknown, unknown>
): TaskRecord<any, any> | undefined => {
  if (
    group.steps.busy || group.interrupting ||
    (group.strategy === "interrupt" && Exit.isFailure(exit) && runtime.exitKind(exit) === "failed")
  ) return undefined
  group.steps.enter()
  try {
    const next = nextToStart(group, task.forker)
    if (next === undefined) return undefined
    group.running.delete(task)
    task.fiber = undefined
    record(group, task, exit)
    next.fiber = fiber
    group.running.add(next)
    admitProducers(group)
    notifyStats(group)
    settle(group)
    return next
  } finally {
    group.steps.exit()
  }
}

/** Interrupts `task` on `fiber`, unless it has ended since the interrupt was asked for. */
const interruptIfRunning = (task: TaskRecord<any, any>, fiber: Fiber.Fiber<unknown, unknown>, as: number): void => {
  if (task.fiber === fiber) runtime.interruptNow(fiber, as)
}

/** A task's life ends: its fiber and every fiber it forked are done. */
const onTaskExit = (group: TaskGroupImpl<any, any>, task: TaskRecord<any, any>, exit: Exit.Exit<any, any>): void => {
  group.steps.enter()
  try {
    group.running.delete(task)
    task.fiber = undefined
    record(group, task, exit)
    passPermitOn(group)
    notifyStats(group)
    settle(group)
  } finally {
    group.steps.exit()
  }
}

const record = <A, E>(group: TaskGroupImpl<A, E>, task: TaskRecord<A, E>, exit: Exit.Exit<A, E>): void => {
  const index = task.index
  task.exit = exit
  if (Exit.isSuccess(exit)) {
    group.values?.set(index, exit.value)
    group.succeeded++
  } else {
    group.otherExits?.set(index, exit)
    if (runtime.exitKind(exit) === "interrupted") {
      group.interrupted++
    } else {
      group.failed++
      const cause = exit.cause
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
  if (task.observers !== undefined) {
    for (const observer of task.observers.splice(0)) group.steps.later(() => observer(exit))
  }
  if (group.completionFeeds.size > 0) {
    const completion: TaskGroup.TaskExit<A, E> = { index, exit }
    for (const feed of group.completionFeeds) feed.push(completion)
  }
}

/** An admitted task that never started is interrupted where it waits, and never runs. */
const dropQueued = (group: TaskGroupImpl<any, any>, task: TaskRecord<any, any>, as: number): void => {
  if (!group.queued.remove(task)) return
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
    const resume = producer.resume!
    group.steps.later(() => resume(Effect.succeed(task)))
  }
}

/**
 * The next task that a freed permit should go to: the oldest queued task,
 * else a waiting `createTask` call (whose task is admitted and started at
 * once, as with a backlog of 0), else the next item of a `forEach`. With
 * `sameCallerAs`, only if that next one is of that caller (see `takeOver`).
 */
const nextToStart = (
  group: TaskGroupImpl<any, any>,
  sameCallerAs?: runtime.Forker
): TaskRecord<any, any> | undefined => {
  if (group.interrupting) return undefined
  if (group.queued.length > 0) {
    return sameCallerAs === undefined || group.queued.first!.forker === sameCallerAs ? group.queued.shift() : undefined
  }
  if (group.phase !== "open") return undefined
  // checked first: a `shift` of the empty line, once per task of a `forEach`, showed in its profile
  if (group.producers.length > 0) {
    if (sameCallerAs !== undefined && group.producers[0].forker !== sameCallerAs) return undefined
    const producer = group.producers.shift()!
    const task = admit(group, producer.effect, producer.forker)
    const resume = producer.resume!
    group.steps.later(() => resume(Effect.succeed(task)))
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
 * used up. An iterator that throws answers its `forEach` with that defect,
 * and the group goes on without it.
 */
const takeFrom = (group: TaskGroupImpl<any, any>, source: Source): TaskRecord<any, any> | undefined => {
  let item: Effect.Effect<any, any, any> | undefined
  try {
    item = source.next()
  } catch (defect) {
    endSource(group, source, Effect.die(defect))
    return undefined
  }
  if (item === undefined) {
    endSource(group, source, Effect.void)
    return undefined
  }
  return admit(group, item, source.forker)
}

const endSource = (
  group: TaskGroupImpl<any, any>,
  source: Source,
  outcome: Effect.Effect<void, TaskGroup.TaskGroupClosedError>
): void => {
  const at = group.sources.indexOf(source)
  if (at < 0) return
  group.sources.splice(at, 1)
  group.steps.later(() => source.resume(outcome))
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
    else start(group, next, "afterStep")
    admitProducers(group)
  } else if (group.semaphore !== undefined) {
    const semaphore = group.semaphore
    group.forker.runSync(semaphore.release(1))
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
  start(group, next, "afterStep")
  admitProducers(group)
}

/**
 * With a shared semaphore, takes permits for the queue and the waiting
 * callers while they need one: at once while permits are free, then by
 * waiting for one (see `runtime.awaitPermit`), which hands its permit over
 * in the same step as it is taken.
 */
const servePermits = (group: TaskGroupImpl<any, any>): void => {
  const semaphore = group.semaphore!
  while (group.stopWaitingForPermit === undefined && needsPermit(group)) {
    if (runtime.tryTakePermit(semaphore, group.forker)) {
      usePermit(group)
      continue
    }
    group.stopWaitingForPermit = runtime.awaitPermit(semaphore, group.forker, () =>
      group.steps.run(() => {
        group.stopWaitingForPermit = undefined
        usePermit(group)
        servePermits(group)
        notifyStats(group)
        settle(group)
      }))
  }
}

/** Stops waiting for a permit once nothing needs one, so a closed group leaves nothing in the semaphore. */
const stopWaitingIfUnneeded = (group: TaskGroupImpl<any, any>): void => {
  if (group.stopWaitingForPermit === undefined || needsPermit(group)) return
  const stop = group.stopWaitingForPermit
  group.stopWaitingForPermit = undefined
  group.steps.later(stop)
}

const refuseProducers = (group: TaskGroupImpl<any, any>): void => {
  if (group.producers.length === 0 && group.sources.length === 0) return
  const refused = Effect.fail(closedError(group))
  for (const producer of group.producers.splice(0)) {
    const resume = producer.resume!
    group.steps.later(() => resume(refused))
  }
  for (const source of group.sources.splice(0)) group.steps.later(() => source.resume(refused))
  stopWaitingIfUnneeded(group)
}

/**
 * The group stops everything it holds: waiting callers are refused, queued
 * tasks are interrupted where they wait, running tasks are interrupted, and
 * the group stops waiting for permits. The state changes are made in this
 * step; the interrupts, which end tasks inline, run right after it.
 */
const interruptEverything = (group: TaskGroupImpl<any, any>): void => {
  if (group.interrupting) return
  group.interrupting = true
  refuseProducers(group)
  for (const task of group.queued.takeAll()) {
    task.effect = undefined
    record(group, task, Exit.interrupt(group.interruptAs))
  }
  for (const task of group.running.toArray()) {
    const fiber = task.fiber!
    group.steps.later(() => interruptIfRunning(task, fiber, group.interruptAs))
  }
  stopWaitingIfUnneeded(group)
  notifyStats(group)
  settle(group)
}

/** Waits until no task is left and nobody waits to create one. */
const awaitIdle = (group: TaskGroupImpl<any, any>): Effect.Effect<void> =>
  Effect.callback<void>((resume) => {
    const idle = group.steps.run(() => {
      if (isIdle(group) && group.producers.length === 0) return true
      group.idleWaiters.push(() => resume(Effect.void))
      return false
    })
    if (idle) resume(Effect.void)
  })

const close = (group: TaskGroupImpl<any, any>, scopeExit: Exit.Exit<unknown, unknown>): Effect.Effect<void> =>
  Effect.suspend(() => {
    group.steps.run(() => {
      if (group.phase === "open") {
        group.phase = "closing"
        refuseProducers(group)
        notifyStats(group)
      }
      if (Exit.isFailure(scopeExit)) interruptEverything(group)
    })
    return Effect.map(awaitIdle(group), () =>
      group.steps.run(() => {
        group.phase = "closed"
        const final = snapshot(group)
        for (const feed of group.statsFeeds) {
          feed.push(final)
          feed.end()
        }
        for (const feed of group.completionFeeds) feed.end()
        group.statsFeeds.clear()
        group.completionFeeds.clear()
      }))
  })

/** @internal */
export const make = <A = unknown, E = never>(
  options: TaskGroup.TaskGroupOptions = {}
): Effect.Effect<TaskGroup.TaskGroup<A, E>, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.withFiber<TaskGroupImpl<A, E>>((fiber) => {
      try {
        validate(options)
      } catch (defect) {
        return Effect.die(defect)
      }
      return Effect.succeed(new TaskGroupImpl<A, E>(options, fiber))
    }),
    close
  )

/**
 * `createTask`'s step, on the fiber that runs it: as `Effect.withFiber`, and
 * in a createTask loop right inside its `Effect.gen` step (see
 * `runtime.fiberStep`).
 */
const createTaskStep = runtime.fiberStep((
  self: TaskGroup.TaskGroup<any, any>,
  effect: Effect.Effect<any, any, any>,
  caller
): Effect.Effect<TaskRecord<any, any>, TaskGroup.TaskGroupClosedError> => {
  const group = impl(self)
  const forker = group.lastForker = runtime.forkerOf(caller, group.lastForker)
  let now: Effect.Effect<TaskRecord<any, any>, TaskGroup.TaskGroupClosedError> | undefined
  group.steps.enter()
  try {
    now = admitNow(group, effect, forker)
  } finally {
    group.steps.exit()
  }
  if (now !== undefined) return now
  const producer = new Producer(effect, forker)
  return Effect.onExit(
    // The register function decides again: the group may have changed in the ops since.
    Effect.callback<TaskRecord<any, any>, TaskGroup.TaskGroupClosedError>((resume) => {
      const again = group.steps.run(() => {
        const again = admitNow(group, effect, forker)
        if (again !== undefined) return again
        producer.resume = resume
        group.producers.push(producer)
        if (group.semaphore !== undefined) servePermits(group)
        notifyStats(group)
        return undefined
      })
      if (again !== undefined) resume(again)
    }),
    () => Effect.sync(() => group.steps.run(() => leaveLine(group, producer)))
  )
})

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
) => createTaskStep(self, effect) as Effect.Effect<TaskGroup.Task<XA, XE>, TaskGroup.TaskGroupClosedError, R>)

/** A waiting `createTask` call that was interrupted gives up its place. */
const leaveLine = (group: TaskGroupImpl<any, any>, producer: Producer): void => {
  const at = group.producers.indexOf(producer)
  if (at < 0) return
  group.producers.splice(at, 1)
  stopWaitingIfUnneeded(group)
  notifyStats(group)
  settle(group)
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
    start(group, task, "scheduled")
    notifyStats(group)
    return Effect.succeed(task)
  }
  if (
    group.queued.length === 0 &&
    (group.semaphore === undefined ? group.free > 0 : runtime.tryTakePermit(group.semaphore, group.forker))
  ) {
    if (group.semaphore === undefined) group.free--
    const task = admit<A, E>(group, effect, forker)
    start(group, task, "scheduled")
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

const failIfFailed = (group: TaskGroupImpl<any, any>): Effect.Effect<void, any> =>
  Effect.suspend(() => {
    const [first, ...rest] = group.groupFailures
    return first === undefined ? Effect.void : Effect.failCause(runtime.combineCauses([first, ...rest]))
  })

/** @internal */
export const join = <A, E>(self: TaskGroup.TaskGroup<A, E>): Effect.Effect<void, E> =>
  Effect.suspend(() => {
    const group = impl(self)
    const upTo = group.created
    return Effect.andThen(
      Effect.callback<void>((resume) => {
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

/** A copy, without a per-value callback when every task ended in success (no task runs and none failed). */
const resultsOf = <A>(self: TaskGroup.TaskGroup<A, any>): Array<A> => {
  const group = impl(self)
  const values = group.values
  if (values === undefined) return []
  if (group.otherExits!.size === 0 && group.running.size === 0 && group.queued.length === 0) {
    return values.toArray() as Array<A>
  }
  const successes: Array<A> = []
  values.forEach((value) => {
    if (value !== notASuccess) successes.push(value)
  })
  return successes
}

const failuresOf = <E>(self: TaskGroup.TaskGroup<any, E>): Array<TaskGroup.TaskFailure<E>> =>
  impl(self).failureLog.slice().sort((a, b) => a.index - b.index)

/** @internal */
export const exits = <A, E>(self: TaskGroup.TaskGroup<A, E>): Effect.Effect<ReadonlyArray<TaskGroup.TaskExit<A, E>>> =>
  Effect.sync(() => exitsOf(self))

/** @internal */
export const results = <A, E>(self: TaskGroup.TaskGroup<A, E>): Effect.Effect<ReadonlyArray<A>> =>
  Effect.sync(() => resultsOf(self))

/** @internal */
export const failures = <A, E>(
  self: TaskGroup.TaskGroup<A, E>
): Effect.Effect<ReadonlyArray<TaskGroup.TaskFailure<E>>> => Effect.sync(() => failuresOf(self))

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
  Stream.unwrap(
    Effect.map(
      Effect.acquireRelease(
        Effect.sync(() =>
          group.steps.run(() => {
            const feed = new Feed<A>(conflate, group.steps)
            for (const item of first()) feed.push(item)
            if (group.phase === "closed") feed.end()
            else feeds.add(feed)
            return feed
          })
        ),
        (feed) => Effect.sync(() => feeds.delete(feed))
      ),
      (feed) => Stream.fromPull(Effect.succeed(feed.pull))
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
 * The summary of a closed group, which can no longer change. The exits are
 * built when first read: most callers want only the results, and a million
 * `Exit`s would double the memory a big group ends with.
 */
const summarize = <A, E>(group: TaskGroup.TaskGroup<A, E>): TaskGroup.Summary<A, E> => {
  let exits: ReadonlyArray<TaskGroup.TaskExit<A, E>> | undefined
  return {
    results: resultsOf(group),
    failures: failuresOf(group),
    stats: snapshot(impl(group)),
    get exits() {
      return exits ??= exitsOf(group)
    }
  }
}

/**
 * The cause of a body that the group's failure did not stop, as `run`
 * reports it: no `TaskGroupClosedError` is a failure `run`'s type admits
 * (another group's, or the group's own beside another failure), so each
 * becomes a defect.
 */
const closedErrorsAsDefects = (cause: Cause.Cause<unknown>): Cause.Cause<unknown> =>
  CauseModule.fromReasons(
    cause.reasons.map((reason) =>
      CauseModule.isFailReason(reason) && Predicate.isTagged(reason.error, "TaskGroupClosedError")
        ? CauseModule.makeDieReason(reason.error)
        : reason
    )
  )

/** @internal */
export const run = <A, E, X, E2, R>(
  body: (group: TaskGroup.TaskGroup<A, E>) => Effect.Effect<X, E2, R>,
  options?: TaskGroup.TaskGroupOptions
): Effect.Effect<TaskGroup.Summary<A, E>, E | Exclude<E2, TaskGroup.TaskGroupClosedError>, R> =>
  Effect.flatMap(
    Effect.scoped(Effect.flatMap(make<A, E>(options), (self) => {
      const group = impl(self)
      return Effect.flatMap(Effect.exit(body(group)), (bodyExit) => {
        // A body stopped by the group's own failure reports that failure, as join does.
        const stoppedByGroup = Exit.isFailure(bodyExit) && group.groupFailures.length > 0 &&
          runtime.failuresOf(bodyExit.cause).every((error) => refusedBy.get(error as object) === group)
        if (Exit.isFailure(bodyExit) && !stoppedByGroup) {
          return Effect.failCause(closedErrorsAsDefects(bodyExit.cause) as Cause.Cause<never>)
        }
        // every task, those created by tasks included, has ended before the scope closes
        return Effect.as(awaitIdle(group), group)
      })
    })),
    // the group is closed: its summary can no longer change
    (group) => Effect.as(failIfFailed(group), summarize<A, E>(group))
  )

/**
 * Creates a task per item, in item order. In a group with its own permits
 * the items are taken as permits free up (see `Source`); otherwise it is a
 * `createTask` loop. Either way the iterator is advanced inside the group's
 * steps, never ahead of them, and it is closed (`return()`, as `for…of`
 * does) when `forEach` stops before the items are used up.
 *
 * @internal
 */
export const feed = <I, A, E, R>(
  self: TaskGroup.TaskGroup<A, E>,
  items: Iterable<I>,
  f: (item: I, index: number) => Effect.Effect<A, E, R>
): Effect.Effect<void, TaskGroup.TaskGroupClosedError, R> => {
  const group = impl(self)
  return Effect.suspend(() => {
    let iterator: Iterator<I>
    try {
      iterator = items[Symbol.iterator]()
    } catch (defect) {
      return Effect.die(defect)
    }
    let done = false
    let index = 0
    /*
     * The task effect itself, not an IteratorResult around it. `f` is called
     * as the item is taken, as a createTask loop calls it, and not behind an
     * `Effect.suspend`: that suspension was an effect and a closure more per
     * item, and an eighth of `forEach`'s instructions. A throw of `f` is
     * still that item's task dying, not the whole `forEach`.
     */
    const next = (): Effect.Effect<A, E, R> | undefined => {
      const item = iterator.next()
      if (item.done === true) {
        done = true
        return undefined
      }
      try {
        return f(item.value, index++)
      } catch (defect) {
        return Effect.die(defect)
      }
    }
    const closeEarly = Effect.sync(() => {
      if (done) return
      done = true
      iterator.return?.()
    })
    const loop: Effect.Effect<void, TaskGroup.TaskGroupClosedError, R> = group.capacity === undefined
      ? Effect.suspend(function step(): Effect.Effect<void, TaskGroup.TaskGroupClosedError, R> {
        const item = next()
        return item === undefined ? Effect.void : Effect.flatMap(createTask(self, item), step)
      })
      : takeAsPermitsFree(group, next)
    // an iterator that threw is not closed: like `for…of`, only one that stopped early is
    return Effect.onExit(loop, (exit) => {
      if (Exit.isSuccess(exit) || CauseModule.hasDies(exit.cause)) return Effect.void
      return closeEarly
    })
  })
}

const takeAsPermitsFree = <A, E, R>(
  group: TaskGroupImpl<any, any>,
  next: () => Effect.Effect<A, E, R> | undefined
): Effect.Effect<void, TaskGroup.TaskGroupClosedError, R> =>
  Effect.withFiber<void, TaskGroup.TaskGroupClosedError, R>((caller) => {
    const forker = group.lastForker = runtime.forkerOf(caller, group.lastForker)
    return Effect.callback<void, TaskGroup.TaskGroupClosedError>((resume) => {
      let source: Source | undefined
      const answer = group.steps.run(() => {
        if (!takesTasks(group)) return Effect.fail(closedError(group))
        source = { forker, next, resume }
        group.sources.push(source)
        // in line behind any waiting createTask, as a loop would be
        while (group.free > 0 && group.queued.length === 0 && group.producers.length === 0) {
          const task = takeFrom(group, source)
          if (task === undefined) break
          group.free--
          start(group, task, "scheduled")
        }
        notifyStats(group)
        return undefined
      })
      if (answer !== undefined) return resume(answer)
      return Effect.sync(() =>
        group.steps.run(() => {
          const at = group.sources.indexOf(source!)
          if (at >= 0) group.sources.splice(at, 1)
        })
      )
    })
  })

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
    joiners: group.joiners.length + group.sources.length + group.idleWaiters.length,
    subscribers: group.statsFeeds.size + group.completionFeeds.size
  }
}
