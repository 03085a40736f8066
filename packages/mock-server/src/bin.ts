#!/usr/bin/env node
/**
 * The `mock-server` executable: `mock-server --help` lists its flags.
 *
 * @since 0.1.0
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Effect from "effect/Effect"
import * as MockServerCommand from "./MockServerCommand.js"

NodeRuntime.runMain(MockServerCommand.run(process.argv).pipe(Effect.provide(NodeContext.layer)), {
  disableErrorReporting: true,
  disablePrettyLogger: true,
  teardown: MockServerCommand.teardown
})
