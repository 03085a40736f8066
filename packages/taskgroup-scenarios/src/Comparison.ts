/**
 * The version-neutral half of the differential test that each edition
 * runs (`test/reference/Differential.ts` of each package): what the two
 * implementations may differ in by design, and the plain-data forms in
 * which an edition's observations are compared, so that both editions
 * compare in the same way.
 */
import type { Stats } from "./Edition.js"
import type { GroupSpec } from "./ProgramSpec.js"

/*
 * Where the real group may differ from the reference by design, and how the
 * comparison allows it. This is the one place that says so.
 *
 * - The backlog: with room in it, the real `createTask` returns before its
 *   task holds a permit, so a producer runs ahead (and its later tasks get
 *   other indices and creation instants) and a full backlog wakes its
 *   producer only once it has drained to half. The reference has no backlog,
 *   so both run with `backlog: 0`; the backlog is covered by the explorer's
 *   invariants, which run the same specs with it.
 * - Timing within one instant: which of two things that happen in the same
 *   virtual instant happens first is the scheduler's choice, and the two
 *   implementations take different numbers of steps, so two producers that
 *   call `createTask` in one instant may be served in either order, and
 *   tasks that end in one instant in any order. So every time in a spec is
 *   spread out: a whole number of `unit`s plus an offset of its own, drawn
 *   from the name of what it times (`offsetOf`), so that no two independent
 *   events fall in the same instant (a sum of offsets matching another is
 *   about as likely as a 32-bit hash collision). Completions are still
 *   compared instant by instant, as sets, for the events one event causes
 *   at once (a group's failure interrupting its tasks).
 * - When `forEach` asks for the next item: a group with its own permits
 *   asks only once a permit is free for it, where a `createTask` loop asks
 *   first and then waits. The reference's `feed` does the same (see there),
 *   so that how many items were pulled, and whether they ran out before an
 *   interruption, compare.
 * - Which of two callers in the same instant gets the lower index: so
 *   tasks are compared by name (which producer, which position), not by
 *   index, and a summary's lists in name order; that they are in creation
 *   order is the explorer's invariant.
 * - Who a freed permit goes to: a `forEach` in a group with its own
 *   permits takes one only when no `createTask` call waits for it (its items
 *   are in line behind every waiting call), where the reference serves its
 *   callers first come, first served. So a `forEach` producer that shares
 *   such a group with other callers (another producer, a task that creates
 *   a task) runs as a `createTask` loop here (`asForEachHere`); the
 *   explorer runs the mix.
 * - Who a shared semaphore's freed permit goes to: a group waits in the
 *   semaphore's line once, for its queue and its waiting callers together,
 *   so a caller that joins a group already waiting is served from the
 *   group's place in the line, ahead of other groups' callers that came
 *   before it; the reference's callers each wait in the line. So each group
 *   here gets a semaphore of its own, with the spec's permits (the
 *   semaphore's path is the same); the explorer runs groups sharing one.
 * - Fiber ids and the shape of a cause: an interruption's fiber id, and
 *   how a cause nests or orders its parts, are not compared; a cause is
 *   compared as the sorted lists of its failures and defects, and whether
 *   it holds an interruption (`NormalCause`).
 * - The warning a failed task logs under `collect` is not compared: the
 *   reference does not log.
 */
/** Longer than any sum of offsets, which stay below 2^32 each, and small enough that times stay exact integers. */
export const unit = 1e12

/**
 * An offset below 2^32 of its own for what `name` times: FNV-1a, then
 * MurmurHash3's finalizer, without which names that differ in one letter
 * get offsets a multiple of FNV's prime apart, and sums of them meet.
 */
export const offsetOf = (name: string): number => {
  let hash = 0x811c9dc5
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193)
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b)
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35)
  return ((hash ^ (hash >>> 16)) >>> 0) + 1
}

/** See the differences allowed above: a `forEach` alone in a group with its own permits, or beside any producer otherwise. */
export const asForEachHere = (group: GroupSpec, producer: GroupSpec["producers"][number]): boolean =>
  producer.asForEach &&
  (group.limit.kind !== "own" ||
    (group.producers.length === 1 && producer.tasks.every((task) => !task.spawnsSibling)))

/** A cause as it is compared: its failures and defects, each as text and sorted, and whether it holds an interruption. */
export interface NormalCause {
  readonly failures: ReadonlyArray<string>
  readonly defects: ReadonlyArray<string>
  readonly interrupted: boolean
}

export type NormalExit = { readonly value: unknown } | NormalCause

/** A summary as it is compared, with indices still in it. */
export interface NormalSummary {
  readonly results: ReadonlyArray<unknown>
  readonly failures: ReadonlyArray<{ readonly index: number; readonly cause: NormalCause }>
  readonly exits: ReadonlyArray<{ readonly index: number; readonly exit: NormalExit }>
  readonly stats: Stats
}

/** Completions, instant by instant, each instant's tasks sorted. */
export const byInstant = (seen: ReadonlyArray<readonly [number, string]>) => {
  const instants = new Map<number, Array<string>>()
  for (const [at, id] of seen) instants.set(at, [...(instants.get(at) ?? []), id])
  return [...instants].map(([at, ids]) => [at, ids.sort()] as const)
}

const byTask = (
  a: { readonly task: string; readonly exit?: unknown },
  b: { readonly task: string; readonly exit?: unknown }
) => {
  const ka = a.task + JSON.stringify(a.exit)
  const kb = b.task + JSON.stringify(b.exit)
  return ka < kb ? -1 : ka > kb ? 1 : 0
}

/** A summary with each index replaced by its task's name, in name order. */
export const byIdentity = (summary: NormalSummary, identityOf: (index: number) => string) => ({
  results: [...summary.results].map(String).sort(),
  failures: summary.failures.map(({ cause, index }) => ({ task: identityOf(index), cause })).sort(byTask),
  exits: summary.exits.map(({ exit, index }) => ({ task: identityOf(index), exit })).sort(byTask),
  stats: summary.stats
})

/** An object with its keys in order: tasks by name, not in the order they started, which within an instant is the scheduler's. */
export const sortedByKey = <A>(record: Record<string, A>): Record<string, A> =>
  Object.fromEntries(Object.entries(record).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0))

/** What a task saw of its caller, in the terms both editions share. */
export interface SharedSeen {
  /** The value its caller gave a label of its own (a FiberRef on Effect 3, a `Context.Reference` on Effect 4). */
  readonly caller: string
  readonly annotations: Record<string, unknown>
  readonly producer: string | undefined
  readonly span: string | undefined
  /** Whether its fiber yields to others as its caller's does (off for a caller that turned yielding off). */
  readonly yields: boolean
  readonly nested?: unknown
}

/**
 * An edition's observation in the terms both editions share, so that the
 * two editions' real groups can be compared with each other: every group's
 * observation as it is, and what each task saw of its caller through `seen`.
 */
export const acrossEditions = <S>(
  observed: { readonly groups: ReadonlyArray<unknown>; readonly tasks: Record<string, S> },
  seen: (seen: S) => SharedSeen
) => ({
  groups: observed.groups,
  tasks: Object.fromEntries(
    Object.entries(observed.tasks).map(([id, s]) => {
      const shared = seen(s)
      // annotations as a set: Effect 3 keeps them in a HashMap, Effect 4 in a record in the order they were added
      return [id, { ...shared, annotations: sortedByKey(shared.annotations) }]
    })
  )
})
