/**
 * Riot's routing values. Platform-routed endpoints (summoner-v4) are served
 * by a platform host such as `na1`; regional endpoints (account-v1,
 * match-v5) by a region host such as `americas`; VALORANT's by its own
 * platforms such as `eu`. Each client method takes only the routes its
 * endpoint is served by (its `RiotOperations` entry lists them), so handing
 * an endpoint a route that does not serve it is a type error, and at run
 * time an `InvalidArgument` with no request sent.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * Every Riot platform routing value.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Platform = Schema.Literal(
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
)

/**
 * A platform routing value, e.g. `"na1"`.
 *
 * @since 0.1.0
 * @category models
 */
export type Platform = typeof Platform.Type

/**
 * Every Riot regional routing value.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Region = Schema.Literal("americas", "asia", "europe", "sea")

/**
 * A regional routing value, e.g. `"americas"`.
 *
 * @since 0.1.0
 * @category models
 */
export type Region = typeof Region.Type

/**
 * Every VALORANT platform routing value (`esports` here is VALORANT's, not
 * the regional `esports` route of account-v1 and tft-match-v1).
 *
 * @since 0.2.0
 * @category schemas
 */
export const ValPlatform = Schema.Literal("ap", "br", "esports", "eu", "kr", "latam", "na")

/**
 * A VALORANT platform routing value, e.g. `"eu"`.
 *
 * @since 0.2.0
 * @category models
 */
export type ValPlatform = typeof ValPlatform.Type

/**
 * Every routing value of any kind: the platforms, the regions, VALORANT's
 * platforms, and the special routes only some endpoints are served by
 * (`pbe1`, the test platform; `apac`, retired, for old LoR matches;
 * `esports` and `esportseu`).
 *
 * @since 0.2.0
 * @category schemas
 */
export const Route = Schema.Literal(
  ...Platform.literals,
  ...Region.literals,
  ...ValPlatform.literals,
  "pbe1",
  "apac",
  "esportseu"
)

/**
 * Any routing value: what a rate limit is kept per.
 *
 * @since 0.1.0
 * @category models
 */
export type Route = typeof Route.Type

/**
 * All platforms, in Riot's documented order.
 *
 * @since 0.1.0
 * @category constants
 */
export const platforms: ReadonlyArray<Platform> = Platform.literals

/**
 * All regions.
 *
 * @since 0.1.0
 * @category constants
 */
export const regions: ReadonlyArray<Region> = Region.literals

/**
 * All VALORANT platforms.
 *
 * @since 0.2.0
 * @category constants
 */
export const valPlatforms: ReadonlyArray<ValPlatform> = ValPlatform.literals

const regionByPlatform: { readonly [P in Platform]: Region } = {
  br1: "americas",
  la1: "americas",
  la2: "americas",
  na1: "americas",
  eun1: "europe",
  euw1: "europe",
  me1: "europe",
  ru: "europe",
  tr1: "europe",
  jp1: "asia",
  kr: "asia",
  oc1: "sea",
  sg2: "sea",
  tw2: "sea",
  vn2: "sea"
}

/**
 * The region that serves a platform's regional endpoints (match-v5).
 *
 * @example
 * ```ts
 * import { Routing } from "@volley/riot"
 *
 * Routing.regionOf("euw1") // "europe"
 * ```
 *
 * @since 0.1.0
 * @category routing
 */
export const regionOf = (platform: Platform): Region => regionByPlatform[platform]

/**
 * @since 0.1.0
 * @category refinements
 */
export const isPlatform: (u: unknown) => u is Platform = Schema.is(Platform)

/**
 * @since 0.1.0
 * @category refinements
 */
export const isRegion: (u: unknown) => u is Region = Schema.is(Region)

/**
 * @since 0.2.0
 * @category refinements
 */
export const isValPlatform: (u: unknown) => u is ValPlatform = Schema.is(ValPlatform)

/**
 * @since 0.2.0
 * @category refinements
 */
export const isRoute: (u: unknown) => u is Route = Schema.is(Route)
