/**
 * The version-neutral half of the interleaving explorer, in the spirit of
 * Tokio's loom and Java's jcstress: everything about schedules that does
 * not touch Effect, so that both editions' explorers
 * (packages/taskgroup/test/explorer/Explorer.ts and
 * packages/taskgroup-effect4/test/explorer/Explorer.ts) explore in the same
 * way and differ only in how they hook into their Effect.
 *
 * - `RunLine` is the one line of runnable tasks of a run: the edition's
 *   scheduler hands it every task, and it runs them one at a time in the
 *   order a `Chooser` picks, with `VirtualTime` moved only once nothing can
 *   run. So time passes only when everything is idle, a scenario never needs
 *   to advance a clock itself, and a run in which nothing can run and
 *   nobody sleeps is a hang, detected at once rather than by a timeout.
 * - `runOnce` runs one scenario on one schedule and collects its
 *   violations; `explore` runs it on many: for each budget, the first-come
 *   order, then one run per place where the scheduler could switch and per
 *   task it could switch to, then random schedules.
 */

/** Picks which of `n` runnable tasks runs next. */
export type Chooser = (n: number) => number

/** The record of one scenario run's violations. */
export interface Violation {
  readonly invariant: string
  readonly detail: string
}

/** How one run was scheduled, enough to replay it. */
export interface Schedule {
  readonly budget: number
  readonly choices: ReadonlyArray<number>
  readonly seed: number | undefined
}

/** One run: how it ended (`O` is the edition's outcome), what it broke and how to replay it. */
export interface RunResult<O> {
  readonly outcome: O | "hang"
  readonly violations: ReadonlyArray<Violation>
  readonly schedule: Schedule
  /** At each scheduler step, how many tasks were runnable. */
  readonly branching: ReadonlyArray<number>
}

/** More steps than any scenario needs: a run that takes them spins, and is abandoned. */
export const maxStepsPerRun = 100_000

/** A small, fast, seeded PRNG (mulberry32), so random schedules replay. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = seed
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

/** The sleepers of a virtual clock: time moves only when the run line finds nothing to run. */
export class VirtualTime {
  now = 0
  private readonly sleepers: Array<{ readonly at: number; readonly wake: () => void }> = []

  /** Calls `wake` once `millis` have passed; returns how to cancel that. */
  sleep(millis: number, wake: () => void): () => void {
    const sleeper = { at: this.now + millis, wake }
    const after = this.sleepers.findIndex((other) => other.at > sleeper.at)
    this.sleepers.splice(after < 0 ? this.sleepers.length : after, 0, sleeper)
    return () => {
      const at = this.sleepers.indexOf(sleeper)
      if (at >= 0) this.sleepers.splice(at, 1)
    }
  }

  /** Jumps to the next sleeper's instant and wakes everyone due then; false when nobody sleeps. */
  advance(): boolean {
    if (this.sleepers.length === 0) return false
    this.now = Math.max(this.now, this.sleepers[0].at)
    while (this.sleepers.length > 0 && this.sleepers[0].at <= this.now) this.sleepers.shift()!.wake()
    return true
  }
}

/** The runnable tasks of one run, run one at a time in the order a `Chooser` picks. */
export class RunLine {
  private readonly runnable: Array<() => void> = []
  private flushing = false
  steps = 0
  /** Set when the run took more than `maxStepsPerRun` steps: something spins, and the run is abandoned. */
  spinning = false
  /** Called when nothing has run since the line went idle: the run can no longer make progress. */
  onStuck: () => void = () => {}
  /** Called when the check made after a step throws. */
  onCheckFailed: (error: unknown) => void = () => {}

  constructor(
    private readonly choose: Chooser,
    readonly time: VirtualTime,
    private readonly onStep: () => void
  ) {}

  schedule(task: () => void): void {
    this.runnable.push(task)
    if (!this.flushing) {
      this.flushing = true
      queueMicrotask(this.flush)
    }
  }

  /** Runs every runnable task now, in the order they came: what a dispatcher's own `flush` asks for. */
  runAll(): void {
    while (this.runnable.length > 0) this.runnable.shift()!()
  }

  private readonly flush = () => {
    do {
      while (this.runnable.length > 0) {
        if (this.steps > maxStepsPerRun) {
          this.spinning = true
          this.runnable.length = 0
          break
        }
        const [task] = this.runnable.splice(this.choose(this.runnable.length), 1)
        this.steps++
        task()
        try {
          this.onStep()
        } catch (error) {
          // a check that throws must fail its run, not stop the line and leave the run to hang
          this.onCheckFailed(error)
        }
      }
    } while (!this.spinning && this.time.advance())
    this.flushing = false
    // nothing can run and nobody sleeps: unless the run ends in this turn, it never will
    const steps = this.steps
    setImmediate(() => {
      if (this.steps === steps) this.onStuck()
    })
  }
}

/** What an edition's explorer gives `runOnce` for one run, on the line it built with the run's chooser. */
export interface Trial<O> {
  readonly line: RunLine
  /** Runs the scenario to its end, on the line. */
  readonly run: () => Promise<O>
  /** The outcome of a scenario that died outside Effect. */
  readonly died: (error: unknown) => O
  readonly violation: (invariant: string, detail: string) => void
  readonly violations: ReadonlyArray<Violation>
  /** The checks made once the scenario has ended. */
  readonly checkEnd: () => void
}

/**
 * Runs one trial on the schedule given by `prefix` (then `seed`, or
 * first-come first-served) and collects its violations. A run in which the
 * scenario can no longer make progress is reported as a hang.
 */
export const runOnce = <O>(
  budget: number,
  prefix: ReadonlyArray<number>,
  seed: number | undefined,
  trial: (choose: Chooser) => Trial<O>
): Promise<RunResult<O>> => {
  const choices: Array<number> = []
  const branching: Array<number> = []
  const random = seed === undefined ? undefined : prng(seed)
  const choose: Chooser = (n) => {
    const at = choices.length
    const choice = at < prefix.length ? Math.min(prefix[at], n - 1) : random ? Math.floor(random() * n) : 0
    choices.push(choice)
    branching.push(n)
    return choice
  }
  const t = trial(choose)
  // A run is all microtasks: it starts on a fresh turn of the event loop, so that many runs in a row never
  // starve the test runner's own I/O.
  const turned = new Promise<void>((resolve) => setImmediate(resolve))
  return turned.then(() =>
    new Promise((resolve) => {
      let settled = false
      const finish = (outcome: O | "hang") => {
        if (settled) return
        settled = true
        if (outcome !== "hang") t.checkEnd()
        resolve({ outcome, violations: t.violations, schedule: { budget, choices, seed }, branching })
      }
      t.line.onCheckFailed = (error) => t.violation("the explorer's checks never throw", String(error))
      t.line.onStuck = () => {
        if (settled) return
        t.violation(
          "the scenario never hangs",
          t.line.spinning ? `still running after ${maxStepsPerRun} steps` : "no fiber can run and none sleeps"
        )
        finish("hang")
      }
      t.run().then(finish, (error) => {
        t.violation("the scenario itself does not die", String(error))
        finish(t.died(error))
      })
    })
  )
}

export interface ExploreOptions {
  /** Ops-before-yield budgets to try; a small budget puts a yield at nearly every step. */
  readonly budgets?: ReadonlyArray<number>
  /** Per budget, at most this many runs that each switch at one more place than the first-come order. */
  readonly switchRuns?: number
  /** Random schedules per budget. */
  readonly randomRuns?: number
  /** Seed of the first random schedule. */
  readonly seed?: number
}

export interface Report<O> {
  readonly runs: number
  readonly failures: ReadonlyArray<RunResult<O>>
  readonly outcomes: ReadonlyArray<O | "hang">
}

/**
 * Every schedule that differs from `baseline` at exactly one place where the
 * scheduler could switch, each alternative there once.
 */
const oneSwitchFrom = (baseline: RunResult<unknown>): Array<Array<number>> => {
  const prefixes: Array<Array<number>> = []
  baseline.branching.forEach((n, at) => {
    for (let alternative = 0; alternative < n; alternative++) {
      if (alternative !== baseline.schedule.choices[at]) {
        prefixes.push([...baseline.schedule.choices.slice(0, at), alternative])
      }
    }
  })
  return prefixes
}

/**
 * Runs a scenario (through `runOnce`, which runs it once on a schedule)
 * under many schedules and budgets and returns every run that broke an
 * invariant (or hung), with the schedule that replays it: for each budget,
 * the first-come order, then one run per place where the scheduler could
 * switch and per task it could switch to, then random schedules. `check`
 * adds the scenario's own expectations. It stops after three failures.
 */
export const explore = async <O>(
  runOnce: (budget: number, prefix: ReadonlyArray<number>, seed?: number) => Promise<RunResult<O>>,
  check: (outcome: O) => string | undefined,
  options: ExploreOptions & { readonly budgets: ReadonlyArray<number> }
): Promise<Report<O>> => {
  const switchRuns = options.switchRuns ?? 150
  const randomRuns = options.randomRuns ?? 30
  let seed = options.seed ?? 1
  let runs = 0
  const failures: Array<RunResult<O>> = []
  const outcomes: Array<O | "hang"> = []
  const take = (result: RunResult<O>) => {
    runs++
    outcomes.push(result.outcome)
    const own = result.outcome === "hang" ? undefined : check(result.outcome)
    if (own !== undefined) {
      failures.push({ ...result, violations: [...result.violations, { invariant: "scenario", detail: own }] })
    } else if (result.violations.length > 0) failures.push(result)
  }
  for (const budget of options.budgets) {
    if (failures.length >= 3) break
    const baseline = await runOnce(budget, [])
    take(baseline)
    const switches = oneSwitchFrom(baseline)
    // spread the runs over the whole schedule when there are more places than runs
    const stride = Math.max(1, switches.length / switchRuns)
    for (let i = 0; i < switches.length && failures.length < 3; i += stride) {
      take(await runOnce(budget, switches[Math.floor(i)]))
    }
    for (let i = 0; i < randomRuns && failures.length < 3; i++) take(await runOnce(budget, [], seed++))
  }
  return { runs, failures, outcomes }
}

/** One line per failed run: what broke, how to replay it, and what `describe` says of how it ended. */
export const describeFailures = <O>(report: Report<O>, describe: (outcome: O) => string | undefined): string =>
  report.failures.map((failure) => {
    const ending = failure.outcome === "hang" ? undefined : describe(failure.outcome)
    return `${failure.violations.map((v) => `${v.invariant} (${v.detail})`).join("; ")} ` +
      `[budget ${failure.schedule.budget}, seed ${failure.schedule.seed}, choices ${
        failure.schedule.choices.slice(0, 40).join(",")
      }]` +
      (ending === undefined ? "" : ` exit: ${ending}`)
  }).join("\n")
