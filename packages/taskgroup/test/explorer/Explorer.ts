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
 * The schedules, the run line and the exploration itself are the
 * version-neutral ones of `@volley/taskgroup-scenarios` (`Exploration`),
 * which the Effect 4 edition's explorer runs too; this file is Effect 3's
 * hooks (its `Scheduler` and `Clock`) and the harness of its invariants.
 */
import { TaskGroup } from "@volley/taskgroup"
import { Exploration } from "@volley/taskgroup-scenarios"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import type * as Scheduler from "effect/Scheduler"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as internal from "../../src/internal/taskGroup.js"

/** A virtual clock on the run's `VirtualTime`, which moves only when the scheduler finds nothing to run. */
class VirtualClock implements Clock.Clock {
  readonly [Clock.ClockTypeId]: Clock.ClockTypeId = Clock.ClockTypeId
  constructor(private readonly time: Exploration.VirtualTime) {}

  unsafeCurrentTimeMillis(): number {
    return this.time.now
  }
  unsafeCurrentTimeNanos(): bigint {
    return BigInt(this.time.now) * 1_000_000n
  }
  readonly currentTimeMillis = Effect.sync(() => this.time.now)
  readonly currentTimeNanos = Effect.sync(() => this.unsafeCurrentTimeNanos())

  sleep(duration: Duration.Duration): Effect.Effect<void> {
    return Effect.async<void>((resume) => {
      const cancel = this.time.sleep(Duration.toMillis(duration), () => resume(Effect.void))
      return Effect.sync(cancel)
    })
  }
}

/** Effect 3's scheduler hook for the run's line: every fiber's tasks go to the one line of runnable tasks. */
class ExplorerScheduler implements Scheduler.Scheduler {
  /** Every fiber that ever ran here: all of them must be done at the end. */
  readonly fibers = new Set<Fiber.RuntimeFiber<unknown, unknown>>()
  constructor(private readonly line: Exploration.RunLine, private readonly budget: number) {}

  shouldYield(fiber: Fiber.RuntimeFiber<unknown, unknown>): number | false {
    return fiber.currentOpCount > this.budget ? 0 : false
  }

  scheduleTask(task: Scheduler.Task, _priority: number, fiber?: Fiber.RuntimeFiber<unknown, unknown>): void {
    if (fiber !== undefined) this.fibers.add(fiber)
    this.line.schedule(task)
  }
}

type Violation = Exploration.Violation

interface TrackedGroup {
  readonly name: string
  readonly group: TaskGroup.TaskGroup<any, any>
  readonly semaphore: Effect.Semaphore | undefined
  readonly concurrency: number | undefined
  readonly started: Set<number>
  readonly ended: Set<number>
  closed: boolean
  readonly handles: Array<TaskGroup.Task<any, any>>
  readonly completionsSeen: Array<number>
  completionsReaderDone: boolean
  lastChange: TaskGroup.Stats | undefined
}

/**
 * What a scenario builds its groups and tasks with, so that the explorer can
 * check them. Tasks made with `task` record when they start and end.
 */
export class Harness {
  readonly violations: Array<Violation> = []
  readonly groups: Array<TrackedGroup> = []
  readonly semaphores: Array<{ readonly semaphore: Effect.Semaphore; readonly permits: number }> = []
  readonly readers: Array<Fiber.RuntimeFiber<unknown, unknown>> = []
  private nextTaskId = 0
  pendingCreates = 0

  violation(invariant: string, detail: string): void {
    if (this.violations.length < 20) this.violations.push({ invariant, detail })
  }

  /** A semaphore whose permits are checked to be all back at the end. */
  semaphore(permits: number): Effect.Semaphore {
    const semaphore = Effect.unsafeMakeSemaphore(permits)
    this.semaphores.push({ semaphore, permits })
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
    return Effect.uninterruptible(Effect.gen(this, function*() {
      const tracked: TrackedGroup = {
        name,
        group: undefined as any,
        semaphore: options.semaphore,
        concurrency: typeof options.concurrency === "number" ? options.concurrency : undefined,
        started: new Set(),
        ended: new Set(),
        closed: false,
        handles: [],
        completionsSeen: [],
        completionsReaderDone: false,
        lastChange: undefined
      }
      // added before the group, so it runs after the group's own close
      yield* Effect.addFinalizer(() =>
        Effect.sync(() => {
          tracked.closed = true
          for (const id of tracked.started) {
            if (!tracked.ended.has(id)) this.violation("tasks end before their group closes", `${name}: task ${id}`)
          }
        })
      )
      const group = yield* TaskGroup.make<A, E>(options)
      ;(tracked as { group: TaskGroup.TaskGroup<any, any> }).group = group
      this.groups.push(tracked)
      const slowly = Effect.repeatN(Effect.yieldNow(), 3)
      const readCompletions = Stream.runForEach(
        TaskGroup.completions(group),
        ({ index }) => Effect.zipRight(slowly, Effect.sync(() => tracked.completionsSeen.push(index)))
      ).pipe(Effect.ensuring(Effect.sync(() => (tracked.completionsReaderDone = true))))
      const readChanges = Stream.runForEach(
        TaskGroup.changes(group),
        (stats) =>
          Effect.zipRight(
            slowly,
            Effect.sync(() => {
              this.checkStats(name, stats)
              tracked.lastChange = stats
            })
          )
      )
      this.readers.push(yield* Effect.forkDaemon(readCompletions))
      this.readers.push(yield* Effect.forkDaemon(readChanges))
      // the readers subscribe when they first run: wait for that, so that they must see every event
      while (internal.debugState(group).subscribers < 2) yield* Effect.yieldNow()
      return group
    }))
  }

  /** `created = queued + running + succeeded + failed + interrupted`, at any observation. */
  checkStats(name: string, stats: TaskGroup.Stats): void {
    const sum = stats.queued + stats.running + stats.succeeded + stats.failed + stats.interrupted
    if (stats.created !== sum) {
      this.violation(
        "created = queued + running + succeeded + failed + interrupted",
        `${name}: ${JSON.stringify(stats)}`
      )
    }
  }

  /** A task body that records its start and end for the group's checks. */
  task<A, E, R>(group: object, effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> {
    const tracked = this.groups.find((g) => g.group === group)!
    const id = this.nextTaskId++
    return Effect.uninterruptibleMask((restore) => {
      if (tracked.closed) this.violation("no task runs after its group closed", `${tracked.name}: task ${id}`)
      const state = (tracked.group.toJSON() as { state: string }).state
      if (state === "failed") this.violation("no task starts on a failed group", `${tracked.name}: task ${id}`)
      tracked.started.add(id)
      return Effect.ensuring(restore(effect), Effect.sync(() => tracked.ended.add(id)))
    })
  }

  /** `createTask` with a tracked body; counts calls in flight, which must all end. */
  createTask<A, E, XA extends A, XE extends E, R>(
    group: TaskGroup.TaskGroup<A, E>,
    effect: Effect.Effect<XA, XE, R>
  ): Effect.Effect<TaskGroup.Task<XA, XE>, TaskGroup.TaskGroupClosedError, R> {
    const tracked = this.groups.find((g) => g.group === (group as object))!
    // counted and uncounted uninterruptibly, so that an interruption cannot fall between the two
    return Effect.uninterruptibleMask((restore) => {
      this.pendingCreates++
      return Effect.tap(
        Effect.ensuring(
          restore(TaskGroup.createTask(group, this.task(group, effect))),
          Effect.sync(() => this.pendingCreates--)
        ),
        (task) => Effect.sync(() => tracked.handles.push(task))
      )
    })
  }

  /** Checks made at every scheduler step: counters add up and no limit is exceeded. */
  checkStep(): void {
    const runningPerSemaphore = new Map<Effect.Semaphore, number>()
    for (const tracked of this.groups) {
      const stats = internal.unsafeStats(tracked.group)
      this.checkStats(tracked.name, stats)
      if (tracked.concurrency !== undefined && stats.running > tracked.concurrency) {
        this.violation("running never exceeds the concurrency", `${tracked.name}: ${stats.running}`)
      }
      if (tracked.semaphore !== undefined) {
        runningPerSemaphore.set(tracked.semaphore, (runningPerSemaphore.get(tracked.semaphore) ?? 0) + stats.running)
      }
    }
    for (const { permits, semaphore } of this.semaphores) {
      if ((runningPerSemaphore.get(semaphore) ?? 0) > permits) {
        this.violation("a shared semaphore's limit holds across groups", `${runningPerSemaphore.get(semaphore)}`)
      }
    }
  }

  /** Checks made once the scenario has ended. */
  checkEnd(scheduler: { readonly fibers: Set<Fiber.RuntimeFiber<unknown, unknown>> }): void {
    for (const { permits, semaphore } of this.semaphores) {
      const free = Effect.runSync(Effect.map(semaphore.withPermitsIfAvailable(permits)(Effect.void), (o) => o._tag))
      if (free !== "Some") this.violation("every permit is back", `a shared semaphore of ${permits}`)
    }
    if (this.pendingCreates !== 0) this.violation("no createTask is left waiting", `${this.pendingCreates} in flight`)
    for (const tracked of this.groups) {
      const state = internal.debugState(tracked.group)
      if (state.phase !== "closed") this.violation("every group closes", `${tracked.name}: ${state.phase}`)
      if (state.capacity !== undefined && state.free !== state.capacity) {
        this.violation("every permit is back", `${tracked.name}: ${state.free} of ${state.capacity}`)
      }
      if (state.queued + state.producers + state.running + state.joiners !== 0 || state.waitingForPermit) {
        this.violation("nothing is left in a closed group", `${tracked.name}: ${JSON.stringify(state)}`)
      }
      const stats = Effect.runSync(TaskGroup.stats(tracked.group))
      this.checkStats(tracked.name, stats)
      if (JSON.stringify(tracked.lastChange) !== JSON.stringify(stats)) {
        this.violation(
          "a changes reader ends on the final counters",
          `${tracked.name}: ${JSON.stringify(tracked.lastChange)} vs ${JSON.stringify(stats)}`
        )
      }
      const exits = Effect.runSync(TaskGroup.exits(tracked.group))
      exits.forEach(({ index }, i) => {
        if (i > 0 && exits[i - 1].index >= index) {
          this.violation("results are in creation order", `${tracked.name}: ${exits.map((e) => e.index)}`)
        }
      })
      for (const handle of tracked.handles) {
        const exit = Effect.runSync(handle.poll)
        if (exit._tag === "None") {
          this.violation("every created task ends", `${tracked.name}: task ${handle.index}`)
          continue
        }
        const recorded = exits.find((e) => e.index === handle.index)
        if (recorded === undefined || !Exit.isExit(recorded.exit) || recorded.exit._tag !== exit.value._tag) {
          this.violation("each task's outcome is kept at its creation index", `${tracked.name}: task ${handle.index}`)
        }
      }
      const ended = stats.succeeded + stats.failed + stats.interrupted
      const seen = [...tracked.completionsSeen].sort((a, b) => a - b)
      if (!tracked.completionsReaderDone || seen.length !== ended || new Set(seen).size !== ended) {
        this.violation(
          "a completions reader gets every event from the moment it subscribed",
          `${tracked.name}: saw ${seen.length} of ${ended}, done ${tracked.completionsReaderDone}`
        )
      }
    }
    for (const fiber of scheduler.fibers) {
      if (fiber.unsafePoll() === null) this.violation("no fiber outlives the scenario", `fiber ${fiber.id()}`)
    }
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
 * Effect 3 needs about 10 operations to come back from a yield, so below 12
 * a fiber may do nothing but yield.
 */
export const defaultBudgets: ReadonlyArray<number> = [12, 13, 14, 16, 19, 24, 32, 2048]

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
      for (const reader of harness.readers) yield* reader.await
      return { exit, at }
    }).pipe(
      Effect.withScheduler(scheduler),
      Effect.withClock(new VirtualClock(time)),
      Logger.withMinimumLogLevel(LogLevel.None)
    )
    return {
      line,
      run: () => Effect.runPromise(program),
      died: (error) => ({ exit: Exit.die(error), at: -1 }),
      violation: (invariant, detail) => harness.violation(invariant, detail),
      violations: harness.violations,
      checkEnd: () => harness.checkEnd(scheduler)
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
