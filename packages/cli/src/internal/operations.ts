import { RiotSchema } from "@volley/riot"
import type * as Schema from "effect/Schema"

/**
 * STAND-IN for `@volley/riot`'s generated operation table (issue 20), with
 * the four operations the client has today, so that the mock's table-driven
 * routing is in place before the table lands.
 *
 * @internal
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

/** @internal */
export interface Operation {
  readonly method: string
  readonly operationId: string
  readonly family: string
  readonly httpMethod: "GET"
  readonly path: string
  readonly routeKind: "platform" | "regional" | "val-platform"
  readonly routes: ReadonlyArray<string>
  readonly params: ReadonlyArray<Param>
  readonly response: Schema.Schema<any, any>
  readonly nullable404: boolean
  readonly rso: boolean
}

const regions = ["americas", "asia", "europe", "sea"]
const platforms = [
  "br1",
  "eun1",
  "euw1",
  "jp1",
  "kr",
  "la1",
  "la2",
  "me1",
  "na1",
  "oc1",
  "ru",
  "sg2",
  "tr1",
  "tw2",
  "vn2"
]

/** @internal */
export const operations: ReadonlyArray<Operation> = [
  {
    method: "getAccountV1ByRiotId",
    operationId: "account-v1.getByRiotId",
    family: "account-v1",
    httpMethod: "GET",
    path: "/riot/account/v1/accounts/by-riot-id/{gameName}/{tagLine}",
    routeKind: "regional",
    routes: ["americas", "asia", "europe"],
    params: [
      { name: "gameName", wireName: "gameName", in: "path", required: true, type: "string" },
      { name: "tagLine", wireName: "tagLine", in: "path", required: true, type: "string" }
    ],
    response: RiotSchema.AccountV1Account,
    nullable404: true,
    rso: false
  },
  {
    method: "getLolSummonerV4ByPuuid",
    operationId: "summoner-v4.getByPUUID",
    family: "summoner-v4",
    httpMethod: "GET",
    path: "/lol/summoner/v4/summoners/by-puuid/{encryptedPUUID}",
    routeKind: "platform",
    routes: platforms,
    params: [{ name: "puuid", wireName: "encryptedPUUID", in: "path", required: true, type: "string" }],
    response: RiotSchema.LolSummonerV4Summoner,
    nullable404: true,
    rso: false
  },
  {
    method: "getLolMatchV5MatchIdsByPuuid",
    operationId: "match-v5.getMatchIdsByPUUID",
    family: "match-v5",
    httpMethod: "GET",
    path: "/lol/match/v5/matches/by-puuid/{puuid}/ids",
    routeKind: "regional",
    routes: regions,
    params: [
      { name: "puuid", wireName: "puuid", in: "path", required: true, type: "string" },
      { name: "startTime", wireName: "startTime", in: "query", required: false, type: "integer" },
      { name: "endTime", wireName: "endTime", in: "query", required: false, type: "integer" },
      { name: "queue", wireName: "queue", in: "query", required: false, type: "integer" },
      {
        name: "type",
        wireName: "type",
        in: "query",
        required: false,
        type: "string",
        enum: ["ranked", "normal", "tourney", "tutorial"]
      },
      { name: "start", wireName: "start", in: "query", required: false, type: "integer", min: 0 },
      { name: "count", wireName: "count", in: "query", required: false, type: "integer", min: 0, max: 100 }
    ],
    response: RiotSchema.LolMatchV5MatchIds,
    nullable404: false,
    rso: false
  },
  {
    method: "getLolMatchV5Match",
    operationId: "match-v5.getMatch",
    family: "match-v5",
    httpMethod: "GET",
    path: "/lol/match/v5/matches/{matchId}",
    routeKind: "regional",
    routes: regions,
    params: [{ name: "id", wireName: "matchId", in: "path", required: true, type: "string" }],
    response: RiotSchema.LolMatchV5Match,
    nullable404: true,
    rso: false
  }
]
