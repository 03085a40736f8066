import type { RiotSchema, Routing } from "@volley/riot"
import * as Option from "effect/Option"

/**
 * What the CLI shows of one match, from the player's point of view.
 *
 * @internal
 */
export interface MatchSummary {
  readonly matchId: string
  readonly gameMode: string
  readonly queueId: number
  /** Epoch milliseconds. */
  readonly gameCreation: number
  readonly durationSeconds: number
  readonly champion: string
  readonly kills: number
  readonly deaths: number
  readonly assists: number
  readonly win: boolean
}

/**
 * The player's row of a match, or none when the player did not play in it.
 *
 * @internal
 */
export const summarizeMatch = (
  match: RiotSchema.LolMatchV5Match,
  puuid: string
): Option.Option<MatchSummary> =>
  Option.map(
    Option.fromNullable(match.info.participants.find((participant) => participant.puuid === puuid)),
    (participant) => ({
      matchId: match.metadata.matchId,
      gameMode: match.info.gameMode,
      queueId: match.info.queueId,
      gameCreation: match.info.gameCreation,
      durationSeconds: match.info.gameDuration,
      champion: participant.championName,
      kills: participant.kills,
      deaths: participant.deaths,
      assists: participant.assists,
      win: participant.win
    })
  )

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
