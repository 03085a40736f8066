import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as MockServer from "../MockServer.js"

/**
 * What `mock-server` was asked to do.
 *
 * @internal
 */
export interface ServeOptions {
  readonly port: number
  readonly seed: number
  readonly appLimits: ReadonlyArray<MockServer.RateLimitWindow> | false
  readonly faultRate: number
}

/**
 * Runs the mock until interrupted, after saying on stderr where it listens
 * and how to point `volley matches` at it.
 *
 * @internal
 */
export const serveMock = (options: ServeOptions, writeStderr: (text: string) => Effect.Effect<void>) =>
  Effect.scoped(
    Effect.gen(function*() {
      const mock = yield* MockServer.make({
        port: options.port,
        seed: options.seed,
        appLimits: options.appLimits,
        faults: MockServer.faultsAtRate(options.faultRate)
      })
      const account = mock.accounts[0]
      yield* writeStderr(
        [
          `mock-server: Riot API mock listening on ${mock.url} (seed ${mock.seed}); Ctrl-C stops it`,
          // The mock's key is a published constant, not a secret: printing it is the point of the hint.
          `mock-server: try RIOT_API_KEY=${
            Redacted.value(mock.apiKey)
          } RIOT_BASE_URL='${mock.baseUrl}' volley matches '${account.gameName}#${account.tagLine}'`
        ].join("\n") + "\n"
      )
      return yield* Effect.never
    })
  )
