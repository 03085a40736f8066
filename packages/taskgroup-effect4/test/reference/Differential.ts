/**
 * Runs a `ProgramSpec` on an Effect 4 implementation of the TaskGroup,
 * through an adapter, and returns everything a user of it can observe, as
 * plain data: what `run` and `join` return, every task's outcome, the order
 * of completions, what each task sees when it starts (a reference set by its
 * caller, log annotations, a service, the current span, the scheduler's
 * yield setting), how each producer ended and whether its iterator was
 * closed. The differential test runs each spec on the real group and on
 * `ReferenceTaskGroup`, on the explorer's scheduler and virtual clock in
 * first-come order, and requires the two to be equal, and every fiber of
 * both to have ended.
 *
 * It is the Effect 3 edition's comparison (packages/taskgroup/test/reference)
 * in Effect 4's terms: Effect 4 has no FiberRefs with fork functions and no
 * runtime flags, so a task's view of its caller is a `Context.Reference`,
 * a service and `Scheduler.PreventSchedulerYield` (which a caller that turns
 * off yielding sets), and there is no per-fiber value that a reused fiber
 * could carry from one task to another, since no fiber is reused here.
 */
import { TaskGroup } from "@volley/taskgroup-effect4"
import { Comparison } from "@volley/taskgroup-scenarios"
import type { GroupSpec, ProgramSpec, TaskSpec } from "@volley/taskgroup-scenarios/ProgramSpec"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as References from "effect/References"
import * as Scheduler from "effect/Scheduler"
import * as Semaphore from "effect/Semaphore"
import * as Stream from "effect/Stream"
import * as internal from "../../src/internal/taskGroup.js"
import type { Harness } from "../explorer/Explorer.js"
import { runOnce } from "../explorer/Explorer.js"
import * as Reference from "./ReferenceTaskGroup.js"

const { asForEachHere, byIdentity, byInstant, offsetOf, sortedByKey, unit } = Comparison

/** What the program needs of a TaskGroup; `G` is the implementation's group. */
export interface Adapter<G> {
  readonly name: string
  readonly run: (
    body: (group: G) => Effect.Effect<unknown, unknown>,
    options: TaskGroup.TaskGroupOptions
  ) => Effect.Effect<TaskGroup.Summary<unknown, unknown>, unknown>
  readonly createTask: (
    group: G,
    effect: Effect.Effect<unknown, unknown>
  ) => Effect.Effect<
    { readonly index: number; readonly interrupt: Effect.Effect<void> },
    TaskGroup.TaskGroupClosedError
  >
  readonly feed: (
    group: G,
    items: Iterable<TaskSpec>,
    f: (item: TaskSpec, index: number) => Effect.Effect<unknown, unknown>,
    options: TaskGroup.TaskGroupOptions
  ) => Effect.Effect<void, TaskGroup.TaskGroupClosedError>
  readonly join: (group: G) => Effect.Effect<void, unknown>
  /**
   * Starts watching the group's completions, before any task, and returns
   * how to read what it saw: `(instant, index)` in completion order. The
   * real group's are read from `completions`, and every `changes` value is
   * checked as it comes.
   */
  readonly watch: (group: G, harness: Harness) => Effect.Effect<() => ReadonlyArray<readonly [number, number]>>
}

export const real: Adapter<TaskGroup.TaskGroup<unknown, unknown>> = {
  name: "TaskGroup",
  run: (body, options) => TaskGroup.run(body, options),
  createTask: (group, effect) => TaskGroup.createTask(group, effect),
  feed: (group, items, f) => internal.feed(group, items, f),
  join: TaskGroup.join,
  watch: (group, harness) =>
    Effect.gen(function*() {
      const seen: Array<readonly [number, number]> = []
      const limit = (yield* Effect.sync(() => internal.debugState(group))).capacity
      const readCompletions = Stream.runForEach(TaskGroup.completions(group), ({ index }) =>
        Effect.map(Clock.currentTimeMillis, (at) => {
          seen.push([at, index])
        }))
      const readChanges = Stream.runForEach(TaskGroup.changes(group), (stats) =>
        Effect.sync(() => {
          harness.checkStats("differential", stats)
          if (limit !== undefined && stats.running > limit) {
            harness.violation("running never exceeds the concurrency", JSON.stringify(stats))
          }
        }))
      harness.readers.push(yield* Effect.forkDetach(readCompletions))
      harness.readers.push(yield* Effect.forkDetach(readChanges))
      while (internal.debugState(group).subscribers < 2) {
        yield* Effect.yieldNow
      }
      return () =>
        seen
    })
}

export const reference: Adapter<Reference.ReferenceGroup<unknown, unknown>> = {
  name: "reference",
  run: (body, options) => Reference.run(body, options),
  createTask: Reference.createTask,
  feed: (group, items, f, options) =>
    Reference.feed(group, items, f, {
      pullWithPermit: options.semaphore === undefined && typeof options.concurrency === "number"
    }),
  join: Reference.join,
  watch: (group) => Effect.succeed(() => group.completions.map(({ at, index }) => [at, index] as const))
}

// What the two may differ in by design, and how the comparison allows it, is said in one place for both
// editions: `@volley/taskgroup-scenarios`'s `Comparison`.

/** `self`, stopped `units` later (at an instant of its own, named by `name`) unless it has ended. */
const interruptedAfter =
  (units: number | undefined, name: string) =>
  <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A | Option.Option<A>, E, R> =>
    units === undefined ? self : Effect.timeoutOption(self, units * unit + offsetOf(name))

const Caller = Context.Reference<string>("differential/Caller", { defaultValue: () => "none" })
class Producer extends Context.Service<Producer, string>()("differential/Producer") {}

interface Seen {
  readonly caller: string
  readonly annotations: Record<string, unknown>
  readonly producer: string | undefined
  readonly span: string | undefined
  readonly preventsYield: boolean
  nested?: unknown
}

const normalizeError = (u: unknown): unknown =>
  Cause.isCause(u)
    ? normalizeCause(u)
    : typeof u === "object" && u !== null && "_tag" in u && u._tag === "TaskGroupClosedError"
    ? `TaskGroupClosedError(${(u as TaskGroup.TaskGroupClosedError).reason})`
    : u

const failuresOf = (cause: Cause.Cause<unknown>) => cause.reasons.filter(Cause.isFailReason).map((r) => r.error)
const defectsOf = (cause: Cause.Cause<unknown>) => cause.reasons.filter(Cause.isDieReason).map((r) => r.defect)

const normalizeCause = (cause: Cause.Cause<unknown>) => ({
  failures: failuresOf(cause).map(normalizeError).map(String).sort(),
  defects: defectsOf(cause).map(normalizeError).map(String).sort(),
  interrupted: Cause.hasInterrupts(cause)
})

const normalizeExit = (exit: Exit.Exit<unknown, unknown>) =>
  Exit.isSuccess(exit) ? { value: normalizeValue(exit.value) } : normalizeCause(exit.cause)

const normalizeValue = (value: unknown): unknown =>
  typeof value === "object" && value !== null && "results" in value && "exits" in value
    ? normalizeSummary(value as TaskGroup.Summary<unknown, unknown>)
    : value

const normalizeSummary = (summary: TaskGroup.Summary<unknown, unknown>) => ({
  results: summary.results,
  failures: summary.failures.map(({ cause, index }) => ({ index, cause: normalizeCause(cause) })),
  exits: summary.exits.map(({ exit, index }) => ({ index, exit: normalizeExit(exit) })),
  stats: summary.stats
})

/**
 * Names an index by its task: from the handle `createTask` returned, or
 * from what the task ended with (each task succeeds, fails or dies with its
 * own name). A task of a `forEach` interrupted before it ended is `?`.
 */
const identify = (identities: ReadonlyMap<number, string>, ran: Exit.Exit<unknown, unknown>) => {
  const known = new Map(identities)
  const summary = summaryOf(ran)
  for (const { exit, index } of typeof summary === "object" ? summary.exits : []) {
    const named = Exit.isSuccess(exit)
      ? exit.value
      : [...failuresOf(exit.cause), ...defectsOf(exit.cause)].find((u) => typeof u === "string")
    if (typeof named === "string") known.set(index, named)
  }
  return (index: number) => known.get(index) ?? "?"
}

/** What a group's `run`, perhaps under `Effect.timeoutOption`, returned, if it succeeded. */
const summaryOf = (ran: Exit.Exit<unknown, unknown>): TaskGroup.Summary<unknown, unknown> | "timed out" | undefined => {
  if (Exit.isFailure(ran)) return undefined
  const value = ran.value
  if (Option.isOption(value)) {
    return Option.isSome(value)
      ? value.value as TaskGroup.Summary<unknown, unknown>
      : "timed out"
  }
  return value as TaskGroup.Summary<unknown, unknown>
}

export interface Observed {
  readonly groups: ReadonlyArray<unknown>
  readonly tasks: Record<string, Seen>
}

/**
 * What a run is compared with. `"reference"`: the real group against the
 * reference model, with the allowances of `Comparison` (no backlog, a
 * semaphore per group, a `forEach` with its own permits only alone). And
 * the producers are children of the body's fiber, interrupted only once it
 * has ended, after the group has closed, so that a producer still waiting
 * in `createTask` then is refused.
 *
 * `"editions"`: the two editions' real groups, which share one design, so
 * the spec's backlogs and every `forEach` run as drawn. What each Effect
 * schedules in its own order within one instant stays apart, though: each
 * group still gets a semaphore of its own (groups that share one are served
 * from the line in the order their callers reached it, and a release of
 * several permits at once wakes callers that came in one instant), and the
 * producers are held in a scope of the body, which an interruption of the
 * body closes before the group's (the other way, which of a refusal and an
 * interruption reaches a waiting producer first depends on how many steps
 * each Effect takes within the instant).
 */
export type Comparing = "reference" | "editions"

/** Runs `spec` on the implementation behind `adapter`, and returns what a user can observe. */
export const observe =
  <G>(adapter: Adapter<G>, spec: ProgramSpec, comparing: Comparing = "reference") => (harness: Harness) =>
    Effect.gen(function*() {
      const tasks: Record<string, Seen> = {}

      const body = (id: string, task: TaskSpec, group: G): Effect.Effect<unknown, unknown> =>
        Effect.gen(function*() {
          const seen: Seen = {
            caller: yield* Caller,
            annotations: { ...yield* References.CurrentLogAnnotations },
            producer: Option.getOrUndefined(yield* Effect.serviceOption(Producer)),
            span: Option.getOrUndefined(Option.map(yield* Effect.option(Effect.currentSpan), (span) => span.name)),
            preventsYield: yield* Scheduler.PreventSchedulerYield
          }
          tasks[id] = seen
          if (task.forksChild) yield* Effect.forkChild(Effect.never)
          if (task.spawnsSibling) {
            const sibling: TaskSpec = { ...task, spawnsSibling: false, nested: undefined, interruptAfter: undefined }
            yield* Effect.forkChild(Effect.andThen(
              Effect.sleep(offsetOf(`sibling of ${id}`)),
              Effect.ignore(adapter.createTask(group, body(`${id}+`, sibling, group)))
            ))
          }
          if (task.nested !== undefined) {
            const nested = task.nested
            seen.nested = normalizeExit(
              yield* Effect.exit(adapter.run(
                (inner) =>
                  Effect.forEach(nested, (child, i) => adapter.createTask(inner, body(`${id}/${i}`, child, inner)), {
                    discard: true
                  }),
                { concurrency: 2, backlog: 0 }
              ))
            )
          }
          yield* Effect.sleep(task.duration * unit + offsetOf(`duration of ${id}`))
          switch (task.outcome) {
            case "succeed":
              return id
            case "fail":
              return yield* Effect.fail(id)
            case "die":
              return yield* Effect.die(id)
            case "interrupt":
              return yield* Effect.interrupt
            case "long":
              return yield* Effect.as(Effect.sleep(100 * unit), id)
          }
        })

      const asCaller = (task: TaskSpec, id: string) => <A, E, R>(effect: Effect.Effect<A, E, R>) =>
        task.caller === "noYielding"
          ? Effect.provideService(effect, Scheduler.PreventSchedulerYield, true)
          : task.caller === "annotated"
          ? Effect.annotateLogs(effect, "task", id)
          : effect

      const runGroup = (groupSpec: GroupSpec, g: number) =>
        Effect.gen(function*() {
          const producers: Array<unknown> = []
          /** Which task each index was given to, as far as the program can tell (see `byIdentity`). */
          const identities = new Map<number, string>()
          let joined: unknown = "not joined"
          let completions: () => ReadonlyArray<readonly [number, number]> = () => []
          const options: TaskGroup.TaskGroupOptions = {
            strategy: groupSpec.strategy,
            backlog: comparing === "editions" ? groupSpec.backlog : 0,
            ...(groupSpec.limit.kind === "own"
              ? { concurrency: groupSpec.limit.concurrency }
              : groupSpec.limit.kind === "shared"
              ? { semaphore: Semaphore.makeUnsafe(spec.semaphores[groupSpec.limit.semaphore]) }
              : {})
          }
          const produce = (group: G, producer: GroupSpec["producers"][number], p: number) => {
            const name = `g${g}.p${p}`
            const taskId = (k: number) => `${name}.t${k}`
            const outcome = {
              creates: [] as Array<unknown>,
              iterator: undefined as unknown,
              exit: undefined as unknown
            }
            producers.push(outcome)
            const createAll = (comparing === "editions" ? producer.asForEach : asForEachHere(groupSpec, producer))
              ? Effect.suspend(() => {
                const state = { pulled: 0, ranOut: false, closed: false }
                outcome.iterator = state
                const items = function*() {
                  try {
                    for (const task of producer.tasks) {
                      state.pulled++
                      yield task
                    }
                    state.ranOut = true
                  } finally {
                    state.closed = true
                  }
                }
                return adapter.feed(group, items(), (task, k) => body(taskId(k), task, group), options)
              })
              : Effect.forEach(producer.tasks, (task, k) =>
                Effect.exit(asCaller(task, taskId(k))(adapter.createTask(group, body(taskId(k), task, group)))).pipe(
                  Effect.flatMap((exit) => {
                    if (Exit.isSuccess(exit)) {
                      identities.set(exit.value.index, taskId(k))
                    }
                    outcome.creates.push(Exit.isSuccess(exit) ? "created" : normalizeExit(exit))
                    if (Exit.isFailure(exit)) {
                      return exit
                    }
                    if (task.interruptAfter === undefined) {
                      return Effect.void
                    }
                    return Effect.asVoid(Effect.forkDetach(Effect.andThen(
                      Effect.sleep(task.interruptAfter * unit + offsetOf(`interruption of ${taskId(k)}`)),
                      exit.value.interrupt
                    )))
                  })
                ), { discard: true })
            // producers start at instants of their own, so that none races another for the first permit
            return Effect.andThen(Effect.sleep(offsetOf(`start of ${name}`)), createAll).pipe(
              Effect.provideService(Caller, name),
              Effect.annotateLogs("producer", name),
              Effect.provideService(Producer, name),
              Effect.withSpan(name),
              interruptedAfter(producer.interruptAfter, `interruption of ${name}`),
              Effect.exit,
              Effect.map((exit) => {
                outcome.exit = normalizeExit(exit)
              })
            )
          }
          const ran = yield* adapter.run(
            (group) =>
              Effect.gen(function*() {
                completions = yield* adapter.watch(group, harness)
                const fibers = yield* Effect.forEach(
                  groupSpec.producers,
                  (producer, p) =>
                    comparing === "editions"
                      ? Effect.forkScoped(produce(group, producer, p))
                      : Effect.forkChild(produce(group, producer, p))
                )
                yield* Fiber.joinAll(fibers)
                if (groupSpec.joins) {
                  joined = normalizeExit(yield* Effect.exit(adapter.join(group)))
                }
              }).pipe(Effect.scoped),
            options
          ).pipe(
            interruptedAfter(groupSpec.interruptScopeAfter, `interruption of group ${g}`),
            Effect.exit
          )
          const identityOf = identify(identities, ran)
          const summary = summaryOf(ran)
          return {
            run: summary === undefined
              ? normalizeExit(ran)
              : summary === "timed out"
              ? summary
              : { summary: byIdentity(normalizeSummary(summary), identityOf) },
            joined,
            producers,
            // read once every reader has drained (see the end of `observe`)
            completions: () =>
              byInstant(
                completions().map(([at, index]) =>
                  [at, identityOf(index)] as const
                )
              )
          }
        })

      const ran = yield* Effect.all(spec.groups.map(runGroup), { concurrency: "unbounded" })
      // a stream reader may still hold completions it has not handed on when its group has closed
      yield* Fiber.awaitAll(harness.readers)
      const groups = ran.map((group) => ({ ...group, completions: group.completions() }))
      return { groups, tasks: sortedByKey(tasks) } satisfies Observed
    })

/**
 * What a user of `adapter` observes of `spec`, run on the explorer in
 * first-come order, with the violations the explorer found on the way.
 */
export const observed = async <G>(adapter: Adapter<G>, spec: ProgramSpec, comparing: Comparing = "reference") => {
  const result = await runOnce(observe(adapter, spec, comparing), 2048, [])
  return {
    violations: result.violations.map((v) => `${adapter.name}: ${v.invariant}: ${v.detail}`),
    observed: result.outcome === "hang" ? "hang" as const : Exit.isSuccess(result.outcome.exit)
      ? result.outcome.exit.value
      : `died: ${String(result.outcome.exit.cause)}`
  }
}

/**
 * What the real group shows of `spec`, in the terms both editions share
 * (`Comparison.acrossEditions`): the Effect 4 side of the test that the two
 * editions' groups behave alike.
 */
export const sharedObservation = async (spec: ProgramSpec): Promise<unknown> => {
  const { observed: seen, violations } = await observed(real, spec, "editions")
  if (violations.length > 0) return { violations }
  return typeof seen === "string" ? seen : Comparison.acrossEditions(seen, (seen) => ({
    caller: seen.caller,
    annotations: seen.annotations,
    producer: seen.producer,
    span: seen.span,
    yields: !seen.preventsYield,
    ...(seen.nested === undefined ? {} : { nested: seen.nested })
  }))
}
