import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Options from "@effect/cli/Options"
import * as ValidationError from "@effect/cli/ValidationError"
import type { RiotError } from "@volley/riot"
import { RiotClient, RiotRateLimiter } from "@volley/riot"
import { TaskGroup } from "@volley/taskgroup"
import * as Config from "effect/Config"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import type { Output } from "./matches.js"
import type { Operation, Param } from "./operations.js"
import { display } from "./progress.js"
import { untrusted } from "./safeText.js"

/**
 * How `volley get` names a method: its API family and the operation within
 * it, both in kebab case, cut from the client's method name after the
 * version, as Pulsefire's names read: `getLolLeagueV4ChallengerLeague` is
 * `lol-league-v4 challenger-league`.
 *
 * @internal
 */
export interface CommandName {
  readonly family: string
  readonly operation: string
}

/** @internal */
export const commandNameOf = (method: string): CommandName => {
  const words = (method.replace(/^get/, "").match(/[A-Z][a-z0-9]*|[a-z0-9]+/g) ?? []).map((word) => word.toLowerCase())
  const version = words.findIndex((word) => /^v\d+$/.test(word))
  const family = words.slice(0, version + 1).join("-")
  const operation = words.slice(version + 1).join("-")
  return { family, operation: operation === "" ? "get" : operation }
}

/** `encryptedPUUID` → `encrypted-puuid`, `gameName` → `game-name`. @internal */
export const kebab = (name: string): string =>
  name.replace(/([a-z0-9])([A-Z])/g, "$1-$2").replace(/([A-Z]+)([A-Z][a-z])/g, "$1-$2").toLowerCase()

/**
 * The operations of the table by family, in table order: the tree of
 * `volley get`.
 *
 * @internal
 */
export const families = (
  operations: ReadonlyArray<Operation>
): ReadonlyMap<string, ReadonlyMap<string, Operation>> => {
  const tree = new Map<string, Map<string, Operation>>()
  for (const operation of operations) {
    if (operation.httpMethod !== "GET") continue
    const name = commandNameOf(operation.method)
    const family = tree.get(name.family) ?? new Map<string, Operation>()
    family.set(name.operation, operation)
    tree.set(name.family, family)
  }
  return tree
}

/**
 * `volley get` was given a family or operation that the table does not
 * have: @effect/cli would name the wrong command level, so volley checks the
 * names itself before parsing.
 *
 * @internal
 */
export class UnknownMethod extends Data.TaggedError("UnknownMethod")<{
  readonly family: string
  readonly operation?: string | undefined
}> {
  override get message(): string {
    return this.operation === undefined
      ? `get: no API family "${untrusted(this.family, 60)}"`
      : `get: ${this.family} has no operation "${untrusted(this.operation, 60)}"`
  }
}

/**
 * An argument of `volley get` holds a control character or a line break. No
 * Riot parameter has one, and @effect/cli would echo it in its usage error
 * split over lines.
 *
 * @internal
 */
export class UnsafeArgument extends Data.TaggedError("UnsafeArgument")<{ readonly argument: string }> {
  override get message(): string {
    return `get: an argument holds a control character: "${untrusted(this.argument, 80)}"`
  }
}

// C0 and C1 controls, DEL, and the line and paragraph separators.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const controlCharacter = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/

/**
 * The family and operation named on a `volley get` command line, checked
 * against the table, and its arguments checked for control characters; or
 * `undefined` when the command is not `get`, or stops before naming both
 * (then @effect/cli prints the help asked for).
 *
 * @internal
 */
export const checkMethodNames = (
  operations: ReadonlyArray<Operation>,
  args: ReadonlyArray<string>
): UnknownMethod | UnsafeArgument | undefined => {
  if (!args.includes("get")) return undefined
  const unsafe = args.find((arg) => controlCharacter.test(arg))
  if (unsafe !== undefined) return new UnsafeArgument({ argument: unsafe })
  const [family, operation] = args.slice(args.indexOf("get") + 1)
  if (family === undefined || family.startsWith("-")) return undefined
  const tree = families(operations)
  const known = tree.get(family)
  if (known === undefined) return new UnknownMethod({ family })
  if (operation === undefined || operation.startsWith("-") || known.has(operation)) return undefined
  return new UnknownMethod({ family, operation })
}

/**
 * The family and operation that follow `get` on a command line, as far as
 * the table has them: what a usage hint points to.
 *
 * @internal
 */
export const methodPath = (
  operations: ReadonlyArray<Operation>,
  afterGet: ReadonlyArray<string>
): ReadonlyArray<string> => {
  const [family, operation] = afterGet
  const known = family === undefined ? undefined : families(operations).get(family)
  if (known === undefined) return []
  return operation !== undefined && known.has(operation) ? [family, operation] : [family]
}

const describe = (param: Param): string =>
  `${param.in === "path" ? "Path" : "Query"} parameter ${param.wireName}${param.required ? "" : " (optional)"}.`

/** The bounds the client checks before sending, checked here first so that they are a usage error. */
const inRange = (param: Param) => (value: number): Effect.Effect<number, ValidationError.ValidationError> =>
  (param.min === undefined || value >= param.min) && (param.max === undefined || value <= param.max)
    ? Effect.succeed(value)
    : Effect.fail(
      ValidationError.invalidValue(
        HelpDoc.p(
          `--${kebab(param.name)} must be ${
            param.max === undefined ? `at least ${param.min}` : `from ${param.min ?? "any"} to ${param.max}`
          }, got ${value}`
        )
      )
    )

/**
 * One command-line option for one parameter: `--game-name`, `--queue`, typed
 * as the parameter is (a choice for an enum, an integer for an integer), so
 * that @effect/cli rejects a wrong value before anything is sent.
 */
const paramOption = (param: Param): Options.Options<Option.Option<unknown>> => {
  const name = kebab(param.name)
  const values = param.enum
  const typed: Options.Options<unknown> = values !== undefined
    ? Options.choiceWithValue(name, values.map((value): [string, unknown] => [String(value), value]))
    : param.type === "integer"
    ? Options.mapEffect(Options.integer(name), inRange(param))
    : param.type === "number"
    ? Options.float(name)
    : param.type === "boolean"
    ? Options.choiceWithValue(name, [["true", true], ["false", false]] as Array<[string, boolean]>)
    : Options.text(name)
  const described = Options.withDescription(typed, describe(param))
  return param.required ? Options.map(described, Option.some) : Options.optional(described)
}

/**
 * The options of one operation's command: one per parameter, keyed by the
 * parameter's argument name in the client's method.
 *
 * @internal
 */
export const paramOptions = (operation: Operation): Options.Options<Readonly<Record<string, unknown>>> =>
  // Options.all of no options throws.
  operation.params.length === 0 ? Options.map(Options.none, () => ({})) : Options.map(
    Options.all(Object.fromEntries(operation.params.map((param) => [param.name, paramOption(param)]))),
    (values) => {
      const args: Record<string, unknown> = {}
      for (const [name, value] of Object.entries(values)) {
        if (Option.isSome(value)) args[name] = value.value
      }
      return args
    }
  )

/**
 * The route option of an operation: `--region` for regional operations,
 * `--platform` for the others, a choice of the routes it is served on, and
 * defaulting to the only one when there is one (tournaments: `americas`).
 *
 * @internal
 */
export const routeOption = (operation: Operation): Options.Options<string> => {
  const name = operation.routeKind === "regional" ? "region" : "platform"
  const choice = Options.choice(name, operation.routes).pipe(
    Options.withDescription(`The route that serves ${operation.operationId}: one of ${operation.routes.join(", ")}.`)
  )
  return operation.routes.length === 1 ? Options.withDefault(choice, operation.routes[0]) : choice
}

/**
 * `--access-token` for operations on a player's behalf (Riot Sign-On), also
 * `RIOT_ACCESS_TOKEN`; redacted from the moment it is read.
 *
 * @internal
 */
export const accessTokenOption: Options.Options<Option.Option<Redacted.Redacted>> = Options.redacted(
  "access-token"
).pipe(
  Options.withFallbackConfig(Config.redacted("RIOT_ACCESS_TOKEN")),
  Options.optional,
  Options.withDescription(
    "The player's RSO access token (env RIOT_ACCESS_TOKEN, which keeps it out of the process list); " +
      "on the embedded mock any token does, and one is made up when none is given."
  )
)

/**
 * An RSO operation was asked of the real API without an access token.
 *
 * @internal
 */
export class MissingAccessToken extends Data.TaggedError("MissingAccessToken")<{ readonly operationId: string }> {
  override get message(): string {
    return `${this.operationId} acts on a player's behalf and needs their RSO access token: set RIOT_ACCESS_TOKEN`
  }
}

/**
 * Everything one `volley get` call was asked to do: the operation, its route,
 * and its arguments by name.
 *
 * @internal
 */
export interface GetOptions {
  readonly operation: Operation
  readonly route: string
  readonly args: Readonly<Record<string, unknown>>
  readonly accessToken: Redacted.Redacted | undefined
}

/** The argument name under which the client's methods take their route. */
const routeArgument = "region"

/** The argument name under which the client's RSO methods take the access token. */
const accessTokenArgument = "accessToken"

type Method = (args: Readonly<Record<string, unknown>>) => Effect.Effect<unknown, RiotError.RiotError>

/**
 * What a method answered, as JSON: an `Option` (a "not found" that is not an
 * error) as its value or `null`, and numbers too big for JSON's as strings.
 *
 * @internal
 */
export const toJson = (value: unknown, pretty: boolean): string =>
  JSON.stringify(
    Option.isOption(value) ? Option.getOrNull(value) : value,
    (_key, inner: unknown) => typeof inner === "bigint" ? inner.toString() : inner,
    pretty ? 2 : undefined
  ) + "\n"

/**
 * Calls one method of the client on the route and arguments given, with the
 * progress of `volley matches` on stderr (the call is one task of a
 * `TaskGroup`, so a rate limit hold shows the same way), and writes the answer
 * to stdout as JSON: indented on a terminal, one line otherwise.
 *
 * @internal
 */
export const get = <E>(
  options: GetOptions,
  output: Output,
  riot: Layer.Layer<RiotClient.RiotClient, E>
): Effect.Effect<unknown, E | RiotError.RiotError> =>
  Effect.gen(function*() {
    const client = yield* RiotClient.RiotClient
    const method = (client as unknown as Readonly<Record<string, Method>>)[options.operation.method]
    const args = {
      ...options.args,
      [routeArgument]: options.route,
      ...(options.accessToken === undefined ? {} : { [accessTokenArgument]: options.accessToken })
    }
    const answer = yield* Effect.scoped(Effect.gen(function*() {
      const group = yield* TaskGroup.make<unknown, RiotError.RiotError>({ concurrency: 1 })
      const limiter = yield* Effect.serviceOption(RiotRateLimiter.RiotRateLimiter)
      yield* display(group, {
        total: 1,
        unit: "requests",
        mode: output.stderrIsTerminal ? "bar" : "lines",
        columns: output.columns,
        writeStderr: output.stderr,
        heldUntil: Option.getOrUndefined(Option.map(limiter, (limiter) => limiter.heldUntil))
      })
      // A group made a line above is open: createTask cannot fail here.
      const task = yield* Effect.orDie(TaskGroup.createTask(group, method(args)))
      return yield* task.join
    }))
    yield* output.stdout(toJson(answer, output.stdoutIsTerminal))
    return answer
  }).pipe(Effect.provide(riot))
