import { describe, expect, it } from "@effect/vitest"
import { Effect, FastCheck } from "effect"
import * as Stats from "../src/Stats.js"

describe("Stats", () => {
  it.effect("median takes the middle value, or the mean of the two middle values", () =>
    Effect.sync(() => {
      expect(Stats.median([3, 1, 2])).toBe(2)
      expect(Stats.median([4, 1, 3, 2])).toBe(2.5)
      expect(Stats.median([7])).toBe(7)
      expect(Stats.median([])).toBeNaN()
    }))

  it.prop("median lies between the smallest and the largest value", [
    FastCheck.array(FastCheck.double({ noNaN: true, min: -1e9, max: 1e9 }), { minLength: 1 })
  ], ([values]) => {
    const median = Stats.median(values)
    expect(median).toBeGreaterThanOrEqual(Math.min(...values))
    expect(median).toBeLessThanOrEqual(Math.max(...values))
  })

  it.effect("percentile uses the nearest rank", () =>
    Effect.sync(() => {
      const values = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]
      expect(Stats.percentile(values, 50)).toBe(5)
      expect(Stats.percentile(values, 90)).toBe(9)
      expect(Stats.percentile(values, 99)).toBe(10)
      expect(Stats.percentile(values, 0)).toBe(1)
      expect(Stats.percentile([], 50)).toBeNaN()
    }))

  it.effect("ratio is NaN when a side is missing or the reference is 0", () =>
    Effect.sync(() => {
      expect(Stats.ratio(3, 2)).toBe(1.5)
      expect(Stats.ratio(3, 0)).toBeNaN()
      expect(Stats.ratio(undefined, 2)).toBeNaN()
      expect(Stats.ratio(2, NaN)).toBeNaN()
    }))

  it.effect("roundOrder alternates the order without losing items", () =>
    Effect.sync(() => {
      expect(Stats.roundOrder([1, 2, 3], 0)).toEqual([1, 2, 3])
      expect(Stats.roundOrder([1, 2, 3], 1)).toEqual([3, 2, 1])
      expect(Stats.roundOrder([1, 2, 3], 2)).toEqual([1, 2, 3])
    }))

  describe("minimumSpanMs", () => {
    const issueLimits = [{ limit: 20, windowSeconds: 1 }, { limit: 100, windowSeconds: 10 }]

    it.effect("200 requests under 20/1s and 100/10s need 14 s from first to last", () =>
      Effect.sync(() => {
        expect(Stats.minimumSpanMs(200, issueLimits)).toBe(14_000)
        expect(Stats.minimumSpanMs(100, issueLimits)).toBe(4_000)
        expect(Stats.minimumSpanMs(101, issueLimits)).toBe(10_000)
        expect(Stats.minimumSpanMs(0, issueLimits)).toBe(0)
      }))

    it.prop(
      "one window sends a full burst per window",
      [
        FastCheck.integer({ min: 1, max: 500 }),
        FastCheck.integer({ min: 1, max: 50 }),
        FastCheck.integer({ min: 1, max: 10 })
      ],
      ([count, limit, windowSeconds]) => {
        expect(Stats.minimumSpanMs(count, [{ limit, windowSeconds }])).toBe(
          Math.floor((count - 1) / limit) * windowSeconds * 1000
        )
      }
    )

    it.prop("more requests never take less time", [FastCheck.integer({ min: 1, max: 400 })], ([count]) => {
      expect(Stats.minimumSpanMs(count + 1, issueLimits)).toBeGreaterThanOrEqual(
        Stats.minimumSpanMs(count, issueLimits)
      )
    })
  })
})
