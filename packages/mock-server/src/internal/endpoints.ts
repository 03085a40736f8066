import type * as HttpRouter from "@effect/platform/HttpRouter"
import type { Route } from "@volley/riot/Routing"
import { isPlatform, isRegion, regionOf } from "@volley/riot/Routing"
import * as Hash from "effect/Hash"
import type { MethodName } from "../MockServer.js"
import type * as Bodies from "./bodies.js"
import type * as Dataset from "./dataset.js"
import type { Recording } from "./fixtures.js"
import type { Operation, Param } from "./operations.js"

/** @internal */
export interface Reply {
  readonly status: number
  readonly body: string
}

/** Path parameters by their name in the operation's path template, decoded. @internal */
export type Params = Readonly<Record<string, string | undefined>>

/** @internal */
export type Query = Readonly<Record<string, string | ReadonlyArray<string>>>

/**
 * One GET operation as the mock serves it.
 *
 * - `path`: the router path, `/:route` then the operation's path template.
 * - `servedBy`: the routes it answers on; any other gets Riot's 404.
 * - `rso`: it needs an RSO access token (`Authorization: Bearer ...`) on top
 *   of the API key.
 *
 * @internal
 */
export interface Endpoint {
  readonly method: MethodName
  readonly operation: Operation
  readonly path: HttpRouter.PathInput
  readonly servedBy: (route: string) => boolean
  readonly rso: boolean
  readonly source: "dataset" | "recorded" | "generated"
  readonly reply: (route: Route, params: Params, query: Query) => Reply
}

/** Riot's error body. @internal */
export const riotError = (status: number, message: string): Reply => ({
  status,
  body: JSON.stringify({ status: { message, status_code: status } })
})

const ok = (body: unknown): Reply => ({ status: 200, body: JSON.stringify(body) })

const firstValue = (query: Query, name: string): string | undefined => {
  const value = query[name]
  return typeof value === "string" ? value : value?.[0]
}

// Riot's match list `type` filter, by queue id; queues not listed are "normal".
const queueTypes: Record<number, "ranked" | "tutorial"> = {
  420: "ranked",
  440: "ranked",
  2000: "tutorial",
  2010: "tutorial",
  2020: "tutorial"
}
const matchTypes = ["ranked", "normal", "tourney", "tutorial"]

const parseIntegerParam = (
  query: Query,
  name: string,
  fallback: number | undefined,
  isValid: (value: number) => boolean,
  rule: string
): number | undefined | Reply => {
  const raw = firstValue(query, name)
  if (raw === undefined) return fallback
  const value = Number(raw)
  return /^-?\d+$/.test(raw) && isValid(value) ?
    value :
    riotError(400, `Bad Request - ${name} ${rule}, got ${raw}`)
}

const isReply = (value: number | undefined | Reply): value is Reply => typeof value === "object"

/**
 * The operations served from the seeded dataset, so that a player's account,
 * summoner, match ids and matches agree with each other. The seed example's
 * four keep the routes the mock has always served them on (account-v1 on
 * `sea` too, where the dataset's OCE player lives); their replies check their
 * own arguments.
 */
const datasetReplies = (dataset: Dataset.Dataset): {
  readonly [operationId: string]: Pick<Endpoint, "reply"> & Partial<Pick<Endpoint, "servedBy">>
} => ({
  "account-v1.getByPuuid": {
    reply: (_route, params) => {
      const account = dataset.accountByPuuid(params.puuid ?? "")
      return account === undefined ?
        riotError(404, "Data not found - No results found for player with puuid") :
        ok({ puuid: account.puuid, gameName: account.gameName, tagLine: account.tagLine })
    }
  },
  "account-v1.getByRiotId": {
    servedBy: isRegion,
    reply: (_route, params) => {
      const gameName = params.gameName ?? ""
      const tagLine = params.tagLine ?? ""
      const account = dataset.accountByRiotId(gameName, tagLine)
      return account === undefined ?
        riotError(404, `Data not found - No results found for player with riot id ${gameName}#${tagLine}`) :
        ok({ puuid: account.puuid, gameName: account.gameName, tagLine: account.tagLine })
    }
  },
  "summoner-v4.getByPUUID": {
    servedBy: isPlatform,
    reply: (route, params) => {
      const account = dataset.accountByPuuid(params.encryptedPUUID ?? "")
      // A summoner exists only on the player's home platform.
      return account === undefined || account.platform !== route ?
        riotError(404, "Data not found - summoner not found") :
        ok(dataset.summonerOf(account))
    }
  },
  "match-v5.getMatchIdsByPUUID": {
    servedBy: isRegion,
    reply: (route, params, query) => {
      const puuid = params.puuid ?? ""
      const account = dataset.accountByPuuid(puuid)
      if (account === undefined) return riotError(400, `Bad Request - Exception decrypting ${puuid}`)
      const start = parseIntegerParam(query, "start", 0, (n) => n >= 0, "must be at least 0")
      const count = parseIntegerParam(query, "count", 20, (n) => n >= 0 && n <= 100, "must be between 0 and 100")
      const queue = parseIntegerParam(query, "queue", undefined, (n) => n >= 0, "must be a queue id")
      const startTime = parseIntegerParam(query, "startTime", undefined, (n) => n >= 0, "must be epoch seconds")
      const endTime = parseIntegerParam(query, "endTime", undefined, (n) => n >= 0, "must be epoch seconds")
      for (const parsed of [start, count, queue, startTime, endTime]) {
        if (isReply(parsed)) return parsed
      }
      const type = firstValue(query, "type")
      if (type !== undefined && !matchTypes.includes(type)) {
        return riotError(400, `Bad Request - type must be one of ${matchTypes.join(", ")}, got ${type}`)
      }
      // Riot answers an empty list, not an error, for a region the player has no matches on.
      const history = account.region === route ? dataset.historyOf(account) : []
      const ids = history
        .filter((match) =>
          (queue === undefined || match.queueId === queue) &&
          (type === undefined || (queueTypes[match.queueId] ?? "normal") === type) &&
          (startTime === undefined || match.gameCreation >= (startTime as number) * 1000) &&
          (endTime === undefined || match.gameCreation <= (endTime as number) * 1000)
        )
        .map((match) => match.matchId)
      const from = start as number
      return ok(ids.slice(from, from + (count as number)))
    }
  },
  "match-v5.getMatch": {
    servedBy: isRegion,
    reply: (route, params) => {
      const summary = dataset.match(params.matchId ?? "")
      return summary === undefined || regionOf(summary.account.platform) !== route ?
        riotError(404, "Data not found - match file not found") :
        { status: 200, body: dataset.matchBody(summary) }
    }
  }
})

const isInteger = (raw: string): boolean => /^-?\d+$/.test(raw)

/** Why Riot would refuse `raw` for `param`, or `undefined` when it takes it. */
const refusal = (param: Param, raw: string): string | undefined => {
  if (param.type === "integer") {
    if (!isInteger(raw)) return `${param.wireName} must be an integer, got ${raw}`
    const value = Number(raw)
    if ((param.min !== undefined && value < param.min) || (param.max !== undefined && value > param.max)) {
      return `${param.wireName} must be from ${param.min ?? "any"} to ${param.max ?? "any"}, got ${raw}`
    }
  }
  if (param.type === "number" && (raw.trim() === "" || !Number.isFinite(Number(raw)))) {
    return `${param.wireName} must be a number, got ${raw}`
  }
  if (param.type === "boolean" && raw !== "true" && raw !== "false") {
    return `${param.wireName} must be true or false, got ${raw}`
  }
  if (param.enum !== undefined && !param.enum.some((value) => String(value) === raw)) {
    return `${param.wireName} must be one of ${param.enum.join(", ")}, got ${raw}`
  }
  return undefined
}

/**
 * Riot's 400 for the first parameter it would refuse: a path segment or query
 * value of the wrong type or outside its enum, or a required query parameter
 * left out. Query parameters the operation does not have are ignored, as Riot
 * does.
 */
const badRequest = (operation: Operation, params: Params, query: Query): Reply | undefined => {
  for (const param of operation.params) {
    const raw = param.in === "path" ? params[param.wireName] : firstValue(query, param.wireName)
    if (raw === undefined) {
      if (param.required) return riotError(400, `Bad Request - Required ${param.wireName} parameter is missing`)
      continue
    }
    const reason = refusal(param, raw)
    if (reason !== undefined) return riotError(400, `Bad Request - ${reason}`)
  }
  return undefined
}

/**
 * The fields of a made-up body that take the value of a path parameter of the
 * same name (`puuid` from `encryptedPUUID` too), so that asking for a puuid's
 * data answers with that puuid.
 */
const identityFields = (operation: Operation, params: Params): Record<string, unknown> => {
  const fields: Record<string, unknown> = {}
  for (const param of operation.params) {
    const raw = params[param.wireName]
    if (param.in !== "path" || raw === undefined) continue
    const value = param.type === "integer" ? Number(raw) : raw
    fields[param.wireName === "encryptedPUUID" ? "puuid" : param.wireName] = value
  }
  return fields
}

const pathValues = (operation: Operation, params: Params): ReadonlyArray<string | undefined> =>
  operation.params.filter((param) => param.in === "path").map((param) => params[param.wireName])

const routerPath = (operation: Operation): HttpRouter.PathInput =>
  `/:route${operation.path.replace(/\{(\w+)\}/g, ":$1")}` as HttpRouter.PathInput

/**
 * Every GET operation of the table as an endpoint: the dataset's four as
 * before; the ones with recorded responses answer with one of them (the one
 * named like the id asked for, otherwise one picked by seed and path); every
 * other answers with a body made up from its response schema, the same for the
 * same seed and request.
 *
 * @internal
 */
export const make = (options: {
  readonly seed: number
  readonly operations: ReadonlyArray<Operation>
  readonly dataset: Dataset.Dataset
  readonly recordings: ReadonlyMap<string, ReadonlyArray<Recording>>
  readonly bodies: ReturnType<typeof Bodies.make>
}): ReadonlyArray<Endpoint> => {
  const fromDataset = datasetReplies(options.dataset)
  return options.operations.filter((operation) => operation.httpMethod === "GET").map((operation): Endpoint => {
    const common = { method: operation.operationId, operation, path: routerPath(operation), rso: operation.rso }
    const routes: ReadonlySet<string> = new Set(operation.routes)
    const servedBy = (route: string) => routes.has(route)
    const dataset = fromDataset[operation.operationId]
    if (dataset !== undefined) return { ...common, servedBy, ...dataset, source: "dataset" }
    const recorded = options.recordings.get(operation.operationId)
    if (recorded !== undefined) {
      return {
        ...common,
        servedBy,
        source: "recorded",
        reply: (route, params, query) => {
          const refused = badRequest(operation, params, query)
          if (refused !== undefined) return refused
          const asked = pathValues(operation, params)
          const named = recorded.find((recording) => asked.includes(recording.name))
          const picked = named ??
            recorded[
              Math.abs(Hash.string(`volley mock recording ${options.seed} ${route} ${asked.join("/")}`)) %
              recorded.length
            ]
          return { status: 200, body: picked.text }
        }
      }
    }
    return {
      ...common,
      servedBy,
      source: "generated",
      reply: (route, params, query) => {
        const refused = badRequest(operation, params, query)
        if (refused !== undefined) return refused
        const key = `${operation.operationId} ${route} ${pathValues(operation, params).join("/")}`
        const body = options.bodies(operation.response, key, identityFields(operation, params))
        // Only a schema that admits no JSON at all gets here; the coverage test would name it.
        return body === undefined ?
          riotError(500, `Internal server error - the mock could not make up a ${operation.operationId} body`) :
          { status: 200, body }
      }
    }
  })
}
