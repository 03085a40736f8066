import * as Either from "effect/Either"
import { untrusted } from "./safeText.js"

/**
 * A player's Riot ID split into the two parts account-v1 looks up.
 *
 * @internal
 */
export interface RiotId {
  readonly gameName: string
  readonly tagLine: string
}

/**
 * Parses `gameName#tagLine`. Riot IDs cannot contain `#` in either part, so
 * exactly one is expected; spaces around each part are dropped because a
 * shell-quoted `"Faker Fan # KR1"` means the same player. On failure the left
 * side is the one-line reason shown to the user, with the input made safe
 * (a newline or CR in it shown as its escape) and cut.
 *
 * @internal
 */
export const parseRiotId = (input: string): Either.Either<RiotId, string> => {
  const parts = input.split("#")
  const shown = untrusted(input)
  if (parts.length !== 2) {
    return Either.left(
      `Invalid Riot ID "${shown}": expected gameName#tagLine with exactly one "#", e.g. 200#16384`
    )
  }
  const gameName = parts[0].trim()
  const tagLine = parts[1].trim()
  if (gameName === "") {
    return Either.left(`Invalid Riot ID "${shown}": the game name before "#" is empty`)
  }
  if (tagLine === "") {
    return Either.left(`Invalid Riot ID "${shown}": the tag line after "#" is empty`)
  }
  return Either.right({ gameName, tagLine })
}

/**
 * @internal
 */
export const formatRiotId = (riotId: RiotId): string => `${riotId.gameName}#${riotId.tagLine}`
