import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Effect from "effect/Effect"
import * as Cli from "../Cli.js"

/**
 * Runs `volley` on `process.argv` once `bin.js` has loaded this module.
 *
 * `holdSignal` has been listening since the process started; the signals it
 * held while loading are raised again now that the runtime interrupts the run
 * on them, so the run writes its report and exits 130 as on any later
 * Ctrl-C. It stays installed: the runtime stops listening after the first
 * signal, and a second Ctrl-C must not kill the process while it writes the
 * report of the first.
 *
 * @internal
 */
export const main = (handoff: {
  readonly pendingSignals: ReadonlyArray<NodeJS.Signals>
  readonly holdSignal: (signal: NodeJS.Signals) => void
}): void => {
  NodeRuntime.runMain(Cli.run(process.argv).pipe(Effect.provide(NodeContext.layer)), {
    disableErrorReporting: true,
    disablePrettyLogger: true,
    teardown: Cli.teardown
  })
  process.removeListener("SIGINT", handoff.holdSignal)
  process.removeListener("SIGTERM", handoff.holdSignal)
  const ignore = () => {}
  process.on("SIGINT", ignore)
  process.on("SIGTERM", ignore)
  // Node ignores SIGPIPE, so a reader that went away (`volley ... | head -1`)
  // shows up as an EPIPE error event, which unhandled would end the process
  // with a stack trace. End quietly instead, with the status of a process
  // that SIGPIPE ended, as Unix tools do: nobody is left to read the rest.
  const onClosedPipe = (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error
    process.exit(Cli.ExitCode.closedPipe)
  }
  process.stdout.on("error", onClosedPipe)
  process.stderr.on("error", onClosedPipe)
  const [first] = handoff.pendingSignals
  if (first !== undefined) process.kill(process.pid, first)
}
