/**
 * `@volley/taskgroup-scenarios`: the tests that both editions of the
 * TaskGroup run, written once and private to this repository (never
 * published). It holds what is version-neutral: the `Edition` interface a
 * scenario is written against, the explorer's schedules and run line
 * (`Exploration`) and the invariants it checks (`Invariants`), what the differential test compares and what it allows
 * (`Comparison`), the interleaving explorer's scenarios with
 * their expected outcomes, and the random programs of the property tests
 * (their specs and their interpreter). Each edition's tests adapt it to their
 * Effect: packages/taskgroup/test/explorer/Edition.ts (Effect 3) and
 * packages/taskgroup-effect4/test/explorer/Edition.ts (Effect 4), each on
 * its own explorer, with its own scheduler hook and virtual clock.
 */
export * as Comparison from "./Comparison.js"
export * as Edition from "./Edition.js"
export * as Examples from "./Examples.js"
export * as Exploration from "./Exploration.js"
export * as Invariants from "./Invariants.js"
export * as Programs from "./Programs.js"
export * as ProgramSpec from "./ProgramSpec.js"
export * as Scenarios from "./Scenarios.js"
