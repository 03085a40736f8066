/**
 * Every recorded response of Riot's (test/fixtures, copied from real API
 * answers) decodes with its operation's response schema, through the same
 * decoder the client uses and through effect/Schema itself.
 */
import { describe, expect, it } from "@effect/vitest"
import { RiotOperations, RiotSchema } from "@volley/riot"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as fs from "node:fs"
import * as path from "node:path"
import * as Validate from "../src/internal/client/validate.js"

const fixtures = path.join(import.meta.dirname, "fixtures")

/** Recordings filed under an operation id the description has since renamed (same response). */
const renamed: Readonly<Record<string, string>> = {
  "champion-mastery-v4.getAllChampionMasteries": "champion-mastery-v4.getAllChampionMasteriesByPUUID"
}

const recordings: ReadonlyArray<{ readonly operationId: string; readonly file: string }> = [
  ...fs.readdirSync(path.join(fixtures, "match-v5")).map((file) => ({
    operationId: "match-v5.getMatch",
    file: path.join(fixtures, "match-v5", file)
  })),
  ...fs.readdirSync(path.join(fixtures, "by-operation")).flatMap((folder) =>
    fs.readdirSync(path.join(fixtures, "by-operation", folder)).map((file) => ({
      operationId: renamed[folder] ?? folder,
      file: path.join(fixtures, "by-operation", folder, file)
    }))
  )
]

const operationOf = (operationId: string): RiotOperations.Operation => {
  const operation = RiotOperations.operations.find((operation) => operation.operationId === operationId)
  if (operation === undefined) throw new Error(`no operation ${operationId}`)
  return operation
}

describe("recorded responses", () => {
  it("cover every folder of recordings", () => {
    expect(recordings.length).toBeGreaterThanOrEqual(24)
  })

  for (const { file, operationId } of recordings) {
    it(`${operationId}: ${path.basename(file)} decodes`, () => {
      const body: unknown = JSON.parse(fs.readFileSync(file, "utf8"))
      const operation = operationOf(operationId)
      const decoded = Schema.decodeUnknownEither(operation.response as Schema.Schema<unknown>, { errors: "all" })(
        body
      )
      expect(Either.isLeft(decoded) ? RiotSchema.formatDecodeError(decoded.left) : "decodes").toBe("decodes")
      // The client's validator agrees, so the client returns the body as parsed.
      expect(Validate.compile(operation.response.ast)?.(body)).toBe(true)
    })
  }
})
