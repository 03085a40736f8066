import * as AnsiDoc from "@effect/printer-ansi/AnsiDoc"
import * as Doc from "@effect/printer/Doc"
import { TaskGroup } from "@volley/taskgroup"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
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
  elapsedMillis: number
): { readonly perSecond: number; readonly etaSeconds: number | undefined } => {
  const finished = stats.succeeded + stats.failed
  const perSecond = elapsedMillis > 0 ? finished / (elapsedMillis / 1000) : 0
  const remaining = Math.max(0, total - finished - stats.interrupted)
  return { perSecond, etaSeconds: perSecond > 0 ? remaining / perSecond : undefined }
}

const barWidth = 16

/**
 * The one-line progress bar, e.g.
 * `[########--------] 10/20 done, 1 failed, 8 running, 1 waiting, 12.5/s, ETA 0:01`.
 *
 * @internal
 */
export const formatBar = (stats: TaskGroup.Stats, total: number, elapsedMillis: number): string => {
  const finished = stats.succeeded + stats.failed
  const filled = total === 0 ? barWidth : Math.min(barWidth, Math.round((finished / total) * barWidth))
  const { etaSeconds, perSecond } = pace(stats, total, elapsedMillis)
  const eta = etaSeconds === undefined ? "--:--" : formatDuration(etaSeconds)
  return `[${"#".repeat(filled)}${
    "-".repeat(barWidth - filled)
  }] ${stats.succeeded}/${total} done, ${stats.failed} failed, ${stats.running} running, ${stats.waiting} waiting, ${
    perSecond.toFixed(1)
  }/s, ETA ${eta}`
}

/**
 * A plain progress line for logs, e.g. `volley: 10/20 matches (50%), 1 failed, 12.5/s`.
 *
 * @internal
 */
export const formatLine = (stats: TaskGroup.Stats, total: number, elapsedMillis: number): string => {
  const finished = stats.succeeded + stats.failed
  const percent = total === 0 ? 100 : Math.floor((finished / total) * 100)
  return `volley: ${finished}/${total} matches (${percent}%), ${stats.failed} failed, ${
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
    readonly mode: ProgressMode
    /** The terminal's width: a bar longer than a line would wrap and could no longer be redrawn in place. */
    readonly columns: number
    readonly writeStderr: (text: string) => Effect.Effect<void>
  }
): Effect.Effect<void, never, Scope.Scope> =>
  Effect.gen(function*() {
    const { columns, mode, total, writeStderr } = options
    const changes = TaskGroup.changes(group)
    if (mode === "off") return
    const startedAt = yield* Clock.currentTimeMillis
    const elapsed = Effect.map(Clock.currentTimeMillis, (now) => now - startedAt)

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
            if (isNewQuarter) yield* writeStderr(formatLine(stats, total, yield* elapsed) + "\n")
          })
        ),
        Effect.forkScoped
      )
      return
    }

    const latest = yield* Ref.make<TaskGroup.Stats | undefined>(undefined)
    const clear = AnsiDoc.render(Doc.cat(AnsiDoc.eraseLine, AnsiDoc.cursorLeft), { style: "pretty" })
    const redraw = Effect.gen(function*() {
      const stats = yield* Ref.get(latest)
      if (stats !== undefined) {
        yield* writeStderr(clear + formatBar(stats, total, yield* elapsed).slice(0, Math.max(1, columns - 1)))
      }
    })
    yield* Effect.addFinalizer(() => writeStderr(clear + AnsiDoc.render(AnsiDoc.cursorShow, { style: "pretty" })))
    yield* writeStderr(AnsiDoc.render(AnsiDoc.cursorHide, { style: "pretty" }))
    yield* Effect.forkScoped(Stream.runForEach(changes, (stats) => Ref.set(latest, stats)))
    yield* Effect.forkScoped(Effect.repeat(redraw, Schedule.spaced(redrawInterval)))
  })
