/**
 * The Effect 4 edition's adapter for the version-neutral scenarios and
 * random programs (`@volley/taskgroup-scenarios`): the `Edition` interface in
 * Effect 4's terms, for one run of this package's explorer, whose harness
 * tracks the groups, tasks and semaphores it makes; and the explorer's
 * `explore` for a neutral scenario.
 */
import { TaskGroup } from "@volley/taskgroup-effect4"
import type { Edition as Neutral } from "@volley/taskgroup-scenarios"
import { Scenarios } from "@volley/taskgroup-scenarios"
import { Cause, Clock, Context, Deferred, Effect, Exit, Fiber, Option } from "effect"
import type * as Semaphore from "effect/Semaphore"
import * as internal from "../../src/internal/taskGroup.js"
import type { Harness, Report, Scenario } from "./Explorer.js"
import { explore } from "./Explorer.js"

/** The neutral effect as what it is here; each `Eff` an adapter gets is one it made. */
const run = <A>(eff: Neutral.Eff<A>) => eff as unknown as Effect.Effect<A, unknown>
const fiber = <A>(f: Neutral.Fiber<A>) => f as unknown as Fiber.Fiber<A, unknown>
const group = <A>(g: Neutral.Group<A>) => g as unknown as TaskGroup.TaskGroup<A, unknown>
const semaphore = (s: Neutral.Semaphore) => s as unknown as Semaphore.Semaphore

export const neutralExit = <A>(exit: Exit.Exit<A, unknown>): Neutral.Exit<A> =>
  Exit.isSuccess(exit) ? { _tag: "Success", value: exit.value } : {
    _tag: "Failure",
    failures: exit.cause.reasons.filter(Cause.isFailReason).map((reason) => reason.error),
    defects: exit.cause.reasons.filter(Cause.isDieReason).map((reason) => reason.defect),
    interrupted: Cause.hasInterrupts(exit.cause)
  }

const options = (o: Neutral.GroupOptions): TaskGroup.TaskGroupOptions => ({
  ...o,
  semaphore: o.semaphore === undefined ? undefined : semaphore(o.semaphore)
})

/** The current value of a reference, as an effect. */
const read = <A>(ref: Context.Reference<A>): Effect.Effect<A> =>
  Effect.gen(function*() {
    return yield* ref
  })

/** The `Edition` of one explorer run. */
export const edition = (h: Harness): Neutral.Edition => ({
  name: "Effect 4",
  gen: (body) => Effect.gen(body as any) as any,
  succeed: Effect.succeed,
  sync: Effect.sync,
  void: Effect.void,
  fail: Effect.fail,
  die: Effect.die,
  interrupt: Effect.interrupt,
  never: Effect.never,
  yieldNow: Effect.yieldNow,
  sleep: (millis) => Effect.sleep(millis),
  now: Clock.currentTimeMillis,
  andThen: (first, second) => Effect.andThen(run(first), run(second)),
  as: (effect, value) => Effect.as(run(effect), value),
  exit: (effect) => Effect.map(Effect.exit(run(effect)), neutralExit),
  ignore: (effect) => Effect.ignore(run(effect)),
  scoped: (effect) => Effect.scoped(run(effect)),
  uninterruptible: (effect) => Effect.uninterruptible(run(effect)),
  interruptible: (effect) => Effect.interruptible(run(effect)),
  onInterrupt: (effect, finalizer) => Effect.onInterrupt(run(effect), () => Effect.ignore(run(finalizer))),
  forever: (effect) => Effect.forever(run(effect)),
  timeout: (effect, millis) => Effect.timeout(run(effect), millis),
  all: (effects, { concurrent }) => Effect.all(effects.map(run), { concurrency: concurrent ? "unbounded" : 1 }),
  forEach: (items, f) => Effect.forEach(items, (item, i) => run(f(item, i))),
  latch: Effect.map(Deferred.make<void>(), (deferred) => ({
    open: Effect.asVoid(Deferred.succeed(deferred, undefined)),
    await: Deferred.await(deferred)
  })),
  label: (name, initial) => {
    const ref = Context.Reference<string>(name, { defaultValue: () => initial })
    // Effect 4 changes a reference only for the extent of an effect: there is no fiber-wide set to leave behind
    const provide = <A>(value: string, effect: Neutral.Eff<A>) => Effect.provideService(run(effect), ref, value)
    return { read: read(ref), provide, leave: provide }
  },
  fork: (effect) => Effect.forkChild(run(effect)) as any,
  forkScoped: (effect) => Effect.forkScoped(run(effect)) as any,
  forkDaemon: (effect) => Effect.forkDetach(run(effect)) as any,
  await: (f) => Effect.map(Fiber.await(fiber(f)), neutralExit),
  joinAll: (fibers) => Fiber.joinAll(fibers.map(fiber)) as any,
  interruptFiber: (f) => Effect.asVoid(Fiber.interrupt(fiber(f))),
  semaphore: (permits) => h.semaphore(permits) as any,
  permitsFree: (s, permits) => Effect.map(semaphore(s).withPermitsIfAvailable(permits)(Effect.void), Option.isSome),
  group: (name, o = {}) => h.group(name, options(o)) as any,
  createTask: (g, effect) => h.createTask(group(g), run(effect)),
  task: (g, effect) => h.task(group(g), run(effect)),
  feed: (g, items, f) => internal.feed(group(g), items, (item, i) => run(f(item, i))),
  join: (g) => TaskGroup.join(group(g)),
  stats: (g) => TaskGroup.stats(group(g)),
  results: (g) => TaskGroup.results(group(g)) as any,
  exits: (g) =>
    Effect.map(
      TaskGroup.exits(group(g)),
      (exits) => exits.map(({ exit, index }) => ({ index, exit: neutralExit(exit) }))
    ),
  forEachTask: (items, f, o) => TaskGroup.forEach(items, (item) => run(f(item)), options(o)) as any,
  checkStats: (name, stats) => h.checkStats(name, stats)
})

/** Budgets for a scenario that explores only a few. */
const fewBudgets = [4, 8, 2048]

/** A neutral program as a scenario of this edition's explorer. */
export const onExplorer = <A>(program: (edition: Neutral.Edition) => Neutral.Eff<A>): Scenario<A, unknown> => (h) =>
  run(program(edition(h)))

/** Explores a neutral scenario on this edition's explorer, its check made on neutral outcomes. */
export const exploreScenario = (scenario: Scenarios.Scenario<unknown>): Promise<Report<unknown, unknown>> =>
  explore(
    onExplorer(scenario.program),
    (outcome) => scenario.check?.(neutralExit(outcome.exit)),
    Scenarios.explorerOptions(scenario, fewBudgets)
  )
