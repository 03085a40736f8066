#!/usr/bin/env node
/**
 * Runs the Riot API mock server as a process until Ctrl-C:
 *
 * ```sh
 * node packages/riot/dist/bin/mock-server.js --port 8080 --seed 1
 * ```
 *
 * Flags: `--port N` (default 0, a free port), `--seed S` (default 1),
 * `--app-limits "20:1,100:120"`, `--no-rate-limits`. It prints one line,
 * `Riot API mock listening on http://127.0.0.1:PORT`, to stderr. The mock
 * accepts `MockServer.defaultApiKey`.
 *
 * Arguments are parsed by hand: @effect/cli belongs to the cli package, and
 * four flags do not justify the dependency here.
 *
 * @since 0.1.0
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Console from "effect/Console"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as MockServer from "../MockServer.js"

class InvalidArguments extends Data.TaggedError("InvalidArguments")<{ readonly reason: string }> {
  override get message(): string {
    return `${this.reason}\nUsage: mock-server [--port N] [--seed S] [--app-limits "20:1,100:120"] [--no-rate-limits]`
  }
}

const nonNegativeInteger = (flag: string, value: string | undefined): Either.Either<number, InvalidArguments> =>
  value !== undefined && /^\d+$/.test(value) ?
    Either.right(Number(value)) :
    Either.left(new InvalidArguments({ reason: `${flag} needs a non-negative integer, got ${value ?? "nothing"}` }))

const parseArguments = (args: ReadonlyArray<string>): Either.Either<MockServer.MockServerOptions, InvalidArguments> =>
  Either.gen(function*() {
    let options: MockServer.MockServerOptions = {}
    for (let i = 0; i < args.length; i++) {
      const flag = args[i]
      switch (flag) {
        case "--port":
          options = { ...options, port: yield* nonNegativeInteger(flag, args[++i]) }
          break
        case "--seed":
          options = { ...options, seed: yield* nonNegativeInteger(flag, args[++i]) }
          break
        case "--app-limits": {
          const appLimits = yield* MockServer.parseRateLimitWindows(args[++i] ?? "").pipe(
            Either.mapLeft((error) => new InvalidArguments({ reason: error.message }))
          )
          options = { ...options, appLimits }
          break
        }
        case "--no-rate-limits":
          options = { ...options, appLimits: false, methodLimits: false }
          break
        default:
          return yield* Either.left(new InvalidArguments({ reason: `Unknown argument ${flag}` }))
      }
    }
    return options
  })

const program = Effect.gen(function*() {
  const options = yield* parseArguments(process.argv.slice(2))
  const mock = yield* MockServer.make(options)
  yield* Console.error(`Riot API mock listening on ${mock.url}`)
  return yield* Effect.never
}).pipe(
  Effect.scoped,
  Effect.catchTag("InvalidArguments", (error) =>
    Effect.zipRight(
      Console.error(error.message),
      Effect.sync(() => {
        process.exitCode = 2
      })
    ))
)

NodeRuntime.runMain(program)
