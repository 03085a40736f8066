import * as HttpClient from "@effect/platform/HttpClient"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import * as NodeRiotClient from "../src/NodeRiotClient.js"

/** A local server that answers after `delayMillis` and records how many sockets were ever open at once. */
const countingServer = (delayMillis: number) =>
  Effect.acquireRelease(
    Effect.async<{ readonly url: string; readonly peakSockets: () => number; readonly server: Http.Server }>(
      (resume) => {
        let open = 0
        let peak = 0
        const server = Http.createServer((_, response) => {
          setTimeout(() => response.end("{}"), delayMillis)
        })
        server.on("connection", (socket) => {
          open++
          peak = Math.max(peak, open)
          socket.on("close", () => open--)
        })
        server.listen(0, "127.0.0.1", () =>
          resume(Effect.succeed({
            url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
            peakSockets: () => peak,
            server
          })))
      }
    ),
    ({ server }) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  )

describe("NodeRiotClient.httpClientLayer", () => {
  it.scoped("opens at most maxConnections sockets to one origin, however many requests are in flight", () =>
    Effect.gen(function*() {
      const server = yield* countingServer(20)
      const statuses = yield* Effect.forEach(
        Array.from({ length: 60 }, (_, index) => index),
        (index) => Effect.map(HttpClient.get(`${server.url}/match/${index}`), (response) => response.status),
        { concurrency: "unbounded" }
      ).pipe(Effect.provide(NodeRiotClient.httpClientLayer(4)))
      assert.deepStrictEqual(new Set(statuses), new Set([200]))
      assert.isAtMost(server.peakSockets(), 4)
      assert.isAtLeast(server.peakSockets(), 2, "the connections are used in parallel")
    }))
})
