/**
 * Random programs (`ProgramSpec.ts`) as explorer scenarios, over the
 * `Edition` interface, so that each edition's explorer runs the same
 * programs construct for construct: shared semaphores, several groups, both
 * strategies, backlogs, nested groups, tasks that fork fibers, and
 * interruption of producers, of single tasks and of whole scopes.
 */
import type { Edition, Eff, GroupOptions, Semaphore } from "./Edition.js"
import type { GroupSpec, ProgramSpec, TaskSpec } from "./ProgramSpec.js"

const body = (ed: Edition, spec: TaskSpec, index: number): Eff<number> => {
  const ending: Eff<number> = spec.outcome === "succeed"
    ? ed.succeed(index)
    : spec.outcome === "fail"
    ? ed.fail(index)
    : spec.outcome === "die"
    ? ed.die(index)
    : spec.outcome === "interrupt"
    ? ed.interrupt
    // not never: its interrupter may itself be interrupted first, and a normal close rightly waits
    : ed.as(ed.sleep(1000), index)
  const nested = spec.nested === undefined ? ed.void : ed.scoped(ed.gen(function*() {
    const group = yield* ed.group<number>(`nested in ${index}`, { concurrency: 2 })
    for (const [i, child] of spec.nested!.entries()) yield* ed.createTask(group, body(ed, child, i))
  }))
  const child = spec.forksChild ? ed.fork(ed.never) : ed.void
  return ed.andThen(ed.andThen(ed.andThen(child, nested), ed.sleep(spec.duration)), ending)
}

const options = (semaphores: ReadonlyArray<Semaphore>, spec: GroupSpec): GroupOptions => ({
  strategy: spec.strategy,
  backlog: spec.backlog,
  ...(spec.limit.kind === "own"
    ? { concurrency: spec.limit.concurrency }
    : spec.limit.kind === "shared"
    ? { semaphore: semaphores[spec.limit.semaphore] }
    : {})
})

/** `effect`, interrupted after `millis` if there are any, its outcome ignored. */
const stoppedAfter = (ed: Edition, effect: Eff<unknown>, millis: number | undefined): Eff<void> =>
  ed.ignore(millis === undefined ? effect : ed.timeout(effect, millis))

/** The scenario that runs `spec` on an edition. */
export const program = (spec: ProgramSpec) => (ed: Edition): Eff<void> =>
  ed.gen(function*() {
    const semaphores = spec.semaphores.map((permits) => ed.semaphore(permits))
    const groups = spec.groups.map((groupSpec, g) => {
      const run = ed.scoped(ed.gen(function*() {
        const group = yield* ed.group<number>(`group ${g}`, options(semaphores, groupSpec))
        const producers = yield* ed.forEach(groupSpec.producers, (producer) =>
          ed.fork(stoppedAfter(
            ed,
            producer.asForEach
              ? ed.feed(group, producer.tasks, (task, i) => ed.task(group, body(ed, task, i)))
              : ed.forEach(producer.tasks, (task, i) =>
                ed.gen(function*() {
                  const handle = yield* ed.createTask(group, body(ed, task, i))
                  if (task.interruptAfter !== undefined) {
                    yield* ed.forkDaemon(ed.andThen(ed.sleep(task.interruptAfter), handle.interrupt))
                  }
                })),
            producer.interruptAfter
          )))
        yield* ed.joinAll(producers)
        if (groupSpec.joins) yield* ed.ignore(ed.join(group))
      }))
      return groupSpec.interruptScopeAfter === undefined
        ? ed.ignore(ed.interruptible(run))
        : stoppedAfter(ed, run, groupSpec.interruptScopeAfter)
    })
    yield* ed.all(groups, { concurrent: true })
  })
