/**
 * What a version-neutral scenario or random program needs of an edition of
 * the TaskGroup, and the neutral values it gets back.
 *
 * A scenario is written once, against `Edition`; each edition's test suite
 * supplies an adapter that implements it with its own Effect (3 or 4), on its
 * own interleaving explorer, for one explorer run at a time (so `group`,
 * `createTask`, `task` and `semaphore` are the explorer harness's tracked
 * ones, whose invariants are checked at every scheduler step). Effects stay
 * opaque here (`Eff<A>`): a scenario only builds them with the edition's
 * operations and `yield*`s them inside `gen`. Errors are untyped: what a
 * scenario checks is a neutral `Exit`, which the adapter makes from its
 * edition's `Exit` and `Cause`.
 */

/** An effect of the edition under test. Scenarios build it with `Edition` and run it with `yield*` in `gen`. */
export interface Eff<A> {
  [Symbol.iterator](): Iterator<unknown, A, any>
}

declare const Opaque: unique symbol

/** A fiber of the edition under test. */
export interface Fiber<A> {
  readonly [Opaque]: "Fiber" & { readonly _A: A }
}

/** A TaskGroup of the edition under test, whose tasks succeed with `A`. */
export interface Group<A> {
  readonly [Opaque]: "Group" & { readonly _A: A }
}

/** A semaphore of the edition under test, tracked by its explorer: its permits must all be back at the end. */
export interface Semaphore {
  readonly [Opaque]: "Semaphore"
}

/** A task handle, as both editions' `createTask` return it. */
export interface Task<A> {
  readonly index: number
  readonly join: Eff<A>
  readonly interrupt: Eff<void>
}

/** A group's counters, as both editions' `stats` give them. */
export interface Stats {
  readonly created: number
  readonly queued: number
  readonly running: number
  readonly waiting: number
  readonly succeeded: number
  readonly failed: number
  readonly interrupted: number
}

export interface GroupOptions {
  readonly concurrency?: number | undefined
  readonly semaphore?: Semaphore | undefined
  readonly strategy?: "collect" | "interrupt" | undefined
  readonly backlog?: number | undefined
}

/**
 * How an effect ended, in neither edition's terms: a success, or a failure
 * with the typed failures, the defects and whether it was interrupted that
 * its cause holds (the cause's shape and fiber ids left out).
 */
export type Exit<A> =
  | { readonly _tag: "Success"; readonly value: A }
  | {
    readonly _tag: "Failure"
    readonly failures: ReadonlyArray<unknown>
    readonly defects: ReadonlyArray<unknown>
    readonly interrupted: boolean
  }

/** A fiber-local label: a `FiberRef` on Effect 3, a `Context.Reference` on Effect 4. */
export interface Label {
  readonly read: Eff<string>
  /** Runs `effect` with the label at `value`, as a caller sets it around a call. */
  readonly provide: <A>(value: string, effect: Eff<A>) => Eff<A>
  /**
   * Runs `effect` with the label at `value`, set the way that is most likely
   * to stay behind on the fiber afterwards (Effect 3: `FiberRef.set`, which
   * nothing undoes; Effect 4 can only scope it, with `provideService`).
   */
  readonly leave: <A>(value: string, effect: Eff<A>) => Eff<A>
}

/** A latch: `await` suspends until `open` has run. */
export interface Latch {
  readonly open: Eff<void>
  readonly await: Eff<void>
}

export interface Edition {
  readonly name: string

  readonly gen: <A>(body: () => Generator<unknown, A, any>) => Eff<A>
  readonly succeed: <A>(value: A) => Eff<A>
  readonly sync: <A>(f: () => A) => Eff<A>
  readonly void: Eff<void>
  readonly fail: (error: unknown) => Eff<never>
  readonly die: (defect: unknown) => Eff<never>
  /** Interrupts the fiber that runs it. */
  readonly interrupt: Eff<never>
  readonly never: Eff<never>
  readonly yieldNow: Eff<void>
  /** Sleeps on the explorer's virtual clock. */
  readonly sleep: (millis: number) => Eff<void>
  /** The virtual clock's time, in milliseconds. */
  readonly now: Eff<number>
  readonly andThen: <A>(first: Eff<unknown>, second: Eff<A>) => Eff<A>
  readonly as: <A>(effect: Eff<unknown>, value: A) => Eff<A>
  readonly exit: <A>(effect: Eff<A>) => Eff<Exit<A>>
  readonly ignore: (effect: Eff<unknown>) => Eff<void>
  /** Runs `effect` in a scope of its own, closed when it ends. */
  readonly scoped: <A>(effect: Eff<A>) => Eff<A>
  readonly uninterruptible: <A>(effect: Eff<A>) => Eff<A>
  readonly interruptible: <A>(effect: Eff<A>) => Eff<A>
  readonly onInterrupt: <A>(effect: Eff<A>, finalizer: Eff<unknown>) => Eff<A>
  readonly forever: (effect: Eff<unknown>) => Eff<never>
  /** Interrupts `effect` after `millis` and fails. */
  readonly timeout: <A>(effect: Eff<A>, millis: number) => Eff<A>
  readonly all: <A>(effects: ReadonlyArray<Eff<A>>, options: { readonly concurrent: boolean }) => Eff<Array<A>>
  /** One after the other, stopping at the first failure. */
  readonly forEach: <I, A>(items: Iterable<I>, f: (item: I, index: number) => Eff<A>) => Eff<Array<A>>
  readonly latch: Eff<Latch>
  /** A new label, `initial` until something sets it. */
  readonly label: (name: string, initial: string) => Label

  /** A child of the current fiber. */
  readonly fork: <A>(effect: Eff<A>) => Eff<Fiber<A>>
  /** A fiber of the current scope. */
  readonly forkScoped: <A>(effect: Eff<A>) => Eff<Fiber<A>>
  /** A fiber of nobody's. */
  readonly forkDaemon: <A>(effect: Eff<A>) => Eff<Fiber<A>>
  readonly await: <A>(fiber: Fiber<A>) => Eff<Exit<A>>
  readonly joinAll: <A>(fibers: ReadonlyArray<Fiber<A>>) => Eff<Array<A>>
  readonly interruptFiber: (fiber: Fiber<unknown>) => Eff<void>

  /** A semaphore tracked by the explorer. */
  readonly semaphore: (permits: number) => Semaphore
  /** Whether `permits` of `semaphore` are free right now (taking and giving them back at once). */
  readonly permitsFree: (semaphore: Semaphore, permits: number) => Eff<boolean>
  /** A group tracked by the explorer (slow stream readers, tasks ended before it closes), in the current scope. */
  readonly group: <A>(name: string, options?: GroupOptions) => Eff<Group<A>>
  /** `createTask` with a body tracked by the explorer. */
  readonly createTask: <A>(group: Group<A>, effect: Eff<A>) => Eff<Task<A>>
  /** A task body tracked by the explorer, for what hands tasks over otherwise (`feed`). */
  readonly task: <A>(group: Group<A>, effect: Eff<A>) => Eff<A>
  /** What `forEach` does with its items, into a group that is already open. */
  readonly feed: <I, A>(group: Group<A>, items: Iterable<I>, f: (item: I, index: number) => Eff<A>) => Eff<void>
  readonly join: (group: Group<unknown>) => Eff<void>
  readonly stats: (group: Group<unknown>) => Eff<Stats>
  readonly results: <A>(group: Group<A>) => Eff<Array<A>>
  readonly exits: <A>(group: Group<A>) => Eff<Array<{ readonly index: number; readonly exit: Exit<A> }>>
  /** `TaskGroup.forEach`: a group of its own for the items, untracked. */
  readonly forEachTask: <I, A>(
    items: Iterable<I>,
    f: (item: I) => Eff<A>,
    options: GroupOptions
  ) => Eff<Array<A>>
  /** Records a violation unless `created = queued + running + succeeded + failed + interrupted`. */
  readonly checkStats: (name: string, stats: Stats) => void
}
