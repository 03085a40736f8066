import * as Schema from "effect/Schema"

// The generated schemas build on these, not on Schema.Number and
// Schema.Unknown directly: the same checks, but values generated from them
// (effect/Arbitrary, for the mock server's bodies and the property tests)
// are what JSON can carry, so a generated body survives being sent. NaN and
// the infinities would arrive as `null`.

/**
 * A number that the description says is an integer. Any number passes: Riot
 * sends floats in some of them.
 *
 * @internal
 */
export const Integer = Schema.Number.annotations({
  arbitrary: () => (fc) => fc.integer({ min: -1, max: 2_000_000_000 })
})

/** @internal */
export const Float = Schema.Number.annotations({
  arbitrary: () => (fc) => fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true })
})

/**
 * A value the description does not describe.
 *
 * @internal
 */
export const Unknown = Schema.Unknown.annotations({
  arbitrary: () => (fc) => fc.jsonValue({ maxDepth: 2 })
})
