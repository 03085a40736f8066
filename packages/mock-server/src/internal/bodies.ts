import * as Arbitrary from "effect/Arbitrary"
import * as Either from "effect/Either"
import * as FastCheck from "effect/FastCheck"
import * as Hash from "effect/Hash"
import * as Schema from "effect/Schema"

/**
 * A response schema, as the operation table holds it: what the client
 * decodes a body with.
 *
 * @internal
 */
export type ResponseSchema = Schema.Schema<any, any>

/**
 * How many candidates one body gets before generation gives up. A candidate
 * is dropped when its JSON does not decode (a refinement that the JSON
 * clean-up below broke), which is rare: the first one almost always does.
 */
const candidates = 10

// JSON has no NaN, Infinity or -0, and effect/Arbitrary's numbers include
// them; Riot's bodies never carry them either.
const jsonSafe = (_key: string, value: unknown): unknown =>
  typeof value === "number" && !Number.isFinite(value) ? 0 : value

/** What {@link make} needs to know about one operation. */
interface Generated {
  readonly arbitrary: FastCheck.Arbitrary<unknown>
  readonly encode: (value: unknown) => Either.Either<unknown, unknown>
  readonly decode: (json: unknown) => Either.Either<unknown, unknown>
}

/**
 * Response bodies made up from a schema with effect/Arbitrary, for the
 * operations the mock has no dataset or recording for.
 *
 * A body is a pure function of (seed, key): the same request to two mocks of
 * one seed gets the same body, and nothing is kept per request, so a soak that
 * asks for ever new paths runs in flat memory. Every body served is JSON that
 * decodes with its schema: the value is encoded to its wire form, and
 * `overrides` (top-level fields named like a path parameter, such as `puuid`
 * or `matchId`) are applied only when the result still decodes.
 *
 * @internal
 */
export const make = (seed: number) => {
  // Building an arbitrary walks the whole schema: once per schema, on first use.
  const generated = new Map<ResponseSchema, Generated>()
  const generatorOf = (schema: ResponseSchema): Generated => {
    let found = generated.get(schema)
    if (found === undefined) {
      found = {
        arbitrary: Arbitrary.make(schema) as FastCheck.Arbitrary<unknown>,
        encode: Schema.encodeUnknownEither(schema),
        decode: Schema.decodeUnknownEither(schema)
      }
      generated.set(schema, found)
    }
    return found
  }

  return (
    schema: ResponseSchema,
    key: string,
    overrides: Readonly<Record<string, unknown>> = {}
  ): string | undefined => {
    const { arbitrary, decode, encode } = generatorOf(schema)
    for (let attempt = 0; attempt < candidates; attempt++) {
      const [value] = FastCheck.sample(arbitrary, {
        seed: Hash.string(`volley mock body ${seed} ${key} ${attempt}`),
        numRuns: 1
      })
      const encoded = encode(value)
      if (Either.isLeft(encoded)) continue
      const json: unknown = JSON.parse(JSON.stringify(encoded.right, jsonSafe))
      if (Either.isLeft(decode(json))) continue
      const patched = withOverrides(json, overrides)
      return JSON.stringify(patched !== json && Either.isRight(decode(patched)) ? patched : json)
    }
    return undefined
  }
}

const withOverrides = (json: unknown, overrides: Readonly<Record<string, unknown>>): unknown => {
  if (typeof json !== "object" || json === null || Array.isArray(json)) return json
  const matching = Object.keys(overrides).filter((name) => name in json)
  if (matching.length === 0) return json
  return { ...json, ...Object.fromEntries(matching.map((name) => [name, overrides[name]])) }
}
