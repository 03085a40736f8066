// A player's first 20 matches, fetched concurrently: from the live Riot API when RIOT_API_KEY is set, otherwise
// from a Riot API mock started on a free port. Run it with `npx -y pnpm@10.34.8 seed`.
import { NodeRuntime } from "@effect/platform-node"
import { MockServer } from "@volley/mock-server"
import { RiotClient } from "@volley/riot"
import { NodeRiotClient } from "@volley/riot/node"
import { TaskGroup } from "@volley/taskgroup"
import { Config, Console, Effect, Layer, Option } from "effect"

const program = Effect.gen(function*() {
  const riot = yield* RiotClient.RiotClient
  // Effect.flatten: fail with NoSuchElementException when Riot has no such account or summoner (an Option.none)
  const account = yield* Effect.flatten(
    riot.getAccountV1ByRiotId({ region: "americas", gameName: "200", tagLine: "16384" })
  )
  const summoner = yield* Effect.flatten(riot.getLolSummonerV4ByPuuid({ region: "na1", puuid: account.puuid }))
  const matchIds = yield* riot.getLolMatchV5MatchIdsByPuuid({ region: "americas", puuid: account.puuid, count: 20 })

  const { failures, results } = yield* TaskGroup.forEach(
    matchIds,
    (id) => Effect.flatten(riot.getLolMatchV5Match({ region: "americas", id })),
    { concurrency: 100 } // the client's rate limiter keeps this within Riot's limits
  )
  yield* Console.log(`level ${summoner.summonerLevel}: ${results.length} matches, ${failures.length} failed`)
})

// The live API when RIOT_API_KEY is set, otherwise a mock that lives as long as the program.
const Riot = Layer.unwrapScoped(Effect.gen(function*() {
  const apiKey = yield* Config.option(Config.redacted("RIOT_API_KEY"))
  if (Option.isSome(apiKey)) return NodeRiotClient.layerWith({ apiKey: apiKey.value })
  const mock = yield* MockServer.make()
  return NodeRiotClient.layerWith({ apiKey: mock.apiKey, baseUrl: mock.baseUrl })
}))

program.pipe(Effect.provide(Riot), NodeRuntime.runMain)
