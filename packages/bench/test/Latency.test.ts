import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as Latency from "../src/Latency.js"
import * as Report from "../src/Report.js"
import type * as Results from "../src/Results.js"

const round = (approach: Latency.LatencyApproachName, elapsedMs: number): Latency.LatencyCaseResult => ({
  approach,
  n: 20_000,
  concurrency: 100,
  taskMs: 1,
  elapsedMs,
  completed: 20_000,
  collected: 20_000
})

const config = { n: 20_000, concurrency: 100, taskMs: 1, rounds: 3 } as const

const measured = (taskGroupMs: ReadonlyArray<number>): Latency.LatencyResults =>
  Latency.summarize(config, [
    { approach: "taskgroup", rounds: taskGroupMs.map((ms) => round("taskgroup", ms)), failed: [] },
    { approach: "effect-foreach", rounds: [240, 250, 260].map((ms) => round("effect-foreach", ms)), failed: [] },
    { approach: "effect-pool", rounds: [238, 232, 236].map((ms) => round("effect-pool", ms)), failed: [] },
    { approach: "timer-pool", rounds: [220, 230, 210].map((ms) => round("timer-pool", ms)), failed: [] }
  ])

const benchResults = (latency: Results.BenchResults["latency"]): Results.BenchResults => ({
  generatedAt: "2026-12-01T00:00:00.000Z",
  machine: { cpu: "CPU", cores: 2, memoryBytes: 2 ** 30, node: "v20", platform: "linux", versions: {} },
  config: {
    quick: true,
    rounds: 3,
    sizes: [],
    concurrency: 100,
    warmupTasks: 1000,
    scalingN: 10_000,
    scalingConcurrencies: []
  },
  overhead: [],
  scaling: [],
  latency,
  http: { skipped: "--no-http" },
  rateLimit: { skipped: "not requested" },
  targets: Report.targets([], { skipped: "--no-http" }, { skipped: "not requested" }, latency)
})

describe("Latency", () => {
  it.effect("the ideal is ceil(N / concurrency) waits back to back", () =>
    Effect.sync(() => {
      expect(Latency.idealMs(20_000, 100, 1)).toBe(200)
      expect(Latency.idealMs(20_000, 100, 2)).toBe(400)
      expect(Latency.idealMs(150, 100, 1)).toBe(2)
      expect(Latency.idealMs(10, 100, 1)).toBe(1)
      expect(Latency.idealMs(0, 100, 1)).toBe(0)
    }))

  it.effect("verify accepts every task completed with its result at its index", () =>
    Effect.sync(() => {
      expect(() => Latency.verify("taskgroup", 3, { completed: 3, results: [0, 1, 2] })).not.toThrow()
    }))

  it.effect("verify fails on a wrong count, a missing result or a result out of place", () =>
    Effect.sync(() => {
      expect(() => Latency.verify("taskgroup", 3, { completed: 2, results: [0, 1, 2] })).toThrow(
        "taskgroup: 2 of 3 tasks completed"
      )
      expect(() => Latency.verify("p-limit", 3, { completed: 3, results: [0, 1] })).toThrow(
        "p-limit: 2 of 3 results collected"
      )
      expect(() => Latency.verify("effect-foreach", 3, { completed: 3, results: [0, 2, 1] })).toThrow(
        "effect-foreach: result 1 is 2"
      )
    }))

  for (const approach of Latency.all) {
    it.live(`${approach.name} completes 50 timer tasks and keeps each result at its index`, () =>
      Effect.gen(function*() {
        const outcome = yield* Effect.promise(() => approach.run(50, 10, 1))
        expect(outcome.completed).toBe(50)
        expect(outcome.results).toEqual(Array.from({ length: 50 }, (_, i) => i))
      }))
  }

  it.live("measure rejects an unknown approach", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Effect.tryPromise(() => Latency.measure("nope", 10, 1, 1, 0)))
      expect(String(error.cause)).toContain("unknown latency approach nope")
    }))

  it.effect("summarize takes medians and ratios to the ideal, Effect.forEach and the setTimeout pool", () =>
    Effect.sync(() => {
      const latency = measured([262, 252, 256])
      expect(latency.idealMs).toBe(200)
      const [taskGroup, forEach, , floor] = latency.approaches
      expect(taskGroup.wallMs).toBe(256)
      expect(taskGroup.vsIdeal).toBeCloseTo(1.28)
      expect(taskGroup.vsForEach).toBeCloseTo(1.024)
      expect(taskGroup.vsFloor).toBeCloseTo(256 / 220)
      expect(forEach.vsForEach).toBe(1)
      expect(floor.vsIdeal).toBeCloseTo(1.1)
    }))

  it.effect("summarize gives NaN, never a flattering ratio, when a figure or its reference is missing", () =>
    Effect.sync(() => {
      const latency = Latency.summarize(config, [
        { approach: "taskgroup", rounds: [round("taskgroup", 250)], failed: [] },
        { approach: "effect-foreach", rounds: [], failed: ["effect-foreach: 19999 of 20000 tasks completed"] }
      ])
      const [taskGroup, forEach] = latency.approaches
      expect(taskGroup.vsIdeal).toBeCloseTo(1.25)
      expect(taskGroup.vsForEach).toBeNaN()
      expect(taskGroup.vsFloor).toBeNaN()
      expect(forEach.wallMs).toBeNaN()
      expect(forEach.vsIdeal).toBeNaN()
    }))
})

describe("Report of the latency-bound case", () => {
  it.effect("the table shows wall time and the three ratios, and the ideal and the floor", () =>
    Effect.sync(() => {
      const table = Report.latencyTable(measured([262, 252, 256]))
      expect(table).toContain("| TaskGroup (createTask loop) | 256.0 | 1.28x | 1.02x | 1.16x | 3 |")
      expect(table).toContain("| Effect.forEach | 250.0 | 1.25x | 1.00x | 1.14x | 3 |")
      expect(table).toContain("| bare setTimeout pool (floor) | 220.0 | 1.10x | 0.88x | 1.00x | 3 |")
      expect(table).toContain("Ideal: 200.0 ms")
      expect(table).toContain("Practical floor (bare setTimeout pool): 220.0 ms, 1.10x the ideal")
      expect(table).toContain("| bare Effect.sleep pool (Effect's floor) | 236.0 | 1.18x | 0.94x | 1.07x | 3 |")
      expect(table).toContain("Effect's floor (bare Effect.sleep pool): 236.0 ms, 1.18x the ideal")
    }))

  it.effect("a failed approach reads as failed", () =>
    Effect.sync(() => {
      const table = Report.latencyTable(Latency.summarize(config, [
        { approach: "taskgroup", rounds: [], failed: ["taskgroup: 1 of 20000 tasks completed"] }
      ]))
      expect(table).toContain("| TaskGroup (createTask loop) | failed | — | — | — | 0 (+1 failed) |")
      expect(table).toContain("Practical floor (bare setTimeout pool): not measured")
      expect(table).toContain("Effect's floor (bare Effect.sleep pool): not measured")
    }))

  it.effect("the target is met at or under 1.05x the ideal, missed above it, and not measured when skipped", () =>
    Effect.sync(() => {
      const verdict = (latency: Results.BenchResults["latency"]) => {
        const target = Report.targets([], { skipped: "--no-http" }, { skipped: "not requested" }, latency).find((
          target
        ) => target.name === "latency-bound createTask loop within 5% of ideal")
        return [target?.met, target?.threshold]
      }
      expect(verdict(measured([210]))).toEqual([true, "<= 1.05x"])
      expect(verdict(measured([211]))).toEqual([false, "<= 1.05x"])
      expect(verdict({ skipped: "--no-latency" })).toEqual(["not measured", "<= 1.05x"])
    }))

  it.effect("the text and the Markdown carry the section, or say why it was skipped", () =>
    Effect.sync(() => {
      const results = benchResults(measured([256]))
      const title = "Latency-bound: 20,000 × 1 ms timers at concurrency 100"
      expect(Report.text(results)).toContain(`### ${title}`)
      const markdown = Report.markdown(results)
      expect(markdown).toContain(`## ${title}`)
      expect(markdown).toContain("| TaskGroup (createTask loop) | 256.0 | 1.28x |")
      expect(markdown).toContain("ceil(20,000 / 100) × 1 ms = 200 ms here")
      expect(markdown).toContain("each awaiting bare `setTimeout`s: 220.0 ms, 1.10x the ideal.")
      expect(markdown).toContain("| latency-bound createTask loop within 5% of ideal | <= 1.05x | 1.28 | **no** |")
      const skipped = benchResults({ skipped: "--no-latency" })
      expect(Report.text(skipped)).toContain("skipped: --no-latency")
      expect(Report.markdown(skipped)).toContain("Not measured in this run: --no-latency.")
    }))
})
