import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import { fileURLToPath } from "node:url"
import { FixtureLoadError } from "../MockServer.js"
import type { Fixture } from "./dataset.js"

// src/internal/ and dist/internal/ sit at the same depth, so this
// finds the package's fixtures folder both under vitest and after a build.
const directory = fileURLToPath(new URL("../../fixtures/match-v5/", import.meta.url))
const byOperationDirectory = fileURLToPath(new URL("../../fixtures/by-operation/", import.meta.url))

/**
 * Every fixture in name order, so that a seed picks the same fixture for the
 * same match on every machine.
 *
 * @internal
 */
export const load: Effect.Effect<ReadonlyArray<Fixture>, FixtureLoadError> = Effect.gen(function*() {
  const fs = yield* FileSystem.FileSystem
  const names = (yield* fs.readDirectory(directory)).filter((name) => name.endsWith(".json")).sort()
  if (names.length === 0) return yield* Effect.fail(new FixtureLoadError({ directory, cause: "no .json files" }))
  return yield* Effect.forEach(
    names,
    (name) =>
      Effect.map(fs.readFileString(`${directory}${name}`), (text): Fixture => ({
        text,
        queueId: (JSON.parse(text) as { readonly info: { readonly queueId: number } }).info.queueId
      }))
  )
}).pipe(
  Effect.catchTag("SystemError", "BadArgument", (cause) => Effect.fail(new FixtureLoadError({ directory, cause }))),
  Effect.provide(NodeFileSystem.layer)
)

/**
 * A real response of some operation: its file name without `.json` (usually
 * the id it answers, such as a match id) and its JSON text.
 *
 * @internal
 */
export interface Recording {
  readonly name: string
  readonly text: string
}

/**
 * The recorded responses in `fixtures/by-operation/<operationId>/`, by
 * operation id, each list in name order.
 *
 * @internal
 */
export const loadRecordings: Effect.Effect<ReadonlyMap<string, ReadonlyArray<Recording>>, FixtureLoadError> = Effect
  .gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const operationIds = (yield* fs.readDirectory(byOperationDirectory)).sort()
    const recordings = new Map<string, ReadonlyArray<Recording>>()
    for (const operationId of operationIds) {
      const folder = `${byOperationDirectory}${operationId}/`
      const names = (yield* fs.readDirectory(folder)).filter((name) => name.endsWith(".json")).sort()
      const texts = yield* Effect.forEach(names, (name) => fs.readFileString(`${folder}${name}`))
      if (names.length > 0) {
        recordings.set(operationId, names.map((name, index) => ({ name: name.slice(0, -5), text: texts[index] })))
      }
    }
    return recordings
  }).pipe(
    Effect.catchTag(
      "SystemError",
      "BadArgument",
      (cause) => Effect.fail(new FixtureLoadError({ directory: byOperationDirectory, cause }))
    ),
    Effect.provide(NodeFileSystem.layer)
  )
