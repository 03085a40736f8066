import type { Routing } from "@volley/riot"
import { RiotClient, RiotError, RiotRateLimiter } from "@volley/riot"
import { TaskGroup } from "@volley/taskgroup"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import { IncompleteFetch, NoSummonerOnPlatform, PlayerNotInMatch } from "./errors.js"
import { display, type ProgressMode } from "./progress.js"
import type { Format } from "./render.js"
import * as render from "./render.js"
import type { MatchFailure, MatchSummary, Outcome, Player, Report } from "./report.js"
import { summarizeMatch } from "./report.js"
import { formatRiotId, type RiotId } from "./riotId.js"

/**
 * Where the run writes: data to stdout, everything else to stderr.
 *
 * @internal
 */
export interface Output {
  readonly stdout: (text: string) => Effect.Effect<void>
  readonly stderr: (text: string) => Effect.Effect<void>
  /** The colour and width of the terminals, when they are terminals. */
  readonly stdoutIsTerminal: boolean
  readonly stderrIsTerminal: boolean
  readonly columns: number
}

/**
 * Everything `volley matches` was asked to do.
 *
 * @internal
 */
export interface MatchesOptions {
  readonly riotId: RiotId
  readonly platform: Routing.Platform
  readonly region: Routing.Region
  readonly count: number
  readonly concurrency: number
  readonly strategy: TaskGroup.FailureStrategy
  readonly format: Format
}

/**
 * What a run of `volley matches` works with besides its options and output.
 *
 * - `riot`: the client, acquired inside the run (embedded mock, Redis
 *   connection), so that an interruption while it starts still writes the
 *   report. When the layer provides a rate limiter too, progress says when
 *   the limits hold requests back.
 * - `httpRequests`: how many HTTP requests were sent so far.
 * - `reportWritten`: set once a report (complete or interrupted) is on
 *   stdout, so that the caller does not write a second one.
 *
 * @internal
 */
export interface MatchesEnvironment<E> {
  readonly riot: Layer.Layer<RiotClient.RiotClient, E>
  readonly httpRequests: Effect.Effect<number>
  readonly reportWritten: Ref.Ref<boolean>
}

/** What the run knows so far; the interruption handler renders it as it is. */
interface RunState {
  readonly player: Player | undefined
  readonly matchIds: ReadonlyArray<string>
  readonly matches: ReadonlyMap<number, MatchSummary>
  readonly failures: ReadonlyMap<number, MatchFailure>
}

const inIdOrder = <A>(byIndex: ReadonlyMap<number, A>): ReadonlyArray<A> =>
  [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, value]) => value)

const messageOf = (cause: Cause.Cause<unknown>): string => {
  const error = Cause.squash(cause)
  return error instanceof Error ? error.message : String(error)
}

/**
 * Looks the player up (account, then summoner, then match ids), fetches the
 * matches as tasks of a `TaskGroup`, shows progress on stderr and writes the
 * report to stdout.
 *
 * When the run is interrupted the tasks are interrupted and awaited first,
 * then the matches fetched so far are written with the outcome
 * `interrupted`, and the interruption carries on to the caller. When some
 * matches failed it fails with {@link IncompleteFetch} after writing them.
 *
 * @internal
 */
export const matches = <E>(
  options: MatchesOptions,
  output: Output,
  environment: MatchesEnvironment<E>
): Effect.Effect<Report, E | IncompleteFetch | NoSummonerOnPlatform | RiotError.RiotError> =>
  Effect.gen(function*() {
    const startedAt = yield* Clock.currentTimeMillis
    const runState = yield* Ref.make<RunState>({
      player: undefined,
      matchIds: [],
      matches: new Map(),
      failures: new Map()
    })
    const streaming = options.format === "jsonl"

    const report = (outcome: Outcome) =>
      Effect.gen(function*() {
        const state = yield* Ref.get(runState)
        const wallTimeMillis = (yield* Clock.currentTimeMillis) - startedAt
        const requests = yield* environment.httpRequests
        const fetched = state.matches.size
        const failed = state.failures.size
        return {
          player: state.player,
          matches: inIdOrder(state.matches),
          failures: inIdOrder(state.failures),
          totals: {
            outcome,
            requested: state.matchIds.length,
            fetched,
            failed,
            notFetched: state.matchIds.length - fetched - failed,
            wallTimeMillis,
            httpRequests: requests,
            requestsPerSecond: wallTimeMillis > 0 ? Math.round((requests / (wallTimeMillis / 1000)) * 100) / 100 : 0
          }
        } satisfies Report
      })

    // Uninterruptible, and marked as written in the same step, so that a
    // report is never cut short or written twice.
    const write = (done: Report) =>
      Effect.uninterruptible(
        Effect.zipRight(
          Ref.set(environment.reportWritten, true),
          output.stdout(render.renderReport(done, options.format, { color: output.stdoutIsTerminal }))
        )
      )

    // account-v1 is not served by sea; any of the other regions knows every account.
    const accountRegion = options.region === "sea" ? "asia" : options.region

    const lookup = Effect.gen(function*() {
      const account = yield* RiotClient.getAccountV1ByRiotId({ region: accountRegion, ...options.riotId }).pipe(
        Effect.flatMap(Option.match({
          onNone: () =>
            Effect.fail(
              new RiotError.NotFound({
                endpoint: "account-v1.getByRiotId",
                route: accountRegion,
                resource: `account ${formatRiotId(options.riotId)}`
              })
            ),
          onSome: Effect.succeed
        }))
      )
      const summoner = yield* RiotClient.getLolSummonerV4ByPuuid({ region: options.platform, puuid: account.puuid })
        .pipe(
          Effect.flatMap(Option.match({
            onNone: () =>
              Effect.fail(
                new NoSummonerOnPlatform({ riotId: formatRiotId(options.riotId), platform: options.platform })
              ),
            onSome: Effect.succeed
          }))
        )
      const player: Player = {
        gameName: account.gameName ?? options.riotId.gameName,
        tagLine: account.tagLine ?? options.riotId.tagLine,
        puuid: account.puuid,
        platform: options.platform,
        region: options.region,
        summonerLevel: summoner.summonerLevel
      }
      const matchIds = yield* RiotClient.getLolMatchV5MatchIdsByPuuid({
        region: options.region,
        puuid: account.puuid,
        count: options.count
      })
      yield* Ref.update(runState, (current) => ({ ...current, player, matchIds }))
      if (streaming) yield* output.stdout(render.playerRecord(player))
      return { player, matchIds }
    })

    const fetchMatch = (player: Player, index: number, matchId: string) =>
      RiotClient.getLolMatchV5Match({ region: options.region, id: matchId }).pipe(
        Effect.flatMap(Option.match({
          onNone: () =>
            Effect.fail(
              new RiotError.NotFound({
                endpoint: "match-v5.getMatch",
                route: options.region,
                resource: `match ${matchId}`
              })
            ),
          onSome: Effect.succeed
        })),
        Effect.flatMap((match) =>
          Option.match(summarizeMatch(match, player.puuid), {
            onNone: () => Effect.fail(new PlayerNotInMatch({ matchId })),
            onSome: Effect.succeed
          })
        ),
        // Recording and streaming a match happen together or not at all, so a
        // match written to a jsonl stream is never reported as not fetched.
        Effect.tap((summary) =>
          Effect.uninterruptible(
            Effect.zipRight(
              Ref.update(
                runState,
                (current) => ({ ...current, matches: new Map(current.matches).set(index, summary) })
              ),
              streaming ? output.stdout(render.matchRecord(summary)) : Effect.void
            )
          )
        ),
        Effect.tapErrorCause((cause) =>
          Cause.isInterruptedOnly(cause) ? Effect.void : Ref.update(runState, (current) => ({
            ...current,
            failures: new Map(current.failures).set(index, { matchId, error: messageOf(cause) })
          }))
        )
      )

    const fetchAll = (player: Player, matchIds: ReadonlyArray<string>) =>
      Effect.scoped(
        Effect.gen(function*() {
          const group = yield* TaskGroup.make<MatchSummary, unknown>({
            concurrency: options.concurrency,
            strategy: options.strategy
          })
          const limiter = yield* Effect.serviceOption(RiotRateLimiter.RiotRateLimiter)
          yield* display(group, {
            total: matchIds.length,
            mode: progressMode(output),
            columns: output.columns,
            writeStderr: output.stderr,
            heldUntil: Option.getOrUndefined(Option.map(limiter, (limiter) => limiter.heldUntil)),
            estimateWait: Option.getOrUndefined(
              Option.map(
                limiter,
                (limiter) => (requests: number) => limiter.estimateWait(options.region, "match-v5.getMatch", requests)
              )
            )
          })
          for (const [index, matchId] of matchIds.entries()) {
            yield* TaskGroup.createTask(group, fetchMatch(player, index, matchId))
          }
          yield* TaskGroup.join(group)
        })
      ).pipe(
        Effect.as<Outcome>("complete"),
        // Under the interrupt strategy the group fails at the first failure and
        // refuses new tasks; the failure itself is already recorded.
        Effect.catchAll(() => Effect.succeed<Outcome>("stopped"))
      )

    const outcome = yield* Effect.gen(function*() {
      const { matchIds, player } = yield* lookup
      return yield* fetchAll(player, matchIds)
    }).pipe(
      Effect.provide(environment.riot),
      Effect.onInterrupt(() =>
        Effect.flatMap(report("interrupted"), (partial) =>
          Effect.zipRight(
            write(partial),
            output.stderr(`volley: interrupted; wrote the ${partial.totals.fetched} matches fetched so far\n`)
          ))
      )
    )

    const done = yield* report(outcome)
    yield* write(done)
    if (done.totals.failed > 0) {
      return yield* new IncompleteFetch({ failed: done.totals.failed, requested: done.totals.requested })
    }
    return done
  })

const progressMode = (output: Output): ProgressMode => output.stderrIsTerminal ? "bar" : "lines"
