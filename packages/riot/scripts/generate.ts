/**
 * Generates the client's schemas (src/RiotSchema.ts) and operation table
 * (src/RiotOperations.ts) from the Riot API description in ../spec and the
 * hand-written ./overrides.ts.
 *
 * Run it with `npx -y pnpm@10.34.8 --filter @volley/riot generate`;
 * test/Generated.test.ts fails when the committed files differ from what it
 * would write.
 *
 * Only facts are carried over (paths, parameters, field names and types,
 * routes); no prose of the description reaches the generated files.
 */
import { createFromBuffer } from "@dprint/formatter"
import { getPath } from "@dprint/typescript"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { type Overrides, overrides as defaultOverrides } from "./overrides.js"

// ---------------------------------------------------------------------------
// the description, as far as the generator reads it
// ---------------------------------------------------------------------------

interface JsonSchema {
  readonly $ref?: string
  readonly type?: string
  readonly format?: string
  readonly items?: JsonSchema
  readonly properties?: Readonly<Record<string, JsonSchema>>
  readonly additionalProperties?: JsonSchema
  readonly required?: ReadonlyArray<string>
  readonly enum?: ReadonlyArray<string | number>
  readonly "x-alias"?: string
  readonly "x-key"?: JsonSchema
}

interface Parameter {
  readonly name: string
  readonly in: string
  readonly required?: boolean
  readonly schema: JsonSchema
}

interface OperationObject {
  readonly operationId: string
  readonly parameters?: ReadonlyArray<Parameter>
  readonly security?: ReadonlyArray<Readonly<Record<string, unknown>>>
  readonly responses: Readonly<Record<string, { readonly content?: Record<string, { readonly schema: JsonSchema }> }>>
  readonly "x-nullable-404"?: boolean
  readonly "x-platforms-available": ReadonlyArray<string>
  readonly "x-route-enum": string
  readonly "x-endpoint": string
}

/** @internal */
export interface Description {
  readonly info: { readonly version: string }
  readonly paths: Readonly<Record<string, Readonly<Record<string, unknown>>>>
  readonly components: { readonly schemas: Readonly<Record<string, JsonSchema>> }
}

/** A GET operation of the description, with its path. */
interface GetOperation {
  readonly path: string
  readonly operation: OperationObject
}

/** @internal */
export const getOperations = (description: Description): ReadonlyArray<GetOperation> =>
  Object.entries(description.paths).flatMap(([path, item]) =>
    item.get === undefined ? [] : [{ path, operation: item.get as OperationObject }]
  )

// ---------------------------------------------------------------------------
// names
// ---------------------------------------------------------------------------

const games = new Set(["lol", "tft", "val", "lor", "riftbound"])

const pascal = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1)

/** `PUUID` → `Puuid`, `LeagueEntryDTO` → `LeagueEntryDto`: acronyms read as words in camel case. */
const camelAcronyms = (name: string): string =>
  name.replace(/[A-Z]{2,}(?=[A-Z][a-z]|[^A-Za-z]|$)/g, (run) => run.charAt(0) + run.slice(1).toLowerCase())

const familyPrefix = (family: string, overrides: Overrides): string => {
  const override = overrides.familyPrefixes[family]
  if (override !== undefined) return override
  const words = family.split("-")
  const withGame = games.has(words[0]) || overrides.riotWideFamilies.includes(family) ? words : ["lol", ...words]
  return withGame.map(pascal).join("")
}

const familyOf = (operationId: string): string => operationId.slice(0, operationId.indexOf("."))

const methodName = (operationId: string, overrides: Overrides): string => {
  const override = overrides.methodNames[operationId]
  if (override !== undefined) return override
  const family = familyOf(operationId)
  const name = operationId.slice(family.length + 1).replace(/^get/, "")
  return `get${familyPrefix(family, overrides)}${camelAcronyms(pascal(name))}`
}

const componentFamily = (component: string): string => component.slice(0, component.indexOf("."))

const schemaName = (component: string, overrides: Overrides): string => {
  const override = overrides.schemaNames[component]
  if (override !== undefined) return override
  const family = componentFamily(component)
  const dto = component.slice(family.length + 1).replace(/(Dto|DTO)$/, "")
  return familyPrefix(family, overrides) + camelAcronyms(dto)
}

const refName = (ref: string): string => ref.replace("#/components/schemas/", "")

const identifier = /^[A-Za-z_$][\w$]*$/

const propertyKey = (name: string): string => identifier.test(name) ? name : JSON.stringify(name)

// ---------------------------------------------------------------------------
// schemas
// ---------------------------------------------------------------------------

interface SchemaContext {
  readonly description: Description
  readonly overrides: Overrides
  /** Overrides the generator used, to report the ones that name nothing. */
  readonly used: Set<string>
  /** The schema a component is declared as: its own, or an identical one declared before. */
  readonly canonical: Map<string, string>
}

const refTo = (component: string, context: SchemaContext): string =>
  context.canonical.get(component) ?? schemaName(component, context.overrides)

const schemaExpression = (schema: JsonSchema, context: SchemaContext): string => {
  if (schema.$ref !== undefined) return refTo(refName(schema.$ref), context)
  switch (schema.type) {
    case "string":
      // Enums stay open: Riot adds values (queues, modes, tiers, regions) without a new version of the API.
      return "Schema.String"
    case "integer":
      // Any number passes (Riot sends floats in some "int" stats); the name only keeps generated values integral.
      return "Json.Integer"
    case "number":
      return "Json.Float"
    case "boolean":
      return "Schema.Boolean"
    case "array":
      return `Schema.Array(${schemaExpression(schema.items!, context)})`
    case "object":
      if (schema.additionalProperties !== undefined) {
        // JSON keys are strings, also where the description says the keys are integers.
        return `Schema.Record({ key: Schema.String, value: ${schemaExpression(schema.additionalProperties, context)} })`
      }
      if (schema.properties !== undefined) return structExpression("(inline)", schema, context)
      return "Json.Unknown"
    default:
      throw new Error(`unsupported schema ${JSON.stringify(schema)}`)
  }
}

const structExpression = (component: string, schema: JsonSchema, context: SchemaContext): string => {
  const requiredOverride = context.overrides.required[component]
  if (requiredOverride !== undefined) {
    context.used.add(`required:${component}`)
    for (const name of requiredOverride) {
      if (schema.properties?.[name] === undefined) throw new Error(`override required: ${component} has no ${name}`)
    }
  }
  const required = new Set(requiredOverride ?? schema.required ?? [])
  const fields: Array<string> = []
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const fieldKey = `${component}.${name}`
    const recordOf = context.overrides.recordFields[fieldKey]
    if (recordOf !== undefined) context.used.add(`recordFields:${fieldKey}`)
    let type = recordOf !== undefined
      ? `Schema.Record({ key: Schema.String, value: ${refTo(recordOf, context)} })`
      : schemaExpression(property, context)
    const lenient = context.overrides.lenientFamilies.includes(componentFamily(component))
    const nullableFamily = lenient || context.overrides.nullableFamilies.includes(componentFamily(component))
    if (context.overrides.nullable.includes(fieldKey)) context.used.add(`nullable:${fieldKey}`)
    if (nullableFamily || context.overrides.nullable.includes(fieldKey)) type = `Schema.NullOr(${type})`
    const alias = property["x-alias"]
    // A field with another casing may arrive under either name, so neither can be required.
    if (required.has(name) && alias === undefined && !lenient) {
      fields.push(`${propertyKey(name)}: ${type}`)
    } else {
      fields.push(`${propertyKey(name)}: Schema.optionalWith(${type}, { exact: true })`)
    }
    if (alias !== undefined) fields.push(`${propertyKey(alias)}: Schema.optionalWith(${type}, { exact: true })`)
  }
  const extra = context.overrides.extraFields[component]
  if (extra !== undefined) {
    context.used.add(`extraFields:${component}`)
    for (const [name, type] of Object.entries(extra)) {
      if (schema.properties?.[name] !== undefined) throw new Error(`override extraFields: ${component} has ${name}`)
      fields.push(`${propertyKey(name)}: Schema.optionalWith(${schemaExpression({ type }, context)}, { exact: true })`)
    }
  }
  return `Schema.Struct({\n${fields.join(",\n")}\n})`
}

/** The components the GET responses use, dependencies first. */
const componentsInOrder = (description: Description, overrides: Overrides): ReadonlyArray<string> => {
  const order: Array<string> = []
  const visiting = new Set<string>()
  const visit = (component: string) => {
    if (order.includes(component)) return
    if (visiting.has(component)) throw new Error(`recursive schema ${component}`)
    visiting.add(component)
    const schema = description.components.schemas[component]
    if (schema === undefined) throw new Error(`unknown component ${component}`)
    const recordOf = overrides.records[component]
    if (recordOf !== undefined) visit(recordOf)
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      const recordField = overrides.recordFields[`${component}.${name}`]
      if (recordField !== undefined) visit(recordField)
      else visitSchema(property)
    }
    visiting.delete(component)
    order.push(component)
  }
  const visitSchema = (schema: JsonSchema): void => {
    if (schema.$ref !== undefined) return visit(refName(schema.$ref))
    if (schema.items !== undefined) visitSchema(schema.items)
    if (schema.additionalProperties !== undefined) visitSchema(schema.additionalProperties)
    for (const property of Object.values(schema.properties ?? {})) visitSchema(property)
  }
  for (const { operation } of getOperations(description)) visitSchema(responseSchemaOf(operation))
  return order
}

const responseSchemaOf = (operation: OperationObject): JsonSchema => {
  const schema = operation.responses["200"]?.content?.["application/json"]?.schema
  if (schema === undefined) throw new Error(`${operation.operationId} has no JSON response`)
  return schema
}

/** How an operation's response is named: a component, a list of one, or a schema of its own. */
type Response =
  | { readonly _tag: "Component"; readonly name: string }
  | { readonly _tag: "ListOf"; readonly name: string }
  | { readonly _tag: "Inline"; readonly name: string; readonly expression: string }

const responseOf = (operation: OperationObject, context: SchemaContext): Response => {
  const schema = responseSchemaOf(operation)
  if (schema.$ref !== undefined) return { _tag: "Component", name: schemaName(refName(schema.$ref), context.overrides) }
  if (schema.type === "array" && schema.items?.$ref !== undefined) {
    return { _tag: "ListOf", name: schemaName(refName(schema.items.$ref), context.overrides) }
  }
  const override = context.overrides.responseNames[operation.operationId]
  if (override !== undefined) context.used.add(`responseNames:${operation.operationId}`)
  // getLolMatchV5MatchIdsByPuuid → LolMatchV5MatchIds: the method's name without `get` and what it goes by.
  const name = override ?? methodName(operation.operationId, context.overrides).replace(/^get/, "").replace(
    /By[A-Z][a-z]+$/,
    ""
  )
  return { _tag: "Inline", name, expression: schemaExpression(schema, context) }
}

// ---------------------------------------------------------------------------
// files
// ---------------------------------------------------------------------------

const generatedNotice = (description: Description) =>
  `// Generated by packages/riot/scripts/generate.ts from the Riot API description
// (packages/riot/spec, version ${description.info.version.slice(0, 12)}) and
// packages/riot/scripts/overrides.ts. Do not edit: change those and run
// \`npx -y pnpm@10.34.8 --filter @volley/riot generate\`.`

/** The names RiotSchema exported before it was generated. */
const legacySchemas: ReadonlySet<string> = new Set([
  "AccountV1Account",
  "LolSummonerV4Summoner",
  "LolMatchV5MatchIds",
  "LolMatchV5Match",
  "LolMatchV5MatchMetadata",
  "LolMatchV5MatchInfo",
  "LolMatchV5MatchParticipant",
  "LolMatchV5MatchChallenges",
  "LolMatchV5MatchMissions",
  "LolMatchV5MatchPerks",
  "LolMatchV5MatchPerkStats",
  "LolMatchV5MatchPerkStyle",
  "LolMatchV5MatchPerkStyleSelection",
  "LolMatchV5MatchTeam",
  "LolMatchV5MatchBan",
  "LolMatchV5MatchObjectives",
  "LolMatchV5MatchObjective",
  "LolMatchV5MatchFeat"
])

const schemaDeclaration = (
  name: string,
  expression: string,
  what: string,
  category: string,
  sinceVersion: string
): string =>
  `/**
 * ${what}
 *
 * @since ${sinceVersion}
 * @category ${category}
 */
export const ${name} = ${expression}.annotations({ identifier: "${name}" })

/**
 * @since ${sinceVersion}
 * @category ${category}
 */
export type ${name} = typeof ${name}.Type
`

const aliasDeclaration = (
  name: string,
  target: string,
  component: string,
  targetComponent: string,
  category: string
): string =>
  `/**
 * The description's \`${component}\`, the same as its \`${targetComponent}\`: {@link ${target}}.
 *
 * @since 0.2.0
 * @category ${category}
 */
export const ${name} = ${target}

/**
 * @since 0.2.0
 * @category ${category}
 */
export type ${name} = ${target}
`

const schemaModule = (description: Description, context: SchemaContext): string => {
  const { overrides } = context
  const names = new Map<string, string>()
  const claim = (name: string, owner: string) => {
    const other = names.get(name)
    if (other !== undefined) throw new Error(`${owner} and ${other} are both named ${name}`)
    names.set(name, owner)
  }
  const declarations: Array<string> = []
  const declared = new Map<string, { readonly name: string; readonly component: string }>()
  for (const component of componentsInOrder(description, overrides)) {
    const name = schemaName(component, overrides)
    if (overrides.schemaNames[component] !== undefined) context.used.add(`schemaNames:${component}`)
    claim(name, component)
    const schema = description.components.schemas[component]
    const recordOf = overrides.records[component]
    if (recordOf !== undefined) context.used.add(`records:${component}`)
    const expression = recordOf !== undefined
      ? `Schema.Record({ key: Schema.String, value: ${refTo(recordOf, context)} })`
      : structExpression(component, schema, context)
    // Structurally identical schemas (the four status APIs' DTOs, most of VALORANT's console and PC
    // match DTOs) are declared once: less to load, and one type for one shape.
    const same = declared.get(expression)
    if (same !== undefined && !legacySchemas.has(name)) {
      context.canonical.set(component, same.name)
      declarations.push(aliasDeclaration(name, same.name, component, same.component, componentFamily(component)))
      continue
    }
    declared.set(expression, { name, component })
    context.canonical.set(component, name)
    declarations.push(
      schemaDeclaration(
        name,
        expression,
        `The description's \`${component}\`.`,
        componentFamily(component),
        legacySchemas.has(name) ? "0.1.0" : "0.2.0"
      )
    )
  }
  for (const { operation } of getOperations(description)) {
    const response = responseOf(operation, context)
    if (response._tag !== "Inline") continue
    claim(response.name, operation.operationId)
    declarations.push(
      schemaDeclaration(
        response.name,
        response.expression,
        `What \`${operation.operationId}\` answers.`,
        familyOf(operation.operationId),
        legacySchemas.has(response.name) ? "0.1.0" : "0.2.0"
      )
    )
  }
  for (const name of legacySchemas) {
    if (!names.has(name)) throw new Error(`RiotSchema would no longer export ${name}`)
  }
  return `/**
 * Runtime-checked schemas of the Riot API's responses, one per schema of the
 * API description (and one per response that is a bare list, number or map),
 * named after their family: \`match-v5.MatchDto\` is \`LolMatchV5Match\`.
 *
 * They accept every real response, not only today's:
 * - A field is optional when the description does not require it, and where
 *   real responses lack fields the description requires (old matches) the
 *   generator's overrides make those optional too.
 * - Unknown fields pass (effect/Schema ignores excess properties), so a field
 *   Riot adds breaks nothing.
 * - Enumerations (queues, modes, tiers, ...) are plain strings and numbers:
 *   Riot adds values without a new version of the API.
 * - Numbers are any number (\`Schema.Number\`), also where the description
 *   says integer: some "integer" stats are floats.
 * - Maps are string-keyed records: JSON keys are strings, also for integer
 *   keys such as participant ids.
 * - A field that Riot sends in two casings (\`playerScore0\`, \`PlayerScore0\`)
 *   is accepted under either.
 *
 * Schemas are plain structs without transformations; build a decoder once
 * (\`Schema.decodeUnknown(LolMatchV5Match)\`) and reuse it.
 *
 * @since 0.1.0
 */
${generatedNotice(description)}
import * as Schema from "effect/Schema"
import * as internalErrors from "./internal/schema/errors.js"
import * as Json from "./internal/schema/json.js"

${declarations.join("\n")}
/**
 * The body Riot sends with an error status, e.g.
 * \`{ "status": { "message": "Data not found", "status_code": 404 } }\`.
 *
 * @since 0.1.0
 * @category errors
 */
export const RiotErrorBody = internalErrors.RiotErrorBody

/**
 * @since 0.1.0
 * @category errors
 */
export type RiotErrorBody = typeof RiotErrorBody.Type

/**
 * Renders a decode failure as one line that names the JSON path of the first
 * issue, e.g. \`info.participants[3].kills: Expected number, actual "x"\`.
 * Keys that are not identifiers are bracketed (\`challenges["12AssistStreakCount"]\`),
 * a failure of the whole value is reported at \`(root)\`, and when the error
 * holds several issues (decoding with \`errors: "all"\`) the count of the others
 * is appended.
 *
 * @example
 * \`\`\`ts
 * import { RiotSchema } from "@volley/riot"
 * import { Either, Schema } from "effect"
 *
 * const result = Schema.decodeUnknownEither(RiotSchema.AccountV1Account)({ puuid: 42 })
 * if (Either.isLeft(result)) {
 *   RiotSchema.formatDecodeError(result.left) // "puuid: Expected string, actual 42"
 * }
 * \`\`\`
 *
 * @since 0.1.0
 * @category errors
 */
export const formatDecodeError = internalErrors.formatDecodeError
`
}

interface ParamFacts {
  readonly name: string
  readonly wireName: string
  readonly in: "path" | "query"
  readonly required: boolean
  readonly type: string
  readonly enum?: ReadonlyArray<string | number>
  readonly min?: number
  readonly max?: number
}

const paramType = (schema: JsonSchema): string =>
  schema.type === "array" ? `${paramType(schema.items!)}[]` : schema.type === "integer" ? "integer" : schema.type!

const paramsOf = (operation: OperationObject, overrides: Overrides): ReadonlyArray<ParamFacts> => {
  const id = operation.operationId
  const renames = overrides.argumentNames[id] ?? {}
  const bounds = overrides.argumentBounds[id] ?? {}
  const params = (operation.parameters ?? []).map((parameter): ParamFacts => {
    if (parameter.in !== "path" && parameter.in !== "query") {
      throw new Error(`${id}: parameter ${parameter.name} in ${parameter.in}`)
    }
    const name = renames[parameter.name] ?? overrides.globalArgumentNames[parameter.name] ?? parameter.name
    const bound = bounds[name]
    const values = parameter.schema.enum ?? parameter.schema.items?.enum
    return {
      name,
      wireName: parameter.name,
      in: parameter.in,
      required: parameter.in === "path" || parameter.required === true,
      type: paramType(parameter.schema),
      ...(values === undefined ? {} : { enum: values }),
      ...(bound?.min === undefined ? {} : { min: bound.min }),
      ...(bound?.max === undefined ? {} : { max: bound.max })
    }
  })
  for (const wireName of Object.keys(renames)) {
    if (!params.some((param) => param.wireName === wireName)) {
      throw new Error(`override argumentNames: ${id} ${wireName}`)
    }
  }
  for (const name of Object.keys(bounds)) {
    if (!params.some((param) => param.name === name)) throw new Error(`override argumentBounds: ${id} ${name}`)
  }
  const names = new Set(params.map((param) => param.name))
  if (names.size !== params.length || names.has("region") || names.has("accessToken")) {
    throw new Error(`${id}: argument names clash`)
  }
  // Path parameters first, in path order, then the query: the order a reader expects them in.
  return params
}

const tsTypeOf = (param: ParamFacts): string => {
  if (param.enum !== undefined && param.type !== "integer" && param.type !== "number") {
    const union = param.enum.map((value) => JSON.stringify(value)).join(" | ")
    return param.type.endsWith("[]") ? `ReadonlyArray<${union}>` : union
  }
  switch (param.type) {
    case "string":
      return "string"
    case "integer":
    case "number":
      return "number"
    case "boolean":
      return "boolean"
    default:
      return `ReadonlyArray<${param.type === "string[]" ? "string" : "number"}>`
  }
}

const routeKindOf = (operation: OperationObject): string => operation["x-route-enum"]

const routeType = (routes: ReadonlyArray<string>, routing: Routing): string => {
  const same = (other: ReadonlyArray<string>) =>
    other.length === routes.length && other.every((route) => routes.includes(route))
  if (same(routing.platforms)) return "Routing.Platform"
  if (same(routing.regions)) return "Routing.Region"
  if (same(routing.valPlatforms)) return "Routing.ValPlatform"
  return routes.map((route) => JSON.stringify(route)).join(" | ")
}

/** The Routing module's sets, for naming a method's routes by them where they match. */
interface Routing {
  readonly platforms: ReadonlyArray<string>
  readonly regions: ReadonlyArray<string>
  readonly valPlatforms: ReadonlyArray<string>
}

const responseType = (response: Response): string =>
  response._tag === "ListOf" ? `ReadonlyArray<RiotSchema.${response.name}>` : `RiotSchema.${response.name}`

const responseSchema = (response: Response): string =>
  response._tag === "ListOf" ? `Schema.Array(RiotSchema.${response.name})` : `RiotSchema.${response.name}`

const operationsModule = (description: Description, context: SchemaContext, routing: Routing): string => {
  const { overrides } = context
  const entries: Array<string> = []
  const members: Array<string> = []
  const methods = new Set<string>()
  for (const { operation, path: operationPath } of getOperations(description)) {
    const id = operation.operationId
    const method = methodName(id, overrides)
    if (overrides.methodNames[id] !== undefined) context.used.add(`methodNames:${id}`)
    if (methods.has(method)) throw new Error(`two operations are named ${method}`)
    methods.add(method)
    const params = paramsOf(operation, overrides)
    const response = responseOf(operation, context)
    const nullable404 = operation["x-nullable-404"] === true
    const rso = (operation.security ?? []).some((requirement) => "rso" in requirement)
    const routes = operation["x-platforms-available"]
    const resource = overrides.resources[id]
    if (resource !== undefined) context.used.add(`resources:${id}`)
    const paramEntries = params.map((param) =>
      `{ ${
        [
          `name: ${JSON.stringify(param.name)}`,
          `wireName: ${JSON.stringify(param.wireName)}`,
          `in: ${JSON.stringify(param.in)}`,
          `required: ${param.required}`,
          `type: ${JSON.stringify(param.type)}`,
          ...(param.enum === undefined ? [] : [`enum: ${JSON.stringify(param.enum)}`]),
          ...(param.min === undefined ? [] : [`min: ${param.min}`]),
          ...(param.max === undefined ? [] : [`max: ${param.max}`])
        ].join(", ")
      } }`
    )
    entries.push(`{
  method: ${JSON.stringify(method)},
  operationId: ${JSON.stringify(id)},
  family: ${JSON.stringify(familyOf(id))},
  httpMethod: "GET",
  path: ${JSON.stringify(operationPath)},
  routeKind: ${JSON.stringify(routeKindOf(operation))},
  routes: ${JSON.stringify(routes)},
  params: [${paramEntries.join(", ")}],
  response: ${responseSchema(response)},
  nullable404: ${nullable404},
  rso: ${rso}${resource === undefined ? "" : `,\n  resource: ${JSON.stringify(resource)}`}
}`)
    const args = [
      `readonly region: ${routeType(routes, routing)}`,
      ...(rso ? ["readonly accessToken: Redacted.Redacted"] : []),
      ...params.map((param) =>
        `readonly ${param.name}${param.required ? "" : "?"}: ${tsTypeOf(param)}${param.required ? "" : " | undefined"}`
      )
    ]
    const success = nullable404 ? `Option.Option<${responseType(response)}>` : responseType(response)
    members.push(`  /**
   * \`${id}\`: \`GET ${operationPath}\`${rso ? ", with the player's RSO access token" : ""}.${
      nullable404 ? "\n   * `Option.none()` when Riot has no such resource (404)." : ""
    }
   */
  readonly ${method}: (args: {
    ${args.join("\n    ")}
  }) => Effect.Effect<${success}, RiotError.RiotError>`)
  }
  return `/**
 * The table of the Riot API's GET operations the client implements, one entry
 * per operation of the API description: its method name on \`RiotClient\`,
 * path, routes, arguments and response schema. The client's methods, the
 * mock server's routes and the CLI's generic command are all driven by it.
 *
 * @since 0.2.0
 */
${generatedNotice(description)}
import type * as Effect from "effect/Effect"
import type * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type * as RiotError from "./RiotError.js"
import * as RiotSchema from "./RiotSchema.js"
import type * as Routing from "./Routing.js"

/**
 * One argument of an operation: \`name\` in the method's arguments,
 * \`wireName\` in the path or the query string. \`min\` and \`max\` bound an
 * integer argument; the client refuses a value outside them before sending.
 *
 * @since 0.2.0
 * @category models
 */
export interface Param {
  readonly name: string
  readonly wireName: string
  readonly in: "path" | "query"
  readonly required: boolean
  readonly type: "string" | "integer" | "number" | "boolean" | "string[]" | "integer[]"
  readonly enum?: ReadonlyArray<string | number>
  readonly min?: number
  readonly max?: number
}

/**
 * One GET operation. \`routeKind\` is the kind of host that serves it
 * (\`platform\`, \`regional\` or \`val-platform\`) and \`routes\` the hosts
 * that do; \`response\` checks a successful body. A \`nullable404\`
 * operation answers \`Option.none()\` for Riot's 404; an \`rso\` one needs the
 * player's RSO access token. \`resource\` names what a 404 did not find
 * (\`{argument}\` replaced); without it the request's path does.
 *
 * @since 0.2.0
 * @category models
 */
export interface Operation {
  readonly method: Method
  readonly operationId: string
  readonly family: string
  readonly httpMethod: "GET"
  readonly path: string
  readonly routeKind: "platform" | "regional" | "val-platform"
  readonly routes: ReadonlyArray<Routing.Route>
  readonly params: ReadonlyArray<Param>
  readonly response: Schema.Schema<any, any>
  readonly nullable404: boolean
  readonly rso: boolean
  readonly resource?: string
}

/**
 * Every method of \`RiotClient\`, one per GET operation. Each takes its
 * operation's routes only (\`region\`, named so everywhere as in Pulsefire),
 * the path and query arguments, and for RSO operations the access token.
 *
 * @since 0.2.0
 * @category models
 */
export interface Methods {
${members.join("\n")}
}

/**
 * A method name of \`RiotClient\`.
 *
 * @since 0.2.0
 * @category models
 */
export type Method = keyof Methods

/**
 * The arguments of a method.
 *
 * @since 0.2.0
 * @category models
 */
export type Args<M extends Method> = Parameters<Methods[M]>[0]

/**
 * Every GET operation of the API description, in the description's order.
 *
 * @example
 * \`\`\`ts
 * import { RiotOperations } from "@volley/riot"
 *
 * const tft = RiotOperations.operations.filter((operation) => operation.family.startsWith("tft-"))
 * \`\`\`
 *
 * @since 0.2.0
 * @category operations
 */
export const operations: ReadonlyArray<Operation> = [
${entries.join(",\n")}
]

/**
 * The operations by method name.
 *
 * @example
 * \`\`\`ts
 * import { RiotOperations } from "@volley/riot"
 *
 * RiotOperations.byMethod.getLolMatchV5Match.path // "/lol/match/v5/matches/{matchId}"
 * \`\`\`
 *
 * @since 0.2.0
 * @category operations
 */
export const byMethod: { readonly [M in Method]: Operation } = Object.fromEntries(
  operations.map((operation) => [operation.method, operation])
) as { readonly [M in Method]: Operation }

/**
 * The operation of a method name, or \`undefined\` for a name that is none
 * (e.g. one typed by a user).
 *
 * @example
 * \`\`\`ts
 * import { RiotOperations } from "@volley/riot"
 *
 * RiotOperations.lookup("getLolLeagueV4ChallengerLeagueByQueue")?.operationId // "league-v4.getChallengerLeague"
 * \`\`\`
 *
 * @since 0.2.0
 * @category operations
 */
export const lookup = (method: string): Operation | undefined =>
  Object.prototype.hasOwnProperty.call(byMethod, method) ? byMethod[method as Method] : undefined
`
}

// ---------------------------------------------------------------------------
// entry points
// ---------------------------------------------------------------------------

const formatter = createFromBuffer(fs.readFileSync(getPath()))

/** The repository's dprint settings (eslint.config.mjs), so that generated files pass lint as written. */
const dprintConfig = {
  indentWidth: 2,
  lineWidth: 120,
  semiColons: "asi",
  quoteStyle: "alwaysDouble",
  trailingCommas: "never",
  operatorPosition: "maintain",
  "arrowFunction.useParentheses": "force"
}

const format = (filePath: string, text: string): string =>
  formatter.formatText({ filePath, fileText: text, overrideConfig: dprintConfig })

/** @internal */
export interface GeneratedFile {
  /** Relative to the package. */
  readonly path: string
  readonly content: string
}

/**
 * Everything the generator writes, from a description and overrides.
 *
 * @internal
 */
export const generate = (
  description: Description,
  routing: Routing,
  overrides: Overrides = defaultOverrides
): ReadonlyArray<GeneratedFile> => {
  const context: SchemaContext = { description, overrides, used: new Set(), canonical: new Map() }
  const schemas = schemaModule(description, context)
  const operations = operationsModule(description, context, routing)
  const unused = [
    ...Object.keys(overrides.methodNames).map((id) => `methodNames:${id}`),
    ...Object.keys(overrides.schemaNames).map((component) => `schemaNames:${component}`),
    ...Object.keys(overrides.responseNames).map((id) => `responseNames:${id}`),
    ...Object.keys(overrides.required).map((component) => `required:${component}`),
    ...overrides.nullable.map((field) => `nullable:${field}`),
    ...Object.keys(overrides.extraFields).map((component) => `extraFields:${component}`),
    ...Object.keys(overrides.records).map((component) => `records:${component}`),
    ...Object.keys(overrides.recordFields).map((field) => `recordFields:${field}`),
    ...Object.keys(overrides.resources).map((id) => `resources:${id}`),
    ...Object.keys(overrides.familyPrefixes).filter((family) =>
      !getOperations(description).some(({ operation }) => familyOf(operation.operationId) === family)
    ).map((family) => `familyPrefixes:${family}`),
    ...[...Object.keys(overrides.argumentNames), ...Object.keys(overrides.argumentBounds)].filter((id) =>
      !getOperations(description).some(({ operation }) => operation.operationId === id)
    ).map((id) => `arguments:${id}`)
  ].filter((key) => !context.used.has(key))
  if (unused.length > 0) throw new Error(`overrides that apply to nothing: ${unused.join(", ")}`)
  return [
    { path: "src/RiotSchema.ts", content: format("RiotSchema.ts", schemas) },
    { path: "src/RiotOperations.ts", content: format("RiotOperations.ts", operations) }
  ]
}

/** @internal */
export const packageDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "..")

/**
 * Reads the committed description.
 *
 * @internal
 */
export const readDescription = (): Description =>
  JSON.parse(fs.readFileSync(path.join(packageDir, "spec", "openapi-3.0.0.json"), "utf8"))

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { platforms, regions, valPlatforms } = await import("../src/Routing.js")
  for (const file of generate(readDescription(), { platforms, regions, valPlatforms })) {
    fs.writeFileSync(path.join(packageDir, file.path), file.content)
    console.log(`wrote ${file.path}`)
  }
}
