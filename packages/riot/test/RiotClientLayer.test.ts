/**
 * The configured layers: what a user without a key gets from `RiotClient.layer` and `NodeRiotClient.layer`.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { assert, describe, it } from "@effect/vitest"
import { ConfigError, ConfigProvider, Effect, Either, Layer } from "effect"
import * as NodeRiotClient from "../src/NodeRiotClient.js"
import * as RiotClient from "../src/RiotClient.js"

const withEnv = (env: Record<string, string>) =>
  Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))

/** An HttpClient that answers 200 `[]` and counts what it was sent. */
const recordingClient = () => {
  const sent: Array<string> = []
  const layer = Layer.succeed(
    HttpClient.HttpClient,
    HttpClient.make((request) => {
      sent.push(request.url)
      return Effect.succeed(HttpClientResponse.fromWeb(request, new Response("[]", { status: 200 })))
    })
  )
  return { sent, layer }
}

const fetchIds = RiotClient.getLolMatchV5MatchIdsByPuuid({ region: "americas", puuid: "p" })

describe("RiotClient.layer", () => {
  it.effect("without RIOT_API_KEY fails at once with one line naming it, and sends nothing", () => {
    const http = recordingClient()
    return Effect.gen(function*() {
      const error = yield* Effect.flip(
        fetchIds.pipe(Effect.provide(RiotClient.layer.pipe(Layer.provide(http.layer), Layer.provide(withEnv({})))))
      )
      assert.isTrue(ConfigError.isConfigError(error))
      assert.strictEqual(
        String(error),
        "(Missing data at RIOT_API_KEY: \"the Riot API needs a key: set RIOT_API_KEY " +
          "(development keys come from https://developer.riotgames.com)\")"
      )
      assert.deepStrictEqual(http.sent, [])
    })
  })

  it.effect("with RIOT_API_KEY calls Riot", () => {
    const http = recordingClient()
    return Effect.gen(function*() {
      const ids = yield* fetchIds.pipe(
        Effect.provide(RiotClient.layer.pipe(Layer.provide(http.layer), Layer.provide(withEnv({ RIOT_API_KEY: "k" }))))
      )
      assert.deepStrictEqual(ids, [])
      assert.deepStrictEqual(http.sent, ["https://americas.api.riotgames.com/lol/match/v5/matches/by-puuid/p/ids"])
    })
  })

  it.effect("without a key but with RIOT_BASE_URL, e.g. a proxy that signs requests, calls it unsigned", () => {
    const http = recordingClient()
    return Effect.gen(function*() {
      yield* fetchIds.pipe(
        Effect.provide(
          RiotClient.layer.pipe(
            Layer.provide(http.layer),
            Layer.provide(withEnv({ RIOT_BASE_URL: "http://127.0.0.1:9/{route}" }))
          )
        )
      )
      assert.deepStrictEqual(http.sent, ["http://127.0.0.1:9/americas/lol/match/v5/matches/by-puuid/p/ids"])
    })
  })
})

describe("NodeRiotClient.layer", () => {
  it.effect("without RIOT_API_KEY fails at once, before Node's HTTP client is used", () =>
    Effect.gen(function*() {
      const result = yield* Effect.either(
        fetchIds.pipe(Effect.provide(NodeRiotClient.layer.pipe(Layer.provide(withEnv({})))))
      )
      assert.isTrue(Either.isLeft(result) && ConfigError.isConfigError(result.left))
    }))
})
