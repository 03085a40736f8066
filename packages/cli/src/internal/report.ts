import type { RiotSchema, Routing } from "@volley/riot"
import * as Option from "effect/Option"

/**
 * How a match ended for the player: won, lost, or aborted. An aborted game
 * ended before or as it started: Riot lists no participants in it, only its
 * metadata names the players. Riot's `endOfGameResult` does not tell: real
 * games played to the end, with every participant's stats, also come as
 * `Abort_Unexpected`.
 *
 * @internal
 */
export type MatchResult = "win" | "loss" | "aborted"

/**
 * What the CLI shows of one match, from the player's point of view. The
 * player's champion, kills, deaths, assists and `win` are `null` when Riot
 * lists no participants (an aborted game).
 *
 * @internal
 */
export interface MatchSummary {
  readonly matchId: string
  readonly gameMode: string
  readonly queueId: number
  /** Epoch milliseconds; 0 when Riot does not know it (an aborted game). */
  readonly gameCreation: number
  readonly durationSeconds: number
  readonly result: MatchResult
  /** Riot's own word on how the game ended, when it sends one (since 2024): `GameComplete`, `Abort_Unexpected`, ... */
  readonly endOfGameResult: string | null
  readonly champion: string | null
  readonly kills: number | null
  readonly deaths: number | null
  readonly assists: number | null
  readonly win: boolean | null
}

/**
 * The player's row of a match, or none when the match lists participants
 * and the player is not one of them.
 *
 * @internal
 */
export const summarizeMatch = (
  match: RiotSchema.LolMatchV5Match,
  puuid: string
): Option.Option<MatchSummary> => {
  const { info } = match
  const common = {
    matchId: match.metadata.matchId,
    gameMode: info.gameMode,
    queueId: info.queueId,
    gameCreation: info.gameCreation,
    durationSeconds: info.gameDuration,
    endOfGameResult: info.endOfGameResult ?? null
  }
  if (info.participants.length === 0) {
    return Option.some({
      ...common,
      result: "aborted",
      champion: null,
      kills: null,
      deaths: null,
      assists: null,
      win: null
    })
  }
  return Option.map(
    Option.fromNullable(info.participants.find((participant) => participant.puuid === puuid)),
    (participant) => ({
      ...common,
      result: participant.win ? "win" : "loss",
      champion: participant.championName,
      kills: participant.kills,
      deaths: participant.deaths,
      assists: participant.assists,
      win: participant.win
    })
  )
}

/**
 * The player whose matches were fetched.
 *
 * @internal
 */
export interface Player {
  readonly gameName: string
  readonly tagLine: string
  readonly puuid: string
  readonly platform: Routing.Platform
  readonly region: Routing.Region
  readonly summonerLevel: number
}

/**
 * A match that could not be fetched, with the error's one-line message.
 *
 * @internal
 */
export interface MatchFailure {
  readonly matchId: string
  readonly error: string
}

/**
 * How the fetch ended.
 *
 * - `complete`: every match was attempted (some may have failed).
 * - `stopped`: the `interrupt` strategy stopped the group at the first failure.
 * - `interrupted`: the user interrupted the run (Ctrl-C).
 *
 * @internal
 */
export type Outcome = "complete" | "stopped" | "interrupted"

/**
 * @internal
 */
export interface Totals {
  readonly outcome: Outcome
  /** Match ids listed for the player. */
  readonly requested: number
  readonly fetched: number
  readonly failed: number
  /** Matches that were interrupted or never started. */
  readonly notFetched: number
  readonly wallTimeMillis: number
  /** HTTP requests sent, retries and the lookups of account, summoner and match ids included. */
  readonly httpRequests: number
  readonly requestsPerSecond: number
}

/**
 * Everything one `volley matches` run found.
 *
 * @internal
 */
export interface Report {
  readonly player: Player | undefined
  /** In the order Riot listed the ids: newest first. */
  readonly matches: ReadonlyArray<MatchSummary>
  readonly failures: ReadonlyArray<MatchFailure>
  readonly totals: Totals
}

/**
 * The report of a run stopped before it knew the player: nothing requested,
 * nothing fetched.
 *
 * @internal
 */
export const emptyReport = (outcome: Outcome): Report => ({
  player: undefined,
  matches: [],
  failures: [],
  totals: {
    outcome,
    requested: 0,
    fetched: 0,
    failed: 0,
    notFetched: 0,
    wallTimeMillis: 0,
    httpRequests: 0,
    requestsPerSecond: 0
  }
})
