import { assert, describe, it } from "@effect/vitest"
import { Array as Arr, Effect, Either, FastCheck, Fiber, Option, Redacted, TestClock } from "effect"
import * as v8 from "node:v8"
import * as vm from "node:vm"
import * as Faults from "../src/internal/faults.js"
import * as RateLimits from "../src/internal/rateLimits.js"
import * as MockServer from "../src/MockServer.js"

interface Reply {
  readonly status: number
  readonly headers: Headers
  readonly text: string
}

const apiKeyHeader = { "X-Riot-Token": Redacted.value(MockServer.defaultApiKey) }

const request = (
  mock: MockServer.MockServer,
  route: string,
  path: string,
  headers: Record<string, string> = apiKeyHeader
): Effect.Effect<Reply> =>
  Effect.promise(async () => {
    const response = await fetch(`${mock.baseUrl.replace("{route}", route)}${path}`, { headers })
    return { status: response.status, headers: response.headers, text: await response.text() }
  })

/** Like `request`, but a reset connection is a value instead of a defect. */
const attempt = (mock: MockServer.MockServer, route: string, path: string): Effect.Effect<Reply | "reset"> =>
  Effect.tryPromise(() => fetch(`${mock.baseUrl.replace("{route}", route)}${path}`, { headers: apiKeyHeader })).pipe(
    Effect.flatMap((response) =>
      Effect.promise(async () => ({ status: response.status, headers: response.headers, text: await response.text() }))
    ),
    Effect.orElseSucceed(() => "reset" as const)
  )

const json = (reply: Reply): unknown => JSON.parse(reply.text)

const riotError = (status: number, message: string) => ({ status: { message, status_code: status } })

const seedPlayer = MockServer.accounts(1).find((account) => account.gameName === "200")!

const matchIdsOf = (mock: MockServer.MockServer, account: MockServer.MockAccount, query = "") =>
  request(mock, account.region, `/lol/match/v5/matches/by-puuid/${account.puuid}/ids${query}`).pipe(
    Effect.map((reply) => json(reply) as ReadonlyArray<string>)
  )

const unlimited = { appLimits: false, methodLimits: false } as const

/** Node's full garbage collection, so that the heap measured is what is still referenced. */
const collectGarbage = (() => {
  v8.setFlagsFromString("--expose-gc")
  return vm.runInNewContext("gc") as () => void
})()

const heapUsedAfterGc = Effect.sync(() => {
  collectGarbage()
  collectGarbage()
  return process.memoryUsage().heapUsed
})

describe("MockServer", () => {
  describe("request log", () => {
    it.scoped("keeps the latest requestLogLimit requests with their paths cut, and counts all in the report", () =>
      Effect.gen(function*() {
        const mock = yield* MockServer.make({ requestLogLimit: 5 })
        const longId = `NA1_${"9".repeat(1000)}`
        for (let n = 0; n < 12; n++) yield* request(mock, "americas", `/lol/match/v5/matches/NA1_${n}`)
        // Too long for the router: a 404 that no limit counts, but the log has it.
        yield* request(mock, "americas", `/lol/match/v5/matches/${longId}`)
        const log = yield* mock.requestLog
        assert.deepStrictEqual(
          log.slice(0, 4).map((entry) => entry.path),
          [8, 9, 10, 11].map((n) => `/americas/lol/match/v5/matches/NA1_${n}`)
        )
        assert.strictEqual(
          log[4].path,
          `/americas/lol/match/v5/matches/${longId}`.slice(0, MockServer.maxLoggedPathLength - 1) + "…"
        )
        assert.lengthOf(log[4].path, MockServer.maxLoggedPathLength)
        const report = yield* mock.rateLimitReport
        const app = report.windows.find((window) => window.scope === "application" && window.windowSeconds === 120)
        assert.strictEqual(app?.peakCount, 12)
      }))

    it.scoped(
      "keeps a bounded entry per request, however long the request's path, route or query",
      () =>
        Effect.gen(function*() {
          const mock = yield* MockServer.make(unlimited)
          const long = "x".repeat(8000)
          // A long path under a real route, a long first segment (the route), and a long query.
          const targets = (n: number) =>
            [
              ["americas", `/lol/match/v5/matches/NA1_${n}${long}`],
              [`${n}${long}`, "/lol/match/v5/matches/NA1_1"],
              ["americas", `/lol/match/v5/matches/NA1_${n}?q=${long}`]
            ] as const
          yield* Effect.forEach(
            Arr.range(1, 100),
            (n) => Effect.forEach(targets(n), ([route, path]) => request(mock, route, path), { discard: true }),
            {
              concurrency: 8,
              discard: true
            }
          )
          const log = yield* mock.requestLog
          assert.lengthOf(log, 300)
          const max = MockServer.maxLoggedPathLength
          // What the entries hold: at most the bound in each string, never the 8 kB that came in.
          const kept = log.reduce((sum, entry) => sum + entry.path.length + entry.route.length, 0)
          assert.isAtMost(kept, log.length * 2 * max)
          for (const entry of log) {
            assert.isAtMost(entry.path.length, max)
            assert.isAtMost(entry.route.length, max)
            assert.notInclude(entry.path, "?")
            assert.isTrue(entry.path.startsWith(`/${entry.route}`), entry.path)
            if (entry.path.length === max) assert.isTrue(entry.path.endsWith("…"), entry.path)
          }
        }),
      { timeout: 60_000 }
    )

    it.scoped("keeps nothing of a request's URL alive but what its entry shows", () =>
      Effect.gen(function*() {
        const mock = yield* MockServer.make(unlimited)
        const long = "x".repeat(8000)
        const send = (from: number, to: number) =>
          Effect.forEach(
            Arr.range(from, to),
            (n) => request(mock, "americas", `/lol/match/v5/matches/NA1_${n}?q=${long}`),
            { concurrency: 8, discard: true }
          )
        // Warmed up first, so that what the runtime compiles and caches on the way is not counted.
        yield* send(1, 200)
        const heapBefore = yield* heapUsedAfterGc
        const sent = 1000
        yield* send(201, 200 + sent)
        const retainedPerRequest = ((yield* heapUsedAfterGc) - heapBefore) / sent
        assert.lengthOf(yield* mock.requestLog, 200 + sent)
        // A path cut from the URL may be a view of the whole URL in V8 (a sliced string), which then
        // stays alive with the entry: 8.6 kB a request, measured. A copied path leaves about 1 kB in all,
        // the same as a request with a short query.
        assert.isBelow(retainedPerRequest, 4000, `${retainedPerRequest} bytes retained per request`)
      }), { timeout: 120_000 })

    it.scoped("stays flat in memory through a soak of long-path requests with faults on", () =>
      Effect.gen(function*() {
        const mock = yield* MockServer.make({
          ...unlimited,
          requestLogLimit: 1000,
          faults: { serverError: { rate: 0.2 }, methods: "all" }
        })
        const longPath = (n: number) => `/lol/match/v5/matches/NA1_${n}${"x".repeat(3000)}`
        const send = (from: number, count: number) =>
          Effect.forEach(Arr.range(from, from + count - 1), (n) => request(mock, "americas", longPath(n)), {
            concurrency: 16,
            discard: true
          })
        // Fill the log and the fault histories to their bounds, then measure the heap after each round.
        const round = 2000
        yield* send(0, round)
        const heaps: Array<number> = []
        for (let k = 1; k <= 6; k++) {
          yield* send(k * round, round)
          heaps.push(yield* heapUsedAfterGc)
        }
        assert.lengthOf(yield* mock.requestLog, 1000)
        // The least-squares slope of the heap over the requests: kept whole, each
        // request would add its 3 kB path and more; a bounded log adds nothing
        // but the collector's noise.
        const mean = (values: ReadonlyArray<number>) => values.reduce((sum, value) => sum + value, 0) / values.length
        const rounds = heaps.map((_, index) => index)
        const slopePerRound = rounds.reduce((sum, k) => sum + (k - mean(rounds)) * (heaps[k] - mean(heaps)), 0) /
          rounds.reduce((sum, k) => sum + (k - mean(rounds)) ** 2, 0)
        const bytesPerRequest = slopePerRound / round
        assert.isBelow(bytesPerRequest, 300, `heaps after each round: ${heaps.join(", ")}`)
      }), { timeout: 120_000 })
  })

  describe("endpoints", () => {
    it.scoped("serves an account by Riot ID in Riot's shape", () =>
      Effect.gen(function*() {
        const mock = yield* MockServer.make()
        const reply = yield* request(mock, "americas", "/riot/account/v1/accounts/by-riot-id/200/16384")
        assert.strictEqual(reply.status, 200)
        assert.strictEqual(reply.headers.get("content-type"), "application/json;charset=utf-8")
        assert.deepStrictEqual(json(reply), { puuid: seedPlayer.puuid, gameName: "200", tagLine: "16384" })
        assert.match(seedPlayer.puuid, /^[\w-]{78}$/)
      }))

    it.scoped("decodes URL-encoded Riot IDs and matches them case-insensitively", () =>
      Effect.gen(function*() {
        const mock = yield* MockServer.make()
        const byRiotId = (gameName: string, tagLine: string) =>
          request(
            mock,
            "europe",
            `/riot/account/v1/accounts/by-riot-id/${encodeURIComponent(gameName)}/${encodeURIComponent(tagLine)}`
          ).pipe(Effect.map(json))
        const zoe = mock.accounts.find((account) => account.tagLine === "EUW")!
        const fakerFan = mock.accounts.find((account) => account.gameName === "Faker Fan")!
        assert.deepStrictEqual(yield* byRiotId("Zoë", "EUW"), { puuid: zoe.puuid, gameName: "Zoë", tagLine: "EUW" })
        assert.deepStrictEqual(yield* byRiotId("ZOË", "euw"), { puuid: zoe.puuid, gameName: "Zoë", tagLine: "EUW" })
        assert.deepStrictEqual(yield* byRiotId("Zoe\u0308", "EUW"), {
          puuid: zoe.puuid,
          gameName: "Zoë",
          tagLine: "EUW"
        })
        assert.deepStrictEqual(yield* byRiotId("faker fan", "kr1"), {
          puuid: fakerFan.puuid,
          gameName: "Faker Fan",
          tagLine: "KR1"
        })
      }))

    it.scoped("answers 404 with Riot's body for an unknown player", () =>
      Effect.gen(function*() {
        const mock = yield* MockServer.make()
        const reply = yield* request(mock, "americas", "/riot/account/v1/accounts/by-riot-id/No%20One/NA1")
        assert.strictEqual(reply.status, 404)
        assert.deepStrictEqual(
          json(reply),
          riotError(404, "Data not found - No results found for player with riot id No One#NA1")
        )
      }))

    it.scoped("serves a summoner by PUUID on the player's platform only", () =>
      Effect.gen(function*() {
        const mock = yield* MockServer.make()
        const reply = yield* request(mock, "na1", `/lol/summoner/v4/summoners/by-puuid/${seedPlayer.puuid}`)
        assert.strictEqual(reply.status, 200)
        const summoner = json(reply) as Record<string, unknown>
        assert.deepStrictEqual(Object.keys(summoner).sort(), [
          "profileIconId",
          "puuid",
          "revisionDate",
          "summonerLevel"
        ])
        assert.strictEqual(summoner.puuid, seedPlayer.puuid)
        assert.isTrue(Number.isInteger(summoner.summonerLevel) && Number.isInteger(summoner.revisionDate))
        const elsewhere = yield* request(mock, "euw1", `/lol/summoner/v4/summoners/by-puuid/${seedPlayer.puuid}`)
        assert.strictEqual(elsewhere.status, 404)
        assert.deepStrictEqual(json(elsewhere), riotError(404, "Data not found - summoner not found"))
      }))

    it.scoped("lists at least 120 match ids per player, newest first, paged by start and count", () =>
      Effect.gen(function*() {
        const mock = yield* MockServer.make(unlimited)
        const firstPage = yield* matchIdsOf(mock, seedPlayer)
        assert.strictEqual(firstPage.length, 20)
        const all = [
          ...(yield* matchIdsOf(mock, seedPlayer, "?start=0&count=100")),
          ...(yield* matchIdsOf(mock, seedPlayer, "?start=100&count=100"))
        ]
        assert.isAtLeast(all.length, 120)
        assert.deepStrictEqual(firstPage, all.slice(0, 20))
        assert.deepStrictEqual(yield* matchIdsOf(mock, seedPlayer, "?start=5&count=3"), all.slice(5, 8))
        assert.deepStrictEqual(yield* matchIdsOf(mock, seedPlayer, "?count=0"), [])
        for (const id of all) assert.match(id, /^NA1_4\d{9}$/)
        const gameIds = all.map((id) => Number(id.slice(4)))
        assert.deepStrictEqual(gameIds, [...gameIds].sort((a, b) => b - a))
        assert.strictEqual(new Set(all).size, all.length)
      }))

    it.scoped("filters match ids by queue, type and time like Riot", () =>
      Effect.gen(function*() {
        const mock = yield* MockServer.make(unlimited)
        const all = [
          ...(yield* matchIdsOf(mock, seedPlayer, "?count=100")),
          ...(yield* matchIdsOf(mock, seedPlayer, "?start=100&count=100"))
        ]
        const bodies = yield* Effect.forEach(all, (id) =>
          request(mock, "americas", `/lol/match/v5/matches/${id}`).pipe(
            Effect.map((reply) => json(reply) as { readonly info: { queueId: number; gameCreation: number } })
          ))
        const aram = yield* matchIdsOf(mock, seedPlayer, "?count=100&queue=450")
        assert.isAbove(aram.length, 0)
        assert.deepStrictEqual(aram, all.filter((_, i) => bodies[i].info.queueId === 450).slice(0, 100))
        const ranked = yield* matchIdsOf(mock, seedPlayer, "?count=100&type=ranked")
        assert.deepStrictEqual(ranked, all.filter((_, i) => [420, 440].includes(bodies[i].info.queueId)).slice(0, 100))
        const endTime = Math.floor(bodies[10].info.gameCreation / 1000)
        const startTime = Math.ceil(bodies[19].info.gameCreation / 1000)
        assert.deepStrictEqual(
          yield* matchIdsOf(mock, seedPlayer, `?count=100&startTime=${startTime}&endTime=${endTime}`),
          all.slice(11, 19)
        )
      }))

    it.scoped("rejects a count outside 0..100 and other bad parameters with 400", () =>
      Effect.gen(function*() {
        const mock = yield* MockServer.make()
        const ids = (query: string) =>
          request(mock, "americas", `/lol/match/v5/matches/by-puuid/${seedPlayer.puuid}/ids${query}`)
        const tooMany = yield* ids("?count=101")
        assert.strictEqual(tooMany.status, 400)
        assert.deepStrictEqual(json(tooMany), riotError(400, "Bad Request - count must be between 0 and 100, got 101"))
        for (const query of ["?count=-1", "?count=ten", "?start=-5", "?type=arena"]) {
          const reply = yield* ids(query)
          assert.strictEqual(reply.status, 400, query)
          assert.strictEqual((json(reply) as ReturnType<typeof riotError>).status.status_code, 400)
        }
      }))

    it.scoped("serves full match bodies with the player in them", () =>
      Effect.gen(function*() {
        const mock = yield* MockServer.make(unlimited)
        const [matchId] = yield* matchIdsOf(mock, seedPlayer, "?count=1")
        const reply = yield* request(mock, "americas", `/lol/match/v5/matches/${matchId}`)
        assert.strictEqual(reply.status, 200)
        const match = json(reply) as {
          readonly metadata: { matchId: string; participants: ReadonlyArray<string> }
          readonly info: {
            gameId: number
            platformId: string
            participants: ReadonlyArray<{ puuid: string; riotIdGameName: string }>
          }
        }
        assert.strictEqual(match.metadata.matchId, matchId)
        assert.strictEqual(`NA1_${match.info.gameId}`, matchId)
        assert.strictEqual(match.info.platformId, "NA1")
        assert.include(match.metadata.participants, seedPlayer.puuid)
        const me = match.info.participants.find((participant) => participant.puuid === seedPlayer.puuid)
        assert.strictEqual(me?.riotIdGameName, "200")
        assert.strictEqual(match.metadata.participants.length, match.info.participants.length)
      }))

    it.scoped("serves real-sized match payloads of 20 to 120 kB, and aborted games as Riot does", () =>
      Effect.gen(function*() {
        const mock = yield* MockServer.make(unlimited)
        const ids = yield* matchIdsOf(mock, seedPlayer, "?count=100")
        const replies = yield* Effect.forEach(
          ids,
          (id) =>
            request(mock, "americas", `/lol/match/v5/matches/${id}`).pipe(
              Effect.map((reply) => ({
                size: Buffer.byteLength(reply.text),
                match: json(reply) as {
                  readonly metadata: { readonly participants: ReadonlyArray<string> }
                  readonly info: { readonly participants: ReadonlyArray<unknown>; readonly endOfGameResult?: string }
                }
              }))
            ),
          { concurrency: 8 }
        )
        const aborted = replies.filter(({ match }) => match.info.participants.length === 0)
        const played = replies.filter(({ match }) => match.info.participants.length > 0)
        for (const { size } of played) {
          assert.isAtLeast(size, 20_000)
          assert.isAtMost(size, 120_000)
        }
        assert.isAbove(new Set(played.map(({ size }) => size)).size, 3)
        assert.isAbove(aborted.length, 0)
        for (const { match } of aborted) {
          assert.strictEqual(match.info.endOfGameResult, "Abort_Unexpected")
          assert.include(match.metadata.participants, seedPlayer.puuid)
        }
      }))

    it.scoped("answers 404 for an unknown match, a match of another region, an unknown path or route", () =>
      Effect.gen(function*() {
        const mock = yield* MockServer.make()
        const [matchId] = yield* matchIdsOf(mock, seedPlayer, "?count=1")
        const matchNotFound = riotError(404, "Data not found - match file not found")
        const unknown = yield* request(mock, "americas", "/lol/match/v5/matches/NA1_1")
        assert.strictEqual(unknown.status, 404)
        assert.deepStrictEqual(json(unknown), matchNotFound)
        const wrongRegion = yield* request(mock, "europe", `/lol/match/v5/matches/${matchId}`)
        assert.deepStrictEqual(json(wrongRegion), matchNotFound)
        for (const [route, path] of [["americas", "/lol/nothing/v1"], ["mars", "/lol/match/v5/matches/x"]] as const) {
          const reply = yield* request(mock, route, path)
          assert.strictEqual(reply.status, 404)
          assert.deepStrictEqual(json(reply), riotError(404, "Resource not found"))
        }
        // A platform does not serve a regional endpoint.
        const platformForRegion = yield* request(mock, "na1", "/riot/account/v1/accounts/by-riot-id/200/16384")
        assert.strictEqual(platformForRegion.status, 404)
      }))

    it.scoped("is deterministic: the same seed serves the same ids and bodies", () =>
      Effect.gen(function*() {
        const first = yield* MockServer.make({ ...unlimited, seed: 42 })
        const second = yield* MockServer.make({ ...unlimited, seed: 42 })
        const other = yield* MockServer.make({ ...unlimited, seed: 43 })
        assert.deepStrictEqual(first.accounts, second.accounts)
        assert.deepStrictEqual(first.accounts, MockServer.accounts(42))
        assert.notDeepEqual(first.accounts, other.accounts)
        const player = first.accounts[1]
        const ids = yield* matchIdsOf(first, player, "?count=100")
        assert.deepStrictEqual(yield* matchIdsOf(second, player, "?count=100"), ids)
        for (const id of ids.slice(0, 5)) {
          const [a, b] = yield* Effect.all([
            request(first, player.region, `/lol/match/v5/matches/${id}`),
            request(second, player.region, `/lol/match/v5/matches/${id}`)
          ])
          assert.strictEqual(a.text, b.text)
        }
      }))
  })

  describe("layer", () => {
    it.scoped("provides the running server as a service", () =>
      Effect.gen(function*() {
        const mock = yield* MockServer.MockServer
        assert.match(mock.baseUrl, /^http:\/\/127\.0\.0\.1:\d+\/\{route\}$/)
        assert.strictEqual(mock.url, `http://127.0.0.1:${mock.port}`)
        const reply = yield* request(mock, "americas", "/riot/account/v1/accounts/by-riot-id/200/16384")
        assert.strictEqual(reply.status, 200)
        assert.strictEqual((yield* mock.requestLog).length, 1)
      }).pipe(Effect.provide(MockServer.layer({ seed: 1 }))))
  })

  describe("authentication", () => {
    it.scoped("answers 401 without a key and 403 with a wrong one, never echoing keys", () =>
      Effect.gen(function*() {
        const mock = yield* MockServer.make({ apiKey: Redacted.make("RGAPI-mock-secret") })
        const path = "/riot/account/v1/accounts/by-riot-id/200/16384"
        const missing = yield* request(mock, "americas", path, {})
        assert.strictEqual(missing.status, 401)
        assert.deepStrictEqual(json(missing), riotError(401, "Unauthorized"))
        const wrong = yield* request(mock, "americas", path, { "X-Riot-Token": "RGAPI-wrong" })
        assert.strictEqual(wrong.status, 403)
        assert.deepStrictEqual(json(wrong), riotError(403, "Forbidden"))
        const right = yield* request(mock, "americas", path, { "x-riot-token": "RGAPI-mock-secret" })
        assert.strictEqual(right.status, 200)
        const unknownPath = yield* request(mock, "americas", "/nothing", {})
        assert.strictEqual(unknownPath.status, 401)
        assert.notInclude(JSON.stringify(yield* mock.requestLog), "RGAPI")
        assert.strictEqual(String(mock.apiKey), "<redacted>")
      }))
  })

  describe("rate limits", () => {
    const accountPath = "/riot/account/v1/accounts/by-riot-id/200/16384"

    it.scoped("sends Riot's rate limit headers with advancing counts", () =>
      Effect.gen(function*() {
        const mock = yield* MockServer.make()
        const first = yield* request(mock, "americas", accountPath)
        assert.strictEqual(first.headers.get("x-app-rate-limit"), "20:1,100:120")
        assert.strictEqual(first.headers.get("x-app-rate-limit-count"), "1:1,1:120")
        assert.strictEqual(first.headers.get("x-method-rate-limit"), "1000:60")
        assert.strictEqual(first.headers.get("x-method-rate-limit-count"), "1:60")
        yield* request(mock, "americas", accountPath)
        const third = yield* request(mock, "americas", accountPath)
        assert.strictEqual(third.headers.get("x-app-rate-limit-count"), "3:1,3:120")
        const summoner = yield* request(mock, "na1", `/lol/summoner/v4/summoners/by-puuid/${seedPlayer.puuid}`)
        assert.strictEqual(summoner.headers.get("x-app-rate-limit-count"), "1:1,1:120")
        assert.strictEqual(summoner.headers.get("x-method-rate-limit"), "1600:60")
      }))

    it.scoped("answers 429 with Retry-After past the application limit, until the fixed window resets", () =>
      Effect.gen(function*() {
        const mock = yield* MockServer.make({ appLimits: [{ limit: 3, windowSeconds: 1 }] })
        yield* request(mock, "americas", accountPath)
        yield* TestClock.adjust("400 millis")
        yield* request(mock, "americas", accountPath)
        yield* request(mock, "americas", accountPath)
        const rejected = yield* request(mock, "americas", accountPath)
        assert.strictEqual(rejected.status, 429)
        assert.deepStrictEqual(json(rejected), riotError(429, "Rate limit exceeded"))
        assert.strictEqual(rejected.headers.get("retry-after"), "1")
        assert.strictEqual(rejected.headers.get("x-rate-limit-type"), "application")
        assert.strictEqual(rejected.headers.get("x-app-rate-limit-count"), "3:1")
        // Another route has windows of its own.
        assert.strictEqual((yield* request(mock, "europe", accountPath)).status, 200)
        // The window opened with the first request, at 0 ms, and ends at 1000 ms.
        yield* TestClock.adjust("599 millis")
        assert.strictEqual((yield* request(mock, "americas", accountPath)).status, 429)
        yield* TestClock.adjust("1 millis")
        const afterReset = yield* request(mock, "americas", accountPath)
        assert.strictEqual(afterReset.status, 200)
        assert.strictEqual(afterReset.headers.get("x-app-rate-limit-count"), "1:1")

        const log = yield* mock.requestLog
        assert.deepStrictEqual(log.map((entry) => [entry.time, entry.status, entry.rateLimitType]), [
          [0, 200, undefined],
          [400, 200, undefined],
          [400, 200, undefined],
          [400, 429, "application"],
          [400, 200, undefined],
          [999, 429, "application"],
          [1000, 200, undefined]
        ])
        const report = yield* mock.rateLimitReport
        assert.deepStrictEqual(report.rejected, { application: 2, method: 0, service: 0 })
        const americas = report.windows.find((window) => window.scope === "application" && window.route === "americas")
        assert.deepStrictEqual(americas, {
          scope: "application",
          route: "americas",
          limit: 3,
          windowSeconds: 1,
          peakCount: 3
        })
      }))

    it.scoped("enforces per-method limits per route, with Retry-After until that window resets", () =>
      Effect.gen(function*() {
        const mock = yield* MockServer.make({
          appLimits: false,
          methodLimits: { "match-v5.getMatch": [{ limit: 2, windowSeconds: 10 }] }
        })
        const [matchId] = yield* matchIdsOf(mock, seedPlayer, "?count=1")
        const match = () => request(mock, "americas", `/lol/match/v5/matches/${matchId}`)
        yield* match()
        yield* TestClock.adjust("3 seconds")
        yield* match()
        const rejected = yield* match()
        assert.strictEqual(rejected.status, 429)
        assert.strictEqual(rejected.headers.get("x-rate-limit-type"), "method")
        assert.strictEqual(rejected.headers.get("retry-after"), "7")
        assert.strictEqual(rejected.headers.get("x-method-rate-limit"), "2:10")
        assert.strictEqual(rejected.headers.get("x-app-rate-limit"), null)
        // Other methods keep their own (default) limits.
        assert.strictEqual((yield* matchIdsOf(mock, seedPlayer, "?count=1")).length, 1)
        yield* TestClock.adjust("7 seconds")
        assert.strictEqual((yield* match()).status, 200)
        assert.deepStrictEqual((yield* mock.rateLimitReport).rejected, { application: 0, method: 1, service: 0 })
      }))

    it.effect.prop(
      "fixed windows never accept more than the limit per window, nor twice it in any sliding window",
      [
        FastCheck.array(FastCheck.integer({ min: 0, max: 300 }), { maxLength: 120 }),
        FastCheck.integer({ min: 1, max: 5 })
      ],
      ([gaps, limit]) =>
        Effect.sync(() => {
          const windows = [{ limit, windowSeconds: 1 }]
          const limits: ReadonlyArray<RateLimits.LimitScope> = [{ scope: "application", route: "americas", windows }]
          let state = RateLimits.initialState
          let time = 0
          const log: Array<MockServer.LoggedRequest> = []
          for (const gap of gaps) {
            time += gap
            const [admission, next] = RateLimits.admit(state, limits, time)
            state = next
            log.push({
              time,
              route: "americas",
              path: "/americas/x",
              status: admission._tag === "Accepted" ? 200 : 429
            })
          }
          const peak = RateLimits.report(state).windows[0]?.peakCount ?? 0
          assert.isAtMost(peak, limit)
          assert.isAtMost(MockServer.maxWindowCount(log, { route: "americas", windowSeconds: 1 }), 2 * limit)
        })
    )
  })

  describe("faults", () => {
    const faults: MockServer.FaultOptions = {
      connectionReset: 0.1,
      serviceRateLimit: 0.1,
      serverError: { rate: 0.1, statuses: [500, 503] },
      truncatedJson: 0.1,
      malformedJson: 0.1
    }

    const runFaultyFetches = (seed: number) =>
      Effect.gen(function*() {
        const mock = yield* MockServer.make({ ...unlimited, seed, faults })
        const player = mock.accounts[0]
        const ids = yield* matchIdsOf(mock, player, "?count=60")
        const replies = yield* Effect.forEach(ids, (id) => attempt(mock, player.region, `/lol/match/v5/matches/${id}`))
        return { replies, log: yield* mock.requestLog }
      })

    it.scoped("injects every fault kind, the same way for the same seed", () =>
      Effect.gen(function*() {
        const { log, replies } = yield* runFaultyFetches(7)
        const again = yield* runFaultyFetches(7)
        assert.deepStrictEqual(
          again.log.map((entry) => entry.fault),
          log.map((entry) => entry.fault)
        )
        const matchFetches = log.filter((entry) => entry.method === "match-v5.getMatch")
        assert.strictEqual(matchFetches.length, replies.length)
        const kinds = new Set(matchFetches.map((entry) => entry.fault))
        for (const kind of ["connectionReset", "serviceRateLimit", "serverError", "truncatedJson", "malformedJson"]) {
          assert.isTrue(kinds.has(kind as MockServer.FaultKind), `${kind} among ${[...kinds].join(", ")}`)
        }
        // The match list is not faulted by default.
        assert.isUndefined(log[0].fault)

        matchFetches.forEach((entry, i) => {
          const reply = replies[i]
          switch (entry.fault) {
            case "connectionReset": {
              assert.strictEqual(reply, "reset")
              assert.strictEqual(entry.status, 0)
              break
            }
            case "serviceRateLimit": {
              assert.notStrictEqual(reply, "reset")
              const response = reply as Reply
              assert.strictEqual(response.status, 429)
              assert.strictEqual(response.headers.get("x-rate-limit-type"), "service")
              assert.isNull(response.headers.get("retry-after"))
              assert.strictEqual(entry.rateLimitType, "service")
              break
            }
            case "serverError": {
              assert.include([500, 503], (reply as Reply).status)
              break
            }
            case "truncatedJson":
            case "malformedJson": {
              const response = reply as Reply
              assert.strictEqual(response.status, 200)
              assert.isTrue(Either.isLeft(Either.try(() => JSON.parse(response.text))))
              break
            }
            default: {
              assert.strictEqual((reply as Reply).status, 200)
              assert.doesNotThrow(() => JSON.parse((reply as Reply).text))
            }
          }
        })
        const truncated = matchFetches.findIndex((entry) => entry.fault === "truncatedJson")
        const full = yield* Effect.scoped(
          Effect.flatMap(
            MockServer.make({ ...unlimited, seed: 7 }),
            (mock) => request(mock, mock.accounts[0].region, matchFetches[truncated].path.replace(/^\/\w+/, ""))
          )
        )
        const truncatedText = (replies[truncated] as Reply).text
        assert.isTrue(
          truncatedText === full.text.slice(0, Math.floor(full.text.length / 2)),
          "the first half of the body"
        )
        const otherSeed = yield* runFaultyFetches(8)
        assert.notDeepEqual(otherSeed.log.map((entry) => entry.fault), log.map((entry) => entry.fault))
      }))

    it.scoped("applies to all endpoints when asked to", () =>
      Effect.gen(function*() {
        const mock = yield* MockServer.make({ ...unlimited, faults: { serverError: { rate: 1 }, methods: "all" } })
        const reply = yield* request(mock, "americas", "/riot/account/v1/accounts/by-riot-id/200/16384")
        assert.include([500, 503], reply.status)
        assert.strictEqual((yield* mock.requestLog)[0].fault, "serverError")
      }))

    it("keeps a server error going for the whole burst on the same path", () => {
      const options: MockServer.FaultOptions = { serverError: { rate: 0.3, burst: 3, statuses: [503] } }
      let bursts = 0
      for (let n = 0; n < 20; n++) {
        const path = `/americas/lol/match/v5/matches/NA1_${n}`
        let history: Faults.PathHistory | undefined
        const faultsSeen = Arr.makeBy(30, () => {
          const [decision, next] = Faults.decide(options, 1, path, history)
          history = next
          return decision.fault === "serverError" ? 1 : 0
        }).join("")
        // Every run of server errors is a whole number of bursts, except one cut off at the end.
        for (const run of faultsSeen.slice(0, -3).match(/1+(?=0)/g) ?? []) {
          assert.strictEqual(run.length % 3, 0, faultsSeen)
          bursts++
        }
      }
      assert.isAbove(bursts, 0)
    })

    it.scoped("delays responses by the seeded latency on the Clock", () =>
      Effect.gen(function*() {
        const mock = yield* MockServer.make({ ...unlimited, faults: { latency: { ms: 5000, jitterMs: 100 } } })
        const [matchId] = yield* matchIdsOf(mock, seedPlayer, "?count=1")
        const fiber = yield* Effect.fork(request(mock, "americas", `/lol/match/v5/matches/${matchId}`))
        // Wait, on real IO, until the server's handler is asleep on the TestClock.
        while ((yield* TestClock.sleeps()).length === 0) {
          yield* Effect.promise(() => new Promise((resolve) => setImmediate(resolve)))
        }
        const [wakeUp] = yield* TestClock.sleeps()
        assert.isTrue(wakeUp >= 5000 && wakeUp <= 5100, `wakes at ${wakeUp}`)
        assert.isTrue(Option.isNone(yield* Fiber.poll(fiber)))
        yield* TestClock.adjust("5100 millis")
        const reply = yield* Fiber.join(fiber)
        assert.strictEqual(reply.status, 200)
        const entry = (yield* mock.requestLog).at(-1)!
        assert.isAtLeast(entry.latencyMs!, 5000)
        assert.isAtMost(entry.latencyMs!, 5100)
      }))
  })

  describe("parsing and the request log", () => {
    it("parses and formats rate limit windows", () => {
      const parsed = MockServer.parseRateLimitWindows("20:1,100:120")
      assert.deepStrictEqual(Either.getOrThrow(parsed), MockServer.defaultAppLimits)
      assert.strictEqual(MockServer.formatRateLimitWindows(MockServer.defaultAppLimits), "20:1,100:120")
      for (const input of ["", "20", "20:0", "a:1", "20:1,"]) {
        const result = MockServer.parseRateLimitWindows(input)
        assert.isTrue(Either.isLeft(result), input)
      }
      const error = Either.flip(MockServer.parseRateLimitWindows("20")).pipe(Either.getOrThrow)
      assert.strictEqual(error._tag, "RateLimitWindowsParseError")
      assert.include(error.message, "\"20\"")
    })

    it.prop(
      "maxWindowCount agrees with counting every window",
      [
        FastCheck.array(
          FastCheck.record({
            time: FastCheck.integer({ min: 0, max: 5000 }),
            status: FastCheck.constantFrom(200, 404, 429, 0),
            route: FastCheck.constantFrom("americas", "europe")
          }),
          { maxLength: 60 }
        ),
        FastCheck.integer({ min: 1, max: 3 })
      ],
      ([entries, windowSeconds]) => {
        const log = entries.map((entry) => ({ ...entry, path: `/${entry.route}/x` }))
        const accepted = log.filter((entry) => entry.route === "americas" && entry.status !== 429 && entry.status !== 0)
        const bruteForce = Math.max(
          0,
          ...accepted.map((first) =>
            accepted.filter((other) => other.time >= first.time && other.time < first.time + windowSeconds * 1000)
              .length
          )
        )
        assert.strictEqual(MockServer.maxWindowCount(log, { route: "americas", windowSeconds }), bruteForce)
      }
    )
  })
})
