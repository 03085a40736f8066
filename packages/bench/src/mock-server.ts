/**
 * The child-process entry that runs the Riot mock for the HTTP benchmarks,
 * so that server and client each have a core of their own. Started with
 * `child_process.fork` and the `MockServerOptions` as a JSON argument, it
 * sends `{ type: "ready", url, baseUrl }`, answers `{ type: "report" }` with
 * the request log and the rate-limit report, and exits on `{ type: "stop" }`.
 *
 * @since 0.1.0
 */
import { MockServer } from "@volley/mock-server"
import * as Effect from "effect/Effect"

/**
 * A message from the parent.
 *
 * @since 0.1.0
 * @category models
 */
export type Command = { readonly type: "report" } | { readonly type: "stop" }

const options = JSON.parse(process.argv[2] ?? "{}") as MockServer.MockServerOptions

const program = Effect.gen(function*() {
  const mock = yield* MockServer.make(options)
  yield* Effect.async<void>((resume) => {
    process.on("message", (command: Command) => {
      if (command.type === "stop") return resume(Effect.void)
      Effect.runPromise(Effect.all([mock.requestLog, mock.rateLimitReport])).then(([log, report]) => {
        process.send!({ type: "report", log, report })
      })
    })
    process.send!({ type: "ready", url: mock.url, baseUrl: mock.baseUrl })
  })
})

Effect.runPromise(Effect.scoped(program)).then(
  () => process.disconnect(),
  (error: unknown) => {
    process.stderr.write(`mock server: ${String(error)}\n`)
    process.exit(1)
  }
)
