import * as Schema from "effect/Schema"

/** @internal */
export type ExactOptionalFields<S extends Schema.Schema.All, Keys extends ReadonlyArray<string>> = {
  readonly [K in Keys[number]]: Schema.optionalWith<S, { exact: true }>
}

/**
 * Builds one exact optional field per key, all of the same schema.
 *
 * Riot's DTOs carry dozens of same-typed optional stats; listing them as keys
 * keeps the public module readable. `exact` because JSON never carries
 * `undefined`, and it spares every field an `undefined` union branch on decode.
 *
 * @internal
 */
export const exactOptionalFields = <S extends Schema.Schema.All, const Keys extends ReadonlyArray<string>>(
  schema: S,
  keys: Keys
): ExactOptionalFields<S, Keys> => {
  const fields: Record<string, Schema.optionalWith<S, { exact: true }>> = {}
  for (const key of keys) {
    fields[key] = Schema.optionalWith(schema, { exact: true })
  }
  return fields as ExactOptionalFields<S, Keys>
}
