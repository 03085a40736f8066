import type { Platform } from "@volley/riot/Routing"
import { regionOf } from "@volley/riot/Routing"
import * as Hash from "effect/Hash"
import { PCGRandom } from "effect/Utils"
import type { MockAccount } from "../MockServer.js"

/**
 * A real match-v5 body, kept as text: parsing it again is the deep copy each
 * generated match starts from.
 *
 * @internal
 */
export interface Fixture {
  readonly text: string
  readonly queueId: number
}

/** @internal */
export interface Summoner {
  readonly puuid: string
  readonly profileIconId: number
  readonly revisionDate: number
  readonly summonerLevel: number
}

/**
 * What the match list needs to know about a match without building its body.
 *
 * @internal
 */
export interface MatchSummary {
  readonly matchId: string
  readonly gameId: number
  readonly account: MockAccount
  readonly gameCreation: number
  readonly gameDuration: number
  readonly fixtureIndex: number
  readonly queueId: number
}

/** @internal */
export interface Dataset {
  readonly seed: number
  readonly accounts: ReadonlyArray<MockAccount>
  readonly accountByRiotId: (gameName: string, tagLine: string) => MockAccount | undefined
  readonly accountByPuuid: (puuid: string) => MockAccount | undefined
  readonly summonerOf: (account: MockAccount) => Summoner
  /** Newest first, like Riot's match list. */
  readonly historyOf: (account: MockAccount) => ReadonlyArray<MatchSummary>
  readonly match: (matchId: string) => MatchSummary | undefined
  /** The match body as JSON text, built on first use and cached. */
  readonly matchBody: (summary: MatchSummary) => string
}

const players: ReadonlyArray<{ readonly gameName: string; readonly tagLine: string; readonly platform: Platform }> = [
  { gameName: "200", tagLine: "16384", platform: "na1" },
  { gameName: "Faker Fan", tagLine: "KR1", platform: "kr" },
  { gameName: "Zoë", tagLine: "EUW", platform: "euw1" },
  { gameName: "Volley", tagLine: "NA1", platform: "na1" },
  { gameName: "Sakura", tagLine: "JP1", platform: "jp1" },
  { gameName: "Mid Or Feed", tagLine: "OCE", platform: "oc1" }
]

/** @internal */
export const matchesPerPlayer = 150

// The newest generated match starts near 2025-06-01; game ids count seconds
// from 2023-01-01 so that they grow with time, as Riot's do.
const newestGameCreation = Date.UTC(2025, 5, 1)
const gameIdEpoch = Date.UTC(2023, 0, 1)
const gameIdBase = 4_000_000_000

const randomFor = (seed: number, ...key: ReadonlyArray<string | number>): PCGRandom =>
  new PCGRandom(Hash.string(`volley mock ${seed} ${key.join(" ")}`))

const between = (random: PCGRandom, min: number, max: number): number => min + random.integer(max - min + 1)

const puuidAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

const makePuuid = (random: PCGRandom): string =>
  Array.from({ length: 78 }, () => puuidAlphabet[random.integer(puuidAlphabet.length)]).join("")

// Riot matches Riot IDs ignoring case; NFC so that a decomposed "ë" finds "Zoë".
const riotIdKey = (gameName: string, tagLine: string): string => `${gameName}#${tagLine}`.normalize("NFC").toLowerCase()

/** @internal */
export const accounts = (seed: number = 1): ReadonlyArray<MockAccount> =>
  players.map((player, index): MockAccount => ({
    puuid: makePuuid(randomFor(seed, "puuid", index)),
    gameName: player.gameName,
    tagLine: player.tagLine,
    platform: player.platform,
    region: regionOf(player.platform)
  }))

const makeHistory = (
  seed: number,
  account: MockAccount,
  accountIndex: number,
  fixtures: ReadonlyArray<Fixture>
): ReadonlyArray<MatchSummary> => {
  const random = randomFor(seed, "history", accountIndex)
  const history: Array<MatchSummary> = []
  let gameCreation = newestGameCreation - between(random, 0, 2 * 86_400_000)
  for (let n = 0; n < matchesPerPlayer; n++) {
    // Eight id slots per second keep ids of players on one platform distinct.
    const gameId = gameIdBase + Math.floor((gameCreation - gameIdEpoch) / 1000) * 8 + accountIndex
    const matchId = `${account.platform.toUpperCase()}_${gameId}`
    const fixtureIndex = randomFor(seed, "fixture", matchId).integer(fixtures.length)
    history.push({
      matchId,
      gameId,
      account,
      gameCreation,
      gameDuration: between(random, 900, 2400),
      fixtureIndex,
      queueId: fixtures[fixtureIndex].queueId
    })
    gameCreation -= between(random, 20 * 60_000, 36 * 3_600_000)
  }
  return history
}

interface MatchJson {
  metadata: { matchId: string; participants: Array<string> }
  info: {
    gameId: number
    platformId: string
    gameName?: string
    gameCreation: number
    gameStartTimestamp?: number
    gameEndTimestamp?: number
    gameDuration: number
    participants: Array<Record<string, unknown>>
  }
}

const buildMatchBody = (seed: number, summary: MatchSummary, fixture: Fixture): string => {
  const match = JSON.parse(fixture.text) as MatchJson
  const { account } = summary
  match.metadata.matchId = summary.matchId
  if (match.info.participants.length === 0) {
    // An aborted game, as Riot serves it: the players are in the metadata
    // only, and info is zeros and empty strings, which stay as they are.
    const slot = randomFor(seed, "slot", summary.matchId).integer(match.metadata.participants.length)
    match.metadata.participants[slot] = account.puuid
    return JSON.stringify(match)
  }
  const slot = randomFor(seed, "slot", summary.matchId).integer(match.info.participants.length)
  match.metadata.participants[slot] = account.puuid
  const info = match.info
  const startDelay = (info.gameStartTimestamp ?? info.gameCreation) - info.gameCreation
  info.gameId = summary.gameId
  info.platformId = account.platform.toUpperCase()
  if (info.gameName !== undefined) info.gameName = `teambuilder-match-${summary.gameId}`
  info.gameCreation = summary.gameCreation
  info.gameDuration = summary.gameDuration
  if (info.gameStartTimestamp !== undefined) info.gameStartTimestamp = summary.gameCreation + startDelay
  if (info.gameEndTimestamp !== undefined) {
    info.gameEndTimestamp = summary.gameCreation + startDelay + summary.gameDuration * 1000
  }
  const participant = info.participants[slot]
  participant.puuid = account.puuid
  participant.riotIdGameName = account.gameName
  participant.riotIdTagline = account.tagLine
  if ("riotIdName" in participant) participant.riotIdName = account.gameName
  if ("summonerName" in participant) participant.summonerName = account.gameName
  return JSON.stringify(match)
}

/** @internal */
export const make = (seed: number, fixtures: ReadonlyArray<Fixture>): Dataset => {
  const all = accounts(seed)
  const byRiotId = new Map(all.map((account) => [riotIdKey(account.gameName, account.tagLine), account]))
  const byPuuid = new Map(all.map((account) => [account.puuid, account]))
  const histories = new Map(all.map((account, index) => [account, makeHistory(seed, account, index, fixtures)]))
  const matches = new Map(
    Array.from(histories.values()).flatMap((history) => history.map((summary) => [summary.matchId, summary]))
  )
  // Bodies are cached as text, not objects: a parsed match is several times
  // the size of its JSON. The cache is bounded by the dataset
  // (accounts × matchesPerPlayer bodies).
  const bodies = new Map<string, string>()
  return {
    seed,
    accounts: all,
    accountByRiotId: (gameName, tagLine) => byRiotId.get(riotIdKey(gameName, tagLine)),
    accountByPuuid: (puuid) => byPuuid.get(puuid),
    summonerOf: (account) => {
      const random = randomFor(seed, "summoner", account.puuid)
      return {
        puuid: account.puuid,
        profileIconId: between(random, 0, 6000),
        revisionDate: histories.get(account)![0].gameCreation + between(random, 3_600_000, 86_400_000),
        summonerLevel: between(random, 30, 700)
      }
    },
    historyOf: (account) => histories.get(account) ?? [],
    match: (matchId) => matches.get(matchId),
    matchBody: (summary) => {
      let body = bodies.get(summary.matchId)
      if (body === undefined) {
        body = buildMatchBody(seed, summary, fixtures[summary.fixtureIndex])
        bodies.set(summary.matchId, body)
      }
      return body
    }
  }
}
