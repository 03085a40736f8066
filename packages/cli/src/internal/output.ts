import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { Output } from "./matches.js"

/**
 * Where a run writes instead of the process's streams, when provided: an
 * in-process run of `volley` (a test running every `get` command) reads what
 * it wrote from here.
 *
 * @internal
 */
export class OutputOverride extends Context.Tag("@volley/cli/OutputOverride")<OutputOverride, Output>() {}

/**
 * The process's own stdout and stderr, or the {@link OutputOverride} in
 * context. Writes go straight to the streams (not through `Console`) so that
 * data and diagnostics cannot be mixed up by a replaced console, and so that
 * a jsonl line is flushed the moment its match is fetched.
 *
 * @internal
 */
export const processOutput: Effect.Effect<Output> = Effect.flatMap(
  Effect.serviceOption(OutputOverride),
  Option.match({
    onSome: Effect.succeed,
    onNone: () =>
      Effect.sync((): Output => ({
        stdout: (text) => Effect.sync(() => void process.stdout.write(text)),
        stderr: (text) => Effect.sync(() => void process.stderr.write(text)),
        stdoutIsTerminal: process.stdout.isTTY === true,
        stderrIsTerminal: process.stderr.isTTY === true,
        columns: process.stderr.columns > 0 ? process.stderr.columns : 80
      }))
  })
)
