import * as Effect from "effect/Effect"
import type { Output } from "./matches.js"

/**
 * The process's own stdout and stderr. Writes go straight to the streams
 * (not through `Console`) so that data and diagnostics cannot be mixed up by a
 * replaced console, and so that a jsonl line is flushed the moment its match
 * is fetched.
 *
 * @internal
 */
export const processOutput: Effect.Effect<Output> = Effect.sync(() => ({
  stdout: (text) => Effect.sync(() => void process.stdout.write(text)),
  stderr: (text) => Effect.sync(() => void process.stderr.write(text)),
  stdoutIsTerminal: process.stdout.isTTY === true,
  stderrIsTerminal: process.stderr.isTTY === true,
  columns: process.stderr.columns > 0 ? process.stderr.columns : 80
}))
