/**
 * Every recorded response of Riot's (test/fixtures, copied from real API
 * answers) decodes with its operation's response schema, through the same
 * decoder the client uses and through effect/Schema itself.
 */
import { describe, expect, it } from "@effect/vitest"
import { RiotOperations, RiotSchema } from "@volley/riot"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as fs from "node:fs"
import * as path from "node:path"
import * as Validate from "../src/internal/client/validate.js"

const fixtures = path.join(import.meta.dirname, "fixtures")

/** Recordings filed under an operation id the description has since renamed (same response). */
const renamed: Readonly<Record<string, string>> = {
  "champion-mastery-v4.getAllChampionMasteries": "champion-mastery-v4.getAllChampionMasteriesByPUUID"
}

const recordings: ReadonlyArray<{ readonly operationId: string; readonly file: string }> = [
  ...fs.readdirSync(path.join(fixtures, "match-v5")).map((file) => ({
    operationId: "match-v5.getMatch",
    file: path.join(fixtures, "match-v5", file)
  })),
  ...fs.readdirSync(path.join(fixtures, "by-operation")).flatMap((folder) =>
    fs.readdirSync(path.join(fixtures, "by-operation", folder)).map((file) => ({
      operationId: renamed[folder] ?? folder,
      file: path.join(fixtures, "by-operation", folder, file)
    }))
  )
]

const operationOf = (operationId: string): RiotOperations.Operation => {
  const operation = RiotOperations.operations.find((operation) => operation.operationId === operationId)
  if (operation === undefined) throw new Error(`no operation ${operationId}`)
  return operation
}

describe("recorded responses", () => {
  it("cover every folder of recordings", () => {
    expect(recordings.length).toBeGreaterThanOrEqual(24)
  })

  for (const { file, operationId } of recordings) {
    it(`${operationId}: ${path.basename(file)} decodes`, () => {
      const body: unknown = JSON.parse(fs.readFileSync(file, "utf8"))
      const operation = operationOf(operationId)
      const decoded = Schema.decodeUnknownEither(operation.response as Schema.Schema<unknown>, { errors: "all" })(
        body
      )
      expect(Either.isLeft(decoded) ? RiotSchema.formatDecodeError(decoded.left) : "decodes").toBe("decodes")
      // The client's validator agrees, so the client returns the body as parsed.
      expect(Validate.compile(operation.response.ast)?.(body)).toBe(true)
    })
  }
})

/** Shapes of older responses that the overrides exist for, as Riot sent them before the description changed. */
describe("older responses", () => {
  const decodes = (method: RiotOperations.Method, body: unknown) =>
    Either.isRight(Schema.decodeUnknownEither(RiotOperations.byMethod[method].response as Schema.Schema<unknown>)(body))

  it("a ladder entry of 2023, by summoner id and name, without a puuid", () => {
    const entry = {
      summonerId: "s",
      summonerName: "Faker",
      leaguePoints: 1200,
      rank: "I",
      wins: 300,
      losses: 250,
      veteran: true,
      inactive: false,
      freshBlood: false,
      hotStreak: false
    }
    expect(
      decodes("getLolLeagueV4ChallengerLeagueByQueue", {
        tier: "CHALLENGER",
        leagueId: "l",
        queue: "RANKED_SOLO_5x5",
        name: "n",
        entries: [entry]
      })
    ).toBe(true)
    expect(decodes("getLolLeagueV4EntriesByPuuid", [{ ...entry, queueType: "RANKED_SOLO_5x5", tier: "GOLD" }])).toBe(
      true
    )
    // Still typed: a count that is not a number is refused.
    expect(decodes("getLolLeagueV4EntriesByPuuid", [{ ...entry, queueType: "RANKED_SOLO_5x5", wins: "many" }])).toBe(
      false
    )
  })

  it("a VALORANT match with nulls and without the fields added since", () => {
    expect(
      decodes("getValMatchV1Match", {
        matchInfo: { matchId: "m", mapId: "/Game/Maps/Ascent", gameLengthMillis: null, isRanked: true },
        players: [{ puuid: "p", teamId: "Red", stats: null }],
        coaches: [],
        teams: null,
        roundResults: null
      })
    ).toBe(true)
  })

  it("a mastery of before 2024, without puuid, marks or milestones", () => {
    expect(
      decodes("getLolChampionV4MasteriesByPuuid", [
        {
          championId: 143,
          championLevel: 7,
          championPoints: 879126,
          lastPlayTime: 1649735147000,
          championPointsSinceLastLevel: 857526,
          championPointsUntilNextLevel: 0,
          chestGranted: false,
          tokensEarned: 0,
          summonerId: "s"
        }
      ])
    ).toBe(true)
  })
})

describe("what the description needs read right", () => {
  const decode = (schema: Schema.Schema<any, any>, body: unknown) => Schema.decodeUnknownEither(schema)(body)

  it("a field Riot sends in two casings decodes under either", () => {
    for (const key of ["playerScore0", "PlayerScore0"]) {
      expect(Either.isRight(decode(RiotSchema.LolMatchV5MatchMissions, { [key]: 1.5 }))).toBe(true)
      expect(Either.isRight(decode(RiotSchema.LolMatchV5MatchMissions, { [key]: "x" }))).toBe(false)
    }
  })

  it("participant frames and integer-keyed maps are string-keyed records", () => {
    const timeline = JSON.parse(
      fs.readFileSync(path.join(fixtures, "by-operation", "match-v5.getTimeline", "EUW1_6511808246.json"), "utf8")
    )
    const frame = timeline.info.frames[1]
    // Keyed by participant id, "1" up to the number of players.
    const keys = Object.keys(frame.participantFrames)
    expect(keys).toEqual(keys.map((_, i) => String(i + 1)))
    expect(Either.isRight(decode(RiotSchema.LolMatchV5FramesTimeLine, frame))).toBe(true)
    // The record's values are checked.
    const broken = { ...frame, participantFrames: { ...frame.participantFrames, "3": { participantId: 3 } } }
    expect(Either.isLeft(decode(RiotSchema.LolMatchV5FramesTimeLine, broken))).toBe(true)
    expect(
      Either.isRight(decode(RiotSchema.LolChallengesV1AllChallengePercentiles, { "101": { GOLD: 0.5 }, "2022000": {} }))
    ).toBe(true)
  })

  it("names that are not identifiers are fields like any other", () => {
    expect(Either.isRight(decode(RiotSchema.LolMatchV5MatchChallenges, { "12AssistStreakCount": 2 }))).toBe(true)
    expect(Either.isLeft(decode(RiotSchema.LolMatchV5MatchChallenges, { "12AssistStreakCount": "two" }))).toBe(true)
    expect(Either.isRight(decode(RiotSchema.ValContentV1LocalizedNames, { "ar-AE": "x", "zh-TW": "y" }))).toBe(true)
  })

  it("enumerations stay open", () => {
    // A tier the description does not list, and a queue it does not know.
    expect(
      Either.isRight(
        decode(RiotSchema.LolLeagueV4LeagueEntry, {
          queueType: "RANKED_ARENA_NEXT",
          tier: "EMERALD",
          rank: "V",
          leaguePoints: 0,
          wins: 1,
          losses: 1,
          hotStreak: false,
          veteran: false,
          freshBlood: true,
          inactive: false
        })
      )
    ).toBe(true)
  })
})
