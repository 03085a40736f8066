import { assert, describe, it } from "@effect/vitest"
import type { RiotSchema } from "@volley/riot"
import { RiotClient, RiotError } from "@volley/riot"
import { Deferred, Effect, Exit, Fiber, Layer, Option, Ref } from "effect"
import { readFileSync } from "node:fs"
import type { MatchesOptions, Output } from "../src/internal/matches.js"
import { matches } from "../src/internal/matches.js"

const puuid = "puuid-200"
const matchIds = ["NA1_0", "NA1_1", "NA1_2", "NA1_3"]

/** The fields of a match the CLI reads; the rest of Riot's body does not matter here. */
const matchBody = (id: string, players: ReadonlyArray<string> = [puuid]) =>
  ({
    metadata: { dataVersion: "2", matchId: id, participants: players },
    info: {
      gameMode: "CLASSIC",
      queueId: 420,
      gameCreation: 0,
      gameDuration: 1500,
      participants: players.map((player) => ({
        puuid: player,
        championName: "Ahri",
        kills: 1,
        deaths: 2,
        assists: 3,
        win: true
      }))
    }
  }) as unknown as RiotSchema.LolMatchV5Match

const fakeRiot = (
  getMatch: (id: string) => Effect.Effect<RiotSchema.LolMatchV5Match, RiotError.RiotError>
): Layer.Layer<RiotClient.RiotClient> =>
  Layer.succeed(
    RiotClient.RiotClient,
    // Only the methods `matches` calls.
    {
      getAccountV1ByRiotId: ({ gameName, tagLine }) => Effect.succeed(Option.some({ puuid, gameName, tagLine })),
      getLolSummonerV4ByPuuid: () =>
        Effect.succeed(Option.some(
          { puuid, profileIconId: 1, revisionDate: 0, summonerLevel: 30 } as RiotSchema.LolSummonerV4Summoner
        )),
      getLolMatchV5MatchIdsByPuuid: ({ count }) => Effect.succeed(matchIds.slice(0, count)),
      getLolMatchV5Match: ({ id }) => Effect.map(getMatch(id), Option.some)
    } satisfies Partial<RiotClient.RiotClient> as unknown as RiotClient.RiotClient
  )

/** The run's environment on a fake Riot that serves `getMatch`. */
const environment = (
  getMatch: (id: string) => Effect.Effect<RiotSchema.LolMatchV5Match, RiotError.RiotError>,
  httpRequests = 0
) => ({ riot: fakeRiot(getMatch), httpRequests: Effect.succeed(httpRequests), reportWritten: Ref.unsafeMake(false) })

const options = (overrides: Partial<MatchesOptions> = {}): MatchesOptions => ({
  riotId: { gameName: "200", tagLine: "16384" },
  platform: "na1",
  region: "americas",
  count: 4,
  concurrency: 2,
  strategy: "collect",
  format: "json",
  ...overrides
})

/** Output into refs; `onStdout` sees everything written so far after each write. */
const capture = (onStdout: (written: string) => Effect.Effect<void> = () => Effect.void) =>
  Effect.gen(function*() {
    const stdout = yield* Ref.make("")
    const stderr = yield* Ref.make("")
    const output: Output = {
      stdout: (text) => Effect.flatMap(Ref.updateAndGet(stdout, (written) => written + text), onStdout),
      stderr: (text) => Ref.update(stderr, (written) => written + text),
      stdoutIsTerminal: false,
      stderrIsTerminal: false,
      columns: 80
    }
    return { output, stdout, stderr }
  })

const serverError = (id: string) =>
  new RiotError.ServerError({
    endpoint: "match-v5.getMatch",
    route: "americas",
    status: 503,
    attempts: 4,
    riotMessage: id
  })

/** Riot's real body of an aborted game: `info.participants` is empty, `endOfGameResult` is `Abort_Unexpected`. */
const abortedGame = JSON.parse(
  readFileSync(new URL("../../mock-server/fixtures/match-v5/EUW1_6834713231.json", import.meta.url), "utf8")
) as RiotSchema.LolMatchV5Match

describe("matches", () => {
  for (const format of ["json", "jsonl", "table"] as const) {
    it.effect(`reports an aborted game as a fetched match with its outcome (${format})`, () =>
      Effect.gen(function*() {
        const { output, stdout } = yield* capture()
        const report = yield* matches(
          options({ format }),
          output,
          environment((id) => Effect.succeed(id === "NA1_2" ? abortedGame : matchBody(id)))
        )
        assert.strictEqual(report.totals.fetched, 4)
        assert.strictEqual(report.totals.failed, 0)
        const aborted = report.matches[2]
        assert.deepInclude(aborted, {
          matchId: "EUW1_6834713231",
          result: "aborted",
          endOfGameResult: "Abort_Unexpected",
          champion: null,
          win: null
        })
        const written = yield* Ref.get(stdout)
        if (format === "json") {
          assert.deepStrictEqual(JSON.parse(written).matches[2], aborted)
        } else if (format === "jsonl") {
          const records = written.trim().split("\n").map((line) => JSON.parse(line))
          assert.deepInclude(records, { type: "match", ...aborted })
        } else {
          assert.match(written, /^EUW1_6834713231 .* aborted$/m)
        }
      }))
  }

  it.effect("fetches every match and writes them in id order", () =>
    Effect.gen(function*() {
      const { output, stderr, stdout } = yield* capture()
      const report = yield* matches(options(), output, environment((id) => Effect.succeed(matchBody(id)), 6))
      assert.deepStrictEqual(report.matches.map((match) => match.matchId), matchIds)
      assert.strictEqual(report.totals.outcome, "complete")
      assert.strictEqual(report.totals.httpRequests, 6)
      const document = JSON.parse(yield* Ref.get(stdout))
      assert.deepStrictEqual(document.matches, report.matches)
      assert.include(yield* Ref.get(stderr), "volley: 4/4 matches (100%), 0 failed")
    }))

  it.effect("collects failures with their messages and fails with IncompleteFetch", () =>
    Effect.gen(function*() {
      const { output, stdout } = yield* capture()
      const error = yield* matches(
        options(),
        output,
        environment((id) =>
          id === "NA1_1"
            ? Effect.fail(serverError(id))
            : id === "NA1_3"
            ? Effect.succeed(matchBody(id, ["someone-else"]))
            : Effect.succeed(matchBody(id))
        )
      ).pipe(Effect.flip)
      assert.strictEqual(error._tag, "IncompleteFetch")
      assert.strictEqual(error.message, "2 of 4 matches could not be fetched")
      const document = JSON.parse(yield* Ref.get(stdout))
      assert.deepStrictEqual(document.matches.map((match: { matchId: string }) => match.matchId), ["NA1_0", "NA1_2"])
      assert.deepStrictEqual(document.failures, [
        { matchId: "NA1_1", error: "match-v5.getMatch on americas failed with 503 after 4 attempts (Riot: NA1_1)" },
        { matchId: "NA1_3", error: "the player is not a participant of NA1_3" }
      ])
    }))

  it.effect("stops at the first failure under the interrupt strategy", () =>
    Effect.gen(function*() {
      const { output, stdout } = yield* capture()
      yield* matches(
        options({ strategy: "interrupt", concurrency: 4 }),
        output,
        environment((id) => id === "NA1_0" ? Effect.fail(serverError(id)) : Effect.never)
      ).pipe(Effect.flip)
      const document = JSON.parse(yield* Ref.get(stdout))
      assert.strictEqual(document.totals.outcome, "stopped")
      assert.strictEqual(document.totals.failed, 1)
      assert.strictEqual(document.totals.notFetched, 3)
    }))

  it.effect("on interruption, awaits the tasks and still writes what was fetched", () =>
    Effect.gen(function*() {
      const twoMatchesStreamed = yield* Deferred.make<void>()
      const { output, stderr, stdout } = yield* capture((written) =>
        (written.match(/"type":"match"/g) ?? []).length === 2
          ? Deferred.succeed(twoMatchesStreamed, undefined)
          : Effect.void
      )
      const interruptedFetches = yield* Ref.make(0)
      const fiber = yield* matches(
        options({ format: "jsonl", concurrency: 4 }),
        output,
        environment((id) =>
          id === "NA1_0" || id === "NA1_2"
            ? Effect.succeed(matchBody(id))
            : Effect.onInterrupt(Effect.never, () => Ref.update(interruptedFetches, (n) => n + 1))
        )
      ).pipe(Effect.fork)
      yield* Deferred.await(twoMatchesStreamed)
      const exit = yield* Fiber.interrupt(fiber)
      assert.isTrue(Exit.isInterrupted(exit))
      assert.strictEqual(yield* Ref.get(interruptedFetches), 2)
      const records = (yield* Ref.get(stdout)).trim().split("\n").map((line) => JSON.parse(line))
      assert.deepStrictEqual(records.map((record) => record.type), ["player", "match", "match", "totals"])
      assert.strictEqual(records[3].outcome, "interrupted")
      assert.strictEqual(records[3].fetched, 2)
      assert.strictEqual(records[3].notFetched, 2)
      assert.include(yield* Ref.get(stderr), "volley: interrupted; wrote the 2 matches fetched so far")
    }))
})
