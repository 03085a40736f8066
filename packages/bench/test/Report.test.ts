import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import type { ApproachName } from "../src/Approaches.js"
import * as Report from "../src/Report.js"
import type * as Results from "../src/Results.js"

const summary = (
  approach: ApproachName,
  n: number,
  figures: { perTaskVsForEach: number; rssVsForEach: number; maxRssBytes: number }
): Results.CaseSummary => ({
  approach,
  n,
  concurrency: 100,
  rounds: [],
  failed: [],
  perTaskUs: 1,
  ...figures
})

describe("Report", () => {
  it.effect("targets compare each figure with its threshold, and say when one was not measured", () =>
    Effect.sync(() => {
      const overhead = [
        summary("taskgroup", 100_000, { perTaskVsForEach: 0.9, rssVsForEach: 1.5, maxRssBytes: 1 }),
        summary("taskgroup", 1_000_000, { perTaskVsForEach: 1.3, rssVsForEach: 0.8, maxRssBytes: 1 }),
        summary("taskgroup-foreach", 1_000_000, { perTaskVsForEach: 0.7, rssVsForEach: 0.5, maxRssBytes: 1 }),
        summary("taskgroup-nocollect", 10_000, { perTaskVsForEach: 1, rssVsForEach: 1, maxRssBytes: 100 }),
        summary("taskgroup-nocollect", 1_000_000, { perTaskVsForEach: 1, rssVsForEach: 1, maxRssBytes: 125 }),
        summary("effect4-taskgroup", 100_000, { perTaskVsForEach: 0.9, rssVsForEach: 1.5, maxRssBytes: 1 }),
        summary("effect4-taskgroup", 1_000_000, { perTaskVsForEach: 1.1, rssVsForEach: 0.9, maxRssBytes: 1 }),
        summary("effect4-taskgroup-foreach", 1_000_000, { perTaskVsForEach: 0.6, rssVsForEach: 0.5, maxRssBytes: 1 })
      ]
      const verdicts = Report.targets(
        overhead,
        { skipped: "--no-http" },
        { skipped: "not requested" },
        { skipped: "--no-latency" }
      )
      expect(verdicts.map((target) => target.met)).toEqual([
        // createTask loop and forEach at 100k (forEach not measured), then at 1M
        true,
        "not measured",
        false,
        true,
        // the same for the Effect 4 edition, against Effect 4's forEach, and its RSS at 1M
        true,
        "not measured",
        false,
        true,
        true,
        // RSS at 1M, RSS flat without collection
        true,
        false,
        "not measured",
        "not measured",
        "not measured",
        // the latency-bound createTask loop
        "not measured"
      ])
      expect(verdicts[10].value).toBe(1.25)
    }))
})
