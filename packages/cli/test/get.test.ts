/**
 * `volley get` in-process: the names it gives the table's methods, and every
 * method run from its command line against the embedded mock.
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import { assert, describe, it } from "@effect/vitest"
import { MockServer } from "@volley/mock-server"
import { ConfigProvider, Effect, Option, Ref } from "effect"
import * as Cli from "../src/Cli.js"
import { commandNameOf, families, kebab, toJson } from "../src/internal/get.js"
import type { Output } from "../src/internal/matches.js"
import { operations } from "../src/internal/operations.js"
import { OutputOverride } from "../src/internal/output.js"

const getOperations = operations.filter((operation) => operation.httpMethod === "GET")

/** `volley` on `args` in this process, with no RIOT_* or VOLLEY_* variables, its output captured. */
const volley = (args: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const stdout = yield* Ref.make("")
    const stderr = yield* Ref.make("")
    const output: Output = {
      stdout: (text) => Ref.update(stdout, (written) => written + text),
      stderr: (text) => Ref.update(stderr, (written) => written + text),
      stdoutIsTerminal: false,
      stderrIsTerminal: false,
      columns: 80
    }
    const code = yield* Cli.run(["node", "volley", ...args]).pipe(
      Effect.provideService(OutputOverride, output),
      Effect.withConfigProvider(ConfigProvider.fromMap(new Map())),
      Effect.provide(NodeContext.layer)
    )
    return { code, stdout: yield* Ref.get(stdout), stderr: yield* Ref.get(stderr) }
  })

describe("volley get names", () => {
  it("cuts a method name after its version into family and operation", () => {
    assert.deepStrictEqual(commandNameOf("getLolLeagueV4ChallengerLeagueByQueue"), {
      family: "lol-league-v4",
      operation: "challenger-league-by-queue"
    })
    assert.deepStrictEqual(commandNameOf("getAccountV1ByRiotId"), { family: "account-v1", operation: "by-riot-id" })
    assert.deepStrictEqual(commandNameOf("getLolMatchV5Match"), { family: "lol-match-v5", operation: "match" })
    assert.strictEqual(kebab("encryptedPUUID"), "encrypted-puuid")
    assert.strictEqual(kebab("gameName"), "game-name")
  })

  it("gives every GET operation of the table its own command", () => {
    const named = [...families(operations)].flatMap(([family, byName]) =>
      [...byName.values()].map((operation) => ({ family, operation }))
    )
    assert.strictEqual(named.length, getOperations.length)
    assert.sameMembers(named.map(({ operation }) => operation.operationId), getOperations.map((op) => op.operationId))
  })

  it("writes a not-found Option as null and keeps big integers", () => {
    assert.strictEqual(toJson(Option.none(), false), "null\n")
    assert.strictEqual(toJson(Option.some({ a: 1 }), false), "{\"a\":1}\n")
    assert.strictEqual(toJson({ id: 2n ** 64n }, false), "{\"id\":\"18446744073709551616\"}\n")
  })
})

describe("volley get against the embedded mock", () => {
  it.scoped("writes a method's answer as JSON and exits 0, in-process", () =>
    Effect.gen(function*() {
      const player = MockServer.accounts(1).find((account) => account.gameName === "200")!
      const run = yield* volley([
        "get",
        "account-v1",
        "by-riot-id",
        "--region",
        "americas",
        "--game-name",
        player.gameName,
        "--tag-line",
        player.tagLine
      ])
      assert.strictEqual(run.code, Cli.ExitCode.success, run.stderr)
      assert.deepStrictEqual(JSON.parse(run.stdout), {
        puuid: player.puuid,
        gameName: player.gameName,
        tagLine: player.tagLine
      })
      assert.include(run.stderr, "volley: 1/1 requests (100%), 0 failed")
    }), { timeout: 30_000 })

  it.scoped("runs every method of the table from its command line, JSON on stdout", () =>
    Effect.gen(function*() {
      for (const [family, byName] of families(operations)) {
        for (const [name, operation] of byName) {
          const example = MockServer.exampleCall(operation)
          const args = [
            "get",
            family,
            name,
            operation.routeKind === "regional" ? "--region" : "--platform",
            example.route,
            ...operation.params.flatMap((param) => [`--${kebab(param.name)}`, String(example.args[param.name])])
          ]
          const run = yield* volley(args)
          assert.strictEqual(run.code, Cli.ExitCode.success, `volley ${args.join(" ")}:\n${run.stderr}`)
          const answer: unknown = JSON.parse(run.stdout)
          if (!operation.nullable404) assert.notStrictEqual(answer, null, operation.operationId)
          assert.include(run.stderr, "volley: 1/1 requests (100%)")
        }
      }
    }), { timeout: 60_000 })
})
