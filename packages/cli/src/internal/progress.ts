import * as AnsiDoc from "@effect/printer-ansi/AnsiDoc"
import * as Doc from "@effect/printer/Doc"
import { TaskGroup } from "@volley/taskgroup"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as Schedule from "effect/Schedule"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import { formatDuration } from "./render.js"

/**
 * `"bar"` redraws one line in place (stderr is a terminal); `"lines"` writes a
 * plain line at each quarter of the way (stderr is a file or a pipe); `"off"`
 * shows nothing.
 *
 * @internal
 */
export type ProgressMode = "bar" | "lines" | "off"

/**
 * The finished matches per second, and the time left at that pace.
 *
 * @internal
 */
export const pace = (
  stats: TaskGroup.Stats,
  total: number,
  elapsedMillis: number,
  limitsWaitMillis: number = 0
): { readonly perSecond: number; readonly etaSeconds: number | undefined } => {
  const finished = stats.succeeded + stats.failed
  const perSecond = elapsedMillis > 0 ? finished / (elapsedMillis / 1000) : 0
  const remaining = Math.max(0, total - finished - stats.interrupted)
  const atThisPace = perSecond > 0 ? remaining / perSecond : undefined
  // The pace so far knows nothing of the windows still to come: nothing
  // finishes before the rate limits let the remaining requests go.
  const byTheLimits = remaining > 0 && limitsWaitMillis > 0 ? limitsWaitMillis / 1000 : undefined
  return {
    perSecond,
    etaSeconds: byTheLimits === undefined
      ? atThisPace
      : atThisPace === undefined
      ? byTheLimits
      : Math.max(byTheLimits, atThisPace)
  }
}

/**
 * What progress says while the rate limiter holds requests back, e.g.
 * `waiting for Riot's rate limit: 1:52`.
 *
 * @internal
 */
export const formatHold = (heldForMillis: number): string =>
  `waiting for Riot's rate limit: ${formatDuration(heldForMillis / 1000)}`

const barWidth = 16

/**
 * The one-line progress bar, e.g.
 * `[########--------] 10/20 done, 1 failed, 8 running, 1 waiting, 12.5/s, ETA 0:01`,
 * with `waiting for Riot's rate limit: 1:52` before the ETA while the rate
 * limiter holds requests back for `limits.heldForMillis` more, in place of
 * the details when the line would be longer than `maxWidth`
 * (`[###############-] 98/100 done, waiting for Riot's rate limit: 1:52, ETA 1:52`). The ETA is
 * never before the rate limits let every remaining request go
 * (`limits.allSentInMillis`) or the hold ends.
 *
 * @internal
 */
export const formatBar = (
  stats: TaskGroup.Stats,
  total: number,
  elapsedMillis: number,
  limits: { readonly heldForMillis: number; readonly allSentInMillis: number } = {
    heldForMillis: 0,
    allSentInMillis: 0
  },
  maxWidth: number = Infinity
): string => {
  const { heldForMillis } = limits
  const finished = stats.succeeded + stats.failed
  const filled = total === 0 ? barWidth : Math.min(barWidth, Math.round((finished / total) * barWidth))
  const { etaSeconds, perSecond } = pace(
    stats,
    total,
    elapsedMillis,
    Math.max(heldForMillis, limits.allSentInMillis)
  )
  const eta = etaSeconds === undefined ? "--:--" : formatDuration(etaSeconds)
  const bar = `[${"#".repeat(filled)}${"-".repeat(barWidth - filled)}] ${stats.succeeded}/${total} done`
  const details = `${stats.failed} failed, ${stats.running} running, ${stats.waiting} waiting, ${
    perSecond.toFixed(1)
  }/s`
  if (heldForMillis <= 0) return `${bar}, ${details}, ETA ${eta}`
  const full = `${bar}, ${details}, ${formatHold(heldForMillis)}, ETA ${eta}`
  // While held, the hold is the news: when the line would not fit, the
  // details make way for it (an 80-column terminal cut it off).
  return full.length <= maxWidth
    ? full
    : `${bar}${stats.failed > 0 ? `, ${stats.failed} failed` : ""}, ${formatHold(heldForMillis)}, ETA ${eta}`
}

/**
 * A plain progress line for logs, e.g. `volley: 10/20 matches (50%), 1 failed, 12.5/s`;
 * `unit` names what is counted.
 *
 * @internal
 */
export const formatLine = (
  stats: TaskGroup.Stats,
  total: number,
  elapsedMillis: number,
  unit: string = "matches"
): string => {
  const finished = stats.succeeded + stats.failed
  const percent = total === 0 ? 100 : Math.floor((finished / total) * 100)
  return `volley: ${finished}/${total} ${unit} (${percent}%), ${stats.failed} failed, ${
    pace(stats, total, elapsedMillis).perSecond.toFixed(1)
  }/s`
}

/**
 * Which quarter (0 to 4) of `total` the finished count has reached.
 *
 * @internal
 */
export const quarterOf = (finished: number, total: number): number =>
  total === 0 ? 4 : Math.floor((finished * 4) / total)

const redrawInterval = "100 millis"

/** How often the plain lines look whether the rate limiter holds requests back. */
const holdCheckInterval = "1 second"

/**
 * A hold shorter than this is the limiter spacing requests inside a
 * one-second window: normal pace, not worth a line in a log.
 */
const holdWorthALineMillis = 5_000

/**
 * Shows the group's progress on stderr until the current scope closes; a bar
 * is erased when it does, so the results that follow start on a clean line.
 *
 * @internal
 */
export const display = <A, E>(
  group: TaskGroup.TaskGroup<A, E>,
  options: {
    readonly total: number
    /** What the tasks are, in the plain lines: `matches` unless told otherwise. */
    readonly unit?: string | undefined
    readonly mode: ProgressMode
    /** The terminal's width: a bar longer than a line would wrap and could no longer be redrawn in place. */
    readonly columns: number
    readonly writeStderr: (text: string) => Effect.Effect<void>
    /** Until when the rate limiter holds requests back, if it does (see `RiotRateLimiter.heldUntil`). */
    readonly heldUntil?: Effect.Effect<Option.Option<number>> | undefined
    /** How long until the limits let `requests` more go (see `RiotRateLimiter.estimateWait`). */
    readonly estimateWait?: ((requests: number) => Effect.Effect<number>) | undefined
  }
): Effect.Effect<void, never, Scope.Scope> =>
  Effect.gen(function*() {
    const { columns, mode, total, writeStderr } = options
    const changes = TaskGroup.changes(group)
    if (mode === "off") return
    const startedAt = yield* Clock.currentTimeMillis
    const elapsed = Effect.map(Clock.currentTimeMillis, (now) => now - startedAt)
    const heldUntil = options.heldUntil ?? Effect.succeedNone
    const heldFor = Effect.zipWith(
      heldUntil,
      Clock.currentTimeMillis,
      (until, now) => Option.match(until, { onNone: () => 0, onSome: (until) => Math.max(0, until - now) })
    )

    if (mode === "lines") {
      const reported = yield* Ref.make(0)
      yield* changes.pipe(
        Stream.runForEach((stats) =>
          Effect.gen(function*() {
            const quarter = quarterOf(stats.succeeded + stats.failed, total)
            const isNewQuarter = yield* Ref.modify(
              reported,
              (previous) => [quarter > previous, Math.max(quarter, previous)]
            )
            if (isNewQuarter) yield* writeStderr(formatLine(stats, total, yield* elapsed, options.unit) + "\n")
          })
        ),
        Effect.forkScoped
      )
      // A log shows a long hold once, when it starts: otherwise a run that
      // waits two minutes for a window looks stuck.
      const announcedUntil = yield* Ref.make(0)
      const announceHold = Effect.gen(function*() {
        const until = yield* heldUntil
        const now = yield* Clock.currentTimeMillis
        if (Option.isNone(until) || until.value - now < holdWorthALineMillis) return
        if (until.value <= (yield* Ref.get(announcedUntil))) return
        yield* Ref.set(announcedUntil, until.value)
        yield* writeStderr(`volley: ${formatHold(until.value - now)}\n`)
      })
      yield* Effect.forkScoped(Effect.repeat(announceHold, Schedule.spaced(holdCheckInterval)))
      return
    }

    const latest = yield* Ref.make<TaskGroup.Stats | undefined>(undefined)
    const clear = AnsiDoc.render(Doc.cat(AnsiDoc.eraseLine, AnsiDoc.cursorLeft), { style: "pretty" })
    const redraw = Effect.gen(function*() {
      const stats = yield* Ref.get(latest)
      if (stats !== undefined) {
        const remaining = Math.max(0, total - stats.succeeded - stats.failed - stats.interrupted)
        const width = Math.max(1, columns - 1)
        const bar = formatBar(stats, total, yield* elapsed, {
          heldForMillis: yield* heldFor,
          allSentInMillis: options.estimateWait === undefined ? 0 : yield* options.estimateWait(remaining)
        }, width)
        yield* writeStderr(clear + bar.slice(0, width))
      }
    })
    yield* Effect.addFinalizer(() => writeStderr(clear + AnsiDoc.render(AnsiDoc.cursorShow, { style: "pretty" })))
    yield* writeStderr(AnsiDoc.render(AnsiDoc.cursorHide, { style: "pretty" }))
    yield* Effect.forkScoped(Stream.runForEach(changes, (stats) => Ref.set(latest, stats)))
    yield* Effect.forkScoped(Effect.repeat(redraw, Schedule.spaced(redrawInterval)))
  })
