/**
 * The mock against the whole operation table: every GET operation has a
 * route, every body it serves decodes with the operation's schema, and every
 * method of the real RiotClient runs against it.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, describe, it } from "@effect/vitest"
import { RiotClient, RiotRateLimiter } from "@volley/riot"
import { Context, Effect, Either, Exit, FastCheck, Layer, Option, Redacted, Schema } from "effect"
import * as Bodies from "../src/internal/bodies.js"
import type { Operation } from "../src/internal/operations.js"
import { operations } from "../src/internal/operations.js"
import * as MockServer from "../src/MockServer.js"

/** The request path of {@link MockServer.exampleCall}'s call, query string included. */
const examplePath = (operation: Operation, player: MockServer.MockAccount): string => {
  const { args } = MockServer.exampleCall(operation, player)
  const path = operation.params.filter((param) => param.in === "path").reduce(
    (path, param) => path.replace(`{${param.wireName}}`, encodeURIComponent(String(args[param.name]))),
    operation.path
  )
  const query = new URLSearchParams(
    operation.params.filter((param) => param.in === "query").map((
      param
    ): [string, string] => [param.wireName, String(args[param.name])])
  ).toString()
  return query === "" ? path : `${path}?${query}`
}

const exampleRoute = (operation: Operation, player: MockServer.MockAccount) =>
  MockServer.exampleCall(operation, player).route

const playerOf = (mock: MockServer.MockServer) => mock.accounts.find((account) => account.gameName === "200")!
const getOperations = operations.filter((operation) => operation.httpMethod === "GET")
const allRoutes = [...new Set(getOperations.flatMap((operation) => operation.routes))]
const unlimited = { appLimits: false, methodLimits: false } as const

const headersFor = (operation: Operation): Record<string, string> => ({
  "X-Riot-Token": Redacted.value(MockServer.defaultApiKey),
  ...(operation.rso ? { Authorization: "Bearer volley-test-token" } : {})
})

const fetchReply = (mock: MockServer.MockServer, route: string, path: string, headers: Record<string, string>) =>
  Effect.promise(async () => {
    const response = await fetch(`${mock.baseUrl.replace("{route}", route)}${path}`, { headers })
    return { status: response.status, text: await response.text() }
  })

const call = (mock: MockServer.MockServer, operation: Operation) =>
  fetchReply(
    mock,
    exampleRoute(operation, playerOf(mock)),
    examplePath(operation, playerOf(mock)),
    headersFor(operation)
  )

/** The answer a method may give: a body, or for a `nullable404` one Riot's "Data not found". */
const assertAnswered = (operation: Operation, reply: { readonly status: number; readonly text: string }) => {
  if (reply.status === 404 && operation.nullable404) {
    assert.match(reply.text, /Data not found/, operation.operationId)
  } else {
    assert.strictEqual(reply.status, 200, `${operation.operationId}: ${reply.text.slice(0, 300)}`)
  }
}

const decodes = (operation: Operation, text: string) => {
  const decoded = Schema.decodeUnknownEither(operation.response)(JSON.parse(text))
  assert.isTrue(Either.isRight(decoded), `${operation.operationId}: ${Either.isLeft(decoded) ? decoded.left : ""}`)
}

describe("MockServer coverage of the operation table", () => {
  it.scoped(
    "has a route for every GET operation, on the operation's routes and no other",
    () =>
      Effect.gen(function*() {
        const mock = yield* MockServer.make(unlimited)
        assert.deepStrictEqual(
          mock.coverage.map((served) => served.method),
          getOperations.map((operation) => operation.operationId)
        )
        assert.deepStrictEqual(MockServer.methodNames, mock.coverage.map((served) => served.method))
        for (const operation of getOperations) {
          assertAnswered(operation, yield* call(mock, operation))
          const elsewhere = allRoutes.find((route) => !operation.routes.includes(route as never))
          // The dataset's account-v1 also answers on sea, as it always has.
          if (elsewhere !== undefined && elsewhere !== "sea") {
            const path = examplePath(operation, playerOf(mock))
            const wrong = yield* fetchReply(mock, elsewhere, path, headersFor(operation))
            assert.strictEqual(wrong.status, 404, `${operation.operationId} on ${elsewhere}`)
          }
        }
        const log = yield* mock.requestLog
        const answered = log.filter((entry) => entry.status !== 404 || entry.method !== undefined)
        assert.includeMembers([...new Set(answered.map((entry) => entry.method))], [...MockServer.methodNames])
      }),
    { timeout: 60_000 }
  )

  it.scoped("answers every method, for several seeds, with a body its schema decodes", () =>
    Effect.gen(function*() {
      for (const seed of [1, 2, 3]) {
        const mock = yield* MockServer.make({ ...unlimited, seed })
        for (const operation of getOperations) {
          const reply = yield* call(mock, operation)
          assertAnswered(operation, reply)
          if (reply.status === 200) decodes(operation, reply.text)
        }
      }
    }), { timeout: 60_000 })

  it.scoped("makes up the same bodies for the same seed and request", () =>
    Effect.gen(function*() {
      const first = yield* MockServer.make(unlimited)
      const second = yield* MockServer.make(unlimited)
      for (const operation of getOperations) {
        assert.deepStrictEqual(yield* call(first, operation), yield* call(second, operation), operation.operationId)
      }
    }), { timeout: 60_000 })
})

describe("made-up bodies", () => {
  it.prop(
    "decode with their schema and are a function of seed and key, for every seed and key",
    [FastCheck.integer(), FastCheck.string()],
    ([seed, key]) => {
      const bodies = Bodies.make(seed)
      const again = Bodies.make(seed)
      for (const operation of getOperations) {
        const body = bodies(operation.response, key)
        assert.isDefined(body, operation.operationId)
        decodes(operation, body!)
        assert.strictEqual(again(operation.response, key), body, operation.operationId)
      }
    },
    { timeout: 120_000, fastCheck: { numRuns: 8 } }
  )
})

const byId = (operationId: string): Operation =>
  getOperations.find((operation) => operation.operationId === operationId)!

describe("MockServer on methods beyond the dataset", () => {
  it.scoped("wants an RSO access token besides the key for RSO methods", () =>
    Effect.gen(function*() {
      const mock = yield* MockServer.make(unlimited)
      const me = byId("account-v1.getByAccessToken")
      const key = { "X-Riot-Token": Redacted.value(mock.apiKey) }
      assert.strictEqual((yield* fetchReply(mock, "americas", me.path, key)).status, 401)
      assert.strictEqual(
        (yield* fetchReply(mock, "americas", me.path, { ...key, Authorization: "Bearer" })).status,
        401
      )
      assert.strictEqual((yield* fetchReply(mock, "americas", me.path, headersFor(me))).status, 200)
      assert.strictEqual((yield* fetchReply(mock, "americas", me.path, { Authorization: "Bearer t" })).status, 401)
    }))

  it.scoped("answers a parameter outside its enum, type or bounds with Riot's 400", () =>
    Effect.gen(function*() {
      const mock = yield* MockServer.make(unlimited)
      const headers = { "X-Riot-Token": Redacted.value(mock.apiKey) }
      for (
        const [route, path, message] of [
          ["kr", "/lol/league/v4/grandmasterleagues/by-queue/RANKED_SOLO_6x6", "queue must be one of RANKED_SOLO_5x5"],
          ["kr", "/lol/clash/v1/tournaments/twelve", "tournamentId must be an integer, got twelve"],
          ["kr", "/lol/league/v4/entries/RANKED_SOLO_5x5/GOLD/V", "division must be one of I, II, III, IV, got V"]
        ] as const
      ) {
        const reply = yield* fetchReply(mock, route, path, headers)
        assert.strictEqual(reply.status, 400, path)
        assert.include(JSON.parse(reply.text).status.message, message)
      }
    }))

  it.scoped("keeps method limits per method, with Riot's headers, for every method", () =>
    Effect.gen(function*() {
      const mock = yield* MockServer.make({
        appLimits: false,
        methodLimits: { "lol-status-v4.getPlatformData": [{ limit: 2, windowSeconds: 10 }] }
      })
      const status = byId("lol-status-v4.getPlatformData")
      const replies = []
      for (let n = 0; n < 3; n++) {
        replies.push(
          yield* Effect.promise(async () => {
            const response = await fetch(`${mock.baseUrl.replace("{route}", "kr")}${status.path}`, {
              headers: headersFor(status)
            })
            await response.text()
            return { status: response.status, headers: response.headers }
          })
        )
      }
      assert.deepStrictEqual(replies.map((reply) => reply.status), [200, 200, 429])
      assert.strictEqual(replies[1].headers.get("x-method-rate-limit"), "2:10")
      assert.strictEqual(replies[1].headers.get("x-method-rate-limit-count"), "2:10")
      assert.strictEqual(replies[2].headers.get("x-rate-limit-type"), "method")
      // Another method on the same route has its own window.
      const other = yield* call(mock, byId("lol-challenges-v1.getAllChallengeConfigs"))
      assert.strictEqual(other.status, 200)
    }))

  it.scoped("injects faults into made-up and recorded bodies too, and logs them", () =>
    Effect.gen(function*() {
      const mock = yield* MockServer.make({ ...unlimited, faults: { truncatedJson: 1, methods: "all" } })
      for (const method of ["lol-status-v4.getPlatformData", "match-v5.getTimeline"]) {
        const operation = byId(method)
        const reply = yield* call(mock, operation)
        assert.strictEqual(reply.status, 200)
        assert.throws(() => JSON.parse(reply.text), SyntaxError, undefined, method)
      }
      const log = yield* mock.requestLog
      assert.deepStrictEqual(
        log.map((entry) => [entry.method, entry.fault]),
        [["lol-status-v4.getPlatformData", "truncatedJson"], ["match-v5.getTimeline", "truncatedJson"]]
      )
    }))

  it.scoped("answers a recorded method with the recording of the id asked for", () =>
    Effect.gen(function*() {
      const mock = yield* MockServer.make(unlimited)
      const timeline = yield* fetchReply(
        mock,
        "europe",
        "/lol/match/v5/matches/EUW1_6511808246/timeline",
        headersFor(byId("match-v5.getTimeline"))
      )
      assert.strictEqual(JSON.parse(timeline.text).metadata.matchId, "EUW1_6511808246")
      assert.deepInclude(mock.coverage, {
        method: "match-v5.getTimeline",
        path: "/lol/match/v5/matches/{matchId}/timeline",
        source: "recorded"
      })
    }))
})

describe("RiotClient against the mock, method by method", () => {
  it.scoped("runs every method of the table with valid arguments", () =>
    Effect.gen(function*() {
      const mock = yield* MockServer.make(unlimited)
      const client = yield* RiotClient.layerWith({ apiKey: mock.apiKey, baseUrl: mock.baseUrl }).pipe(
        Layer.provide([NodeHttpClient.layerUndici, RiotRateLimiter.layer]),
        Layer.build,
        Effect.map(Context.get(RiotClient.RiotClient))
      )
      const methods = client as unknown as Readonly<
        Record<string, (args: Readonly<Record<string, unknown>>) => Effect.Effect<unknown, unknown>>
      >
      for (const operation of getOperations) {
        const example = MockServer.exampleCall(operation, playerOf(mock))
        const exit = yield* Effect.exit(methods[operation.method]({
          ...example.args,
          region: example.route,
          ...(operation.rso ? { accessToken: Redacted.make("volley-test-token") } : {})
        }))
        assert.isTrue(Exit.isSuccess(exit), `${operation.method}: ${Exit.isFailure(exit) ? exit.cause : ""}`)
        // The seeded player exists: only a made-up id may be "not found".
        if (Exit.isSuccess(exit) && Option.isOption(exit.value) && Option.isNone(exit.value)) {
          assert.isTrue(operation.params.some((param) => param.name === "id"), `${operation.method}: none`)
        }
      }
    }), { timeout: 60_000 })
})
