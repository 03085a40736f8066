import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Command from "@effect/platform/Command"
import * as FileSystem from "@effect/platform/FileSystem"
import { assert, describe, it } from "@effect/vitest"
import { MockServer } from "@volley/mock-server"
import { Chunk, Context, Deferred, Duration, Effect, Fiber, Layer, Redacted, Schedule, Stream } from "effect"
import { Redis } from "ioredis"
import * as net from "node:net"
import * as path from "node:path"
import * as RiotClient from "../src/RiotClient.js"
import * as RiotRateLimiter from "../src/RiotRateLimiter.js"
import type { WorkerOutcome } from "./redisWorker.js"

/**
 * These tests run a real `redis-server` (Debian's `redis-server` package;
 * `.ci/run` installs it) on a free loopback port, with its files in a
 * temporary folder, and real worker processes. The Redis store keeps time by
 * the Redis server's clock, so unlike the in-memory store it cannot be driven
 * by the `TestClock`: these tests run on real time.
 */

const apiKeyText = "RGAPI-redis-test-key-never-stored"
const apiKey = Redacted.make(apiKeyText)
const limits = {
  appLimits: [{ limit: 20, windowSeconds: 1 }, { limit: 100, windowSeconds: 10 }],
  methodLimits: { "match-v5.getMatch": [{ limit: 100, windowSeconds: 10 }] }
} as const

const freePort = Effect.async<number>((resume) => {
  const server = net.createServer()
  server.listen(0, "127.0.0.1", () => {
    const port = (server.address() as net.AddressInfo).port
    server.close(() => resume(Effect.succeed(port)))
  })
})

const inspect = (url: string) =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null })
      // Refused connections while the server starts are expected; the retried connect reports the last one.
      redis.on("error", () => {})
      return redis
    }),
    (redis) => Effect.sync(() => redis.disconnect())
  )

/** A `redis-server` on a free loopback port, stopped with the scope. `kill` stops it at once (SIGKILL). */
const startRedisOn = (port: number) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const directory = yield* fs.makeTempDirectoryScoped({ prefix: "volley-redis-" })
    const server = yield* Command.start(
      Command.make(
        "redis-server",
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--dir",
        directory,
        "--save",
        "",
        "--appendonly",
        "no"
      )
    ).pipe(
      Effect.mapError((error) =>
        new Error(`could not start redis-server (apt-get install redis-server): ${error.message}`)
      )
    )
    const url = `redis://127.0.0.1:${port}`
    const client = yield* inspect(url)
    yield* Effect.tryPromise(() => client.connect().then(() => client.ping())).pipe(
      Effect.retry(Schedule.spaced("20 millis").pipe(Schedule.upTo("5 seconds")))
    )
    return { url, port, client, kill: server.kill("SIGKILL") }
  })

const startRedis = Effect.flatMap(freePort, startRedisOn)

/** Every Redis key with its value as text, and its time to live. */
const dumpRedis = (redis: Redis) =>
  Effect.promise(async () => {
    const entries: Array<{ readonly key: string; readonly value: string; readonly ttlMillis: number }> = []
    for (const key of await redis.keys("*")) {
      const type = await redis.type(key)
      const value = type === "hash"
        ? JSON.stringify(await redis.hgetall(key))
        : type === "zset"
        ? JSON.stringify(await redis.zrange(key, 0, -1, "WITHSCORES"))
        : type === "string"
        ? (await redis.get(key)) ?? ""
        : `(${type})`
      entries.push({ key, value, ttlMillis: await redis.pttl(key) })
    }
    return entries
  })

const riotDirectory = path.join(import.meta.dirname, "..")

/**
 * Runs `worker` in its own OS process (`node --import tsx`) and returns what
 * it reported for each match.
 */
const runWorker = (options: {
  readonly mock: MockServer.MockServer
  readonly redisUrl: string
  readonly region: string
  readonly ids: ReadonlyArray<string>
  readonly concurrency: number
  readonly localShareOf?: number
}) =>
  Effect.scoped(Effect.gen(function*() {
    const process = yield* Command.start(
      Command.make(globalThis.process.execPath, "--import", "tsx", "test/redisWorker.ts").pipe(
        Command.workingDirectory(riotDirectory),
        Command.env({
          WORKER_API_KEY: apiKeyText,
          WORKER_BASE_URL: options.mock.baseUrl,
          WORKER_REDIS_URL: options.redisUrl,
          WORKER_REGION: options.region,
          WORKER_MATCH_IDS: options.ids.join(","),
          WORKER_CONCURRENCY: String(options.concurrency),
          WORKER_LOCAL_SHARE_OF: String(options.localShareOf ?? 0)
        })
      )
    )
    const text = (stream: Stream.Stream<Uint8Array, unknown>) =>
      stream.pipe(Stream.decodeText(), Stream.runCollect, Effect.map(Chunk.join("")))
    const [stdout, stderr, exitCode] = yield* Effect.all([
      text(process.stdout),
      text(process.stderr),
      process.exitCode
    ], { concurrency: "unbounded" })
    const report = stdout.split("\n").find((line) => line.startsWith("[{"))
    if (exitCode !== 0 || report === undefined) {
      return yield* Effect.die(new Error(`worker exited with ${exitCode}\n${stdout}\n${stderr}`))
    }
    return JSON.parse(report) as ReadonlyArray<WorkerOutcome>
  }))

/** Distinct match ids of the seed's americas players, read from an unlimited mock with the same seed. */
const americasMatchIds = (count: number) =>
  Effect.gen(function*() {
    const mock = yield* MockServer.make({ appLimits: false, methodLimits: false })
    const riot = yield* RiotClient.layerWith({ apiKey: mock.apiKey, baseUrl: mock.baseUrl }).pipe(
      Layer.provide([NodeHttpClient.layerUndici, RiotRateLimiter.layer]),
      Layer.build,
      Effect.map(Context.get(RiotClient.RiotClient))
    )
    const ids: Array<string> = []
    for (const account of mock.accounts.filter((account) => account.region === "americas")) {
      for (const start of [0, 100]) {
        ids.push(
          ...yield* riot.getLolMatchV5MatchIdsByPuuid({ region: "americas", puuid: account.puuid, start, count: 100 })
        )
      }
    }
    assert.isAtLeast(ids.length, count)
    return ids.slice(0, count)
  })

/**
 * The least time in which `count` requests fit Riot's fixed windows, from
 * the first request to the last: greedy sending, each window reopening at
 * the first request after it ends.
 */
const minimumSpanMillis = (count: number, windows: ReadonlyArray<MockServer.RateLimitWindow>): number => {
  const opened = windows.map(() => -Infinity)
  const used = windows.map(() => 0)
  let now = 0
  for (let sent = 0; sent < count; sent++) {
    let deferredTo = now
    do {
      now = deferredTo
      windows.forEach((window, i) => {
        if (now < opened[i] + window.windowSeconds * 1000 && used[i] >= window.limit) {
          deferredTo = Math.max(deferredTo, opened[i] + window.windowSeconds * 1000)
        }
      })
    } while (deferredTo > now)
    windows.forEach((window, i) => {
      if (now >= opened[i] + window.windowSeconds * 1000) {
        opened[i] = now
        used[i] = 0
      }
      used[i]++
    })
  }
  return now
}

/** The mock's verdict: no application or method 429, and no fixed window over its limit. */
const assertWithinLimits = (mock: MockServer.MockServer) =>
  Effect.gen(function*() {
    const log = yield* mock.requestLog
    assert.deepStrictEqual(
      log.filter((request) => request.rateLimitType === "application" || request.rateLimitType === "method"),
      []
    )
    const report = yield* mock.rateLimitReport
    assert.deepStrictEqual(report.rejected, { application: 0, method: 0, service: 0 })
    for (const window of report.windows) {
      assert.isAtMost(window.peakCount, window.limit, `${window.scope} ${window.limit}:${window.windowSeconds}`)
    }
    return log
  })

/** Asserts that the mock served each fetched match once and no other. */
const assertServedOnce = (log: ReadonlyArray<MockServer.LoggedRequest>, outcomes: ReadonlyArray<WorkerOutcome>) => {
  const served = log.filter((request) => request.method === "match-v5.getMatch").map((request) =>
    request.path.split("/").at(-1)!
  )
  assert.deepStrictEqual(
    [...served].sort(),
    outcomes.filter((outcome) => outcome.fetched).map((outcome) => outcome.id).sort()
  )
}

const waitForRequests = (mock: MockServer.MockServer, count: number) =>
  mock.requestLog.pipe(
    Effect.repeat({ until: (log) => log.length >= count, schedule: Schedule.spaced("10 millis") })
  )

describe("RiotRateLimiter on Redis", () => {
  it.scopedLive("names the URL, without its password, when Redis is unreachable at start", () =>
    Effect.gen(function*() {
      const port = yield* freePort
      const error = yield* Effect.flip(
        Layer.build(RiotRateLimiter.layerRedis({ url: `redis://:hunter2@127.0.0.1:${port}`, apiKey }))
      )
      assert.instanceOf(error, RiotRateLimiter.RateLimitStoreError)
      assert.strictEqual(error.operation, "connect")
      assert.strictEqual(
        error.message,
        `could not connect to Redis at redis://:***@127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`
      )
      assert.notInclude(JSON.stringify(error), "hunter2")
    }).pipe(Effect.provide(NodeContext.layer)))

  it.scopedLive("makes every limiter wait out a 429 that one of them saw", () =>
    Effect.gen(function*() {
      const redis = yield* startRedis
      const limiterOn = Layer.build(RiotRateLimiter.layerRedis({ url: redis.url, apiKey })).pipe(
        Effect.map(Context.get(RiotRateLimiter.RiotRateLimiter))
      )
      const first = yield* limiterOn
      const second = yield* limiterOn
      const limitHeaders = { "x-app-rate-limit": "20:1", "x-method-rate-limit": "20:1" }
      yield* first.withPermit("americas", "match-v5.getMatch")(
        Effect.succeed({ status: 200, headers: limitHeaders })
      )
      const rejectedAt = Date.now()
      yield* first.withPermit("americas", "match-v5.getMatch")(
        Effect.succeed({
          status: 429,
          headers: { ...limitHeaders, "retry-after": "1", "x-rate-limit-type": "application" }
        })
      )
      // Another method on the same route: only the shared app block holds it.
      const sentAt = yield* second.withPermit("americas", "summoner-v4.getByPuuid")(
        Effect.sync(() => ({ status: 200, headers: limitHeaders, at: Date.now() }))
      )
      assert.isAtLeast(sentAt.at - rejectedAt, 1000)
    }).pipe(Effect.provide(NodeContext.layer)))

  it.scopedLive("makes every limiter wait for the answer of a slow request before its window runs", () =>
    Effect.gen(function*() {
      const redis = yield* startRedis
      const limiterOn = Layer.build(RiotRateLimiter.layerRedis({ url: redis.url, apiKey, windowPadding: 0 })).pipe(
        Effect.map(Context.get(RiotRateLimiter.RiotRateLimiter))
      )
      const first = yield* limiterOn
      const second = yield* limiterOn
      const limitHeaders = { "x-app-rate-limit": "1:1", "x-method-rate-limit": "10:1" }
      const answer = Effect.sync(() => ({ status: 200, headers: limitHeaders, at: Date.now() }))
      yield* first.withPermit("americas", "match-v5.getMatch")(answer) // teaches the limits
      const slowSent = yield* Deferred.make<void>()
      const slow = yield* Effect.fork(
        first.withPermit("americas", "match-v5.getMatch")(
          Effect.zipRight(Deferred.succeed(slowSent, undefined), Effect.delay(answer, "1500 millis"))
        )
      )
      yield* Deferred.await(slowSent)
      const next = yield* second.withPermit("americas", "summoner-v4.getByPuuid")(answer)
      const slowAnswer = yield* Fiber.join(slow)
      // Redis keeps whole milliseconds, so the window may look one millisecond short.
      assert.isAtLeast(next.at - slowAnswer.at, 999)
    }).pipe(Effect.provide(NodeContext.layer)))

  it.scopedLive(
    "keeps 3 processes of 100 matches each at concurrency 50 within 20 per 1 s and 100 per 10 s",
    () =>
      Effect.gen(function*() {
        const redis = yield* startRedis
        const ids = yield* americasMatchIds(300)
        const mock = yield* MockServer.make({ ...limits, apiKey })
        const workers = [0, 1, 2].map((i) => ids.slice(i * 100, (i + 1) * 100))
        const outcomes = yield* Effect.forEach(
          workers,
          (workerIds) => runWorker({ mock, redisUrl: redis.url, region: "americas", ids: workerIds, concurrency: 50 }),
          { concurrency: "unbounded" }
        )
        outcomes.forEach((reported, i) => {
          assert.deepStrictEqual(reported.map((outcome) => outcome.id), workers[i])
          assert.deepStrictEqual(reported.filter((outcome) => !outcome.fetched), [])
        })

        const log = yield* assertWithinLimits(mock)
        assertServedOnce(log, outcomes.flat())
        const times = log.map((request) => request.time)
        const spanMillis = Math.max(...times) - Math.min(...times)
        const allowedSpanMillis = minimumSpanMillis(log.length, limits.appLimits)
        const efficiency = allowedSpanMillis / spanMillis
        console.log(
          `3 processes, ${log.length} requests in ${spanMillis} ms; the limits allow ${allowedSpanMillis} ms: ${
            efficiency.toFixed(3)
          } of the allowed rate`
        )
        assert.isAtLeast(efficiency, 0.85)

        const stored = yield* dumpRedis(redis.client)
        assert.isNotEmpty(stored)
        for (const { key, ttlMillis, value } of stored) {
          assert.match(key, /^volley:rl:\{[0-9a-f]{16}\}:americas(:match-v5\.getMatch)?:(state|log)$/)
          assert.notInclude(`${key} ${value}`, apiKeyText)
          assert.notInclude(`${key} ${value}`, "RGAPI")
          assert.isAbove(ttlMillis, 0, `${key} expires`)
        }
      }).pipe(Effect.provide(NodeContext.layer)),
    { timeout: 90_000 }
  )

  describe("when Redis is lost, with waitForReconnect", () => {
    let tickets = 0
    const reserveOne = (store: RiotRateLimiter.RateLimitStore) =>
      store.reserve({
        keys: ["americas"],
        ticket: `reserveOne-${++tickets}`,
        now: 0,
        windowPaddingMillis: 0,
        answerLeaseMillis: 1000
      })

    it.scopedLive(
      "rides out a restart shorter than the wait: the request waits, then gets its slot",
      () =>
        Effect.gen(function*() {
          const redis = yield* startRedis
          const store = yield* RiotRateLimiter.makeRedisStore({
            url: redis.url,
            apiKey,
            onUnavailable: { waitForReconnect: "10 seconds" }
          })
          assert.isTrue((yield* reserveOne(store)).granted)
          yield* store.release(["americas"])
          yield* redis.kill
          const reserving = yield* Effect.fork(Effect.timed(reserveOne(store)))
          // The restart: Redis is away while a new server starts on the same port.
          yield* Effect.sleep("1500 millis")
          yield* startRedisOn(redis.port)
          const [waited, reservation] = yield* Fiber.join(reserving)
          assert.isTrue(reservation.granted)
          assert.isAtLeast(Duration.toMillis(waited), 1000)
        }).pipe(Effect.provide(NodeContext.layer)),
      { timeout: 60_000 }
    )

    it.scopedLive("fails clearly once the wait is over and Redis is still gone", () =>
      Effect.gen(function*() {
        const redis = yield* startRedis
        const store = yield* RiotRateLimiter.makeRedisStore({
          url: redis.url,
          apiKey,
          onUnavailable: { waitForReconnect: "1 second" }
        })
        yield* redis.kill
        const [waited, error] = yield* Effect.timed(Effect.flip(reserveOne(store)))
        assert.isAtLeast(Duration.toMillis(waited), 1000)
        assert.isBelow(Duration.toMillis(waited), 5000)
        assert.strictEqual(error.operation, "reserve")
        assert.match(
          error.message,
          /^Redis at redis:\/\/127\.0\.0\.1:\d+ is unavailable \(reserve\): not back within 1s: /
        )
      }).pipe(Effect.provide(NodeContext.layer)), { timeout: 60_000 })
  })

  describe("when Redis is killed mid-run", () => {
    const processes = 2
    const matchesPerProcess = 60

    const runAndKill = (localShareOf?: number) =>
      Effect.gen(function*() {
        const redis = yield* startRedis
        const ids = yield* americasMatchIds(processes * matchesPerProcess)
        const mock = yield* MockServer.make({ ...limits, apiKey })
        const workers = Array.from(
          { length: processes },
          (_, i) => ids.slice(i * matchesPerProcess, (i + 1) * matchesPerProcess)
        )
        const fetching = yield* Effect.fork(Effect.forEach(
          workers,
          (workerIds) =>
            runWorker({
              mock,
              redisUrl: redis.url,
              region: "americas",
              ids: workerIds,
              concurrency: 50,
              ...(localShareOf === undefined ? {} : { localShareOf })
            }),
          { concurrency: "unbounded" }
        ))
        yield* waitForRequests(mock, 25)
        yield* redis.kill
        const outcomes = yield* fetching.await.pipe(Effect.flatten)
        outcomes.forEach((reported, i) => assert.deepStrictEqual(reported.map((outcome) => outcome.id), workers[i]))
        const log = yield* assertWithinLimits(mock)
        assertServedOnce(log, outcomes.flat())
        return { outcomes: outcomes.flat(), redisUrl: redis.url }
      })

    it.scopedLive(
      "fails the unsent requests with RateLimitStoreUnavailable by default",
      () =>
        Effect.gen(function*() {
          const { outcomes, redisUrl } = yield* runAndKill()
          const failed = outcomes.filter((outcome) => !outcome.fetched)
          assert.isAtLeast(outcomes.length - failed.length, 25)
          assert.isNotEmpty(failed)
          const expected = `match-v5.getMatch on americas was not sent: Redis at ${redisUrl} is unavailable: `
          for (const { error, message } of failed) {
            assert.strictEqual(error, "RateLimitStoreUnavailable")
            assert.strictEqual(message?.slice(0, expected.length), expected)
          }
          console.log(
            `Redis killed: ${outcomes.length - failed.length} fetched, ${failed.length} failed: ${failed[0].message}`
          )
        }).pipe(Effect.provide(NodeContext.layer)),
      { timeout: 60_000 }
    )

    it.scopedLive(
      "goes on with a local share of the limits when told to",
      () =>
        Effect.gen(function*() {
          const { outcomes } = yield* runAndKill(processes)
          assert.deepStrictEqual(outcomes.filter((outcome) => !outcome.fetched), [])
        }).pipe(Effect.provide(NodeContext.layer)),
      { timeout: 90_000 }
    )
  })
})
