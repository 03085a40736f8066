/**
 * A `TaskGroup` runs many effects concurrently under one owner: a `Scope`
 * that bounds their lifetime and a `Semaphore` that bounds how many run at
 * once. This is the edition for Effect 4; `@volley/taskgroup` is the same
 * TaskGroup for Effect 3.
 *
 * `createTask` starts a task when a permit is free, queues it in a bounded
 * backlog when none is, and waits when the backlog is full, so a plain loop
 * that spawns a million tasks holds only `concurrency + backlog` of them in
 * memory.
 * Every task's outcome is recorded against the index it was created with, and
 * what a failure does is the group's failure strategy: `collect` records it
 * and carries on, `interrupt` stops every sibling and fails the group.
 *
 * @since 0.1.0
 */
import type * as Cause from "effect/Cause"
import type * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import type * as Inspectable from "effect/Inspectable"
import type * as Option from "effect/Option"
import type { Pipeable } from "effect/Pipeable"
import type * as Scope from "effect/Scope"
import type * as Semaphore from "effect/Semaphore"
import type * as Stream from "effect/Stream"
import type * as Types from "effect/Types"
import * as internal from "./internal/taskGroup.js"

/**
 * @since 0.1.0
 * @category type ids
 */
export const TypeId: unique symbol = internal.TypeId

/**
 * @since 0.1.0
 * @category type ids
 */
export type TypeId = typeof TypeId

/**
 * A group of tasks that succeed with `A` or fail with `E`.
 *
 * @since 0.1.0
 * @category models
 */
export interface TaskGroup<in out A, in out E = never> extends Pipeable, Inspectable.Inspectable {
  readonly [TypeId]: {
    readonly _A: Types.Invariant<A>
    readonly _E: Types.Invariant<E>
  }
}

/**
 * What a failing task does to its group.
 *
 * - `"collect"` (the default): the failure is recorded with its task's index
 *   and logged at warning level; siblings and the group carry on.
 * - `"interrupt"`: the first failure interrupts every running task and every
 *   `createTask` waiting for a permit, and the group fails with the causes of
 *   all the tasks that failed.
 *
 * @since 0.1.0
 * @category models
 */
export type FailureStrategy = "collect" | "interrupt"

/**
 * How a group is built.
 *
 * @since 0.1.0
 * @category models
 */
export interface TaskGroupOptions {
  /**
   * At most this many tasks run at once, a whole number of at least 1;
   * `"unbounded"` (the default) sets no limit.
   */
  readonly concurrency?: number | "unbounded" | undefined
  /**
   * A semaphore of the caller's, which several groups may share; it takes
   * precedence over `concurrency`. Each task holds one permit while it runs.
   */
  readonly semaphore?: Semaphore.Semaphore | undefined
  /**
   * Keep every task's `Exit` (the default). Turn it off for huge or endless
   * groups: memory then stays flat in the number of tasks, and only failures
   * are kept.
   */
  readonly collectResults?: boolean | undefined
  /** What a failing task does; `"collect"` by default. */
  readonly strategy?: FailureStrategy | undefined
  /**
   * How many created tasks may wait in the group for a permit. While there
   * is room, `createTask` returns at once with the task queued; when the
   * backlog is full it waits, and it is woken once the backlog has drained to
   * half, so a producer loop suspends once per half a backlog rather than
   * once per task. `0` gives Pulsefire's behaviour: `createTask` returns only
   * once its task holds a permit.
   *
   * Defaults to `concurrency` when the group makes its own permits, and to
   * `0` with a shared `semaphore`, where the group cannot know how many
   * permits will come its way. Unbounded groups start every task at once.
   */
  readonly backlog?: number | undefined
}

/**
 * A handle to a task: the index it was created with, and ways to wait for it
 * or stop it. Each task runs on a fiber of its own, forked as if by the fiber
 * that called `createTask`, with that call's context (its services and
 * references: annotations, span, log level, scheduler), but owned by the
 * group and always interruptible by it. A task that `createTask` starts at
 * once starts on the scheduler, after the call's step; one that waited
 * starts right after the task whose permit it takes has ended, as
 * `Effect.forEach` starts its next item. No fiber is reused, so nothing of
 * one task reaches another.
 * Fibers the task forks are its children, interrupted when it ends.
 *
 * @since 0.1.0
 * @category models
 */
export interface Task<A, E> {
  readonly index: number
  /** Waits for the task to end, with its `Exit`. */
  readonly await: Effect.Effect<Exit.Exit<A, E>>
  /** Waits for the task to end, with its value or its failure. */
  readonly join: Effect.Effect<A, E>
  /** The task's `Exit` if it has ended. */
  readonly poll: Effect.Effect<Option.Option<Exit.Exit<A, E>>>
  /** Interrupts this task alone, and waits for it to end; a task still queued never runs. */
  readonly interrupt: Effect.Effect<void>
}

/**
 * How one task ended, paired with the index it was created with.
 *
 * @since 0.1.0
 * @category models
 */
export interface TaskExit<A, E> {
  readonly index: number
  readonly exit: Exit.Exit<A, E>
}

/**
 * A task that failed (with a typed error or a defect, not by interruption),
 * with its full `Cause`.
 *
 * @since 0.1.0
 * @category models
 */
export interface TaskFailure<E> {
  readonly index: number
  readonly cause: Cause.Cause<E>
}

/**
 * Live counters of a group.
 *
 * @since 0.1.0
 * @category models
 */
export interface Stats {
  /** Tasks created so far: every index handed out. */
  readonly created: number
  /** Created tasks waiting in the backlog for a permit; they have not started. */
  readonly queued: number
  /** Tasks started and not yet ended; never more than the permits. */
  readonly running: number
  /** `createTask` calls suspended until the group has room for their task. */
  readonly waiting: number
  readonly succeeded: number
  readonly failed: number
  readonly interrupted: number
}

/**
 * Everything a finished group has to say.
 *
 * @since 0.1.0
 * @category models
 */
export interface Summary<A, E> {
  /** The successes, in creation order. */
  readonly results: ReadonlyArray<A>
  /** The failures, in creation order, each with its task's index. */
  readonly failures: ReadonlyArray<TaskFailure<E>>
  /** Every recorded task's exit, in creation order (empty when results are not collected). */
  readonly exits: ReadonlyArray<TaskExit<A, E>>
  readonly stats: Stats
}

/**
 * `createTask` on a group that no longer takes tasks: it is shutting down,
 * closed, or failed under the `interrupt` strategy. No permit is taken.
 *
 * @since 0.1.0
 * @category errors
 */
export interface TaskGroupClosedError extends Cause.YieldableError {
  readonly _tag: "TaskGroupClosedError"
  readonly reason: "closing" | "closed" | "failed"
}

/**
 * @since 0.1.0
 * @category errors
 */
export const TaskGroupClosedError: new(
  args: { readonly reason: TaskGroupClosedError["reason"] }
) => TaskGroupClosedError = internal.TaskGroupClosedError

/**
 * @since 0.1.0
 * @category refinements
 */
export const isTaskGroup: (u: unknown) => u is TaskGroup<unknown, unknown> = internal.isTaskGroup

/**
 * Makes a group that lives as long as the current `Scope`.
 *
 * When the scope closes normally, it waits for every task, queued ones
 * included. When it closes with a failure or an interruption, it interrupts
 * every task (all at once, queued ones where they wait) and waits for them.
 * No task outlives its group.
 *
 * Invalid numbers (`NaN`, a fraction, a `concurrency` below 1, a negative
 * `backlog`, `Infinity` for either) make `make` die with a `RangeError`
 * that names the option: never a group that hangs later.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { TaskGroup } from "@volley/taskgroup-effect4"
 *
 * const program = Effect.scoped(
 *   Effect.gen(function*() {
 *     const group = yield* TaskGroup.make<number, string>({ concurrency: 10 })
 *     for (let i = 0; i < 100; i++) {
 *       yield* TaskGroup.createTask(group, Effect.succeed(i * i))
 *     }
 *     yield* TaskGroup.join(group)
 *     return yield* TaskGroup.results(group)
 *   })
 * )
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: <A = unknown, E = never>(
  options?: TaskGroupOptions
) => Effect.Effect<TaskGroup<A, E>, never, Scope.Scope> = internal.make

/**
 * Creates a task owned by the group for `effect` and returns its handle. The
 * task starts at once when a permit is free; otherwise it is queued in the
 * group's backlog, and it starts, in creation order, when a permit frees up.
 * When the backlog is full, `createTask` waits for room (with `backlog: 0`,
 * until the task holds a permit). Fails with `TaskGroupClosedError`, creating
 * nothing, when the group no longer takes tasks — including while it waits.
 * If the call is interrupted while it waits, no task is created, unless room
 * came in that same instant (as with a bounded `Queue.offer`): the task then
 * counts as created, runs, and its outcome is recorded like any other.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { TaskGroup } from "@volley/taskgroup-effect4"
 *
 * const program = Effect.scoped(
 *   Effect.gen(function*() {
 *     const group = yield* TaskGroup.make<string>({ concurrency: 2 })
 *     const task = yield* group.pipe(TaskGroup.createTask(Effect.succeed("hello")))
 *     return task.index // 0
 *   })
 * )
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const createTask: {
  <A, E, XA extends A, XE extends E, R>(
    effect: Effect.Effect<XA, XE, R>
  ): (self: TaskGroup<A, E>) => Effect.Effect<Task<XA, XE>, TaskGroupClosedError, R>
  <A, E, XA extends A, XE extends E, R>(
    self: TaskGroup<A, E>,
    effect: Effect.Effect<XA, XE, R>
  ): Effect.Effect<Task<XA, XE>, TaskGroupClosedError, R>
} = internal.createTask

/**
 * Waits until every task created before the call has ended, queued ones
 * included; tasks created afterwards do not hold it up, so a busy producer
 * cannot starve it. Under the `interrupt` strategy it then fails with the
 * causes of the tasks that failed the group. The group stays open: more tasks
 * may follow, and `join` may be called again.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { TaskGroup } from "@volley/taskgroup-effect4"
 *
 * const program = Effect.scoped(
 *   Effect.gen(function*() {
 *     const group = yield* TaskGroup.make<number>({ concurrency: 4 })
 *     yield* TaskGroup.createTask(group, Effect.succeed(1))
 *     yield* TaskGroup.join(group)
 *     yield* TaskGroup.createTask(group, Effect.succeed(2))
 *     yield* TaskGroup.join(group)
 *     return yield* TaskGroup.results(group) // [1, 2]
 *   })
 * )
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const join: <A, E>(self: TaskGroup<A, E>) => Effect.Effect<void, E> = internal.join

/**
 * The successes recorded so far, in creation order.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { TaskGroup } from "@volley/taskgroup-effect4"
 *
 * const program = Effect.scoped(
 *   Effect.gen(function*() {
 *     const group = yield* TaskGroup.make<number, string>()
 *     yield* TaskGroup.createTask(group, Effect.succeed(1))
 *     yield* TaskGroup.createTask(group, Effect.fail("nope"))
 *     yield* TaskGroup.join(group)
 *     return yield* TaskGroup.results(group) // [1]
 *   })
 * )
 * ```
 *
 * @since 0.1.0
 * @category getters
 */
export const results: <A, E>(self: TaskGroup<A, E>) => Effect.Effect<ReadonlyArray<A>> = internal.results

/**
 * The failures recorded so far, in creation order, each with its task's
 * index and full `Cause`. Failures are kept even when results are not.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { TaskGroup } from "@volley/taskgroup-effect4"
 *
 * const program = Effect.scoped(
 *   Effect.gen(function*() {
 *     const group = yield* TaskGroup.make<number, string>()
 *     yield* TaskGroup.createTask(group, Effect.succeed(1))
 *     yield* TaskGroup.createTask(group, Effect.fail("nope"))
 *     yield* TaskGroup.join(group)
 *     const failed = yield* TaskGroup.failures(group)
 *     return failed.map(({ index }) => index) // [1]
 *   })
 * )
 * ```
 *
 * @since 0.1.0
 * @category getters
 */
export const failures: <A, E>(self: TaskGroup<A, E>) => Effect.Effect<ReadonlyArray<TaskFailure<E>>> = internal.failures

/**
 * Every ended task's `Exit` (success, failure with its cause, or
 * interruption), in creation order.
 *
 * @example
 * ```ts
 * import { Effect, Exit } from "effect"
 * import { TaskGroup } from "@volley/taskgroup-effect4"
 *
 * const program = Effect.scoped(
 *   Effect.gen(function*() {
 *     const group = yield* TaskGroup.make<number, string>()
 *     yield* TaskGroup.createTask(group, Effect.succeed(1))
 *     yield* TaskGroup.createTask(group, Effect.fail("nope"))
 *     yield* TaskGroup.join(group)
 *     const all = yield* TaskGroup.exits(group)
 *     return all.map(({ exit }) => Exit.isSuccess(exit)) // [true, false]
 *   })
 * )
 * ```
 *
 * @since 0.1.0
 * @category getters
 */
export const exits: <A, E>(self: TaskGroup<A, E>) => Effect.Effect<ReadonlyArray<TaskExit<A, E>>> = internal.exits

/**
 * The group's counters now.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { TaskGroup } from "@volley/taskgroup-effect4"
 *
 * const program = Effect.scoped(
 *   Effect.gen(function*() {
 *     const group = yield* TaskGroup.make<void>({ concurrency: 1 })
 *     const task = yield* TaskGroup.createTask(group, Effect.never)
 *     const stats = yield* TaskGroup.stats(group)
 *     // the scope would wait for the task: it never ends by itself
 *     yield* task.interrupt
 *     return stats.running // 1
 *   })
 * )
 * ```
 *
 * @since 0.1.0
 * @category getters
 */
export const stats: <A, E>(self: TaskGroup<A, E>) => Effect.Effect<Stats> = internal.stats

/**
 * The counters as a stream for progress displays: the current value first,
 * then the latest value after each change (a slow reader skips values, never
 * lags). It ends when the group closes, always on the final counters; on a
 * closed group it emits them once and ends.
 *
 * @example
 * ```ts
 * import { Console, Effect, Stream } from "effect"
 * import { TaskGroup } from "@volley/taskgroup-effect4"
 *
 * const program = Effect.scoped(
 *   Effect.gen(function*() {
 *     const group = yield* TaskGroup.make<number>({ concurrency: 4 })
 *     yield* TaskGroup.changes(group).pipe(
 *       Stream.runForEach((s) => Console.error(`${s.succeeded + s.failed}/${s.created} done`)),
 *       Effect.forkScoped
 *     )
 *     for (let i = 0; i < 10; i++) yield* TaskGroup.createTask(group, Effect.succeed(i))
 *   })
 * )
 * ```
 *
 * @since 0.1.0
 * @category streams
 */
export const changes: <A, E>(self: TaskGroup<A, E>) => Stream.Stream<Stats> = internal.changes

/**
 * Task outcomes in completion order: every task that ends after the stream
 * starts running, until the group closes. A slow reader still gets all of
 * them after the close; on a closed group the stream is empty.
 *
 * @example
 * ```ts
 * import { Effect, Exit, Fiber, Stream } from "effect"
 * import { TaskGroup } from "@volley/taskgroup-effect4"
 *
 * const program = Effect.scoped(
 *   Effect.gen(function*() {
 *     const group = yield* TaskGroup.make<number, string>()
 *     const firstThree = yield* TaskGroup.completions(group).pipe(
 *       Stream.filter(({ exit }) => Exit.isSuccess(exit)),
 *       Stream.take(3),
 *       Stream.runCollect,
 *       Effect.forkChild
 *     )
 *     for (const delay of [30, 10, 20, 40]) {
 *       yield* TaskGroup.createTask(group, Effect.as(Effect.sleep(delay), delay))
 *     }
 *     return yield* Fiber.join(firstThree) // tasks 1, 2, 0, in the order they finished
 *   })
 * )
 * ```
 *
 * @since 0.1.0
 * @category streams
 */
export const completions: <A, E>(self: TaskGroup<A, E>) => Stream.Stream<TaskExit<A, E>> = internal.completions

/**
 * Runs `body` with a fresh group and returns the group's summary once every
 * task has ended, tasks created by tasks included: the summary is one
 * snapshot of the closed group, and it never changes. Under the `interrupt`
 * strategy it fails with the tasks' failures instead; a failure of `body`
 * itself interrupts the tasks and is `run`'s failure. A
 * `TaskGroupClosedError` is never a failure of `run`, as its type says: the
 * group's own, from a body stopped by the group's failure, gives way to that
 * failure, and any other (another group's, or the group's own beside another
 * failure of the body) becomes a defect.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { TaskGroup } from "@volley/taskgroup-effect4"
 *
 * // annotate the group to name what its tasks succeed and fail with
 * const summary = TaskGroup.run(
 *   (group: TaskGroup.TaskGroup<number, string>) =>
 *     Effect.gen(function*() {
 *       for (let i = 0; i < 10; i++) {
 *         yield* TaskGroup.createTask(group, i % 3 === 0 ? Effect.fail(`bad ${i}`) : Effect.succeed(i))
 *       }
 *     }),
 *   { concurrency: 4 }
 * )
 * // summary.results: [1, 2, 4, 5, 7, 8]; summary.failures: indexes 0, 3, 6, 9
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const run: <A, E, X, E2, R>(
  body: (group: TaskGroup<A, E>) => Effect.Effect<X, E2, R>,
  options?: TaskGroupOptions
) => Effect.Effect<Summary<A, E>, E | Exclude<E2, TaskGroupClosedError>, R> = internal.run

/**
 * Runs `f` for every item as a task of a fresh group, created one at a time
 * as a `createTask` loop would, and returns the summary with results in item
 * order. The iterator is advanced inside the effect: if it throws, `forEach`
 * dies with that defect and the tasks already started are interrupted. `f`
 * is called for an item as its task is created, never ahead of room, and
 * a throw of `f` is that task's defect, not `forEach`'s. When
 * `forEach` stops before the items are used up (the `interrupt` strategy, or
 * an interruption), it closes the iterator (`return()`), as `for…of` does.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { TaskGroup } from "@volley/taskgroup-effect4"
 *
 * const squares = TaskGroup.forEach([1, 2, 3], (n) => Effect.succeed(n * n), { concurrency: 2 }).pipe(
 *   Effect.map((summary) => summary.results) // [1, 4, 9]
 * )
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const forEach: {
  <I, A, E, R>(
    f: (item: I, index: number) => Effect.Effect<A, E, R>,
    options?: TaskGroupOptions
  ): (items: Iterable<I>) => Effect.Effect<Summary<A, E>, E, R>
  <I, A, E, R>(
    items: Iterable<I>,
    f: (item: I, index: number) => Effect.Effect<A, E, R>,
    options?: TaskGroupOptions
  ): Effect.Effect<Summary<A, E>, E, R>
} = internal.forEach
