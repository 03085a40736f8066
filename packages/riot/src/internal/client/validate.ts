import type * as SchemaAST from "effect/SchemaAST"

/** A check that a JSON value has a schema's shape. */
export type Validator = (input: unknown) => boolean

const hasOwn = (input: object, key: PropertyKey): boolean => Object.prototype.hasOwnProperty.call(input, key)

const isRecord = (input: unknown): input is Record<PropertyKey, unknown> =>
  typeof input === "object" && input !== null && !Array.isArray(input)

const always: Validator = () => true

/**
 * Compiles the AST of a schema without transformations into a plain predicate
 * that accepts exactly what `Schema.decodeUnknown` accepts, without building
 * the decoded value.
 *
 * Why hand-rolled: effect/Schema's parser (also behind `Schema.is`) allocates
 * an `Either` per field and a fresh output object per struct; a match-v5
 * match has thousands of fields, so decoding it cost more CPU than receiving
 * and parsing it. This predicate allocates nothing.
 *
 * Only the node kinds Riot's schemas use are compiled; anything else
 * (transformations, refinements, declarations, suspensions, template
 * literals...) makes it return `undefined`, and the caller decodes instead.
 *
 * @internal
 */
export const compile = (ast: SchemaAST.AST): Validator | undefined => {
  switch (ast._tag) {
    case "StringKeyword":
      return (input) => typeof input === "string"
    case "NumberKeyword":
      return (input) => typeof input === "number"
    case "BooleanKeyword":
      return (input) => typeof input === "boolean"
    case "UndefinedKeyword":
      return (input) => input === undefined
    case "UnknownKeyword":
    case "AnyKeyword":
      return always
    case "Literal": {
      const literal = ast.literal
      return (input) => input === literal
    }
    case "Union": {
      const members = compileAll(ast.types)
      return members && ((input) => members.some((member) => member(input)))
    }
    case "TupleType": {
      // Only arrays (`Schema.Array`): no fixed elements, one rest element.
      if (ast.elements.length !== 0 || ast.rest.length !== 1) return undefined
      const element = compile(ast.rest[0].type)
      return element && ((input) => {
        if (!Array.isArray(input)) return false
        for (let i = 0; i < input.length; i++) {
          if (!element(input[i])) return false
        }
        return true
      })
    }
    case "TypeLiteral":
      return compileTypeLiteral(ast)
    default:
      return undefined
  }
}

const compileAll = (asts: ReadonlyArray<SchemaAST.AST>): ReadonlyArray<Validator> | undefined => {
  const validators: Array<Validator> = []
  for (const ast of asts) {
    const validator = compile(ast)
    if (validator === undefined) return undefined
    validators.push(validator)
  }
  return validators
}

/**
 * How a struct checks one field: primitive kinds inline, anything else
 * through its validator. Calling one validator per field from one call site
 * is megamorphic, and most of a match's thousands of fields are primitives.
 */
const enum FieldKind {
  String,
  Number,
  Boolean,
  Other
}

const fieldKindOf = (ast: SchemaAST.AST): FieldKind => {
  if (ast._tag === "Union") {
    // An optional field's type is `X | undefined`; `undefined` never gets this far.
    const defined = ast.types.filter((member) => member._tag !== "UndefinedKeyword")
    return defined.length === 1 ? fieldKindOf(defined[0]) : FieldKind.Other
  }
  switch (ast._tag) {
    case "StringKeyword":
      return FieldKind.String
    case "NumberKeyword":
      return FieldKind.Number
    case "BooleanKeyword":
      return FieldKind.Boolean
    default:
      return FieldKind.Other
  }
}

/**
 * What a struct does with a field that reads as `undefined`, decided once per
 * field, so that only an exact optional field asks whether the key is there.
 */
const enum WhenUndefined {
  /** Missing or present as `undefined`, the field is fine. */
  Accept,
  /** Neither is fine. */
  Reject,
  /** An exact optional field: it may be missing, but not present as `undefined`. */
  AcceptIfMissing
}

const compileTypeLiteral = (ast: SchemaAST.TypeLiteral): Validator | undefined => {
  const names: Array<PropertyKey> = []
  const kinds: Array<FieldKind> = []
  const whenUndefined: Array<WhenUndefined> = []
  const validators: Array<Validator> = []
  for (const property of ast.propertySignatures) {
    const validator = compile(property.type)
    if (validator === undefined) return undefined
    // A missing required key is decoded as `undefined`, as effect/Schema does.
    const undefinedIsFine = validator(undefined)
    names.push(property.name)
    kinds.push(fieldKindOf(property.type))
    whenUndefined.push(
      undefinedIsFine
        ? WhenUndefined.Accept
        : property.isOptional
        ? WhenUndefined.AcceptIfMissing
        : WhenUndefined.Reject
    )
    validators.push(validator)
  }
  const indexValues: Array<Validator> = []
  for (const index of ast.indexSignatures) {
    // String keys only: a JSON object has no other kind.
    if (index.parameter._tag !== "StringKeyword") return undefined
    const validator = compile(index.type)
    if (validator === undefined) return undefined
    indexValues.push(validator)
  }
  return (input) => {
    if (!isRecord(input)) return false
    for (let i = 0; i < names.length; i++) {
      const value = input[names[i]]
      if (value === undefined) {
        const decision = whenUndefined[i]
        if (decision === WhenUndefined.Reject) return false
        if (decision === WhenUndefined.AcceptIfMissing && hasOwn(input, names[i])) return false
        continue
      }
      switch (kinds[i]) {
        case FieldKind.String:
          if (typeof value !== "string") return false
          break
        case FieldKind.Number:
          if (typeof value !== "number") return false
          break
        case FieldKind.Boolean:
          if (typeof value !== "boolean") return false
          break
        default:
          if (!validators[i](value)) return false
      }
    }
    if (indexValues.length > 0) {
      for (const key of Object.keys(input)) {
        for (const validator of indexValues) {
          if (!validator(input[key])) return false
        }
      }
    }
    return true
  }
}
