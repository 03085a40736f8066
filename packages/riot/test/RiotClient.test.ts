import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { assert, describe, it } from "@effect/vitest"
import {
  Cause,
  Clock,
  ConfigProvider,
  Duration,
  Effect,
  Exit,
  Fiber,
  Inspectable,
  Layer,
  Logger,
  LogLevel,
  Option,
  Redacted,
  TestClock,
  Tracer
} from "effect"
import { readFileSync } from "node:fs"
import * as RiotClient from "../src/RiotClient.js"
import * as RiotError from "../src/RiotError.js"
import * as RiotRateLimiter from "../src/RiotRateLimiter.js"

const apiKey = "RGAPI-test-secret-0123456789"
const matchBody = readFileSync(
  new URL("../../mock-server/fixtures/match-v5/EUW1_6511808246.json", import.meta.url),
  "utf8"
)
const accountBody = JSON.stringify({ puuid: "puuid-1", gameName: "200", tagLine: "16384" })

const limitHeaders = { "x-app-rate-limit": "100:1", "x-method-rate-limit": "100:1" }

type Reply =
  | { readonly status: number; readonly body?: string; readonly headers?: Record<string, string> }
  | "reset"
  | Effect.Effect<Reply>

interface Sent {
  readonly url: URL
  readonly headers: Readonly<Record<string, string>>
  readonly time: number
}

/**
 * A fake Riot behind `HttpClient`: `reply` answers the n-th request (from 0).
 * Rate limit headers are added unless a reply sets its own.
 */
const fakeRiot = (reply: (url: URL, n: number) => Reply) => {
  const sent: Array<Sent> = []
  const toResponse = (request: HttpClientRequest.HttpClientRequest, answer: Reply): Effect.Effect<
    HttpClientResponse.HttpClientResponse,
    HttpClientError.HttpClientError
  > => {
    if (Effect.isEffect(answer)) return Effect.flatMap(answer, (next) => toResponse(request, next))
    if (answer === "reset") {
      return Effect.fail(
        new HttpClientError.RequestError({ request, reason: "Transport", cause: new Error("read ECONNRESET") })
      )
    }
    return Effect.succeed(HttpClientResponse.fromWeb(
      request,
      new Response(answer.body ?? "", {
        status: answer.status,
        headers: { "content-type": "application/json", ...limitHeaders, ...answer.headers }
      })
    ))
  }
  const client = HttpClient.make((request, url) =>
    Effect.flatMap(Clock.currentTimeMillis, (time) => {
      const n = sent.length
      sent.push({ url, headers: request.headers, time })
      return toResponse(request, reply(url, n))
    })
  )
  return { client, sent }
}

const layer = (http: HttpClient.HttpClient, options: RiotClient.Options = {}) =>
  RiotClient.layerWith({ apiKey: Redacted.make(apiKey), retryBaseDelay: "1 second", ...options }).pipe(
    Layer.provide([
      Layer.succeed(HttpClient.HttpClient, http),
      RiotRateLimiter.layerWith({ windowPadding: Duration.zero, retryAfterMargin: "100 millis" }).pipe(
        Layer.provide(RiotRateLimiter.layerMemoryStore)
      )
    ])
  )

/** Runs `effect` in a fiber and moves the TestClock far enough for every retry. */
const runToEnd = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(effect)
    yield* TestClock.adjust(Duration.minutes(10))
    return yield* Fiber.await(fiber)
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

const attributesOf = (spans: ReadonlyArray<Tracer.Span>) =>
  spans.flatMap((span) => [...span.attributes].map(([name, value]) => `${name}=${String(value)}`))

const failureOf = <A, E>(exit: Exit.Exit<A, E>): E => {
  assert.isTrue(Exit.isFailure(exit), "expected a failure")
  const failure = Cause.failureOption((exit as Exit.Failure<A, E>).cause)
  assert.isTrue(failure._tag === "Some", "expected a typed failure")
  return (failure as { readonly value: E }).value
}

const ok = (body: string) => ({ status: 200, body })

describe("RiotClient", () => {
  describe("requests", () => {
    it.effect("encodes path segments and sends the key from the Redacted", () => {
      const riot = fakeRiot(() => ok(accountBody))
      return Effect.gen(function*() {
        const account = yield* Effect.flatten(RiotClient.getAccountV1ByRiotId({
          region: "europe",
          gameName: "Zoë Fan/#?",
          tagLine: "EUW 1"
        }))
        assert.strictEqual(account.puuid, "puuid-1")
        const [request] = riot.sent
        assert.strictEqual(request.url.origin, "https://europe.api.riotgames.com")
        assert.strictEqual(request.url.pathname, "/riot/account/v1/accounts/by-riot-id/Zo%C3%AB%20Fan%2F%23%3F/EUW%201")
        assert.strictEqual(request.headers["x-riot-token"], apiKey)
      }).pipe(Effect.provide(layer(riot.client)))
    })

    it.effect("fills {route} in the base URL template and routes summoner-v4 by platform", () => {
      const summoner = { puuid: "p", profileIconId: 1, revisionDate: 2, summonerLevel: 30 }
      const riot = fakeRiot(() => ok(JSON.stringify(summoner)))
      return Effect.gen(function*() {
        const result = yield* Effect.flatten(RiotClient.getLolSummonerV4ByPuuid({ region: "euw1", puuid: "a/b" }))
        assert.deepStrictEqual(result, summoner)
        assert.strictEqual(riot.sent[0].url.href, "http://127.0.0.1:9999/euw1/lol/summoner/v4/summoners/by-puuid/a%2Fb")
      }).pipe(Effect.provide(layer(riot.client, { baseUrl: "http://127.0.0.1:9999/{route}/" })))
    })

    it.effect("sends match id filters as query parameters, leaving out the absent ones", () => {
      const riot = fakeRiot(() => ok(JSON.stringify(["EUW1_1", "EUW1_2"])))
      return Effect.gen(function*() {
        const ids = yield* RiotClient.getLolMatchV5MatchIdsByPuuid({
          region: "europe",
          puuid: "p",
          start: 0,
          count: 100,
          queue: 420,
          type: "ranked"
        })
        assert.deepStrictEqual(ids, ["EUW1_1", "EUW1_2"])
        const url = riot.sent[0].url
        assert.strictEqual(url.pathname, "/lol/match/v5/matches/by-puuid/p/ids")
        assert.deepStrictEqual(Object.fromEntries(url.searchParams), {
          start: "0",
          count: "100",
          queue: "420",
          type: "ranked"
        })
      }).pipe(Effect.provide(layer(riot.client)))
    })

    it.effect("decodes a match", () => {
      const riot = fakeRiot(() => ok(matchBody))
      return Effect.gen(function*() {
        const match = yield* Effect.flatten(RiotClient.getLolMatchV5Match({ region: "europe", id: "EUW1_6511808246" }))
        assert.strictEqual(match.metadata.matchId, "EUW1_6511808246")
      }).pipe(Effect.provide(layer(riot.client)))
    })

    it.effect("returns a valid body as parsed, without rebuilding it", () => {
      const body = { puuid: "puuid-1", gameName: "200", tagLine: "16384", addedNextPatch: { nested: [1] } }
      const riot = fakeRiot(() => ok(JSON.stringify(body)))
      return Effect.gen(function*() {
        const account = yield* Effect.flatten(
          RiotClient.getAccountV1ByRiotId({ region: "europe", gameName: "200", tagLine: "16384" })
        )
        assert.deepStrictEqual(account, body)
      }).pipe(Effect.provide(layer(riot.client)))
    })

    it.effect("rejects a count outside 0..100 without sending anything", () => {
      const riot = fakeRiot(() => ok("[]"))
      return Effect.gen(function*() {
        for (const count of [101, -1, 2.5]) {
          const error = yield* Effect.flip(
            RiotClient.getLolMatchV5MatchIdsByPuuid({ region: "asia", puuid: "p", count })
          )
          assert.instanceOf(error, RiotError.InvalidArgument)
          assert.strictEqual(
            error.message,
            `invalid count for match-v5.getMatchIdsByPUUID: must be an integer from 0 to 100, got ${count}`
          )
        }
        assert.strictEqual(riot.sent.length, 0)
        assert.deepStrictEqual(
          yield* RiotClient.getLolMatchV5MatchIdsByPuuid({ region: "asia", puuid: "p", count: 0 }),
          []
        )
      }).pipe(Effect.provide(layer(riot.client)))
    })

    it("takes a region where Riot routes by region and a platform where it routes by platform", () => {
      const call = (client: RiotClient.RiotClient) => {
        // @ts-expect-error match-v5 is served by regions, not platforms
        client.getLolMatchV5Match({ region: "na1", id: "NA1_1" })
        // @ts-expect-error account-v1 is served by regions, not platforms
        client.getAccountV1ByRiotId({ region: "euw1", gameName: "a", tagLine: "b" })
        // @ts-expect-error summoner-v4 is served by platforms, not regions
        client.getLolSummonerV4ByPuuid({ region: "americas", puuid: "p" })
      }
      assert.isFunction(call)
    })
  })

  describe("retries", () => {
    it.effect("waits exactly Retry-After plus the margin after a method 429", () => {
      const riot = fakeRiot((_, n) =>
        n === 0
          ? { status: 429, headers: { "retry-after": "7", "x-rate-limit-type": "method" } }
          : ok(matchBody)
      )
      return Effect.gen(function*() {
        const exit = yield* runToEnd(RiotClient.getLolMatchV5Match({ region: "europe", id: "EUW1_6511808246" }))
        assert.isTrue(Exit.isSuccess(exit))
        assert.deepStrictEqual(riot.sent.map((request) => request.time), [0, 7100])
      }).pipe(Effect.provide(layer(riot.client)))
    })

    it.effect("holds every request of the route after an application 429, and only that route", () => {
      const riot = fakeRiot((url, n) =>
        url.pathname.endsWith("/EUW1_1")
          ? (n === 0
            ? { status: 429, headers: { "retry-after": "3", "x-rate-limit-type": "application" } }
            : ok(matchBody))
          : url.pathname.includes("by-riot-id")
          ? ok(accountBody)
          : ok(matchBody)
      )
      return Effect.gen(function*() {
        const first = yield* Effect.fork(RiotClient.getLolMatchV5Match({ region: "europe", id: "EUW1_1" }))
        yield* TestClock.adjust(Duration.millis(10))
        const sameRoute = yield* Effect.fork(
          RiotClient.getAccountV1ByRiotId({ region: "europe", gameName: "a", tagLine: "b" })
        )
        const otherRoute = yield* Effect.fork(RiotClient.getLolMatchV5Match({ region: "asia", id: "KR_1" }))
        yield* TestClock.adjust(Duration.seconds(10))
        yield* Effect.all([Fiber.join(first), Fiber.join(sameRoute), Fiber.join(otherRoute)])
        const times = riot.sent.map((request) =>
          `${request.url.host.split(".")[0]}${request.url.pathname} @${request.time}`
        )
        assert.deepStrictEqual(times.sort((a, b) => a.localeCompare(b)), [
          "asia/lol/match/v5/matches/KR_1 @10",
          "europe/lol/match/v5/matches/EUW1_1 @0",
          "europe/lol/match/v5/matches/EUW1_1 @3100",
          "europe/riot/account/v1/accounts/by-riot-id/a/b @3100"
        ])
      }).pipe(Effect.provide(layer(riot.client)))
    })

    it.effect("backs off exponentially after a 429 without Retry-After, then reports it", () => {
      const riot = fakeRiot(() => ({ status: 429, headers: { "x-rate-limit-type": "service" } }))
      return Effect.gen(function*() {
        const exit = yield* runToEnd(RiotClient.getLolMatchV5Match({ region: "europe", id: "EUW1_1" }))
        const error = failureOf(exit)
        assert.instanceOf(error, RiotError.RateLimited)
        assert.strictEqual(
          error.message,
          "match-v5.getMatch on europe was rate limited (service limit) after 4 attempts"
        )
        const times = riot.sent.map((request) => request.time)
        assert.strictEqual(times.length, 4)
        // 1 s, 2 s, 4 s, each jittered by up to 20%.
        const gaps = times.slice(1).map((time, i) => time - times[i])
        gaps.forEach((gap, i) => {
          assert.isAtLeast(Math.round(gap), 800 * 2 ** i)
          assert.isAtMost(Math.round(gap), 1200 * 2 ** i)
        })
      }).pipe(Effect.provide(layer(riot.client)))
    })

    it.effect("caps the backoff", () => {
      const riot = fakeRiot(() => ({ status: 503 }))
      return Effect.gen(function*() {
        yield* runToEnd(RiotClient.getLolMatchV5Match({ region: "europe", id: "EUW1_1" }))
        const times = riot.sent.map((request) => request.time)
        const gaps = times.slice(1).map((time, i) => time - times[i])
        assert.strictEqual(gaps.length, 6)
        gaps.forEach((gap) => assert.isAtMost(Math.round(gap), 1500))
      }).pipe(Effect.provide(layer(riot.client, { maxRetries: 6, retryMaxDelay: "1500 millis" })))
    })

    it.effect("retries 500 and 503 until Riot answers", () => {
      const statuses = [500, 503, 200]
      const riot = fakeRiot((_, n) => statuses[n] === 200 ? ok(matchBody) : { status: statuses[n] })
      return Effect.gen(function*() {
        const exit = yield* runToEnd(RiotClient.getLolMatchV5Match({ region: "europe", id: "EUW1_6511808246" }))
        assert.isTrue(Exit.isSuccess(exit))
        assert.strictEqual(riot.sent.length, 3)
      }).pipe(Effect.provide(layer(riot.client)))
    })

    it.effect("reports a server error with Riot's message once the retries run out", () => {
      const riot = fakeRiot(() => ({
        status: 502,
        body: JSON.stringify({ status: { message: "Bad gateway", status_code: 502 } })
      }))
      return Effect.gen(function*() {
        const error = failureOf(yield* runToEnd(RiotClient.getLolMatchV5Match({ region: "europe", id: "EUW1_1" })))
        assert.instanceOf(error, RiotError.ServerError)
        assert.strictEqual(
          error.message,
          "match-v5.getMatch on europe failed with 502 after 3 attempts (Riot: Bad gateway)"
        )
        assert.strictEqual(riot.sent.length, 3)
      }).pipe(Effect.provide(layer(riot.client, { maxRetries: 2 })))
    })

    it.effect("retries transport failures, then reports them", () => {
      const riot = fakeRiot(() => "reset")
      return Effect.gen(function*() {
        const error = failureOf(yield* runToEnd(RiotClient.getLolMatchV5Match({ region: "europe", id: "EUW1_1" })))
        assert.instanceOf(error, RiotError.TransportError)
        assert.strictEqual(
          error.message,
          "match-v5.getMatch on europe could not reach Riot after 4 attempts: read ECONNRESET"
        )
      }).pipe(Effect.provide(layer(riot.client)))
    })

    it.effect("gives up on a request that outlives the timeout", () => {
      const riot = fakeRiot(() => Effect.as(Effect.sleep("1 minute"), ok(matchBody)))
      return Effect.gen(function*() {
        const error = failureOf(yield* runToEnd(RiotClient.getLolMatchV5Match({ region: "europe", id: "EUW1_1" })))
        assert.instanceOf(error, RiotError.Timeout)
        assert.strictEqual(error.message, "match-v5.getMatch on europe timed out after 2000 ms after 2 attempts")
      }).pipe(Effect.provide(layer(riot.client, { requestTimeout: "2 seconds", maxRetries: 1 })))
    })
  })

  describe("errors that are not retried", () => {
    const once = (status: number, message?: string) =>
      fakeRiot(() => ({
        status,
        ...(message === undefined ? {} : { body: JSON.stringify({ status: { message, status_code: status } }) })
      }))

    it.effect("404 names what was not found", () => {
      const riot = once(404, "Data not found - no match ids")
      return Effect.gen(function*() {
        const error = yield* Effect.flip(RiotClient.getLolMatchV5MatchIdsByPuuid({ region: "americas", puuid: "p-1" }))
        assert.instanceOf(error, RiotError.NotFound)
        assert.strictEqual(error.message, "matches of p-1 not found on americas (Riot: Data not found - no match ids)")
        assert.strictEqual(riot.sent.length, 1)
      }).pipe(Effect.provide(layer(riot.client)))
    })

    it.effect("404 where Riot's 404 means none is Option.none(), not an error, and is not retried", () => {
      const riot = once(404, "Data not found - No results found for player with riot id 200#16384")
      return Effect.gen(function*() {
        const account = yield* RiotClient.getAccountV1ByRiotId({
          region: "americas",
          gameName: "200",
          tagLine: "16384"
        })
        assert.isTrue(Option.isNone(account))
        assert.strictEqual(riot.sent.length, 1)
      }).pipe(Effect.provide(layer(riot.client)))
    })

    it.effect("401 without a key says the key is missing", () => {
      const riot = once(401, "Unauthorized")
      return Effect.gen(function*() {
        const error = yield* Effect.flip(RiotClient.getLolMatchV5Match({ region: "americas", id: "NA1_1" }))
        assert.instanceOf(error, RiotError.AuthError)
        assert.strictEqual(error.kind, "missing")
        assert.strictEqual(
          error.message,
          "Riot API key is missing: set RIOT_API_KEY (401 from match-v5.getMatch on americas) (Riot: Unauthorized)"
        )
        assert.isUndefined(riot.sent[0].headers["x-riot-token"])
        assert.strictEqual(riot.sent.length, 1)
      }).pipe(Effect.provide(layer(riot.client, { apiKey: undefined })))
    })

    it.effect("403 says the key is invalid or expired", () => {
      const riot = once(403, "Forbidden")
      return Effect.gen(function*() {
        const error = yield* Effect.flip(RiotClient.getLolMatchV5Match({ region: "americas", id: "NA1_1" }))
        assert.instanceOf(error, RiotError.AuthError)
        assert.strictEqual(error.kind, "invalid")
        assert.strictEqual(
          error.message,
          "Riot API key is invalid or expired (403 from match-v5.getMatch on americas) (Riot: Forbidden)"
        )
        assert.strictEqual(riot.sent.length, 1)
      }).pipe(Effect.provide(layer(riot.client)))
    })

    it.effect("403 that says expired says so", () => {
      const riot = once(403, "Forbidden - API key expired")
      return Effect.gen(function*() {
        const error = yield* Effect.flip(RiotClient.getLolMatchV5Match({ region: "americas", id: "NA1_1" }))
        assert.instanceOf(error, RiotError.AuthError)
        assert.strictEqual(error.kind, "expired")
      }).pipe(Effect.provide(layer(riot.client)))
    })

    it.effect("400 is a bad request", () => {
      const riot = once(400, "Bad Request - Exception decrypting xyz")
      return Effect.gen(function*() {
        const error = yield* Effect.flip(RiotClient.getLolSummonerV4ByPuuid({ region: "na1", puuid: "xyz" }))
        assert.instanceOf(error, RiotError.BadRequest)
        assert.strictEqual(
          error.message,
          "summoner-v4.getByPUUID on na1 rejected the request with 400 (Riot: Bad Request - Exception decrypting xyz)"
        )
        assert.strictEqual(riot.sent.length, 1)
      }).pipe(Effect.provide(layer(riot.client)))
    })

    it.effect("a body of the wrong shape names the endpoint and the JSON path", () => {
      const match = JSON.parse(matchBody)
      match.info.participants[3].kills = "many"
      const riot = fakeRiot(() => ok(JSON.stringify(match)))
      return Effect.gen(function*() {
        const error = yield* Effect.flip(RiotClient.getLolMatchV5Match({ region: "europe", id: "EUW1_1" }))
        assert.instanceOf(error, RiotError.DecodeError)
        assert.strictEqual(
          error.message,
          "unexpected response from match-v5.getMatch on europe: info.participants[3].kills: Expected number, actual \"many\""
        )
        assert.strictEqual(riot.sent.length, 1)
      }).pipe(Effect.provide(layer(riot.client)))
    })

    it.effect("a body that is not JSON is malformed", () => {
      const riot = fakeRiot(() => ok(matchBody.slice(0, 100)))
      return Effect.gen(function*() {
        const error = yield* Effect.flip(RiotClient.getLolMatchV5Match({ region: "europe", id: "EUW1_1" }))
        assert.instanceOf(error, RiotError.DecodeError)
        assert.isTrue(error.malformed)
        assert.match(error.message, /^malformed JSON from match-v5\.getMatch on europe: /)
      }).pipe(Effect.provide(layer(riot.client)))
    })
  })

  describe("configuration", () => {
    const withEnv = (env: Record<string, string>) =>
      Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))

    it.effect("reads RIOT_* variables, with defaults", () =>
      Effect.gen(function*() {
        const options = yield* RiotClient.config.pipe(
          withEnv({ RIOT_API_KEY: apiKey, RIOT_MAX_RETRIES: "5", RIOT_REQUEST_TIMEOUT: "3 seconds" })
        )
        assert.strictEqual(Redacted.value(options.apiKey!), apiKey)
        assert.strictEqual(options.baseUrl, "https://{route}.api.riotgames.com")
        assert.strictEqual(options.maxRetries, 5)
        assert.deepStrictEqual(options.requestTimeout, Duration.seconds(3))
        assert.notInclude(String(options.apiKey), apiKey)

        const defaults = yield* RiotClient.config.pipe(withEnv({ RIOT_API_KEY: "" }))
        assert.isUndefined(defaults.apiKey)
        assert.strictEqual(defaults.maxRetries, 3)
        assert.deepStrictEqual(defaults.requestTimeout, Duration.seconds(10))

        const negative = yield* Effect.flip(RiotClient.config.pipe(withEnv({ RIOT_MAX_RETRIES: "-1" })))
        assert.include(String(negative), "RIOT_MAX_RETRIES must not be negative")
      }))

    it.effect("builds the client from configuration", () => {
      const riot = fakeRiot(() => ok(matchBody))
      return Effect.gen(function*() {
        yield* RiotClient.getLolMatchV5Match({ region: "sea", id: "EUW1_6511808246" })
        assert.strictEqual(riot.sent[0].url.origin, "http://localhost:1234")
        assert.strictEqual(riot.sent[0].url.pathname, "/sea/lol/match/v5/matches/EUW1_6511808246")
        assert.strictEqual(riot.sent[0].headers["x-riot-token"], apiKey)
      }).pipe(
        Effect.provide(
          RiotClient.layerConfig.pipe(
            Layer.provide([Layer.succeed(HttpClient.HttpClient, riot.client), RiotRateLimiter.layer])
          )
        ),
        withEnv({ RIOT_API_KEY: apiKey, RIOT_BASE_URL: "http://localhost:1234/{route}" })
      )
    })
  })

  describe("the API key", () => {
    for (const httpClientSpans of [false, true]) {
      it.effect(`never reaches a log line, an error, or a span (httpClientSpans: ${httpClientSpans})`, () => {
        const lines: Array<string> = []
        const captureLogs = Logger.replace(
          Logger.defaultLogger,
          Logger.make(({ message }) => lines.push(Inspectable.format(message)))
        )
        const riot = fakeRiot((url) =>
          url.pathname.endsWith("/unauthorized")
            ? { status: 401, body: JSON.stringify({ status: { message: "Unauthorized", status_code: 401 } }) }
            : url.pathname.endsWith("/reset")
            ? "reset"
            : ok("{\"metadata\":")
        )
        return Effect.gen(function*() {
          const { capturing, spans } = yield* capturingTracer
          const failures: Array<string> = []
          for (const id of ["unauthorized", "reset", "truncated"]) {
            const exit = yield* runToEnd(
              RiotClient.getLolMatchV5Match({ region: "europe", id }).pipe(Effect.withTracer(capturing))
            )
            const error = failureOf(exit)
            assert.isTrue(RiotError.isRiotError(error))
            yield* Effect.logError("request failed", Cause.fail(error))
            failures.push(error.message, String(error), JSON.stringify(error), Cause.pretty(Cause.fail(error)))
          }
          assert.deepStrictEqual(failures.filter((text) => text.includes("match-v5.getMatch")).length, 12)
          assert.isAbove(lines.length, 3, "retries and failures are logged")

          const attributes = attributesOf(spans)
          // What a span exporter does with a span's exit: serialise it, outside any fiber, and print its causes.
          const serialise = (value: unknown) =>
            JSON.stringify(value, (_, field) => typeof field === "bigint" ? String(field) : field)
          const spanExits = yield* Effect.promise(() =>
            new Promise<Array<string>>((resolve) =>
              setTimeout(() =>
                resolve(spans.flatMap((span) =>
                  span.status._tag === "Ended"
                    ? [
                      serialise(span.status.exit),
                      ...(Exit.isFailure(span.status.exit)
                        ? Cause.prettyErrors(span.status.exit.cause).map((error) => serialise(error) + error.stack)
                        : [])
                    ]
                    : []
                ))
              )
            )
          )
          if (httpClientSpans) {
            assert.include(attributes, "http.request.header.accept=application/json", "the request headers are traced")
            assert.isTrue(spanExits.some((text) => text.includes("ECONNRESET")), "a transport failure's span is there")
          }
          for (const text of [...lines, ...failures, ...attributes, ...spanExits]) {
            assert.notInclude(text, apiKey)
          }
        }).pipe(
          Effect.provide(layer(riot.client, { httpClientSpans })),
          Effect.provide(captureLogs),
          Logger.withMinimumLogLevel(LogLevel.All)
        )
      })
    }
  })

  describe("tracing", () => {
    /** One call that fails with a 503 once, then succeeds: the spans it started and the requests it sent. */
    const traceRetriedCall = (options: RiotClient.Options) => {
      const riot = fakeRiot((_, n) => n === 0 ? { status: 503 } : ok(matchBody))
      return Effect.gen(function*() {
        const { capturing, spans } = yield* capturingTracer
        const exit = yield* runToEnd(
          RiotClient.getLolMatchV5Match({ region: "europe", id: "EUW1_1" }).pipe(Effect.withTracer(capturing))
        )
        assert.isTrue(Exit.isSuccess(exit))
        return { spans, sent: riot.sent }
      }).pipe(Effect.provide(layer(riot.client, options)))
    }

    it.effect("is one span per call by default, with its attempts and last status, and no trace headers", () =>
      Effect.gen(function*() {
        const { sent, spans } = yield* traceRetriedCall({})
        assert.deepStrictEqual(spans.map((span) => span.name), ["RiotClient.match-v5.getMatch"])
        const [span] = spans
        assert.strictEqual(span.attributes.get("riot.route"), "europe")
        assert.strictEqual(span.attributes.get("riot.attempts"), 2)
        assert.strictEqual(span.attributes.get("http.response.status_code"), 200)
        assert.strictEqual(span.status._tag, "Ended")
        for (const request of sent) {
          assert.notProperty(request.headers, "traceparent")
          assert.notProperty(request.headers, "b3")
        }
      }))

    it.effect("adds the HttpClient's span per attempt, under the call's span, with httpClientSpans", () =>
      Effect.gen(function*() {
        const { sent, spans } = yield* traceRetriedCall({ httpClientSpans: true })
        const [call, ...attempts] = spans
        assert.strictEqual(call.name, "RiotClient.match-v5.getMatch")
        assert.deepStrictEqual(attempts.map((span) => span.name), ["http.client GET", "http.client GET"])
        for (const attempt of attempts) {
          assert.strictEqual(attempt.parent._tag === "Some" && attempt.parent.value.spanId, call.spanId)
        }
        assert.property(sent[0].headers, "traceparent")
      }))
  })
})
