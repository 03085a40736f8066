#!/usr/bin/env node
/**
 * The `volley` executable.
 *
 * Loading Effect and the CLI takes a noticeable moment, and until a process
 * listens for SIGINT and SIGTERM they kill it outright: no report, no exit
 * 130. So this file imports nothing itself: it listens first, then loads the
 * CLI, which takes the signal over (see `internal/main.ts`).
 *
 * @since 0.1.0
 */
const pendingSignals: Array<NodeJS.Signals> = []
const holdSignal = (signal: NodeJS.Signals) => void pendingSignals.push(signal)
process.on("SIGINT", holdSignal)
process.on("SIGTERM", holdSignal)

const { main } = await import("./internal/main.js")
main({ pendingSignals, holdSignal })
