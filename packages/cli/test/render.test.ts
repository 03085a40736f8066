import { assert, describe, it } from "@effect/vitest"
import { FastCheck } from "effect"
import {
  closingRecords,
  formatDuration,
  matchRecord,
  modeOf,
  renderJson,
  renderTable,
  totalsSentence
} from "../src/internal/render.js"
import type { MatchSummary, Report, Totals } from "../src/internal/report.js"

const match = (overrides: Partial<MatchSummary> = {}): MatchSummary => ({
  matchId: "NA1_4608354096",
  gameMode: "CLASSIC",
  queueId: 420,
  gameCreation: 1748575462154,
  durationSeconds: 1411,
  champion: "Milio",
  kills: 3,
  deaths: 6,
  assists: 11,
  win: true,
  result: "win",
  endOfGameResult: "GameComplete",
  ...overrides
})

const totals = (overrides: Partial<Totals> = {}): Totals => ({
  outcome: "complete",
  requested: 3,
  fetched: 2,
  failed: 1,
  notFetched: 0,
  wallTimeMillis: 1234,
  httpRequests: 6,
  requestsPerSecond: 4.86,
  ...overrides
})

const report: Report = {
  player: {
    gameName: "200",
    tagLine: "16384",
    puuid: "puuid-200",
    platform: "na1",
    region: "americas",
    summonerLevel: 617
  },
  matches: [
    match(),
    match({ matchId: "NA1_2", queueId: 1700, gameMode: "CHERRY", champion: "Twitch", win: false, result: "loss" })
  ],
  failures: [{ matchId: "NA1_3", error: "match-v5.getMatch on americas failed with 503 after 4 attempts" }],
  totals: totals()
}

describe("formatDuration", () => {
  it("writes m:ss, and h:mm:ss past an hour", () => {
    assert.strictEqual(formatDuration(0), "0:00")
    assert.strictEqual(formatDuration(61), "1:01")
    assert.strictEqual(formatDuration(1411), "23:31")
    assert.strictEqual(formatDuration(3661), "1:01:01")
  })

  it.prop("reads back to the rounded number of seconds", [FastCheck.integer({ min: 0, max: 359_999 })], ([seconds]) => {
    const parts = formatDuration(seconds).split(":").map(Number)
    assert.strictEqual(parts.reduce((total, part) => total * 60 + part, 0), seconds)
    assert.match(formatDuration(seconds), /^(\d+:\d\d|\d+:\d\d:\d\d)$/)
  })
})

describe("renderTable", () => {
  const table = renderTable(report, { color: false })

  it("writes the player, one row per match, the failures with their reasons, then the totals", () => {
    assert.strictEqual(
      table,
      [
        "200#16384 (na1, level 617)",
        "",
        "MATCH           MODE             DURATION  CHAMPION  K/D/A   RESULT",
        "NA1_4608354096  Ranked Solo/Duo  23:31     Milio     3/6/11  win",
        "NA1_2           Arena            23:31     Twitch    3/6/11  loss",
        "",
        "Failures (1)",
        "NA1_3  match-v5.getMatch on americas failed with 503 after 4 attempts",
        "",
        "Fetched 2 of 3 matches, 1 failed in 1.23 s (6 requests, 4.9 req/s)",
        ""
      ].join("\n")
    )
  })

  it("has no escape codes without color, and styles the result with color", () => {
    assert.notInclude(table, "\u001b")
    assert.include(renderTable(report, { color: true }), "\u001b[")
  })

  it("shows terminal control characters from what the API sent as escapes", () => {
    const hostile = renderTable({
      ...report,
      matches: [match({ champion: "Ahri\u001b[2J\nRow", gameMode: "\u202eCLASSIC", queueId: 9999 })]
    }, { color: false })
    assert.notInclude(hostile, "\u001b")
    assert.notInclude(hostile, "\u202e")
    assert.include(hostile, "Ahri\\x1b[2J\\x0aRow")
    assert.include(hostile, "\\u202eCLASSIC")
  })

  it("shows an aborted game as aborted, without a champion or a score", () => {
    const aborted = match({
      matchId: "EUW1_6834713231",
      gameMode: "",
      queueId: 0,
      durationSeconds: 0,
      result: "aborted",
      endOfGameResult: "Abort_Unexpected",
      champion: null,
      kills: null,
      deaths: null,
      assists: null,
      win: null
    })
    const table = renderTable({ ...report, matches: [aborted], failures: [] }, { color: false })
    assert.match(table, /^EUW1_6834713231 {2}- +0:00 +- +- +aborted$/m)
  })

  it("names the queue when it knows it, Riot's gameMode otherwise", () => {
    assert.strictEqual(modeOf(match({ queueId: 450 })), "ARAM")
    assert.strictEqual(modeOf(match({ queueId: 9999, gameMode: "NEXUSBLITZ" })), "NEXUSBLITZ")
  })
})

describe("totalsSentence", () => {
  it("says how the run ended", () => {
    assert.match(
      totalsSentence(totals({ outcome: "interrupted", notFetched: 5 })),
      /^Interrupted: fetched 2 of 3 matches, 1 failed, 5 not fetched/
    )
    assert.match(totalsSentence(totals({ outcome: "stopped" })), /^Stopped at the first failure: fetched 2 of 3/)
  })
})

describe("machine formats", () => {
  it("json is one document of player, matches, failures and totals", () => {
    const document = JSON.parse(renderJson(report))
    assert.deepStrictEqual(Object.keys(document), ["player", "matches", "failures", "totals"])
    assert.deepStrictEqual(document.matches, report.matches)
    assert.deepStrictEqual(document.totals, report.totals)
  })

  it.prop("json and jsonl keep every string as it was, with nothing raw that acts on a terminal", [
    FastCheck.string({ unit: "binary", maxLength: 60 })
  ], ([text]) => {
    const hostile: Report = { ...report, matches: [match({ champion: text, gameMode: text })] }
    for (const output of [renderJson(hostile), matchRecord(hostile.matches[0])]) {
      // eslint-disable-next-line no-control-regex -- matching control characters is the point
      assert.notMatch(output, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028-\u202e\u2066-\u2069]/)
    }
    assert.deepStrictEqual(JSON.parse(renderJson(hostile)).matches, hostile.matches)
    assert.deepStrictEqual(JSON.parse(matchRecord(hostile.matches[0])), { type: "match", ...hostile.matches[0] })
  })

  it("jsonl is one typed record per line", () => {
    const lines = (matchRecord(match()) + closingRecords(report.failures, report.totals)).trim().split("\n")
    assert.deepStrictEqual(lines.map((line) => JSON.parse(line).type), ["match", "failure", "totals"])
    assert.deepStrictEqual(JSON.parse(lines[1]), { type: "failure", ...report.failures[0] })
  })
})
