import * as HttpClient from "@effect/platform/HttpClient"
import { assert, describe, it } from "@effect/vitest"
import { MockServer } from "@volley/mock-server"
import { Effect, Ref } from "effect"
import { countingHttpClient } from "../src/internal/connection.js"

// The bound on connections is NodeRiotClient.httpClientLayer's, tested in @volley/riot; what the CLI adds is the count.
describe("countingHttpClient", () => {
  it.scoped("counts every request it sends, through a bounded client", () =>
    Effect.gen(function*() {
      const mock = yield* MockServer.make({ appLimits: false, methodLimits: false })
      const requests = yield* Ref.make(0)
      const statuses = yield* Effect.forEach(
        Array.from({ length: 60 }, (_, index) => index),
        (index) =>
          Effect.map(
            HttpClient.get(`${mock.baseUrl.replace("{route}", "americas")}/riot/account/v1/accounts/by-puuid/${index}`),
            (response) => response.status
          ),
        { concurrency: "unbounded" }
      ).pipe(Effect.provide(countingHttpClient(requests, 4)))
      assert.strictEqual(statuses.length, 60)
      assert.strictEqual(yield* Ref.get(requests), 60)
    }))
})
