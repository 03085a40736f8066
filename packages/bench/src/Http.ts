/**
 * The HTTP benchmarks against the Riot mock server: the TaskGroup driving
 * the `@volley/riot` client next to a bare `fetch` worker pool issuing the
 * same requests, and the client alone against the mock's rate limits.
 *
 * @since 0.1.0
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import { MockServer } from "@volley/mock-server"
import { RiotClient, RiotRateLimiter } from "@volley/riot"
import type { Routing } from "@volley/riot"
import { TaskGroup } from "@volley/taskgroup"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"

/**
 * One match-v5 getMatch request: the regional route that serves it and the
 * match id.
 *
 * @since 0.1.0
 * @category models
 */
export interface MatchRequest {
  readonly region: Routing.Region
  readonly id: string
}

/**
 * A way of issuing the requests: `client` is the TaskGroup with the Riot
 * client, `effect-httpclient` what an Effect user would write without Volley
 * (`Effect.forEach` over the same undici `HttpClient`, `response.json`, no
 * schema, limiter or retries), `bare-fetch` a hand-written pool of async
 * loops around Node's global `fetch`.
 *
 * @since 0.1.0
 * @category models
 */
export type HttpApproach = "client" | "effect-httpclient" | "bare-fetch"

/**
 * What one run of requests measured. `latenciesMs` has one entry per
 * successful request, from the moment the request was issued to the moment
 * its body was parsed (and, for the client, validated).
 *
 * @since 0.1.0
 * @category models
 */
export interface HttpRun {
  readonly approach: HttpApproach
  readonly requests: number
  readonly concurrency: number
  readonly elapsedMs: number
  readonly failures: number
  readonly latenciesMs: ReadonlyArray<number>
}

/**
 * The header both approaches send: the mock's API key and `Accept`, as the
 * client does.
 *
 * @since 0.1.0
 * @category constants
 */
export const requestHeaders = (apiKey: Redacted.Redacted<string>): Record<string, string> => ({
  accept: "application/json",
  "x-riot-token": Redacted.value(apiKey)
})

/**
 * The URL of a match request under a base URL template such as
 * `http://127.0.0.1:PORT/{route}`, built as the client builds it.
 *
 * @since 0.1.0
 * @category models
 */
export const matchUrl = (baseUrl: string, request: MatchRequest): string =>
  `${baseUrl.replace("{route}", request.region)}/lol/match/v5/matches/${encodeURIComponent(request.id)}`

/**
 * Every match id the mock serves for `seed`, listed through its match-list
 * endpoint with plain `fetch` (set-up, not measured). Ask a mock without rate
 * limits: the ids are the same on any mock with the same seed.
 *
 * @since 0.1.0
 * @category set-up
 */
export const listMatches = async (
  baseUrl: string,
  apiKey: Redacted.Redacted<string>,
  seed: number
): Promise<ReadonlyArray<MatchRequest>> => {
  const requests: Array<MatchRequest> = []
  for (const account of MockServer.accounts(seed)) {
    for (let start = 0;; start += 100) {
      const url = `${
        baseUrl.replace("{route}", account.region)
      }/lol/match/v5/matches/by-puuid/${account.puuid}/ids?start=${start}&count=100`
      const response = await fetch(url, { headers: requestHeaders(apiKey) })
      if (!response.ok) throw new Error(`listing matches: HTTP ${response.status} for ${account.gameName}`)
      const ids = (await response.json()) as ReadonlyArray<string>
      for (const id of ids) requests.push({ region: account.region, id })
      if (ids.length < 100) break
    }
  }
  return requests
}

/**
 * `count` requests taken round-robin from `matches`, so that a count larger
 * than the dataset repeats ids rather than inventing ones the mock would 404.
 *
 * @since 0.1.0
 * @category set-up
 */
export const cycle = (matches: ReadonlyArray<MatchRequest>, count: number): ReadonlyArray<MatchRequest> =>
  Array.from({ length: count }, (_, i) => matches[i % matches.length])

/** A response that is a match, but not the one asked for: counted as a failure. */
class WrongMatch extends Data.TaggedError("WrongMatch")<{ readonly request: MatchRequest }> {}

const clientLayer = (baseUrl: string, apiKey: Redacted.Redacted<string>, maxRetries: number) =>
  Layer.effect(RiotClient.RiotClient, RiotClient.make({ apiKey, baseUrl, maxRetries })).pipe(
    Layer.provide([NodeHttpClient.layerUndici, RiotRateLimiter.layer])
  )

/**
 * Issues `requests` through `RiotClient.getLolMatchV5Match`, each as a task
 * of a TaskGroup of `concurrency` permits. `maxRetries` is 0 for the
 * throughput run, so that a failure is counted rather than hidden behind a
 * retry (the rate-limit run counts 429s at the server instead). A match
 * with another id than the one asked for counts as a failure, as in the bare
 * pool. Results are not kept (the bare pool keeps none either).
 *
 * @since 0.1.0
 * @category running
 */
export const runClient = (
  requests: ReadonlyArray<MatchRequest>,
  concurrency: number,
  baseUrl: string,
  apiKey: Redacted.Redacted<string>,
  maxRetries = 0
): Promise<HttpRun> =>
  Effect.gen(function*() {
    const client = yield* RiotClient.RiotClient
    const latenciesMs: Array<number> = []
    const start = performance.now()
    const summary = yield* TaskGroup.forEach(
      requests,
      (request) =>
        Effect.suspend(() => {
          const issued = performance.now()
          return Effect.flatMap(client.getLolMatchV5Match(request), (match) => {
            if (Option.isNone(match) || match.value.metadata.matchId !== request.id) {
              return Effect.fail(new WrongMatch({ request }))
            }
            latenciesMs.push(performance.now() - issued)
            return Effect.void
          })
        }),
      { concurrency, collectResults: false }
    )
    const elapsedMs = performance.now() - start
    return {
      approach: "client" as const,
      requests: requests.length,
      concurrency,
      elapsedMs,
      failures: summary.failures.length,
      latenciesMs
    }
  }).pipe(Effect.provide(clientLayer(baseUrl, apiKey, maxRetries)), Effect.runPromise)

/**
 * Issues `requests` with `Effect.forEach({ concurrency })` over the undici
 * `HttpClient` with its defaults, reading each body with `response.json` and
 * checking its match id as the other approaches do: the cost of Effect's
 * HTTP stack alone, which the client is built on.
 *
 * @since 0.1.0
 * @category running
 */
export const runEffectHttpClient = (
  requests: ReadonlyArray<MatchRequest>,
  concurrency: number,
  baseUrl: string,
  apiKey: Redacted.Redacted<string>
): Promise<HttpRun> =>
  Effect.gen(function*() {
    const httpClient = yield* HttpClient.HttpClient
    const headers = requestHeaders(apiKey)
    const latenciesMs: Array<number> = []
    let failures = 0
    const start = performance.now()
    yield* Effect.forEach(
      requests,
      (request) =>
        Effect.suspend(() => {
          const issued = performance.now()
          return httpClient.get(matchUrl(baseUrl, request), { headers }).pipe(
            Effect.flatMap((response) =>
              Effect.map(response.json, (body) => {
                const matchId = (body as { readonly metadata?: { readonly matchId?: unknown } } | null)?.metadata
                  ?.matchId
                if (response.status !== 200 || matchId !== request.id) failures++
                else latenciesMs.push(performance.now() - issued)
              })
            ),
            Effect.catchAll(() => Effect.sync(() => failures++))
          )
        }),
      { concurrency, discard: true }
    )
    return {
      approach: "effect-httpclient" as const,
      requests: requests.length,
      concurrency,
      elapsedMs: performance.now() - start,
      failures,
      latenciesMs
    }
  }).pipe(Effect.provide(NodeHttpClient.layerUndici), Effect.runPromise)

/**
 * Issues `requests` with Node's global `fetch` from `concurrency` async
 * loops pulling from one shared index: the floor the client is measured
 * against. Each body is parsed as JSON and its match id checked, as the
 * client run checks it (the client also validates the whole match).
 *
 * @since 0.1.0
 * @category running
 */
export const runBareFetch = async (
  requests: ReadonlyArray<MatchRequest>,
  concurrency: number,
  baseUrl: string,
  apiKey: Redacted.Redacted<string>
): Promise<HttpRun> => {
  const headers = requestHeaders(apiKey)
  const latenciesMs: Array<number> = []
  let failures = 0
  let next = 0
  const worker = async () => {
    while (next < requests.length) {
      const request = requests[next++]
      const issued = performance.now()
      try {
        const response = await fetch(matchUrl(baseUrl, request), { headers })
        const body = (await response.json()) as { readonly metadata?: { readonly matchId?: unknown } } | null
        if (!response.ok || body?.metadata?.matchId !== request.id) failures++
        else latenciesMs.push(performance.now() - issued)
      } catch {
        failures++
      }
    }
  }
  const start = performance.now()
  await Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, worker))
  return {
    approach: "bare-fetch",
    requests: requests.length,
    concurrency,
    elapsedMs: performance.now() - start,
    failures,
    latenciesMs
  }
}
