import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, FastCheck as fc, Schema } from "effect"
import type * as SchemaAST from "effect/SchemaAST"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import * as RiotSchema from "../src/RiotSchema.js"

// Fixtures are mutated freely below, so they are handled as loose JSON.
type Json = any

interface Fixture {
  readonly name: string
  readonly text: string
}

const readFixtures = (dir: string): ReadonlyArray<Fixture> =>
  fs.existsSync(dir)
    ? fs.readdirSync(dir)
      .filter((name) => name.endsWith(".json"))
      .sort()
      .map((name) => ({ name, text: fs.readFileSync(path.join(dir, name), "utf8") }))
    : []

const testDir = path.dirname(fileURLToPath(import.meta.url))
// The thirteen real match-v5 bodies the mock server is built from, one of them a game that never started.
const packageFixtures = readFixtures(path.join(testDir, "../../mock-server/fixtures/match-v5"))

// The properties below vary participants, so they draw from the games that were played.
const matches: ReadonlyArray<Json> = packageFixtures.map((fixture) => JSON.parse(fixture.text)).filter((match) =>
  match.info.participants.length > 0
)
const matchNamed = (matchId: string): Json => {
  const match = matches.find((match) => match.metadata.matchId === matchId)
  if (match === undefined) throw new Error(`no fixture ${matchId}`)
  return structuredClone(match)
}

const decodeMatch = Schema.decodeUnknown(RiotSchema.LolMatchV5Match)
const decodeMatchEither = Schema.decodeUnknownEither(RiotSchema.LolMatchV5Match)
const decodeMatchSync = Schema.decodeUnknownSync(RiotSchema.LolMatchV5Match)

const expectDecodes = (body: unknown): RiotSchema.LolMatchV5Match => {
  const result = decodeMatchEither(body)
  if (Either.isLeft(result)) {
    throw new Error(`expected to decode, got: ${RiotSchema.formatDecodeError(result.left)}`)
  }
  return result.right
}

const expectDecodeError = (body: unknown, options?: SchemaAST.ParseOptions): string => {
  const result = Schema.decodeUnknownEither(RiotSchema.LolMatchV5Match)(body, options)
  if (Either.isRight(result)) throw new Error("expected a decode failure")
  return RiotSchema.formatDecodeError(result.left)
}

const structKeys = (schema: { readonly fields: Readonly<Record<string, unknown>> }): ReadonlySet<string> =>
  new Set(Object.keys(schema.fields))

const optionalKeys = (schema: Schema.Schema.AnyNoContext): ReadonlyArray<string> => {
  const ast = schema.ast
  if (ast._tag !== "TypeLiteral") throw new Error("expected a struct")
  return ast.propertySignatures.filter((ps) => ps.isOptional).map((ps) => String(ps.name))
}

const removeKeys = (object: Json, keys: ReadonlyArray<string>): void => {
  for (const key of keys) Reflect.deleteProperty(object, key)
}

const forEachParticipant = (match: Json, f: (participant: Json) => void): void => {
  for (const participant of match.info.participants) f(participant)
}

describe("RiotSchema", () => {
  describe("fixtures", () => {
    it("the repository has all thirteen real match-v5 samples, one an aborted game", () => {
      expect(packageFixtures.length).toBe(13)
      expect(
        packageFixtures.map((fixture) => JSON.parse(fixture.text)).filter((match) =>
          match.info.participants.length === 0
        )
          .map((match) => match.metadata.matchId)
      ).toEqual(["EUW1_6834713231"])
    })

    for (const fixture of packageFixtures) {
      it.effect(`decodes ${fixture.name}`, () =>
        Effect.gen(function*() {
          const raw: Json = JSON.parse(fixture.text)
          const match = yield* decodeMatch(raw)
          expect(match.metadata.matchId).toBe(fixture.name.replace(/\.json$/, ""))
          expect(match.info.participants.length).toBe(raw.info.participants.length)
          expect(match.info.teams.length).toBe(raw.info.teams.length)
          for (const [index, participant] of match.info.participants.entries()) {
            const rawParticipant = raw.info.participants[index]
            expect(participant.puuid).toBe(rawParticipant.puuid)
            expect([participant.kills, participant.deaths, participant.assists]).toEqual([
              rawParticipant.kills,
              rawParticipant.deaths,
              rawParticipant.assists
            ])
            expect(participant.challenges).toEqual(rawParticipant.challenges)
            expect(participant.perks).toEqual(rawParticipant.perks)
          }
        }))
    }
  })

  describe("LolMatchV5Match variants", () => {
    it("decodes every fixture with challenges removed", () => {
      for (const original of matches) {
        const match = structuredClone(original)
        forEachParticipant(match, (participant) => delete participant.challenges)
        const decoded = expectDecodes(match)
        expect(decoded.info.participants.every((participant) => participant.challenges === undefined)).toBe(true)
      }
    })

    it("decodes every fixture with missions removed", () => {
      for (const original of matches) {
        const match = structuredClone(original)
        forEachParticipant(match, (participant) => delete participant.missions)
        expectDecodes(match)
      }
    })

    it("decodes every fixture without Riot ids (riotIdGameName, riotIdName, riotIdTagline)", () => {
      for (const original of matches) {
        const match = structuredClone(original)
        forEachParticipant(match, (participant) => {
          delete participant.riotIdGameName
          delete participant.riotIdName
          delete participant.riotIdTagline
        })
        const decoded = expectDecodes(match)
        expect(decoded.info.participants.every((participant) => participant.riotIdGameName === undefined)).toBe(true)
      }
    })

    it("drops an unknown field added at every level", () => {
      const addEverywhere = (value: Json, key?: string): void => {
        if (Array.isArray(value)) {
          value.forEach((element) => addEverywhere(element))
        } else if (typeof value === "object" && value !== null) {
          Object.entries(value).forEach(([childKey, child]) => addEverywhere(child, childKey))
          // `feats` is keyed by feat name: a key added there is a new feat, not an unknown field.
          if (key !== "feats") value.volleyUnknownField = { nested: [1, "two", null] }
        }
      }
      for (const original of matches) {
        const match = structuredClone(original)
        addEverywhere(match)
        const decoded = expectDecodes(match)
        expect(JSON.stringify(decoded)).not.toContain("volleyUnknownField")
        expect(decoded).toEqual(decodeMatchSync(original))
      }
    })

    it("decodes an Arena match with 16 players in 8 subteams", () => {
      const match = matchNamed("KR_6604607115")
      const eight: Array<Json> = match.info.participants
      const sixteen = [...eight, ...structuredClone(eight)].map((participant, index) => ({
        ...participant,
        participantId: index + 1,
        puuid: `${participant.puuid.slice(0, 70)}-${index}`,
        teamId: index < 8 ? 100 : 200,
        playerSubteamId: Math.floor(index / 2) + 1,
        placement: 8 - Math.floor(index / 2),
        subteamPlacement: 8 - Math.floor(index / 2),
        playerAugment1: 77,
        playerAugment2: 1205,
        playerAugment3: 0,
        playerAugment4: 0,
        playerAugment5: 0,
        playerAugment6: 0
      }))
      match.info.participants = sixteen
      match.metadata.participants = sixteen.map((participant) => participant.puuid)
      const decoded = expectDecodes(match)
      expect(decoded.info.participants.length).toBe(16)
      expect(new Set(decoded.info.participants.map((participant) => participant.playerSubteamId)).size).toBe(8)
      expect(decoded.info.participants[15].placement).toBe(1)
    })

    it("decodes Arena participants whose teamId is their subteam", () => {
      const match = matchNamed("NA1_5245486208")
      forEachParticipant(match, (participant) => {
        participant.teamId = participant.playerSubteamId
      })
      match.info.teams = []
      const decoded = expectDecodes(match)
      expect(decoded.info.participants.map((participant) => participant.teamId)).toEqual(
        decoded.info.participants.map((participant) => participant.playerSubteamId)
      )
    })

    it("decodes a one-player Swarm match", () => {
      const match = matchNamed("JP1_457196409")
      match.info.participants = match.info.participants.slice(0, 1)
      match.metadata.participants = [match.info.participants[0].puuid]
      const decoded = expectDecodes(match)
      expect(decoded.info.gameMode).toBe("STRAWBERRY")
      expect(decoded.info.participants.length).toBe(1)
      expect(decoded.info.teams.length).toBe(1)
    })

    it("decodes an aborted game with zeroed info and no participants or teams", () => {
      // The shape Riot returns for games that never started (e.g. EUW1_6834713231).
      const match = matchNamed("RU_490603994")
      match.info = {
        endOfGameResult: "Abort_Unexpected",
        gameCreation: 0,
        gameDuration: 0,
        gameEndTimestamp: 1709066369858,
        gameId: 0,
        gameMode: "",
        gameName: "",
        gameStartTimestamp: 0,
        gameType: "",
        gameVersion: "",
        mapId: 0,
        participants: [],
        platformId: "",
        queueId: 0,
        teams: [],
        tournamentCode: ""
      }
      const decoded = expectDecodes(match)
      expect(decoded.metadata.participants.length).toBe(10)
      expect(decoded.info.participants).toEqual([])

      delete match.info.endOfGameResult
      delete match.info.gameEndTimestamp
      delete match.info.gameStartTimestamp
      delete match.info.gameName
      delete match.info.tournamentCode
      expect(expectDecodes(match).info.gameEndTimestamp).toBeUndefined()
    })

    it("decodes an old-patch shape without newer info, team and participant fields", () => {
      const match = matchNamed("JP1_433066634")
      removeKeys(match.info, ["endOfGameResult", "gameEndTimestamp", "tournamentCode"])
      for (const team of match.info.teams) {
        delete team.feats
        delete team.objectives.horde
        delete team.objectives.atakhan
        delete team.objectives.riftHerald
      }
      forEachParticipant(match, (participant) => {
        removeKeys(
          participant,
          Object.keys(participant).filter((key) =>
            key.endsWith("Pings") || key.startsWith("playerAugment") || key === "challenges" || key === "missions"
          )
        )
        delete participant.riotIdGameName
        participant.riotIdName = ""
      })
      expectDecodes(match)
    })

    it("decodes sentinels, floats and unused ban slots", () => {
      const match = matchNamed("LA1_1568057368")
      match.info.teams[0].bans = [{ championId: -1, pickTurn: 1 }]
      forEachParticipant(match, (participant) => {
        participant.item6 = 0
        participant.individualPosition = "Invalid"
        participant.teamPosition = ""
        participant.challenges.kda = 2.6666666666666665
        participant.challenges.earliestDragonTakedown = -1
        participant.challenges.legendaryItemUsed = []
      })
      const decoded = expectDecodes(match)
      expect(decoded.info.teams[0].bans).toEqual([{ championId: -1, pickTurn: 1 }])
      expect(decoded.info.participants[0].challenges?.kda).toBe(2.6666666666666665)
    })

    it("keeps feats Riot adds, keyed by name", () => {
      const match = matchNamed("NA1_5245486208")
      match.info.teams[0].feats.FIRST_INHIBITOR = { featState: 1001 }
      expect(expectDecodes(match).info.teams[0].feats?.FIRST_INHIBITOR).toEqual({ featState: 1001 })
    })

    it("rejects a participant without a puuid", () => {
      const match = matchNamed("NA1_4196060228")
      delete match.info.participants[2].puuid
      expect(expectDecodeError(match)).toBe("info.participants[2].puuid: is missing")
    })
  })

  describe("LolMatchV5Match properties", () => {
    const participantOptionalKeys = optionalKeys(RiotSchema.LolMatchV5MatchParticipant)
    const infoOptionalKeys = optionalKeys(RiotSchema.LolMatchV5MatchInfo)
    const teamOptionalKeys = optionalKeys(RiotSchema.LolMatchV5MatchTeam)
    const matchIndex = fc.nat({ max: matches.length - 1 })
    // The aborted game has no participant to change.
    const withParticipants = matches.flatMap((match, index) => match.info.participants.length > 0 ? [index] : [])
    const playedMatchIndex = fc.constantFrom(...withParticipants)

    it.prop(
      "removing any optional keys from any participant still decodes",
      [playedMatchIndex, fc.nat(), fc.subarray([...participantOptionalKeys])],
      ([index, participantIndex, removed]) => {
        const match = structuredClone(matches[index])
        const participant = match.info.participants[participantIndex % match.info.participants.length]
        removeKeys(participant, removed)
        const decoded = expectDecodes(match).info.participants[participantIndex % match.info.participants.length]
        for (const key of removed) expect(decoded).not.toHaveProperty(key)
      }
    )

    it.prop(
      "removing any optional keys from info and every team still decodes",
      [matchIndex, fc.subarray([...infoOptionalKeys]), fc.subarray([...teamOptionalKeys])],
      ([index, removedFromInfo, removedFromTeams]) => {
        const match = structuredClone(matches[index])
        removeKeys(match.info, removedFromInfo)
        for (const team of match.info.teams) removeKeys(team, removedFromTeams)
        expectDecodes(match)
      }
    )

    // Every object a match contains, with the keys its schema knows, so that
    // generated keys never collide with a real field.
    const objectsOf = (match: Json): Array<readonly [Json, ReadonlySet<string>]> => {
      const objects: Array<readonly [Json, ReadonlySet<string>]> = [
        [match, structKeys(RiotSchema.LolMatchV5Match)],
        [match.metadata, structKeys(RiotSchema.LolMatchV5MatchMetadata)],
        [match.info, structKeys(RiotSchema.LolMatchV5MatchInfo)]
      ]
      for (const participant of match.info.participants) {
        objects.push([participant, structKeys(RiotSchema.LolMatchV5MatchParticipant)])
        if (participant.challenges) {
          objects.push([participant.challenges, structKeys(RiotSchema.LolMatchV5MatchChallenges)])
        }
        if (participant.missions) objects.push([participant.missions, structKeys(RiotSchema.LolMatchV5MatchMissions)])
        objects.push([participant.perks, structKeys(RiotSchema.LolMatchV5MatchPerks)])
        objects.push([participant.perks.statPerks, structKeys(RiotSchema.LolMatchV5MatchPerkStats)])
        for (const style of participant.perks.styles) {
          objects.push([style, structKeys(RiotSchema.LolMatchV5MatchPerkStyle)])
          for (const selection of style.selections) {
            objects.push([selection, structKeys(RiotSchema.LolMatchV5MatchPerkStyleSelection)])
          }
        }
      }
      for (const team of match.info.teams) {
        objects.push([team, structKeys(RiotSchema.LolMatchV5MatchTeam)])
        objects.push([team.objectives, structKeys(RiotSchema.LolMatchV5MatchObjectives)])
        for (const objective of Object.values(team.objectives)) {
          objects.push([objective, structKeys(RiotSchema.LolMatchV5MatchObjective)])
        }
        for (const ban of team.bans) objects.push([ban, structKeys(RiotSchema.LolMatchV5MatchBan)])
      }
      return objects
    }

    it.prop(
      "adding arbitrary unknown keys anywhere still decodes, to the same value",
      [matchIndex, fc.array(fc.tuple(fc.nat(), fc.string(), fc.jsonValue()), { minLength: 1, maxLength: 8 })],
      ([index, additions]) => {
        const match = structuredClone(matches[index])
        const objects = objectsOf(match)
        for (const [target, key, value] of additions) {
          const [object, knownKeys] = objects[target % objects.length]
          if (knownKeys.has(key)) continue
          // defineProperty, as JSON.parse does, so that a "__proto__" key stays an own property.
          Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true })
        }
        expect(expectDecodes(match)).toEqual(decodeMatchSync(matches[index]))
      }
    )

    it.prop(
      "a non-number in any numeric participant field is reported at its path",
      [
        playedMatchIndex,
        fc.nat(),
        fc.constantFrom("kills", "deaths", "goldEarned", "timePlayed", "item0", "visionScore")
      ],
      ([index, participantIndex, key]) => {
        const match = structuredClone(matches[index])
        const position = participantIndex % match.info.participants.length
        match.info.participants[position][key] = "x"
        expect(expectDecodeError(match)).toBe(`info.participants[${position}].${key}: Expected number, actual "x"`)
      }
    )
  })

  describe("formatDecodeError", () => {
    it("names the JSON path of the failure", () => {
      const match = matchNamed("EUW1_7261321891")
      match.info.participants[3].kills = "x"
      expect(expectDecodeError(match)).toBe("info.participants[3].kills: Expected number, actual \"x\"")
    })

    it("brackets keys that are not identifiers", () => {
      const match = matchNamed("EUW1_7261321891")
      match.info.participants[0].challenges["12AssistStreakCount"] = "x"
      expect(expectDecodeError(match)).toBe(
        "info.participants[0].challenges[\"12AssistStreakCount\"]: Expected number, actual \"x\""
      )
    })

    it("reports a wrong top-level value at the root, by schema name", () => {
      expect(expectDecodeError(null)).toBe("(root): Expected LolMatchV5Match, actual null")
    })

    it("stays on one short line when the offending value is huge", () => {
      const match = matchNamed("EUW1_7261321891")
      match.info.teams = [match.info.participants.map((participant: Json) => JSON.stringify(participant)).join("\n")]
      const line = expectDecodeError(match)
      expect(line.startsWith("info.teams[0]: Expected LolMatchV5MatchTeam, actual \"")).toBe(true)
      expect(line).not.toContain("\n")
      expect(line.length).toBeLessThan(400)
    })

    it("counts the other issues when decoding collects all of them", () => {
      const match = matchNamed("EUW1_7261321891")
      match.info.participants[1].kills = "x"
      match.info.participants[2].win = "yes"
      delete match.metadata.matchId
      const line = expectDecodeError(match, { errors: "all" })
      expect(line).toBe("metadata.matchId: is missing (and 2 more)")
    })
  })

  describe("account-v1, summoner-v4, match ids and errors", () => {
    it("decodes accounts with or without a Riot id", () => {
      const decode = Schema.decodeUnknownSync(RiotSchema.AccountV1Account)
      expect(decode({ puuid: "p", gameName: "Faker", tagLine: "KR1", extra: 1 })).toEqual({
        puuid: "p",
        gameName: "Faker",
        tagLine: "KR1"
      })
      expect(decode({ puuid: "p" })).toEqual({ puuid: "p" })
    })

    it("decodes current summoners and legacy ones that still carry ids and a name", () => {
      const decode = Schema.decodeUnknownSync(RiotSchema.LolSummonerV4Summoner)
      const current = { puuid: "p", profileIconId: 6, revisionDate: 1741678241048, summonerLevel: 512 }
      expect(decode(current)).toEqual(current)
      const legacy = { ...current, id: "summoner-id", accountId: "account-id", name: "Old Name" }
      expect(decode(legacy)).toEqual(legacy)
    })

    it("decodes match id lists", () => {
      const decode = Schema.decodeUnknownSync(RiotSchema.LolMatchV5MatchIds)
      expect(decode([])).toEqual([])
      expect(decode(["NA1_1", "NA1_2"])).toEqual(["NA1_1", "NA1_2"])
      expect(Either.isLeft(Schema.decodeUnknownEither(RiotSchema.LolMatchV5MatchIds)(["NA1_1", 2]))).toBe(true)
    })

    it("decodes Riot's error body", () => {
      const decode = Schema.decodeUnknownSync(RiotSchema.RiotErrorBody)
      expect(decode({ status: { message: "Data not found - match file not found", status_code: 404 } })).toEqual({
        status: { message: "Data not found - match file not found", status_code: 404 }
      })
      const result = Schema.decodeUnknownEither(RiotSchema.RiotErrorBody)({ status: { message: "Forbidden" } })
      if (Either.isRight(result)) throw new Error("expected a decode failure")
      expect(RiotSchema.formatDecodeError(result.left)).toBe("status.status_code: is missing")
    })
  })
})
