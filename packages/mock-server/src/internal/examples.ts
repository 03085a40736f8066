import type { ExampleCall, MockAccount } from "../MockServer.js"
import type { Operation, Param } from "./operations.js"

/**
 * A value of `param`'s type: an enum's first value, an integer within its
 * bounds, and for strings the player's puuid or Riot ID where the name says
 * so, so that the dataset's methods find them.
 */
const exampleValue = (param: Param, player: MockAccount): string | number | boolean => {
  if (param.enum !== undefined) return param.enum[0]
  switch (param.type) {
    case "integer":
      return Math.min(Math.max(param.min ?? 1, 1), param.max ?? Number.MAX_SAFE_INTEGER)
    case "number":
      return 1
    case "boolean":
      return true
    default: {
      if (/puuid/i.test(param.wireName)) return player.puuid
      if (param.wireName === "gameName") return player.gameName
      if (param.wireName === "tagLine") return player.tagLine
      return "volley"
    }
  }
}

/** @internal */
export const exampleCall = (operation: Operation, player: MockAccount): ExampleCall => ({
  route: [player.platform, player.region, "na"].find((route) => operation.routes.includes(route as never)) ??
    operation.routes[0],
  args: Object.fromEntries(operation.params.map((param) => [param.name, exampleValue(param, player)]))
})
