import * as Either from "effect/Either"
import type * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type * as RiotOperations from "../../RiotOperations.js"
import type * as Routing from "../../Routing.js"
import * as Validate from "./validate.js"

/** Reads a parsed JSON body as `A`, or says why it is not one. */
export type Decoder<A> = (json: unknown) => Either.Either<A, ParseResult.ParseError>

/**
 * A decoder for a schema whose decoded and encoded types are the same (every
 * response schema of Riot's is: no transformations). A body that passes the
 * allocation-free validator is returned as parsed, fields outside the schema
 * included (the type does not show them); only a body that fails it is
 * decoded by effect/Schema, for the error and its JSON path.
 */
export const makeDecoder = <A>(schema: Schema.Schema<A>): Decoder<A> => {
  const decode = Schema.decodeUnknownEither(schema)
  const isValid = Validate.compile(schema.ast)
  if (isValid === undefined) return decode
  return (json) => isValid(json) ? Either.right(json as A) : decode(json)
}

/** What one endpoint call needs: where to send it and how to read and name what comes back. */
export interface Call {
  /** The operation id, e.g. `match-v5.getMatch`: the method key of the rate limiter, and what errors name. */
  readonly endpoint: string
  readonly route: Routing.Route
  /** The path, encoded, e.g. `/lol/match/v5/matches/NA1_1`. */
  readonly path: string
  readonly query: ReadonlyArray<readonly [string, string]>
  readonly decode: Decoder<unknown>
  /** Answer `Option`s: a 404 is `Option.none()`, not an error. */
  readonly nullable404: boolean
  /** The RSO access token, sent as a bearer token. */
  readonly accessToken: Redacted.Redacted | undefined
  /** Names the resource in a 404 message, e.g. `matches of abc`. */
  readonly resource: string
}

/** Why a call's arguments were refused, before anything was sent. */
export interface Invalid {
  readonly _tag: "Invalid"
  readonly argument: string
  readonly reason: string
}

/** What an operation's calls share, worked out once per operation. */
interface Compiled {
  readonly routes: ReadonlySet<string>
  /** The path's literal parts, between which the path parameters go (`pathParams[i]` after `pieces[i]`). */
  readonly pieces: ReadonlyArray<string>
  readonly pathParams: ReadonlyArray<RiotOperations.Param>
  readonly queryParams: ReadonlyArray<RiotOperations.Param>
  readonly decode: Decoder<unknown>
}

const compiled = new WeakMap<RiotOperations.Operation, Compiled>()

const compile = (operation: RiotOperations.Operation): Compiled => {
  const pieces: Array<string> = []
  const pathParams: Array<RiotOperations.Param> = []
  let rest = operation.path
  for (let open = rest.indexOf("{"); open !== -1; open = rest.indexOf("{")) {
    const close = rest.indexOf("}", open)
    const wireName = rest.slice(open + 1, close)
    pieces.push(rest.slice(0, open))
    pathParams.push(operation.params.find((param) => param.wireName === wireName)!)
    rest = rest.slice(close + 1)
  }
  pieces.push(rest)
  return {
    routes: new Set(operation.routes),
    pieces,
    pathParams,
    queryParams: operation.params.filter((param) => param.in === "query"),
    // The schema's validator is compiled on the first call, not when the client is made: most programs call a few methods.
    decode: makeDecoder(operation.response as Schema.Schema<unknown>)
  }
}

const compiledOf = (operation: RiotOperations.Operation): Compiled => {
  let entry = compiled.get(operation)
  if (entry === undefined) {
    entry = compile(operation)
    compiled.set(operation, entry)
  }
  return entry
}

const invalid = (argument: string, reason: string): Invalid => ({ _tag: "Invalid", argument, reason })

// A user's value goes into a one-line error message: JSON keeps it on one line and shows what it was.
const show = (value: unknown): string => {
  if (typeof value === "string") {
    const quoted = JSON.stringify(value.length > 60 ? value.slice(0, 59) + "…" : value)
    return quoted
  }
  if (typeof value === "number" || typeof value === "boolean" || value === null || value === undefined) {
    return String(value)
  }
  return `a${Array.isArray(value) ? "n array" : " " + typeof value}`
}

const bounds = (param: RiotOperations.Param): string =>
  param.min !== undefined && param.max !== undefined
    ? `an integer from ${param.min} to ${param.max}`
    : param.min === 0
    ? "a non-negative integer"
    : param.min !== undefined
    ? `an integer of at least ${param.min}`
    : param.max !== undefined
    ? `an integer of at most ${param.max}`
    : "an integer"

/** The value's text in a URL, or why the value does not fit the parameter. */
const encodeValue = (param: RiotOperations.Param, value: unknown): string | Invalid => {
  switch (param.type) {
    case "string":
      if (typeof value !== "string") return invalid(param.name, `must be a string, got ${show(value)}`)
      // An empty path segment would send the request to another endpoint.
      if (param.in === "path" && value === "") return invalid(param.name, "must not be empty")
      return value
    case "integer":
      if (
        typeof value !== "number" || !Number.isSafeInteger(value) ||
        (param.min !== undefined && value < param.min) || (param.max !== undefined && value > param.max)
      ) {
        return invalid(param.name, `must be ${bounds(param)}, got ${show(value)}`)
      }
      return String(value)
    case "number":
      if (typeof value !== "number" || !Number.isFinite(value)) {
        return invalid(param.name, `must be a finite number, got ${show(value)}`)
      }
      return String(value)
    case "boolean":
      if (typeof value !== "boolean") return invalid(param.name, `must be true or false, got ${show(value)}`)
      return String(value)
    default:
      return invalid(param.name, `has a type the client does not send (${param.type})`)
  }
}

const isInvalid = (value: string | Invalid): value is Invalid => typeof value !== "string"

/**
 * The call that `args` make of `operation`, or why they make none: a route
 * the operation is not served by, a missing or mistyped argument, a value
 * out of bounds. Checked at run time as well as by the types, since
 * arguments also come from users (the CLI) and from untyped code.
 */
export const callOf = (
  operation: RiotOperations.Operation,
  args: unknown
): { readonly _tag: "Call"; readonly call: Call } | Invalid => {
  const compiledOperation = compiledOf(operation)
  if (typeof args !== "object" || args === null) return invalid("args", "must be an object of arguments")
  const values = args as Readonly<Record<string, unknown>>
  const route = values.region
  if (typeof route !== "string" || !compiledOperation.routes.has(route)) {
    return invalid("region", `must be one of ${operation.routes.join(", ")}, got ${show(route)}`)
  }
  let accessToken: Redacted.Redacted | undefined
  if (operation.rso) {
    if (!Redacted.isRedacted(values.accessToken)) {
      // Never shown: it may be the token itself, passed as plain text.
      return invalid("accessToken", "must be the player's RSO access token, as a Redacted")
    }
    accessToken = values.accessToken as Redacted.Redacted
  }
  const { pathParams, pieces } = compiledOperation
  let path = pieces[0]
  for (let i = 0; i < pathParams.length; i++) {
    const param = pathParams[i]
    const value = values[param.name]
    if (value === undefined) return invalid(param.name, "is required")
    const encoded = encodeValue(param, value)
    if (isInvalid(encoded)) return encoded
    path += encodeURIComponent(encoded) + pieces[i + 1]
  }
  const query: Array<readonly [string, string]> = []
  for (const param of compiledOperation.queryParams) {
    const value = values[param.name]
    if (value === undefined) {
      if (param.required) return invalid(param.name, "is required")
      continue
    }
    if (param.type.endsWith("[]")) {
      if (!Array.isArray(value)) return invalid(param.name, `must be a list, got ${show(value)}`)
      const item = { ...param, type: param.type.slice(0, -2) as RiotOperations.Param["type"] }
      for (const element of value) {
        const encoded = encodeValue(item, element)
        if (isInvalid(encoded)) return encoded
        query.push([param.wireName, encoded])
      }
      continue
    }
    const encoded = encodeValue(param, value)
    if (isInvalid(encoded)) return encoded
    query.push([param.wireName, encoded])
  }
  return {
    _tag: "Call",
    call: {
      endpoint: operation.operationId,
      route: route as Routing.Route,
      path,
      query,
      decode: compiledOperation.decode,
      nullable404: operation.nullable404,
      accessToken,
      resource: operation.resource === undefined ? path : resourceOf(operation.resource, values)
    }
  }
}

const resourceOf = (template: string, values: Readonly<Record<string, unknown>>): string =>
  template.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name]))
