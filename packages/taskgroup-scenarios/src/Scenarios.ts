/**
 * The interleaving explorer's scenarios, written once for both editions.
 *
 * A scenario is a program over the `Edition` interface and a check of its
 * outcome, in neutral values; each edition's `Interleavings.test.ts` runs
 * every one of them on its own explorer, under every budget and at every
 * place where its scheduler can switch fibers, with the explorer's own
 * invariants (permits back, tasks ended before their group closed, no
 * waiting createTask left, counters that add up, creation order, complete
 * streams, no fiber left, no hang) checked in every run. A scenario added
 * here checks both editions at once.
 *
 * Each numbered scenario reproduces one class of bug that the first
 * worker-reuse design had (issue 10); the ones under "permits, re-entry and
 * forking as the caller" were written for the parts that are hard on
 * Effect 4 (issue 19), and hold for Effect 3 as well.
 */
import type { Edition, Eff, Exit, Group, Stats, Task } from "./Edition.js"

export interface ExploreOptions {
  /** Explore only a few budgets (each edition picks them: a small, a middle and a large one). */
  readonly fewBudgets?: boolean
  /** Per budget, at most this many runs that each switch fibers at one more place than the first-come order. */
  readonly switchRuns?: number
  /** Random schedules per budget. */
  readonly randomRuns?: number
}

export interface Scenario<A> {
  readonly name: string
  readonly program: (edition: Edition) => Eff<A>
  /** Why an outcome is wrong, or `undefined` when it is right; by default every outcome is. */
  readonly check?: (exit: Exit<A>) => string | undefined
  readonly explore?: ExploreOptions
}

/**
 * A scenario's exploration options in an explorer's terms, given the
 * budgets that explorer uses when a scenario asks for few of them (each
 * Effect counts operations differently, so each edition names its own).
 */
export const explorerOptions = (scenario: Scenario<unknown>, fewBudgets: ReadonlyArray<number>): {
  readonly budgets?: ReadonlyArray<number>
  readonly switchRuns?: number
  readonly randomRuns?: number
} => ({
  ...(scenario.explore?.fewBudgets ? { budgets: fewBudgets } : {}),
  ...(scenario.explore?.switchRuns === undefined ? {} : { switchRuns: scenario.explore.switchRuns }),
  ...(scenario.explore?.randomRuns === undefined ? {} : { randomRuns: scenario.explore.randomRuns })
})

const scenario = <A>(s: Scenario<A>): Scenario<unknown> => s as Scenario<unknown>

/** The value of a successful exit. */
export const valueOf = <A>(exit: Exit<A>): A | undefined => exit._tag === "Success" ? exit.value : undefined

/** What a failure is chiefly about, as `Cause.squash` picks it: its first failure, else its first defect. */
export const squash = (exit: Exit<unknown>): unknown =>
  exit._tag === "Success" ? undefined : exit.failures.length > 0 ? exit.failures[0] : exit.defects[0]

/** A failure that holds an interruption and nothing else. */
export const isInterruptedOnly = (exit: Exit<unknown>): boolean =>
  exit._tag === "Failure" && exit.interrupted && exit.failures.length === 0 && exit.defects.length === 0

/** The exit of `effect` and the virtual instant it ended at. */
const timed = <A>(ed: Edition, effect: Eff<A>): Eff<{ readonly exit: Exit<A>; readonly at: number }> =>
  ed.gen(function*() {
    const exit = yield* ed.exit(effect)
    const at = yield* ed.now
    return { exit, at }
  })

export const scenarios: ReadonlyArray<Scenario<unknown>> = [
  scenario({
    name: "1. an interruption lands while a task waits for the permit another holds",
    program: (ed) =>
      timed(
        ed,
        ed.scoped(ed.gen(function*() {
          const group = yield* ed.group<void>("g", { semaphore: ed.semaphore(1) })
          yield* ed.createTask(group, ed.sleep(10))
          yield* ed.createTask(group, ed.never)
          return yield* ed.fail("stop")
        }))
      ),
    check: (exit) => {
      const result = valueOf(exit)
      if (result === undefined || result.exit._tag !== "Failure") return "did not fail"
      if (squash(result.exit) !== "stop") return "did not fail with stop"
      return result.at === 10 ? undefined : `ended at t=${result.at}, not t=10`
    }
  }),

  scenario({
    name: "1. a task created in an uninterruptible region can still be interrupted by its group",
    program: (ed) =>
      timed(
        ed,
        ed.scoped(ed.gen(function*() {
          const group = yield* ed.group<void>("g", { concurrency: 2, strategy: "interrupt" })
          yield* ed.uninterruptible(ed.createTask(group, ed.never))
          yield* ed.createTask(group, ed.andThen(ed.sleep(10), ed.fail("boom")))
          return yield* ed.join(group)
        }))
      ),
    check: (exit) => {
      const result = valueOf(exit)
      return result !== undefined && result.exit._tag === "Failure" && result.at === 10
        ? undefined
        : `expected a failure at t=10, got t=${result?.at}`
    }
  }),

  scenario({
    name: "2. under interrupt, a failure while the scope closes normally interrupts the siblings",
    program: (ed) =>
      ed.gen(function*() {
        const closed = yield* timed(
          ed,
          ed.scoped(ed.gen(function*() {
            const group = yield* ed.group<void>("g", { strategy: "interrupt", concurrency: 4 })
            yield* ed.createTask(group, ed.andThen(ed.sleep(100), ed.fail("boom")))
            yield* ed.createTask(group, ed.sleep(10_000))
            return group
          }))
        )
        const group = valueOf(closed.exit)
        return { at: closed.at, stats: group === undefined ? undefined : yield* ed.stats(group) }
      }),
    check: (exit) => {
      const result = valueOf(exit)
      if (result?.stats === undefined) return "the scope did not close"
      if (result.at !== 100) return `closed at t=${result.at}, not t=100`
      return result.stats.interrupted === 1 ? undefined : "the sibling was not interrupted"
    }
  }),

  scenario({
    name: "3. with a shared semaphore, waiting createTasks never start a task on a failed group",
    program: (ed) =>
      ed.gen(function*() {
        const semaphore = ed.semaphore(1)
        const other = yield* ed.group<void>("other", { semaphore })
        yield* ed.createTask(other, ed.sleep(10))
        return yield* ed.scoped(ed.gen(function*() {
          const group = yield* ed.group<void>("g", { semaphore, strategy: "interrupt" })
          const first = yield* ed.fork(ed.createTask(group, ed.fail("boom")))
          const second = yield* ed.fork(ed.createTask(group, ed.sleep(5)))
          const third = yield* ed.fork(ed.createTask(group, ed.void))
          return [yield* ed.await(first), yield* ed.await(second), yield* ed.await(third)]
        }))
      })
  }),

  scenario({
    name: "3. a createTask waiting on a shared semaphore is refused when its group closes",
    program: (ed) =>
      ed.gen(function*() {
        const semaphore = ed.semaphore(1)
        const other = yield* ed.group<void>("other", { semaphore })
        yield* ed.createTask(other, ed.sleep(10))
        const waiting = yield* ed.scoped(ed.gen(function*() {
          const group = yield* ed.group<void>("g", { semaphore })
          const waiting = yield* ed.fork(ed.createTask(group, ed.void))
          yield* ed.sleep(1)
          return waiting
        }))
        return yield* ed.await(waiting)
      }),
    check: (exit) => {
      const waited = valueOf(exit)
      return waited !== undefined && waited._tag === "Failure" ? undefined : "the waiting createTask was not refused"
    }
  }),

  scenario({
    name: "4. join and close see every task of an unbounded group",
    program: (ed) =>
      ed.scoped(ed.gen(function*() {
        const group = yield* ed.group<number>("g")
        let ended = 0
        for (let i = 0; i < 4; i++) {
          // as the first version's `Effect.repeatN(Effect.yieldNow(), i)`: one yield and `i` more
          const yields = Array.from({ length: i + 1 }, () => ed.yieldNow)
          yield* ed.createTask(group, ed.andThen(ed.all(yields, { concurrent: false }), ed.sync(() => ++ended)))
        }
        yield* ed.join(group)
        return ended
      })),
    check: (exit) => valueOf(exit) === 4 ? undefined : `join returned with ${valueOf(exit)} of 4 ended`
  }),

  scenario({
    name: "5. join waits for the tasks created before it, and a busy producer cannot starve it",
    program: (ed) =>
      ed.scoped(ed.gen(function*() {
        const group = yield* ed.group<void>("g", { concurrency: 4 })
        yield* ed.forkScoped(ed.forever(ed.andThen(ed.createTask(group, ed.sleep(10)), ed.sleep(1))))
        yield* ed.sleep(5)
        const createdBefore = (yield* ed.stats(group)).created
        const joined = yield* timed(ed, ed.join(group))
        const exits = yield* ed.exits(group)
        return { joined, createdBefore, endedBefore: exits.filter((e) => e.index < createdBefore).length }
      })),
    check: (exit) => {
      const result = valueOf(exit)
      if (result === undefined) return "the scenario failed"
      if (result.endedBefore !== result.createdBefore) return "join returned before its tasks ended"
      // the last of them is queued at t=5 behind four running tasks: it starts at t=11 and ends at t=21
      return result.joined.at <= 22 ? undefined : `join returned at t=${result.joined.at}`
    },
    explore: { fewBudgets: true, switchRuns: 60, randomRuns: 15 }
  }),

  scenario({
    name: "6. slow stream readers get every completion and the final counters, even at close",
    program: (ed) =>
      ed.scoped(ed.gen(function*() {
        const group = yield* ed.group<number>("g", { concurrency: 2 })
        for (let i = 0; i < 6; i++) yield* ed.createTask(group, i % 3 === 0 ? ed.fail("x") : ed.succeed(i))
      }))
  }),

  scenario({
    name: "7. forEach over an iterator that throws dies promptly with that defect, every permit back",
    program: (ed) => {
      const semaphore = ed.semaphore(2)
      function* items() {
        yield 1
        yield 2
        yield 3
        throw new Error("bad iterator")
      }
      // the time each one took: both reach the throw once their first tasks have ended
      const took = <A>(effect: Eff<A>) =>
        ed.gen(function*() {
          const start = yield* ed.now
          const result = yield* timed(ed, effect)
          return { ...result, at: result.at - start }
        })
      return ed.all([
        took(ed.forEachTask(items(), () => ed.sleep(10), { concurrency: 2 })),
        took(ed.forEachTask(items(), () => ed.sleep(10), { semaphore }))
      ], { concurrent: false })
    },
    check: (exit) => {
      const both = valueOf(exit)
      if (both === undefined) return "the scenario failed"
      for (const result of both) {
        if (result.exit._tag !== "Failure") return "forEach did not fail"
        const defect = squash(result.exit)
        if (!(defect instanceof Error) || defect.message !== "bad iterator") return `wrong cause ${String(defect)}`
        if (result.at > 10) return `died at t=${result.at}`
      }
      return undefined
    }
  }),

  scenario({
    name: "8. fibers a task forks are interrupted when the task ends",
    program: (ed) =>
      ed.gen(function*() {
        let childEndedAt = -1
        const closed = yield* timed(
          ed,
          ed.scoped(ed.gen(function*() {
            // one permit: the second task runs right after the first, where a reused fiber would keep the child
            const group = yield* ed.group<void>("g", { concurrency: 1 })
            const child = ed.onInterrupt(
              ed.never,
              ed.gen(function*() {
                childEndedAt = yield* ed.now
              })
            )
            yield* ed.createTask(group, ed.andThen(ed.fork(child), ed.sleep(10)))
            yield* ed.createTask(group, ed.sleep(100))
          }))
        )
        return { childEndedAt, closedAt: closed.at }
      }),
    check: (exit) => {
      const result = valueOf(exit)
      return result?.childEndedAt === 10 && result.closedAt === 110
        ? undefined
        : `child ended at ${result?.childEndedAt}, group closed at ${result?.closedAt}`
    }
  }),

  scenario({
    name: "a task interrupted alone, queued or running, gives its permit on and the next runs",
    program: (ed) =>
      ed.scoped(ed.gen(function*() {
        const group = yield* ed.group<string>("g", { concurrency: 1, backlog: 2 })
        const first = yield* ed.createTask(group, ed.as(ed.sleep(5), "first"))
        const queued = yield* ed.createTask(group, ed.succeed("queued"))
        const last = yield* ed.createTask(group, ed.succeed("last"))
        yield* queued.interrupt
        yield* ed.fork(first.interrupt)
        return [yield* last.join, yield* ed.exit(queued.join)] as const
      })),
    check: (exit) => {
      const result = valueOf(exit)
      return result?.[0] === "last" && isInterruptedOnly(result[1]) ? undefined : "wrong outcomes"
    }
  }),

  scenario({
    name: "a producer that outruns the backlog is held back, and interrupting it loses nothing",
    program: (ed) =>
      ed.scoped(ed.gen(function*() {
        const group = yield* ed.group<number>("g", { concurrency: 2, backlog: 2 })
        const producer = yield* ed.fork(
          ed.forEach([0, 1, 2, 3, 4, 5, 6, 7], (i) => ed.createTask(group, ed.as(ed.sleep(1 + (i % 3)), i)))
        )
        yield* ed.sleep(2)
        yield* ed.interruptFiber(producer)
        yield* ed.join(group)
        const stats = yield* ed.stats(group)
        const results = yield* ed.results(group)
        return { stats, results }
      })),
    check: (exit) => {
      const result = valueOf(exit)
      if (result === undefined) return "the scenario failed"
      const expected = Array.from({ length: result.stats.created }, (_, i) => i)
      return JSON.stringify(result.results) === JSON.stringify(expected)
        ? undefined
        : `results ${result.results} for ${result.stats.created} created`
    }
  }),

  scenario({
    name: "a task runs as on a fiber of its own: nothing an earlier task left behind reaches it",
    program: (ed) =>
      ed.scoped(ed.gen(function*() {
        const label = ed.label("test/Label", "caller's")
        let childInterrupted = false
        const group = yield* ed.group<string>("g", { concurrency: 1, backlog: 8 })
        yield* ed.createTask(
          group,
          label.leave(
            "first task's",
            ed.gen(function*() {
              const started = yield* ed.latch
              yield* ed.fork(
                ed.onInterrupt(ed.andThen(started.open, ed.never), ed.sync(() => (childInterrupted = true)))
              )
              // a fiber interrupted before its first step runs no finalizer: let the child start
              yield* started.await
              return "first"
            })
          )
        )
        const second = yield* ed.createTask(
          group,
          ed.gen(function*() {
            const seen = yield* label.read
            return `${seen} ${childInterrupted}`
          })
        )
        const third = yield* ed.createTask(group, ed.as(ed.sleep(1), "third"))
        const fourth = yield* ed.createTask(group, ed.succeed("fourth"))
        // lands as the third task ends: it must never reach the fourth
        yield* ed.fork(ed.andThen(ed.sleep(1), third.interrupt))
        return [yield* second.join, yield* fourth.join] as const
      })),
    check: (exit) => {
      const result = valueOf(exit)
      return result?.[0] === "caller's true" && result[1] === "fourth" ? undefined : `saw ${result}`
    }
  }),

  scenario({
    name: "an interrupt asked for as a task ends never reaches the task its fiber runs next",
    program: (ed) =>
      ed.scoped(ed.gen(function*() {
        const group = yield* ed.group<string>("g", { concurrency: 2, backlog: 4 })
        // its child keeps its fiber from running another task, so the next task gets a fresh one
        const first = yield* ed.createTask(
          group,
          ed.gen(function*() {
            yield* ed.fork(ed.never)
            yield* ed.sleep(1)
            return "first"
          })
        )
        const created: { waiter?: Task<string> } = {}
        // woken by the first task's end just before the waiter, and in the same step of the group
        const interrupter = yield* ed.fork(ed.gen(function*() {
          yield* first.join
          yield* created.waiter!.interrupt
        }))
        yield* ed.yieldNow
        created.waiter = yield* ed.createTask(group, ed.as(first.join, "waiter"))
        const next = yield* ed.createTask(group, ed.succeed("next"))
        const last = yield* ed.createTask(group, ed.succeed("last"))
        yield* ed.await(interrupter)
        return [yield* ed.exit(next.join), yield* ed.exit(last.join)] as const
      })),
    check: (exit) => {
      const result = valueOf(exit)
      if (result === undefined) return "the scenario failed"
      return valueOf(result[0]) === "next" && valueOf(result[1]) === "last"
        ? undefined
        : `next ${JSON.stringify(result[0])}, last ${JSON.stringify(result[1])}`
    }
  }),

  scenario({
    name: "a task that fails in an uninterruptible region as it is interrupted keeps its failure",
    program: (ed) =>
      ed.scoped(ed.gen(function*() {
        const group = yield* ed.group<string>("g", { concurrency: 1, backlog: 2 })
        yield* ed.createTask(group, ed.as(ed.sleep(1), "first"))
        // runs on the fiber the first task leaves, where one is handed on
        const failing = yield* ed.createTask(group, ed.uninterruptible(ed.andThen(ed.sleep(4), ed.fail("boom"))))
        yield* ed.fork(ed.andThen(ed.sleep(3), failing.interrupt))
        const exit = yield* ed.exit(failing.join)
        yield* ed.join(group)
        return { exit, stats: yield* ed.stats(group) }
      })),
    check: (exit) => {
      const result = valueOf(exit)
      if (result === undefined) return "the scenario failed"
      const ended = result.exit
      return ended._tag === "Failure" && ended.failures.includes("boom") && result.stats.failed === 1
        ? undefined
        : `the task ended ${JSON.stringify(ended)}, stats ${JSON.stringify(result.stats)}`
    }
  }),

  // permits, re-entry and forking as the caller (issue 19's hard parts, which every edition must get right)

  ...(["the waiting createTask", "the group's scope"] as const).map((stop) =>
    scenario({
      name: `a permit handed to a waiting createTask is never lost when ${stop} is interrupted as it comes`,
      program: (ed) =>
        ed.gen(function*() {
          const semaphore = ed.semaphore(1)
          const other = yield* ed.group<void>("other", { semaphore })
          // the permit comes free at t=10, the instant the interruption lands
          yield* ed.createTask(other, ed.sleep(10))
          const inner = ed.scoped(ed.gen(function*() {
            const group = yield* ed.group<void>("g", { semaphore })
            const waiting = yield* ed.fork(ed.createTask(group, ed.sleep(1)))
            if (stop === "the waiting createTask") {
              yield* ed.sleep(10)
              yield* ed.interruptFiber(waiting)
            }
            yield* ed.await(waiting)
          }))
          yield* stop === "the group's scope" ? ed.ignore(ed.timeout(inner, 10)) : inner
          // the other group's task may end in the same instant as the interruption, after it
          yield* ed.join(other)
          return yield* ed.permitsFree(semaphore, 1)
        }),
      check: (exit) => valueOf(exit) === true ? undefined : "the permit was not free once both groups were done"
    })
  ),

  scenario({
    name: "a shared semaphore's permits are taken atomically by several groups at once",
    program: (ed) => {
      const semaphore = ed.semaphore(2)
      const groups = ["a", "b", "c"].map((name) =>
        ed.scoped(ed.gen(function*() {
          const group = yield* ed.group<void>(name, { semaphore, backlog: 1 })
          const producer = yield* ed.fork(ed.forEach([1, 2, 3], (d) => ed.createTask(group, ed.sleep(d))))
          yield* ed.sleep(2)
          yield* ed.interruptFiber(producer)
        }))
      )
      return ed.all(groups, { concurrent: true })
    }
  }),

  scenario({
    name: "interrupting every task re-enters the group from its finalizers, and the group stays consistent",
    program: (ed) =>
      ed.scoped(ed.gen(function*() {
        const group = yield* ed.group<number>("g", { concurrency: 4, strategy: "interrupt" })
        const handles: Array<Task<number>> = []
        const seen: Array<string> = []
        // each finalizer calls back into the group while the group is interrupting its tasks
        const reentering = (i: number) =>
          ed.onInterrupt(
            ed.never,
            ed.gen(function*() {
              const refused = yield* ed.exit(ed.createTask(group, ed.succeed(99)))
              seen.push(refused._tag === "Failure" ? String((squash(refused) as { reason: string }).reason) : "created")
              ed.checkStats("g (in a finalizer)", yield* ed.stats(group))
              const next = handles[(i + 1) % handles.length]
              if (next !== undefined) yield* ed.forkDaemon(next.interrupt)
            })
          )
        for (let i = 0; i < 3; i++) handles.push(yield* ed.createTask(group, reentering(i)))
        yield* ed.createTask(group, ed.andThen(ed.sleep(5), ed.fail("boom")))
        const joined = yield* ed.exit(ed.join(group))
        return { joined, seen, stats: yield* ed.stats(group) }
      })),
    check: (exit) => {
      const result = valueOf(exit)
      if (result === undefined) return "the scenario failed"
      if (result.joined._tag !== "Failure") return "join did not fail"
      if (result.seen.length !== 3 || result.seen.some((r) => r !== "failed")) return `refusals ${result.seen}`
      const { failed, interrupted, running }: Stats = result.stats
      return failed === 1 && interrupted === 3 && running === 0 ? undefined : JSON.stringify(result.stats)
    }
  }),

  scenario({
    name: "a task is forked as its caller at the createTask call, whichever task's end starts it",
    program: (ed) =>
      ed.scoped(ed.gen(function*() {
        const who = ed.label("test/Who", "nobody")
        const group: Group<string> = yield* ed.group<string>("g", { concurrency: 1, backlog: 0 })
        const probe = ed.andThen(ed.sleep(1), who.read)
        const callers = ["a", "b", "c"].map((name) => ed.fork(who.provide(name, ed.createTask(group, probe))))
        const fibers = yield* ed.all(callers, { concurrent: false })
        const handles = yield* ed.joinAll(fibers)
        const seen = yield* ed.all(handles.map((handle) => handle.join), { concurrent: false })
        return seen.sort().join(",")
      })),
    check: (exit) => valueOf(exit) === "a,b,c" ? undefined : `tasks saw ${valueOf(exit)}`
  })
]

/** A program that breaks one of the explorer's own invariants on purpose, and the invariant it must report. */
export interface BrokenProgram {
  readonly name: string
  readonly program: (edition: Edition) => Eff<unknown>
  readonly breaks: string
}

/**
 * The explorer's check of itself: each edition's explorer must report each
 * of these, so that a harness that stopped looking (a scheduler hook no
 * longer called, an end check no longer made) fails here rather than
 * passing every scenario.
 */
export const brokenPrograms: ReadonlyArray<BrokenProgram> = [
  {
    name: "a program that waits for nothing that can come hangs",
    program: (ed) => ed.andThen(ed.yieldNow, ed.never),
    breaks: "the scenario never hangs"
  },
  {
    name: "a program that waits for nothing at its very first step hangs",
    program: (ed) => ed.never,
    breaks: "the scenario never hangs"
  },
  {
    name: "a program that yields for ever spins",
    program: (ed) => ed.forever(ed.yieldNow),
    breaks: "the scenario never hangs"
  },
  {
    name: "a fiber left running outlives the scenario",
    program: (ed) => ed.andThen(ed.forkDaemon(ed.never), ed.yieldNow),
    breaks: "no fiber outlives the scenario"
  },
  {
    name: "a task body run outside its group does not end before the group closes",
    program: (ed) =>
      ed.scoped(ed.gen(function*() {
        const group: Group<unknown> = yield* ed.group("g", {})
        yield* ed.forkDaemon(ed.task(group, ed.never))
        yield* ed.sleep(1)
      })),
    breaks: "tasks end before their group closes"
  }
]
