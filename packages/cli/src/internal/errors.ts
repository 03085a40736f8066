import * as Data from "effect/Data"

/**
 * `--live` was asked for without an API key to use.
 *
 * @internal
 */
export class MissingApiKey extends Data.TaggedError("MissingApiKey")<{}> {
  override get message(): string {
    return "--live needs a Riot API key: set RIOT_API_KEY (development keys come from https://developer.riotgames.com)"
  }
}

/**
 * A fetched match does not list the player among its participants.
 *
 * @internal
 */
export class PlayerNotInMatch extends Data.TaggedError("PlayerNotInMatch")<{ readonly matchId: string }> {
  override get message(): string {
    return `the player is not a participant of ${this.matchId}`
  }
}

/**
 * Some matches could not be fetched. The report already lists them; this
 * only makes the exit code say the data is incomplete.
 *
 * @internal
 */
export class IncompleteFetch extends Data.TaggedError("IncompleteFetch")<{
  readonly failed: number
  readonly requested: number
}> {
  override get message(): string {
    return `${this.failed} of ${this.requested} matches could not be fetched`
  }
}

/**
 * The account exists, but has no summoner on the platform asked for: Riot
 * accounts are global while summoners live on one platform.
 *
 * @internal
 */
export class NoSummonerOnPlatform extends Data.TaggedError("NoSummonerOnPlatform")<{
  readonly riotId: string
  readonly platform: string
}> {
  override get message(): string {
    return `${this.riotId} has no League of Legends summoner on ${this.platform}; pass the player's platform with --platform`
  }
}
