/**
 * Every GET operation of the committed description has a method on the
 * client and a schema, and every method goes through the one request path:
 * routing, arguments, RSO tokens, Option for a 404 that means "none", the
 * rate limiter's per-method limits, and bodies generated from the schemas.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { assert, describe, it } from "@effect/vitest"
import { RiotOperations, RiotSchema, Routing } from "@volley/riot"
import {
  Clock,
  Duration,
  Effect,
  Fiber,
  Layer,
  Option,
  Redacted,
  Schema,
  type SchemaAST,
  TestClock,
  Tracer
} from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import * as RiotClient from "../src/RiotClient.js"
import * as RiotError from "../src/RiotError.js"
import * as RiotRateLimiter from "../src/RiotRateLimiter.js"

const description = JSON.parse(
  fs.readFileSync(path.join(import.meta.dirname, "..", "spec", "openapi-3.0.0.json"), "utf8")
) as {
  readonly paths: Record<
    string,
    Record<string, { readonly operationId: string; readonly "x-platforms-available": Array<string> }>
  >
}

const getOperations = Object.entries(description.paths).flatMap(([operationPath, item]) =>
  item.get === undefined ? [] : [{ path: operationPath, ...item.get }]
)

const apiKey = "RGAPI-test-secret-0123456789"
const accessToken = "rso-access-token-secret-9876543210"

interface Sent {
  readonly url: URL
  readonly headers: Readonly<Record<string, string>>
  readonly time: number
}

/** A fake Riot behind `HttpClient`, answering every request with `reply`. */
const fakeRiot = (
  reply: (url: URL) => { readonly status: number; readonly body: string; readonly headers?: Record<string, string> }
) => {
  const sent: Array<Sent> = []
  const client = HttpClient.make((request: HttpClientRequest.HttpClientRequest, url) =>
    Effect.map(Clock.currentTimeMillis, (time) => {
      sent.push({ url, headers: request.headers, time })
      const answer = reply(url)
      return HttpClientResponse.fromWeb(
        request,
        new Response(answer.body, {
          status: answer.status,
          headers: {
            "content-type": "application/json",
            "x-app-rate-limit": "1000:1",
            "x-method-rate-limit": "1000:1",
            ...answer.headers
          }
        })
      )
    })
  )
  return { client, sent }
}

const clientOn = (http: HttpClient.HttpClient, options: RiotClient.Options = {}) =>
  RiotClient.make({ apiKey: Redacted.make(apiKey), maxRetries: 0, ...options }).pipe(
    Effect.provide([
      Layer.succeed(HttpClient.HttpClient, http),
      RiotRateLimiter.layerWith({ windowPadding: Duration.zero }).pipe(Layer.provide(RiotRateLimiter.layerMemoryStore))
    ])
  )

/** Arguments that satisfy an operation: its first route, and a value of the right type for every parameter. */
const argsFor = (operation: RiotOperations.Operation): Record<string, unknown> => {
  const args: Record<string, unknown> = { region: operation.routes[0] }
  if (operation.rso) args.accessToken = Redacted.make(accessToken)
  for (const param of operation.params) {
    if (!param.required) continue
    args[param.name] = param.enum !== undefined
      ? param.enum[0]
      : param.type === "integer" || param.type === "number"
      ? param.min ?? 1
      : param.type === "boolean"
      ? true
      : `${param.name}-1`
  }
  return args
}

const call = (client: RiotClient.RiotClient, operation: RiotOperations.Operation, args: unknown) =>
  (client[operation.method] as (args: unknown) => Effect.Effect<unknown, RiotError.RiotError>)(args)

describe("the operations", () => {
  it("cover every GET operation of the description, each with a method and a schema", () =>
    Effect.gen(function*() {
      const client = yield* clientOn(fakeRiot(() => ({ status: 500, body: "" })).client)
      const schemas: ReadonlySet<SchemaAST.AST> = new Set(
        Object.values(RiotSchema as Record<string, unknown>).filter(Schema.isSchema).map((schema) => schema.ast)
      )
      assert.strictEqual(getOperations.length, 74)
      for (const { operationId, path: operationPath, "x-platforms-available": routes } of getOperations) {
        const operation = RiotOperations.operations.find((candidate) => candidate.operationId === operationId)
        assert.isDefined(operation, `${operationId} has no entry`)
        assert.strictEqual(operation!.path, operationPath)
        assert.deepStrictEqual<ReadonlyArray<string>>(operation!.routes, routes)
        assert.isFunction(client[operation!.method], `${operationId} has no method`)
        assert.strictEqual(RiotOperations.lookup(operation!.method), operation)
        // A schema of RiotSchema's, or a list of one.
        const ast = operation!.response.ast
        const named = schemas.has(ast) ||
          (ast._tag === "TupleType" && ast.rest.length === 1 && schemas.has(ast.rest[0].type))
        assert.isTrue(named, `${operationId} answers a schema RiotSchema does not export`)
      }
      assert.strictEqual(RiotOperations.operations.length, getOperations.length)
      assert.strictEqual(new Set(RiotOperations.operations.map((operation) => operation.method)).size, 74)
      assert.isUndefined(RiotOperations.lookup("toString"))
    }).pipe(Effect.runSync))

  it("are all in the coverage table of the guide", () => {
    const guide = fs.readFileSync(path.join(import.meta.dirname, "..", "..", "..", "docs", "riot-client.md"), "utf8")
    const table = guide.slice(guide.indexOf("### Coverage"), guide.indexOf("### Regenerating"))
    for (const operation of RiotOperations.operations) {
      assert.include(table, `| ${operation.family} |`)
      assert.include(table, `\`${operation.method}\``)
    }
  })

  it("keep Pulsefire's names", () => {
    const names = RiotOperations.operations.map((operation) => operation.method)
    for (
      const name of [
        "getAccountV1ByRiotId",
        "getLolSummonerV4ByPuuid",
        "getLolMatchV5MatchIdsByPuuid",
        "getLolMatchV5Match",
        "getLolChampionV4MasteriesByPuuid",
        "getLolLeagueV4ChallengerLeagueByQueue",
        "getLolMatchV5MatchTimeline",
        "getTftMatchV1Match",
        "getValMatchV1Match",
        "getValRankedV1LeaderboardByAct"
      ]
    ) assert.include(names, name)
  })

  describe("routing", () => {
    it("types each method's route to the routes that serve it", () => {
      const calls = (client: RiotClient.RiotClient) => {
        // @ts-expect-error account-v1 is not served by sea
        client.getAccountV1ByRiotId({ region: "sea", gameName: "a", tagLine: "b" })
        // @ts-expect-error VALORANT is served by its own platforms
        client.getValMatchV1Match({ region: "euw1", id: "m" })
        client.getValMatchV1Match({ region: "eu", id: "m" })
        // @ts-expect-error the console leaderboards have no kr
        client.getValConsoleRankedV1LeaderboardByAct({ region: "kr", actId: "a", platformType: "playstation" })
        client.getLolStatusV4PlatformData({ region: "pbe1" })
        // @ts-expect-error summoner-v4 has no pbe1
        client.getLolSummonerV4ByPuuid({ region: "pbe1", puuid: "p" })
        client.getTftMatchV1Match({ region: "esports", id: "m" })
        // @ts-expect-error tournaments are served by americas only
        client.getLolTournamentV5Games({ region: "europe", tournamentCode: "c" })
      }
      assert.isFunction(calls)
    })

    it.effect("refuses a route that does not serve the operation, sending nothing", () =>
      Effect.gen(function*() {
        const riot = fakeRiot(() => ({ status: 200, body: "{}" }))
        const client = yield* clientOn(riot.client)
        for (const operation of RiotOperations.operations) {
          const wrong = Routing.Route.literals.find((route) => !operation.routes.includes(route))!
          const error = yield* Effect.flip(call(client, operation, { ...argsFor(operation), region: wrong }))
          assert.instanceOf(error, RiotError.InvalidArgument)
          assert.strictEqual(error.argument, "region")
          assert.include(error.message, operation.routes.join(", "))
        }
        assert.lengthOf(riot.sent, 0)
      }))
  })

  it.effect("refuses a missing or mistyped argument, sending nothing", () =>
    Effect.gen(function*() {
      const riot = fakeRiot(() => ({ status: 200, body: "{}" }))
      const client = yield* clientOn(riot.client)
      const missing = yield* Effect.flip(call(client, RiotOperations.byMethod.getLolMatchV5Match, { region: "europe" }))
      assert.strictEqual(missing.message, "invalid id for match-v5.getMatch: is required")
      const mistyped = yield* Effect.flip(
        call(client, RiotOperations.byMethod.getLolChampionV4MasteryByPuuid, {
          region: "euw1",
          puuid: "p",
          championId: "Ahri"
        })
      )
      assert.strictEqual(
        mistyped.message,
        "invalid championId for champion-mastery-v4.getChampionMasteryByPUUID: must be an integer, got \"Ahri\""
      )
      const empty = yield* Effect.flip(
        call(client, RiotOperations.byMethod.getLolSummonerV4ByPuuid, { region: "euw1", puuid: "" })
      )
      assert.strictEqual(empty.message, "invalid puuid for summoner-v4.getByPUUID: must not be empty")
      assert.lengthOf(riot.sent, 0)
    }))

  it.effect("sends path and query arguments by their wire names", () =>
    Effect.gen(function*() {
      const riot = fakeRiot(() => ({ status: 200, body: "[]" }))
      const client = yield* clientOn(riot.client)
      yield* client.getLolLeagueV4EntriesByDivision({
        region: "kr",
        queue: "RANKED_SOLO_5x5",
        tier: "DIAMOND",
        division: "I",
        page: 2
      })
      yield* client.getLolChampionV4TopMasteriesByPuuid({ region: "kr", puuid: "a b", count: 3 })
      assert.deepStrictEqual(riot.sent.map((request) => request.url.pathname + request.url.search), [
        "/lol/league/v4/entries/RANKED_SOLO_5x5/DIAMOND/I?page=2",
        "/lol/champion-mastery/v4/champion-masteries/by-puuid/a%20b/top?count=3"
      ])
    }))

  describe("RSO", () => {
    it.effect("sends the access token as a bearer token, and never shows it", () =>
      Effect.gen(function*() {
        const riot = fakeRiot(() => ({ status: 500, body: "" }))
        const { capturing, spans } = yield* capturingTracer
        for (const httpClientSpans of [false, true]) {
          const client = yield* clientOn(riot.client, { httpClientSpans })
          const error = yield* Effect.flip(
            client.getAccountV1Me({ region: "europe", accessToken: Redacted.make(accessToken) }).pipe(
              Effect.withTracer(capturing)
            )
          )
          assert.instanceOf(error, RiotError.ServerError)
          assert.notInclude(JSON.stringify(error) + String(error) + error.message, accessToken)
        }
        assert.deepStrictEqual(riot.sent.map((request) => request.headers.authorization), [
          `Bearer ${accessToken}`,
          `Bearer ${accessToken}`
        ])
        assert.isAbove(spans.length, 0)
        for (const span of spans) {
          assert.notInclude(JSON.stringify([...span.attributes]), accessToken)
        }
        // Operations without RSO send no Authorization header.
        const client = yield* clientOn(riot.client)
        yield* Effect.flip(client.getLolStatusV4PlatformData({ region: "euw1" }))
        assert.isUndefined(riot.sent[2].headers.authorization)
      }))

    it.effect("refuses a token that is not Redacted, without showing it", () =>
      Effect.gen(function*() {
        const riot = fakeRiot(() => ({ status: 200, body: "[]" }))
        const client = yield* clientOn(riot.client)
        const error = yield* Effect.flip(
          call(client, RiotOperations.byMethod.getLorDeckV1Decks, { region: "europe", accessToken })
        )
        assert.instanceOf(error, RiotError.InvalidArgument)
        assert.notInclude(error.message, accessToken)
        assert.lengthOf(riot.sent, 0)
      }))
  })

  it.effect("answers Option.none() for a 404 where it means none, and NotFound elsewhere", () =>
    Effect.gen(function*() {
      const riot = fakeRiot(() => ({
        status: 404,
        body: JSON.stringify({ status: { message: "Data not found", status_code: 404 } })
      }))
      const client = yield* clientOn(riot.client)
      for (const operation of RiotOperations.operations) {
        if (operation.nullable404) {
          assert.deepStrictEqual(yield* call(client, operation, argsFor(operation)), Option.none())
        } else {
          const error = yield* Effect.flip(call(client, operation, argsFor(operation)))
          assert.instanceOf(error, RiotError.NotFound, operation.operationId)
        }
      }
      assert.lengthOf(riot.sent, RiotOperations.operations.length)
    }))

  it.effect("keeps a method's rate limit to that method", () =>
    Effect.gen(function*() {
      // Every method may be called once per 10 seconds.
      const riot = fakeRiot(() => ({ status: 200, body: "[]", headers: { "x-method-rate-limit": "1:10" } }))
      const client = yield* clientOn(riot.client)
      yield* client.getLolChampionV4MasteriesByPuuid({ region: "kr", puuid: "p" })
      yield* client.getLolChampionV4TopMasteriesByPuuid({ region: "kr", puuid: "p" })
      // Another method, and the same method on another route, are not held up.
      yield* client.getLolChampionV4MasteriesByPuuid({ region: "euw1", puuid: "p" })
      assert.deepStrictEqual(riot.sent.map((request) => request.time), [0, 0, 0])
      const again = yield* Effect.fork(client.getLolChampionV4MasteriesByPuuid({ region: "kr", puuid: "p" }))
      yield* TestClock.adjust(Duration.seconds(9))
      assert.lengthOf(riot.sent, 3)
      yield* TestClock.adjust(Duration.seconds(2))
      yield* Fiber.join(again)
      assert.lengthOf(riot.sent, 4)
      assert.isAtLeast(riot.sent[3].time, 10_000)
    }))

  describe("bodies generated from the schemas", () => {
    for (const operation of RiotOperations.operations) {
      it.effect.prop(
        `${operation.method} returns what Riot sent`,
        [operation.response],
        ([body]) =>
          Effect.gen(function*() {
            const text = JSON.stringify(body)
            const client = yield* clientOn(fakeRiot(() => ({ status: 200, body: text })).client)
            const result = yield* call(client, operation, argsFor(operation))
            const expected: unknown = JSON.parse(text)
            assert.deepStrictEqual(result, operation.nullable404 ? Option.some(expected) : expected)
          }),
        { fastCheck: { numRuns: 10 } }
      )
    }
  })
})

/** The current tracer, wrapped to keep every span it starts. */
const capturingTracer = Effect.map(Effect.tracer, (tracer) => {
  const spans: Array<Tracer.Span> = []
  const capturing = Tracer.make({
    span: (...args) => {
      const span = tracer.span(...args)
      spans.push(span)
      return span
    },
    context: tracer.context
  })
  return { spans, capturing }
})
