/**
 * A deterministic interleaving explorer for TaskGroup scenarios, in the
 * spirit of Tokio's loom and Java's jcstress.
 *
 * A scenario is a small Effect program over one or more groups, run on a
 * virtual clock. Every fiber it forks runs on the explorer's scheduler,
 * which decides which runnable fiber goes next at every point where Effect
 * may switch fibers, and how many operations a fiber may run before it must
 * yield (the ops-before-yield budget, so that yields land at every step).
 * The explorer runs the scenario once per schedule: exhaustively (depth
 * first) over the first choices, then at random over the rest, for each
 * budget. After each run, and at every scheduler step, it checks the
 * invariants the TaskGroup guarantees, through `Harness`.
 *
 * Time is virtual, as with the `TestClock`, but it is the scheduler that
 * moves it: once no fiber can run, the clock jumps to the next sleeper and
 * wakes it. So time passes only when everything is idle, a scenario never
 * needs to advance the clock itself, and a run in which no fiber can run and
 * nobody sleeps is a hang, detected at once rather than by a timeout.
 * (`TestClock.adjust` waits for quiescence with real `setTimeout` turns,
 * which would cost milliseconds per run.)
 *
 * This is the Effect 4 edition's explorer: the same harness and invariants
 * as the Effect 3 one (packages/taskgroup/test/explorer/Explorer.ts), on
 * Effect 4's hooks; the schedules, the run line and the exploration itself
 * are the version-neutral ones of `@volley/taskgroup-scenarios`
 * (`Exploration`). Effect 4 has no scheduler per fiber call: a `Scheduler`
 * makes a dispatcher per fiber, and a fiber asks `shouldYield` at every
 * operation, which is where the explorer learns of it.
 */
import { TaskGroup } from "@volley/taskgroup-effect4"
import { Exploration, Invariants } from "@volley/taskgroup-scenarios"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as References from "effect/References"
import * as Scheduler from "effect/Scheduler"
import type * as Scope from "effect/Scope"
import * as Semaphore from "effect/Semaphore"
import * as Stream from "effect/Stream"
import * as internal from "../../src/internal/taskGroup.js"

type TrackedGroup = Invariants.TrackedGroup

/** A virtual clock on the run's `VirtualTime`, which moves only when the scheduler finds nothing to run. */
class VirtualClock implements Clock.Clock {
  constructor(private readonly time: Exploration.VirtualTime) {}

  currentTimeMillisUnsafe(): number {
    return this.time.now
  }
  currentTimeNanosUnsafe(): bigint {
    return BigInt(this.time.now) * 1_000_000n
  }
  monotonicTimeNanosUnsafe(): bigint {
    return this.currentTimeNanosUnsafe()
  }
  readonly currentTimeMillis = Effect.sync(() => this.time.now)
  readonly currentTimeNanos = Effect.sync(() => this.currentTimeNanosUnsafe())
  readonly monotonicTimeNanos = this.currentTimeNanos

  sleep(duration: Duration.Duration): Effect.Effect<void> {
    return Effect.callback<void>((resume) => {
      const cancel = this.time.sleep(Duration.toMillis(duration), () => resume(Effect.void))
      return Effect.sync(cancel)
    })
  }
}

/**
 * Effect 4's scheduler hook for the run's line: a fiber asks `shouldYield`
 * at every operation (where the explorer learns of it), and every fiber's
 * dispatcher feeds the one line of runnable tasks.
 */
class ExplorerScheduler implements Scheduler.Scheduler {
  readonly executionMode = "async" as const
  /** Every fiber that ever ran here: all of them must be done at the end. */
  readonly fibers = new Set<Fiber.Fiber<unknown, unknown>>()
  constructor(private readonly line: Exploration.RunLine, private readonly budget: number) {}

  shouldYield(fiber: Fiber.Fiber<unknown, unknown>): boolean {
    this.fibers.add(fiber)
    return fiber.currentOpCount > this.budget
  }

  makeDispatcher(): Scheduler.SchedulerDispatcher {
    return {
      scheduleTask: (task) => this.line.schedule(task),
      flush: () => this.line.runAll()
    }
  }
}

/**
 * What a scenario builds its groups and tasks with, so that the explorer can
 * check them: the shared `Invariants.Checker`, fed from Effect 4. Tasks made with
 * `task` record when they start and end.
 */
export class Harness extends Invariants.Checker {
  readonly readers: Array<Fiber.Fiber<unknown, unknown>> = []
  private readonly tracked = new Map<object, TrackedGroup>()

  /** A semaphore whose permits are checked to be all back at the end. */
  semaphore(permits: number): Semaphore.Semaphore {
    const semaphore = Semaphore.makeUnsafe(permits)
    const allFree = () =>
      Effect.runSync(Effect.map(semaphore.withPermitsIfAvailable(permits)(Effect.void), Option.isSome))
    this.semaphores.push({ semaphore, permits, allFree })
    return semaphore
  }

  /**
   * A group, tracked: a slow reader of its completions and of its counters
   * subscribes before any task, and a check runs right after its scope has
   * closed that every task that started has ended.
   */
  group<A, E>(
    name: string,
    options: TaskGroup.TaskGroupOptions = {}
  ): Effect.Effect<TaskGroup.TaskGroup<A, E>, never, Scope.Scope> {
    // uninterruptible as a whole, so that a group is never tracked without its readers
    return Effect.uninterruptible(Effect.gen({ self: this }, function*() {
      // added before the group, so it runs after the group's own close
      const closing: { tracked?: TrackedGroup } = {}
      yield* Effect.addFinalizer(() => Effect.sync(() => closing.tracked && this.closed(closing.tracked)))
      const group = yield* TaskGroup.make<A, E>(options)
      const tracked = closing.tracked = this.track(name, {
        stats: () => internal.unsafeStats(group),
        debugState: () => internal.debugState(group),
        state: () => (group.toJSON() as { state: string }).state,
        exits: () =>
          Effect.runSync(TaskGroup.exits(group)).map(({ exit, index }) => ({
            index,
            ending: Exit.isExit(exit) ? exit._tag : "not an Exit" as const
          }))
      }, {
        semaphore: options.semaphore,
        concurrency: typeof options.concurrency === "number" ? options.concurrency : undefined
      })
      this.tracked.set(group, tracked)
      const slowly = Effect.andThen(Effect.yieldNow, Effect.andThen(Effect.yieldNow, Effect.yieldNow))
      const readCompletions = Stream.runForEach(
        TaskGroup.completions(group),
        ({ index }) => Effect.andThen(slowly, Effect.sync(() => tracked.completionsSeen.push(index)))
      ).pipe(Effect.ensuring(Effect.sync(() => (tracked.completionsReaderDone = true))))
      const readChanges = Stream.runForEach(
        TaskGroup.changes(group),
        (stats) => Effect.andThen(slowly, Effect.sync(() => this.changed(tracked, stats)))
      )
      this.readers.push(yield* Effect.forkDetach(readCompletions))
      this.readers.push(yield* Effect.forkDetach(readChanges))
      // the readers subscribe when they first run: wait for that, so that they must see every event
      while (internal.debugState(group).subscribers < 2) yield* Effect.yieldNow
      return group
    }))
  }

  /** A task body that records its start and end for the group's checks. */
  task<A, E, R>(group: object, effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> {
    const tracked = this.tracked.get(group)!
    return Effect.uninterruptibleMask((restore) => {
      const id = this.taskStarted(tracked)
      return Effect.ensuring(restore(effect), Effect.sync(() => this.taskEnded(tracked, id)))
    })
  }

  /** `createTask` with a tracked body; counts calls in flight, which must all end. */
  createTask<A, E, XA extends A, XE extends E, R>(
    group: TaskGroup.TaskGroup<A, E>,
    effect: Effect.Effect<XA, XE, R>
  ): Effect.Effect<TaskGroup.Task<XA, XE>, TaskGroup.TaskGroupClosedError, R> {
    const tracked = this.tracked.get(group)!
    // counted and uncounted uninterruptibly, so that an interruption cannot fall between the two
    return Effect.uninterruptibleMask((restore) => {
      this.pendingCreates++
      return Effect.tap(
        Effect.ensuring(
          restore(TaskGroup.createTask(group, this.task(group, effect))),
          Effect.sync(() => this.pendingCreates--)
        ),
        (task) =>
          Effect.sync(() =>
            tracked.handles.push({
              index: task.index,
              poll: () => Option.getOrUndefined(Option.map(Effect.runSync(task.poll), (exit) => exit._tag))
            })
          )
      )
    })
  }

  /** Checks made once the scenario has ended. */
  checkEndOf(scheduler: ExplorerScheduler): void {
    this.checkEnd(Array.from(scheduler.fibers, (fiber) => ({ id: fiber.id, ended: fiber.pollUnsafe() !== undefined })))
  }
}

/** What a scenario returns, for its own assertions: its exit and the virtual time it ended at. */
export interface Outcome<A, E> {
  readonly exit: Exit.Exit<A, E>
  readonly at: number
}

/** A scenario: builds groups through the harness, and runs on the virtual clock. */
export type Scenario<A, E> = (harness: Harness) => Effect.Effect<A, E, Scope.Scope>

export type RunResult<A, E> = Exploration.RunResult<Outcome<A, E>>
export type Report<A, E> = Exploration.Report<Outcome<A, E>>

/**
 * Effect 4 counts an operation per primitive and per inlined continuation,
 * and a yield costs it two or three: below 4 a fiber may do nothing but
 * yield.
 */
export const defaultBudgets: ReadonlyArray<number> = [2, 3, 4, 5, 6, 8, 11, 16, 32, 2048]

/**
 * Runs `scenario` once on the schedule given by `prefix` (then `seed`, or
 * first-come first-served) and checks every invariant. A run in which the
 * scenario can no longer make progress is reported as a hang.
 */
export const runOnce = <A, E>(
  scenario: Scenario<A, E>,
  budget: number,
  prefix: ReadonlyArray<number>,
  seed?: number
): Promise<RunResult<A, E>> =>
  Exploration.runOnce(budget, prefix, seed, (choose) => {
    const harness = new Harness()
    const time = new Exploration.VirtualTime()
    const line = new Exploration.RunLine(choose, time, () => harness.checkStep())
    const scheduler = new ExplorerScheduler(line, budget)
    const program = Effect.gen(function*() {
      const exit = yield* Effect.exit(Effect.scoped(scenario(harness)))
      const at = yield* Effect.clockWith((clock) => clock.currentTimeMillis)
      for (const reader of harness.readers) yield* Fiber.await(reader)
      return { exit, at }
    }).pipe(
      Effect.provideService(Scheduler.Scheduler, scheduler),
      Effect.provideService(Clock.Clock, new VirtualClock(time)),
      Effect.provideService(References.MinimumLogLevel, "None")
    )
    return {
      line,
      // started on the line, so that a scenario that suspends before its first fork or sleep is seen to hang
      run: () => Effect.runPromise(Effect.andThen(Effect.yieldNow, program), { scheduler }),
      died: (error) => ({ exit: Exit.die(error), at: -1 }),
      violation: (invariant, detail) => harness.violation(invariant, detail),
      violations: harness.violations,
      checkEnd: () => harness.checkEndOf(scheduler)
    }
  })

/**
 * Runs `scenario` under many schedules and budgets (`Exploration.explore`)
 * and returns every run that broke an invariant (or hung), with the
 * schedule that replays it. `check` adds the scenario's own expectations.
 */
export const explore = <A, E>(
  scenario: Scenario<A, E>,
  check: (outcome: Outcome<A, E>) => string | undefined = () => undefined,
  options: Exploration.ExploreOptions = {}
): Promise<Report<A, E>> =>
  Exploration.explore(
    (budget, prefix, seed) => runOnce(scenario, budget, prefix, seed),
    check,
    { ...options, budgets: options.budgets ?? defaultBudgets }
  )

/** One line per failed run: what broke, and how to replay it. */
export const describeFailures = (report: Report<unknown, unknown>): string =>
  Exploration.describeFailures(
    report,
    (outcome) => Exit.isFailure(outcome.exit) ? Cause.pretty(outcome.exit.cause).split("\n")[0] : undefined
  )
