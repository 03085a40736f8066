import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, Either, FastCheck as fc, Schema } from "effect"
import { readdirSync, readFileSync } from "node:fs"
import * as Validate from "../src/internal/client/validate.js"
import * as RiotSchema from "../src/RiotSchema.js"

type Json = null | boolean | number | string | Array<Json> | { [key: string]: Json }

const fixturesDir = new URL("../../mock-server/fixtures/match-v5/", import.meta.url)
const matches: ReadonlyArray<Json> = readdirSync(fixturesDir).map((file) =>
  JSON.parse(readFileSync(new URL(file, fixturesDir), "utf8"))
)

const responseSchemas: Record<string, Schema.Schema.AnyNoContext> = {
  AccountV1Account: RiotSchema.AccountV1Account,
  LolSummonerV4Summoner: RiotSchema.LolSummonerV4Summoner,
  LolMatchV5MatchIds: RiotSchema.LolMatchV5MatchIds,
  LolMatchV5Match: RiotSchema.LolMatchV5Match
}

const validatorOf = (schema: Schema.Schema.AnyNoContext): Validate.Validator => {
  const validator = Validate.compile(schema.ast)
  if (validator === undefined) throw new Error("expected the schema to compile")
  return validator
}

const decodes = (schema: Schema.Schema.AnyNoContext, json: unknown): boolean =>
  Either.isRight(Schema.decodeUnknownEither(schema)(json))

const isContainer = (json: Json): json is Array<Json> | { [key: string]: Json } =>
  typeof json === "object" && json !== null

/**
 * `json` with one place changed: following `steps` down through arrays and
 * objects (each step picks a child by index), the value reached is replaced by
 * `value`, or its key removed when `value` is `undefined`.
 */
const mutate = (json: Json, steps: ReadonlyArray<number>, value: Json | undefined): Json => {
  const copy = structuredClone(json)
  let parent: Json = copy
  let key: string | number | undefined
  for (const step of steps) {
    const current: Json = key === undefined ? parent : (parent as Record<string, Json>)[key]
    if (!isContainer(current)) break
    const keys = Object.keys(current)
    if (keys.length === 0) break
    parent = current
    key = Array.isArray(current) ? step % current.length : keys[step % keys.length]
  }
  if (key === undefined) return value ?? null
  const container = parent as Record<string | number, Json>
  if (value === undefined) {
    if (Array.isArray(container)) container.splice(key as number, 1)
    else Reflect.deleteProperty(container, key)
  } else {
    container[key] = value
  }
  return copy
}

const jsonValue: fc.Arbitrary<Json | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.boolean(),
  fc.double({ noNaN: true }),
  fc.string({ maxLength: 4 }),
  fc.constant([]),
  fc.constant({}),
  fc.constant(["x"]),
  fc.constant({ x: 1 })
)

describe("the client's response validator", () => {
  it("compiles every response schema", () => {
    for (const schema of Object.values(responseSchemas)) {
      expect(Validate.compile(schema.ast)).toBeDefined()
    }
  })

  it("accepts every fixture match, as decoding does", () => {
    const isMatch = validatorOf(RiotSchema.LolMatchV5Match)
    for (const match of matches) {
      expect(decodes(RiotSchema.LolMatchV5Match, match)).toBe(true)
      expect(isMatch(match)).toBe(true)
    }
  })

  it.prop(
    "agrees with decoding on a match changed in one place",
    [fc.nat({ max: matches.length - 1 }), fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), jsonValue],
    ([index, steps, value]) => {
      const changed = mutate(matches[index], steps, value)
      expect(validatorOf(RiotSchema.LolMatchV5Match)(changed)).toBe(decodes(RiotSchema.LolMatchV5Match, changed))
    }
  )

  for (const [name, schema] of Object.entries(responseSchemas)) {
    it.prop(`accepts every value of ${name}`, [Arbitrary.make(schema)], ([value]) => {
      expect(validatorOf(schema)(value)).toBe(true)
    }, { fastCheck: { numRuns: 20 } })

    it.prop(
      `agrees with decoding on anything JSON in place of ${name}`,
      [fc.jsonValue({ maxDepth: 3 })],
      ([json]) => {
        expect(validatorOf(schema)(json)).toBe(decodes(schema, json))
      }
    )
  }

  it("treats a missing required key as undefined, and a missing optional key as fine", () => {
    const isAccount = validatorOf(RiotSchema.AccountV1Account)
    expect(isAccount({ puuid: "p" })).toBe(true)
    expect(isAccount({ gameName: "g" })).toBe(false)
    expect(isAccount({ puuid: "p", gameName: 1 })).toBe(false)
    expect(validatorOf(Schema.Struct({ maybe: Schema.Union(Schema.String, Schema.Undefined) }))({})).toBe(true)
  })

  it("tells a missing key from one present as undefined only where decoding does", () => {
    const schemas = [
      Schema.Struct({ field: Schema.String }),
      Schema.Struct({ field: Schema.optional(Schema.Number) }),
      Schema.Struct({ field: Schema.optionalWith(Schema.Boolean, { exact: true }) }),
      Schema.Struct({ field: Schema.Undefined })
    ]
    for (const schema of schemas) {
      for (const input of [{}, { field: undefined }, { field: "x" }, { field: 1 }, { field: true }]) {
        expect(validatorOf(schema)(input), `${String(schema.ast)} on ${JSON.stringify(input)}`)
          .toBe(decodes(schema, input))
      }
    }
    expect(validatorOf(schemas[2])({})).toBe(true)
    expect(validatorOf(schemas[2])({ field: undefined })).toBe(false)
  })

  it("checks every value of a record and every element of an array", () => {
    const isRecord = validatorOf(Schema.Record({ key: Schema.String, value: Schema.Array(Schema.Literal(1, 2)) }))
    expect(isRecord({ a: [1, 2], b: [] })).toBe(true)
    expect(isRecord({ a: [1, 3] })).toBe(false)
    expect(isRecord([])).toBe(false)
  })

  it("declines what it cannot check without decoding: transformations, refinements, tuples", () => {
    expect(Validate.compile(Schema.NumberFromString.ast)).toBeUndefined()
    expect(Validate.compile(Schema.Struct({ n: Schema.Int }).ast)).toBeUndefined()
    expect(Validate.compile(Schema.Tuple(Schema.String, Schema.Number).ast)).toBeUndefined()
    expect(Validate.compile(Schema.Struct({ n: Schema.optionalWith(Schema.Number, { default: () => 0 }) }).ast))
      .toBeUndefined()
  })
})
