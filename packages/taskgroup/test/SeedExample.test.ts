/**
 * Pulsefire's documented example, in Effect: Riot ID -> account -> summoner
 * -> match ids -> 20 match fetches through one TaskGroup. The client here is
 * a fake made of Effect values, so the test is about the group, not HTTP.
 */
import { assert, describe, it } from "@effect/vitest"
import { TaskGroup } from "@volley/taskgroup"
import { Cause, Context, Data, Effect, Exit, Fiber, Layer, Option, TestClock } from "effect"

class MatchNotFound extends Data.TaggedError("MatchNotFound")<{ readonly id: string }> {}

interface Match {
  readonly id: string
  readonly durationSeconds: number
}

class FakeRiot extends Context.Tag("FakeRiot")<FakeRiot, {
  readonly getAccountByRiotId: (gameName: string, tagLine: string) => Effect.Effect<{ readonly puuid: string }>
  readonly getSummonerByPuuid: (puuid: string) => Effect.Effect<{ readonly summonerLevel: number }>
  readonly getMatchIdsByPuuid: (puuid: string, count: number) => Effect.Effect<ReadonlyArray<string>>
  readonly getMatch: (id: string) => Effect.Effect<Match, MatchNotFound>
}>() {}

const missing = new Set(["NA1_1005", "NA1_1012"])

const FakeRiotLive = Layer.succeed(FakeRiot, {
  getAccountByRiotId: () => Effect.succeed({ puuid: "puuid-200" }).pipe(Effect.delay("50 millis")),
  getSummonerByPuuid: () => Effect.succeed({ summonerLevel: 30 }).pipe(Effect.delay("50 millis")),
  getMatchIdsByPuuid: (_, count) =>
    Effect.succeed(Array.from({ length: count }, (_, i) => `NA1_${1000 + i}`)).pipe(Effect.delay("50 millis")),
  // later matches answer sooner, so completion order differs from creation order
  getMatch: (id) =>
    (missing.has(id) ? Effect.fail(new MatchNotFound({ id })) : Effect.succeed({ id, durationSeconds: 1800 })).pipe(
      Effect.delay(`${2000 - Number(id.slice(4))} millis`)
    )
})

const fetchFirst20Matches = (strategy: TaskGroup.FailureStrategy) =>
  Effect.gen(function*() {
    const riot = yield* FakeRiot
    const account = yield* riot.getAccountByRiotId("200", "16384")
    yield* riot.getSummonerByPuuid(account.puuid)
    const matchIds = yield* riot.getMatchIdsByPuuid(account.puuid, 20)
    return yield* TaskGroup.forEach(matchIds, riot.getMatch, { concurrency: 100, strategy })
  })

describe("the seed example", () => {
  it.effect("collect: 18 matches in request order and 2 failures naming their matches", () =>
    Effect.gen(function*() {
      const fiber = yield* Effect.fork(fetchFirst20Matches("collect"))
      yield* TestClock.adjust("2 seconds")
      const { failures, results } = yield* Fiber.join(fiber)
      assert.strictEqual(results.length, 18)
      assert.deepStrictEqual(
        results.map(({ id }) => id),
        Array.from({ length: 20 }, (_, i) => `NA1_${1000 + i}`).filter((id) => !missing.has(id))
      )
      assert.deepStrictEqual(failures.map(({ index }) => index), [5, 12])
      assert.deepStrictEqual(
        failures.map(({ cause }) => Cause.failureOption(cause).pipe(Option.map(({ id }) => id))),
        [Option.some("NA1_1005"), Option.some("NA1_1012")]
      )
    }).pipe(Effect.provide(FakeRiotLive)))

  it.effect("interrupt: the group fails with the first failure", () =>
    Effect.gen(function*() {
      const fiber = yield* Effect.fork(Effect.exit(fetchFirst20Matches("interrupt")))
      yield* TestClock.adjust("2 seconds")
      // NA1_1012 answers first (later ids are faster), so it is the first failure; NA1_1005 is interrupted
      assert.deepStrictEqual(yield* Fiber.join(fiber), Exit.fail(new MatchNotFound({ id: "NA1_1012" })))
    }).pipe(Effect.provide(FakeRiotLive)))
})
