import { MockServer } from "@volley/riot"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { faultsAtRate } from "./connection.js"
import type { Output } from "./matches.js"

/**
 * What `volley mock-server` was asked to do.
 *
 * @internal
 */
export interface MockServerCommandOptions {
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
export const serveMock = (options: MockServerCommandOptions, output: Output) =>
  Effect.scoped(
    Effect.gen(function*() {
      const mock = yield* MockServer.make({
        port: options.port,
        seed: options.seed,
        appLimits: options.appLimits,
        faults: faultsAtRate(options.faultRate)
      })
      const account = mock.accounts[0]
      yield* output.stderr(
        [
          `volley: Riot API mock listening on ${mock.url} (seed ${mock.seed}); Ctrl-C stops it`,
          // The mock's key is a published constant, not a secret: printing it is the point of the hint.
          `volley: try RIOT_API_KEY=${
            Redacted.value(mock.apiKey)
          } RIOT_BASE_URL='${mock.baseUrl}' volley matches '${account.gameName}#${account.tagLine}'`
        ].join("\n") + "\n"
      )
      return yield* Effect.never
    })
  )
