/**
 * One worker process of RiotRateLimiterRedis.test.ts: fetches the matches it
 * is given through a client whose limiter keeps its state in Redis, and
 * writes one JSON line: every match id, with `fetched: true` or the tag and
 * message of its error. Configured by the environment (see `setting` below), run with
 * `node --import tsx`.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Effect, Either, Layer, Redacted } from "effect"
import * as RiotClient from "../src/RiotClient.js"
import * as RiotRateLimiter from "../src/RiotRateLimiter.js"
import type { Region } from "../src/Routing.js"

/** The outcome of one match, as the worker reports it. */
export interface WorkerOutcome {
  readonly id: string
  readonly fetched: boolean
  readonly error?: string
  readonly message?: string
}

const setting = (name: string): string => {
  const value = process.env[name]
  if (value === undefined) throw new Error(`redisWorker: ${name} is not set`)
  return value
}

const apiKey = Redacted.make(setting("WORKER_API_KEY"))
const ids = setting("WORKER_MATCH_IDS").split(",")
const localShareOf = Number(process.env.WORKER_LOCAL_SHARE_OF ?? "0")

const RiotLive = RiotClient.layerWith({ apiKey, baseUrl: setting("WORKER_BASE_URL"), retryBaseDelay: "50 millis" })
  .pipe(
    Layer.provide([
      NodeHttpClient.layerUndici,
      RiotRateLimiter.layerRedis({
        url: setting("WORKER_REDIS_URL"),
        apiKey,
        onUnavailable: localShareOf > 0 ? { localShareOf } : "fail"
      })
    ])
  )

const program = Effect.gen(function*() {
  const riot = yield* RiotClient.RiotClient
  const region = setting("WORKER_REGION") as Region
  const outcomes = yield* Effect.forEach(
    ids,
    (id) =>
      Effect.map(
        Effect.either(riot.getLolMatchV5Match({ region, id })),
        Either.match({
          onLeft: (error): WorkerOutcome => ({ id, fetched: false, error: error._tag, message: error.message }),
          onRight: (): WorkerOutcome => ({ id, fetched: true })
        })
      ),
    { concurrency: Number(setting("WORKER_CONCURRENCY")) }
  )
  yield* Effect.sync(() => process.stdout.write(`${JSON.stringify(outcomes)}\n`))
})

NodeRuntime.runMain(program.pipe(Effect.provide(RiotLive)))
