import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as Approaches from "../src/Approaches.js"
import * as Measure from "../src/Measure.js"

describe("Approaches", () => {
  // the Effect 4 cases run in the Effect 4 edition's own child entry (packages/taskgroup-effect4/bench)
  for (const approach of Approaches.all.filter((a) => a.edition === undefined)) {
    it.live(`${approach.name} completes 1000 tasks${approach.collects ? " and keeps each result at its index" : ""}`, () =>
      Effect.gen(function*() {
        const outcome = yield* Effect.promise(() => approach.run(1000, 10))
        expect(outcome.completed).toBe(1000)
        if (approach.collects) {
          expect(outcome.results).toEqual(Array.from({ length: 1000 }, (_, i) => i))
        } else {
          expect(outcome.results).toBeUndefined()
        }
      }))
  }

  it.live("measure reports the count it verified", () =>
    Effect.gen(function*() {
      const result = yield* Effect.promise(() => Measure.measure("taskgroup", 1000, 10, 0))
      expect(result.completed).toBe(1000)
      expect(result.collected).toBe(1000)
      expect(result.perTaskUs).toBeGreaterThan(0)
      expect(result.maxRssBytes).toBeGreaterThan(0)
    }))

  it.live("measure rejects an unknown approach", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Effect.tryPromise(() => Measure.measure("nope", 10, 1, 0)))
      expect(String(error.cause)).toContain("unknown approach nope")
    }))
})
