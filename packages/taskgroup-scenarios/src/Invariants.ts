/**
 * The TaskGroup's guarantees as the interleaving explorer checks them, in
 * every run of every scenario, written once for both editions. Each
 * edition's harness (`test/explorer/Explorer.ts`) builds its groups, tasks
 * and semaphores in its own Effect, and reports to a `Checker` what it
 * sees: a task's start and end, a group's close, what its slow readers of
 * `changes` and `completions` got, and synchronous views of each group's
 * state. The checks themselves are here.
 */
import type { Stats } from "./Edition.js"
import type { Violation } from "./Exploration.js"

/** A group's internal state, as each edition's `debugState` gives it to the explorer. */
export interface DebugState {
  readonly phase: string
  readonly capacity: number | undefined
  readonly free: number
  readonly queued: number
  readonly producers: number
  readonly running: number
  readonly waitingForPermit: boolean
  readonly joiners: number
  readonly subscribers: number
}

/** What the checks read of a group, synchronously, in the edition's terms. */
export interface GroupView {
  readonly stats: () => Stats
  readonly debugState: () => DebugState
  /** The group's state as it shows it (`toJSON().state`): "failed" once it failed. */
  readonly state: () => string
  /** The recorded outcomes, in the order the group gives them: each index, and how it ended. */
  readonly exits: () => ReadonlyArray<{ readonly index: number; readonly ending: Ending | "not an Exit" }>
}

/** How a task ended: its `Exit`'s tag. */
export type Ending = "Success" | "Failure"

/** A task handle's view: its index and, once it has ended, how. */
export interface HandleView {
  readonly index: number
  readonly poll: () => Ending | undefined
}

export interface TrackedGroup {
  readonly name: string
  readonly view: GroupView
  /** The shared semaphore it draws on, by identity. */
  readonly semaphore: object | undefined
  readonly concurrency: number | undefined
  readonly started: Set<number>
  readonly ended: Set<number>
  closed: boolean
  readonly handles: Array<HandleView>
  readonly completionsSeen: Array<number>
  completionsReaderDone: boolean
  lastChange: Stats | undefined
}

/** A semaphore whose permits are checked to be all back at the end. */
export interface TrackedSemaphore {
  readonly semaphore: object
  readonly permits: number
  readonly allFree: () => boolean
}

/** The invariants of one run: what they have been told, and the violations found. */
export class Checker {
  readonly violations: Array<Violation> = []
  readonly groups: Array<TrackedGroup> = []
  readonly semaphores: Array<TrackedSemaphore> = []
  /** `createTask` calls in flight, which must all have ended. */
  pendingCreates = 0
  private nextTaskId = 0

  violation(invariant: string, detail: string): void {
    if (this.violations.length < 20) this.violations.push({ invariant, detail })
  }

  /** Starts tracking a group, before it has any task. */
  track(
    name: string,
    view: GroupView,
    options: { readonly semaphore: object | undefined; readonly concurrency: number | undefined }
  ): TrackedGroup {
    const tracked: TrackedGroup = {
      name,
      view,
      semaphore: options.semaphore,
      concurrency: options.concurrency,
      started: new Set(),
      ended: new Set(),
      closed: false,
      handles: [],
      completionsSeen: [],
      completionsReaderDone: false,
      lastChange: undefined
    }
    this.groups.push(tracked)
    return tracked
  }

  /** Called right after the group's scope has closed: every task that started has ended. */
  closed(tracked: TrackedGroup): void {
    tracked.closed = true
    for (const id of tracked.started) {
      if (!tracked.ended.has(id)) this.violation("tasks end before their group closes", `${tracked.name}: task ${id}`)
    }
  }

  /** A task body of `tracked` starts: returns its id, for `taskEnded`. */
  taskStarted(tracked: TrackedGroup): number {
    const id = this.nextTaskId++
    if (tracked.closed) this.violation("no task runs after its group closed", `${tracked.name}: task ${id}`)
    if (tracked.view.state() === "failed") {
      this.violation("no task starts on a failed group", `${tracked.name}: task ${id}`)
    }
    tracked.started.add(id)
    return id
  }

  taskEnded(tracked: TrackedGroup, id: number): void {
    tracked.ended.add(id)
  }

  /** What a slow reader of the group's `changes` got. */
  changed(tracked: TrackedGroup, stats: Stats): void {
    this.checkStats(tracked.name, stats)
    tracked.lastChange = stats
  }

  /** `created = queued + running + succeeded + failed + interrupted`, at any observation. */
  checkStats(name: string, stats: Stats): void {
    const sum = stats.queued + stats.running + stats.succeeded + stats.failed + stats.interrupted
    if (stats.created !== sum) {
      this.violation(
        "created = queued + running + succeeded + failed + interrupted",
        `${name}: ${JSON.stringify(stats)}`
      )
    }
  }

  /** Checks made at every scheduler step: counters add up and no limit is exceeded. */
  checkStep(): void {
    const runningPerSemaphore = new Map<object, number>()
    for (const tracked of this.groups) {
      const stats = tracked.view.stats()
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

  /** Checks made once the scenario has ended, given every fiber that ever ran and whether it has ended. */
  checkEnd(fibers: Iterable<{ readonly id: unknown; readonly ended: boolean }>): void {
    for (const { allFree, permits } of this.semaphores) {
      if (!allFree()) this.violation("every permit is back", `a shared semaphore of ${permits}`)
    }
    if (this.pendingCreates !== 0) this.violation("no createTask is left waiting", `${this.pendingCreates} in flight`)
    for (const tracked of this.groups) this.checkClosedGroup(tracked)
    for (const fiber of fibers) {
      if (!fiber.ended) this.violation("no fiber outlives the scenario", `fiber ${fiber.id}`)
    }
  }

  private checkClosedGroup(tracked: TrackedGroup): void {
    const state = tracked.view.debugState()
    if (state.phase !== "closed") this.violation("every group closes", `${tracked.name}: ${state.phase}`)
    if (state.capacity !== undefined && state.free !== state.capacity) {
      this.violation("every permit is back", `${tracked.name}: ${state.free} of ${state.capacity}`)
    }
    if (state.queued + state.producers + state.running + state.joiners !== 0 || state.waitingForPermit) {
      this.violation("nothing is left in a closed group", `${tracked.name}: ${JSON.stringify(state)}`)
    }
    const stats = tracked.view.stats()
    this.checkStats(tracked.name, stats)
    if (JSON.stringify(tracked.lastChange) !== JSON.stringify(stats)) {
      this.violation(
        "a changes reader ends on the final counters",
        `${tracked.name}: ${JSON.stringify(tracked.lastChange)} vs ${JSON.stringify(stats)}`
      )
    }
    const exits = tracked.view.exits()
    exits.forEach(({ index }, i) => {
      if (i > 0 && exits[i - 1].index >= index) {
        this.violation("results are in creation order", `${tracked.name}: ${exits.map((e) => e.index)}`)
      }
    })
    for (const handle of tracked.handles) {
      const ending = handle.poll()
      if (ending === undefined) {
        this.violation("every created task ends", `${tracked.name}: task ${handle.index}`)
        continue
      }
      const recorded = exits.find((e) => e.index === handle.index)
      if (recorded === undefined || recorded.ending !== ending) {
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
}
