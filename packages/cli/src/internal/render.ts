import * as Ansi from "@effect/printer-ansi/Ansi"
import * as AnsiDoc from "@effect/printer-ansi/AnsiDoc"
import * as Doc from "@effect/printer/Doc"
import type { MatchFailure, MatchResult, MatchSummary, Player, Report, Totals } from "./report.js"
import { untrusted } from "./safeText.js"

/**
 * How `volley matches` writes its data to stdout.
 *
 * @internal
 */
export type Format = "table" | "json" | "jsonl"

/**
 * `m:ss`, or `h:mm:ss` past an hour.
 *
 * @internal
 */
export const formatDuration = (totalSeconds: number): string => {
  const seconds = Math.max(0, Math.round(totalSeconds))
  const hours = Math.floor(seconds / 3600)
  const minutes = Math.floor((seconds % 3600) / 60)
  const rest = String(seconds % 60).padStart(2, "0")
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, "0")}:${rest}` : `${minutes}:${rest}`
}

const queueNames: { readonly [queueId: number]: string } = {
  400: "Normal Draft",
  420: "Ranked Solo/Duo",
  430: "Normal Blind",
  440: "Ranked Flex",
  450: "ARAM",
  480: "Swiftplay",
  490: "Quickplay",
  700: "Clash",
  900: "ARURF",
  1700: "Arena",
  1830: "Swarm",
  1900: "URF"
}

/**
 * The queue's usual name, falling back to Riot's `gameMode` for queues this
 * table does not know.
 *
 * @internal
 */
export const modeOf = (match: MatchSummary): string =>
  queueNames[match.queueId] ?? (match.gameMode === "" ? "-" : match.gameMode)

/**
 * JSON text with the characters that JSON allows raw but a terminal acts on
 * (DEL, C1 controls, line separators, bidirectional overrides) written as
 * `\u` escapes: the same JSON value, safe to print.
 */
const terminalSafeJson = (json: string): string =>
  json.replace(
    /[\u007f-\u009f\u061c\u200b\u200e\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`
  )

const paint = (color: boolean, text: string, style: Ansi.Ansi): string =>
  color ? AnsiDoc.render(Doc.annotate(Doc.text(text), style), { style: "pretty" }) : text

const resultStyles: { readonly [R in MatchResult]: Ansi.Ansi } = {
  win: Ansi.green,
  loss: Ansi.red,
  aborted: Ansi.yellow
}

const seconds = (millis: number) => `${(millis / 1000).toFixed(2)} s`

/**
 * The closing line of every format: what happened, how much and how fast.
 *
 * @internal
 */
export const totalsSentence = (totals: Totals): string => {
  const lead = totals.outcome === "interrupted"
    ? "Interrupted: fetched"
    : totals.outcome === "stopped"
    ? "Stopped at the first failure: fetched"
    : "Fetched"
  const notFetched = totals.notFetched > 0 ? `, ${totals.notFetched} not fetched` : ""
  return `${lead} ${totals.fetched} of ${totals.requested} matches, ${totals.failed} failed${notFetched} in ${
    seconds(totals.wallTimeMillis)
  } (${totals.httpRequests} requests, ${totals.requestsPerSecond.toFixed(1)} req/s)`
}

const playerLine = (player: Player): string =>
  `${untrusted(player.gameName)}#${untrusted(player.tagLine)} (${player.platform}, level ${player.summonerLevel})`

const pad = (text: string, width: number) => text.padEnd(width)

/**
 * The human format: one row per match, then the failures with their reasons,
 * then the totals. `color` adds ANSI styles and should be set only when
 * stdout is a terminal.
 *
 * @internal
 */
export const renderTable = (report: Report, options: { readonly color: boolean }): string => {
  const { color } = options
  const lines: Array<string> = []
  if (report.player !== undefined) {
    lines.push(paint(color, playerLine(report.player), Ansi.bold), "")
  }
  if (report.matches.length > 0) {
    const header = ["MATCH", "MODE", "DURATION", "CHAMPION", "K/D/A", "RESULT"]
    const rows = report.matches.map((match) => [
      untrusted(match.matchId),
      untrusted(modeOf(match)),
      formatDuration(match.durationSeconds),
      match.champion === null ? "-" : untrusted(match.champion),
      match.kills === null ? "-" : `${match.kills}/${match.deaths}/${match.assists}`,
      match.result
    ])
    const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)))
    lines.push(paint(color, header.map((title, column) => pad(title, widths[column])).join("  ").trimEnd(), Ansi.bold))
    for (const row of rows) {
      const cells = row.map((cell, column) => column === row.length - 1 ? cell : pad(cell, widths[column]))
      const result = cells[cells.length - 1]
      cells[cells.length - 1] = paint(color, result, resultStyles[result as MatchResult])
      lines.push(cells.join("  "))
    }
    lines.push("")
  }
  if (report.failures.length > 0) {
    lines.push(paint(color, `Failures (${report.failures.length})`, Ansi.bold))
    const width = Math.max(...report.failures.map((failure) => failure.matchId.length))
    for (const failure of report.failures) {
      lines.push(`${pad(untrusted(failure.matchId), width)}  ${paint(color, untrusted(failure.error), Ansi.red)}`)
    }
    lines.push("")
  }
  lines.push(totalsSentence(report.totals))
  return lines.join("\n") + "\n"
}

/**
 * The whole report as one JSON document: `{ player, matches, failures, totals }`.
 *
 * @internal
 */
export const renderJson = (report: Report): string =>
  terminalSafeJson(JSON.stringify(
    { player: report.player ?? null, matches: report.matches, failures: report.failures, totals: report.totals },
    null,
    2
  )) + "\n"

/**
 * One JSON Lines record per match, written as soon as the match is fetched.
 *
 * @internal
 */
export const matchRecord = (match: MatchSummary): string =>
  terminalSafeJson(JSON.stringify({ type: "match", ...match })) + "\n"

/**
 * The record that opens a JSON Lines stream, once the player is known.
 *
 * @internal
 */
export const playerRecord = (player: Player): string =>
  terminalSafeJson(JSON.stringify({ type: "player", ...player })) + "\n"

/**
 * The records that close a JSON Lines stream: one per failure, then the totals.
 *
 * @internal
 */
export const closingRecords = (failures: ReadonlyArray<MatchFailure>, totals: Totals): string =>
  terminalSafeJson(
    [
      ...failures.map((failure) => JSON.stringify({ type: "failure", ...failure })),
      JSON.stringify({ type: "totals", ...totals })
    ].join("\n")
  ) + "\n"

/**
 * The report as the whole of stdout in `format`, or for `jsonl` the records
 * that close the stream (the player and match records went out as they came).
 *
 * @internal
 */
export const renderReport = (report: Report, format: Format, options: { readonly color: boolean }): string => {
  switch (format) {
    case "table":
      return renderTable(report, options)
    case "json":
      return renderJson(report)
    case "jsonl":
      return closingRecords(report.failures, report.totals)
  }
}
