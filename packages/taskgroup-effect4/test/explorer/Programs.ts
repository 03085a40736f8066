/**
 * The Effect 4 edition's interpreter of the version-neutral random programs
 * (`ProgramSpec.ts`): each spec becomes a scenario for the Effect 4
 * explorer, as packages/taskgroup/test/explorer/Programs.ts makes one for
 * the Effect 3 explorer, construct for construct.
 */
import { TaskGroup } from "@volley/taskgroup-effect4"
import { Effect, Fiber } from "effect"
import type * as Semaphore from "effect/Semaphore"
import * as internal from "../../src/internal/taskGroup.js"
import type { Harness } from "./Explorer.js"
import type { GroupSpec, ProgramSpec, TaskSpec } from "./ProgramSpec.js"

const body = (h: Harness, spec: TaskSpec, index: number): Effect.Effect<number, unknown> => {
  const ending: Effect.Effect<number, number> = spec.outcome === "succeed"
    ? Effect.succeed(index)
    : spec.outcome === "fail"
    ? Effect.fail(index)
    : spec.outcome === "die"
    ? Effect.die(index)
    : spec.outcome === "interrupt"
    ? Effect.interrupt
    // not Effect.never: its interrupter may itself be interrupted first, and a normal close rightly waits
    : Effect.as(Effect.sleep(1000), index)
  const nested = spec.nested === undefined ? Effect.void : Effect.scoped(Effect.gen(function*() {
    const group = yield* h.group<number, unknown>(`nested in ${index}`, { concurrency: 2 })
    for (const [i, child] of spec.nested!.entries()) yield* h.createTask(group, body(h, child, i))
  }))
  const child = spec.forksChild ? Effect.forkChild(Effect.never) : Effect.void
  return Effect.andThen(Effect.andThen(Effect.andThen(child, nested), Effect.sleep(spec.duration)), ending)
}

const options = (semaphores: ReadonlyArray<Semaphore.Semaphore>, spec: GroupSpec): TaskGroup.TaskGroupOptions => ({
  strategy: spec.strategy,
  backlog: spec.backlog,
  ...(spec.limit.kind === "own"
    ? { concurrency: spec.limit.concurrency }
    : spec.limit.kind === "shared"
    ? { semaphore: semaphores[spec.limit.semaphore] }
    : {})
})

export const program = (spec: ProgramSpec) => (h: Harness) =>
  Effect.gen(function*() {
    const semaphores = spec.semaphores.map((permits) => h.semaphore(permits))
    const groups = spec.groups.map((groupSpec, g) =>
      Effect.scoped(Effect.gen(function*() {
        const group = yield* h.group<number, unknown>(`group ${g}`, options(semaphores, groupSpec))
        const producers = yield* Effect.forEach(groupSpec.producers, (producer) =>
          Effect.forkChild(
            producer.asForEach
              ? internal.feed(group, producer.tasks, (task, i) => h.task(group, body(h, task, i))).pipe(
                producer.interruptAfter === undefined ? (self) => self : Effect.timeout(producer.interruptAfter),
                Effect.ignore
              ) :
              Effect.forEach(producer.tasks, (task, i) =>
                Effect.flatMap(h.createTask(group, body(h, task, i)), (handle) =>
                  task.interruptAfter === undefined
                    ? Effect.void
                    : Effect.forkDetach(Effect.andThen(Effect.sleep(task.interruptAfter), handle.interrupt))), {
                discard: true
              }).pipe(
                producer.interruptAfter === undefined
                  ? (self) => self
                  : Effect.timeout(producer.interruptAfter),
                Effect.ignore
              )
          ))
        yield* Fiber.joinAll(producers)
        if (groupSpec.joins) yield* Effect.ignore(TaskGroup.join(group))
      })).pipe(
        groupSpec.interruptScopeAfter === undefined
          ? Effect.interruptible
          : Effect.timeout(groupSpec.interruptScopeAfter),
        Effect.ignore
      )
    )
    yield* Effect.all(groups, { concurrency: "unbounded", discard: true })
  })
