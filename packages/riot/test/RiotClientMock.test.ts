import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, describe, it } from "@effect/vitest"
import { MockServer } from "@volley/mock-server"
import { TaskGroup } from "@volley/taskgroup"
import { Array, Context, Effect, Either, Layer, Option, Redacted } from "effect"
import * as RiotClient from "../src/RiotClient.js"
import * as RiotError from "../src/RiotError.js"
import * as RiotRateLimiter from "../src/RiotRateLimiter.js"

const seedAccount = MockServer.accounts(1).find((account) => account.gameName === "200" && account.tagLine === "16384")!

/** A client for `mock`, built in the test's scope (its HTTP dispatcher lives as long as the test). */
const clientFor = (
  mock: MockServer.MockServer,
  options: RiotClient.Options = {},
  limiterOptions: RiotRateLimiter.Options = {}
) =>
  RiotClient.layerWith({ apiKey: mock.apiKey, baseUrl: mock.baseUrl, retryBaseDelay: "50 millis", ...options }).pipe(
    Layer.provide([
      NodeHttpClient.layerUndici,
      RiotRateLimiter.layerWith({ windowPadding: "100 millis", ...limiterOptions }).pipe(
        Layer.provide(RiotRateLimiter.layerMemoryStore)
      )
    ]),
    Layer.build,
    Effect.map(Context.get(RiotClient.RiotClient))
  )

/** The seed player's newest match ids, read from an unlimited mock with the same seed. */
const seedMatchIds = (count: number) =>
  Effect.gen(function*() {
    const mock = yield* MockServer.make({ appLimits: false, methodLimits: false })
    const riot = yield* clientFor(mock)
    return yield* riot.getLolMatchV5MatchIdsByPuuid({ region: seedAccount.region, puuid: seedAccount.puuid, count })
  })

describe("RiotClient against the mock server", () => {
  it.scopedLive("decodes every endpoint", () =>
    Effect.gen(function*() {
      const mock = yield* MockServer.make()
      const riot = yield* clientFor(mock)
      for (const expected of mock.accounts) {
        const account = yield* Effect.flatten(riot.getAccountV1ByRiotId({
          // account-v1 is not served by sea
          region: expected.region === "sea" ? "asia" : expected.region,
          gameName: expected.gameName,
          tagLine: expected.tagLine
        }))
        assert.strictEqual(account.puuid, expected.puuid)
        const summoner = yield* Effect.flatten(
          riot.getLolSummonerV4ByPuuid({ region: expected.platform, puuid: expected.puuid })
        )
        assert.strictEqual(summoner.puuid, expected.puuid)
      }
      const ids = yield* riot.getLolMatchV5MatchIdsByPuuid({
        region: seedAccount.region,
        puuid: seedAccount.puuid,
        count: 5
      })
      assert.strictEqual(ids.length, 5)
      const match = yield* Effect.flatten(riot.getLolMatchV5Match({ region: seedAccount.region, id: ids[0] }))
      assert.strictEqual(match.metadata.matchId, ids[0])
      assert.include(match.metadata.participants, seedAccount.puuid)

      const missing = yield* riot.getAccountV1ByRiotId({ region: "americas", gameName: "Nobody", tagLine: "0" })
      assert.isTrue(Option.isNone(missing))
    }))

  it.scopedLive("names a missing and a wrong key without printing either", () =>
    Effect.gen(function*() {
      const mock = yield* MockServer.make()
      const anonymous = yield* clientFor(mock, { apiKey: undefined })
      const missing = yield* Effect.flip(anonymous.getLolMatchV5Match({ region: "americas", id: "NA1_1" }))
      assert.instanceOf(missing, RiotError.AuthError)
      assert.strictEqual(missing.kind, "missing")

      const wrongKey = "RGAPI-wrong-key-do-not-print"
      const impostor = yield* clientFor(mock, { apiKey: Redacted.make(wrongKey) })
      const invalid = yield* Effect.flip(impostor.getLolMatchV5Match({ region: "americas", id: "NA1_1" }))
      assert.instanceOf(invalid, RiotError.AuthError)
      assert.strictEqual(invalid.kind, "invalid")
      assert.notInclude(`${invalid.message} ${JSON.stringify(invalid)}`, wrongKey)
      assert.lengthOf(yield* mock.requestLog, 2, "auth failures are not retried")
    }))

  it.scopedLive(
    "fetches 100 matches through a TaskGroup at concurrency 100 without breaking a limit",
    () =>
      Effect.gen(function*() {
        const ids = yield* seedMatchIds(100)
        const mock = yield* MockServer.make({
          appLimits: [{ limit: 20, windowSeconds: 1 }, { limit: 50, windowSeconds: 5 }],
          methodLimits: { "match-v5.getMatch": [{ limit: 15, windowSeconds: 1 }] }
        })
        const riot = yield* clientFor(mock)
        const { failures, results } = yield* TaskGroup.forEach(
          ids,
          (id) => Effect.flatten(riot.getLolMatchV5Match({ region: seedAccount.region, id })),
          { concurrency: 100 }
        )
        assert.deepStrictEqual(failures, [])
        assert.deepStrictEqual(results.map((match) => match.metadata.matchId), ids)

        const log = yield* mock.requestLog
        assert.lengthOf(log, 100)
        assert.deepStrictEqual(log.filter((request) => request.status === 429), [])
        const report = yield* mock.rateLimitReport
        assert.deepStrictEqual(report.rejected, { application: 0, method: 0, service: 0 })
        for (const window of report.windows) {
          assert.isAtMost(window.peakCount, window.limit, `${window.scope} ${window.limit}:${window.windowSeconds}`)
        }
      }),
    { timeout: 20_000 }
  )

  describe("faults", () => {
    const matchCount = 30
    const generousLimits = { appLimits: [{ limit: 500, windowSeconds: 1 }] } as const

    /**
     * Fetches `matchCount` matches from a mock injecting `faults`, and checks
     * that each one came back or failed exactly once, with the attempts the
     * mock logged for it.
     */
    const fetchThrough = (faults: MockServer.FaultOptions, options: RiotClient.Options = {}, count = matchCount) =>
      Effect.gen(function*() {
        const ids = yield* seedMatchIds(count)
        const mock = yield* MockServer.make({ ...generousLimits, faults })
        const riot = yield* clientFor(mock, options)
        const results = yield* Effect.forEach(
          ids,
          (id) => Effect.either(Effect.flatten(riot.getLolMatchV5Match({ region: seedAccount.region, id }))),
          { concurrency: 10 }
        )
        assert.lengthOf(results, ids.length)
        results.forEach((result, i) => {
          if (Either.isRight(result)) assert.strictEqual(result.right.metadata.matchId, ids[i])
        })
        const log = yield* mock.requestLog
        const attemptsOf = (id: string) => log.filter((request) => request.path.endsWith(`/${id}`))
        return { ids, results, log, attemptsOf, failures: Array.getLefts(results) }
      })

    it.scopedLive("retries service 429s without Retry-After", () =>
      Effect.gen(function*() {
        const { attemptsOf, ids, log, results } = yield* fetchThrough({ serviceRateLimit: 0.4 })
        assert.isAbove(log.filter((request) => request.rateLimitType === "service").length, 0)
        ids.forEach((id, i) => {
          const attempts = attemptsOf(id)
          const result = results[i]
          if (Either.isRight(result)) {
            assert.strictEqual(attempts.at(-1)!.status, 200)
            assert.isTrue(attempts.slice(0, -1).every((request) => request.rateLimitType === "service"))
          } else {
            assert.instanceOf(result.left, RiotError.RateLimited)
            assert.lengthOf(attempts, 4)
          }
        })
      }))

    it.scopedLive("retries bursts of 500 and 503", () =>
      Effect.gen(function*() {
        const { attemptsOf, ids, log, results } = yield* fetchThrough({
          serverError: { rate: 0.3, statuses: [500, 503], burst: 2 }
        })
        assert.isAbove(log.filter((request) => request.fault === "serverError").length, 0)
        assert.isAbove(Array.getRights(results).length, ids.length / 2)
        ids.forEach((id, i) => {
          const attempts = attemptsOf(id)
          const result = results[i]
          if (Either.isRight(result)) {
            assert.strictEqual(attempts.at(-1)!.status, 200)
            assert.isTrue(attempts.slice(0, -1).every((request) => request.status === 500 || request.status === 503))
          } else {
            assert.instanceOf(result.left, RiotError.ServerError)
            assert.lengthOf(attempts, 4)
          }
        })
      }))

    it.scopedLive("reports 5xx that outlast the retries as ServerError", () =>
      Effect.gen(function*() {
        const { attemptsOf, failures, ids } = yield* fetchThrough({ serverError: { rate: 1, burst: 10 } }, {
          maxRetries: 2
        })
        assert.lengthOf(failures, ids.length)
        for (const failure of failures) assert.instanceOf(failure, RiotError.ServerError)
        for (const id of ids) assert.lengthOf(attemptsOf(id), 3)
      }))

    it.scopedLive("waits out latency below the timeout", () =>
      Effect.gen(function*() {
        const { attemptsOf, failures, ids } = yield* fetchThrough({ latency: { ms: 150, jitterMs: 100 } })
        assert.deepStrictEqual(failures.map((failure) => failure.message), [])
        for (const id of ids) assert.lengthOf(attemptsOf(id), 1)
      }))

    it.scopedLive("reports latency above the timeout as Timeout", () =>
      Effect.gen(function*() {
        // No response ever teaches the limits, so requests go one at a time: keep them few.
        const { failures, ids } = yield* fetchThrough({ latency: { ms: 1000 } }, {
          requestTimeout: "200 millis",
          maxRetries: 1
        }, 5)
        assert.lengthOf(failures, ids.length)
        for (const failure of failures) {
          assert.instanceOf(failure, RiotError.Timeout)
          assert.strictEqual(failure.attempts, 2)
        }
      }))

    it.scopedLive("retries connection resets", () =>
      Effect.gen(function*() {
        const { attemptsOf, ids, log, results } = yield* fetchThrough({ connectionReset: 0.4 })
        assert.isAbove(log.filter((request) => request.fault === "connectionReset").length, 0)
        ids.forEach((id, i) => {
          const attempts = attemptsOf(id)
          const result = results[i]
          if (Either.isRight(result)) {
            assert.isTrue(attempts.slice(0, -1).every((request) => request.fault === "connectionReset"))
          } else {
            assert.instanceOf(result.left, RiotError.TransportError)
            assert.lengthOf(attempts, 4)
          }
        })
      }))

    for (const fault of ["truncatedJson", "malformedJson"] as const) {
      it.scopedLive(`reports ${fault} once as a malformed DecodeError`, () =>
        Effect.gen(function*() {
          const { attemptsOf, ids, results } = yield* fetchThrough({ [fault]: 0.4 })
          const broken = ids.filter((id) => attemptsOf(id).some((request) => request.fault === fault))
          assert.isAbove(broken.length, 0)
          ids.forEach((id, i) => {
            assert.lengthOf(attemptsOf(id), 1, "decode errors are not retried")
            const result = results[i]
            if (broken.includes(id)) {
              assert.isTrue(Either.isLeft(result))
              const error = (result as Either.Left<RiotError.RiotError, unknown>).left
              assert.instanceOf(error, RiotError.DecodeError)
              assert.match(error.message, /^malformed JSON from match-v5\.getMatch on americas: /)
            } else {
              assert.isTrue(Either.isRight(result))
            }
          })
        }))
    }

    it.scopedLive("loses nothing when every fault happens at once", () =>
      Effect.gen(function*() {
        const { failures, ids, results } = yield* fetchThrough({
          serviceRateLimit: 0.1,
          serverError: { rate: 0.1, burst: 2 },
          latency: { ms: 5, jitterMs: 30 },
          connectionReset: 0.1,
          truncatedJson: 0.05,
          malformedJson: 0.05
        })
        assert.strictEqual(results.length, ids.length)
        for (const failure of failures) assert.isTrue(RiotError.isRiotError(failure))
        const returned = Array.getRights(results).map((match) => match.metadata.matchId)
        assert.strictEqual(new Set(returned).size, returned.length)
        assert.strictEqual(returned.length + failures.length, ids.length)
      }))
  })
})
