/**
 * Runtime-checked schemas for the Riot API responses Volley reads:
 * account-v1, summoner-v4, match-v5 and Riot's error body.
 *
 * They are written to accept every real response, not only today's:
 * - Unknown fields are dropped on decode (effect/Schema's default
 *   `onExcessProperty: "ignore"`), so a field Riot adds next patch breaks
 *   nothing. Decode with the default options.
 * - Only what every era of match-v5 has carried is required. Everything Riot
 *   added, renamed or retired over time (`challenges`, `missions`,
 *   `riotIdGameName` vs the older `riotIdName`, Arena and Swarm fields,
 *   `endOfGameResult`, `gameEndTimestamp`, pings, ...) is optional.
 * - Game modes, queues, platforms, lanes and roles are plain strings or
 *   numbers, never literal unions: Riot adds values every patch.
 * - Numbers are `Schema.Number`, not integers: several stats are floats and
 *   `-1`/`0` sentinels are common.
 *
 * Schemas are plain structs, so decoding is a single pass without class
 * construction; build a decoder once (`Schema.decodeUnknown(LolMatchV5Match)`)
 * and reuse it.
 *
 * @since 0.1.0
 */
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as internalDecodeError from "./internal/schema/decodeError.js"
import { exactOptionalFields } from "./internal/schema/fields.js"

// ---------------------------------------------------------------------------
// account-v1
// ---------------------------------------------------------------------------

/**
 * A Riot account (`/riot/account/v1/accounts/...`). Riot omits `gameName` and
 * `tagLine` for some accounts, so only `puuid` is required.
 *
 * @example
 * ```ts
 * import { RiotSchema } from "@volley/riot"
 * import { Schema } from "effect"
 *
 * const account = Schema.decodeUnknownSync(RiotSchema.AccountV1Account)({ puuid: "abc", gameName: "Faker" })
 * account.tagLine // undefined
 * ```
 *
 * @since 0.1.0
 * @category account-v1
 */
export const AccountV1Account = Schema.Struct({
  puuid: Schema.String,
  ...exactOptionalFields(Schema.String, ["gameName", "tagLine"])
}).annotations({ identifier: "AccountV1Account" })

/**
 * @since 0.1.0
 * @category account-v1
 */
export type AccountV1Account = typeof AccountV1Account.Type

// ---------------------------------------------------------------------------
// summoner-v4
// ---------------------------------------------------------------------------

/**
 * A summoner (`/lol/summoner/v4/summoners/...`). Current responses no longer
 * carry `id`, `accountId` or `name`; they are accepted when an older response
 * still has them.
 *
 * @since 0.1.0
 * @category summoner-v4
 */
export const LolSummonerV4Summoner = Schema.Struct({
  puuid: Schema.String,
  profileIconId: Schema.Number,
  revisionDate: Schema.Number,
  summonerLevel: Schema.Number,
  ...exactOptionalFields(Schema.String, ["id", "accountId", "name"])
}).annotations({ identifier: "LolSummonerV4Summoner" })

/**
 * @since 0.1.0
 * @category summoner-v4
 */
export type LolSummonerV4Summoner = typeof LolSummonerV4Summoner.Type

// ---------------------------------------------------------------------------
// match-v5
// ---------------------------------------------------------------------------

/**
 * The match ids returned by `/lol/match/v5/matches/by-puuid/{puuid}/ids`,
 * newest first.
 *
 * @since 0.1.0
 * @category match-v5
 */
export const LolMatchV5MatchIds = Schema.Array(Schema.String).annotations({ identifier: "LolMatchV5MatchIds" })

/**
 * @since 0.1.0
 * @category match-v5
 */
export type LolMatchV5MatchIds = typeof LolMatchV5MatchIds.Type

/**
 * A match's metadata: its id and the puuids of its participants. On aborted
 * games `participants` can list players while `info.participants` is empty.
 *
 * @since 0.1.0
 * @category match-v5
 */
export const LolMatchV5MatchMetadata = Schema.Struct({
  dataVersion: Schema.String,
  matchId: Schema.String,
  participants: Schema.Array(Schema.String)
}).annotations({ identifier: "LolMatchV5MatchMetadata" })

/**
 * @since 0.1.0
 * @category match-v5
 */
export type LolMatchV5MatchMetadata = typeof LolMatchV5MatchMetadata.Type

/**
 * A participant's challenge statistics. Every key is optional (old patches
 * have none, each mode has its own) and many are floats. Riot adds
 * challenges every patch; keys not listed here are dropped on decode like
 * any unknown field (no index signature: keeping them costs about half
 * again the decode time of a whole match).
 *
 * @since 0.1.0
 * @category match-v5
 */
export const LolMatchV5MatchChallenges = Schema.Struct(
  {
    ...exactOptionalFields(Schema.Number, [
      "12AssistStreakCount",
      "HealFromMapSources",
      "InfernalScalePickup",
      "SWARM_DefeatAatrox",
      "SWARM_DefeatBriar",
      "SWARM_DefeatMiniBosses",
      "SWARM_EvolveWeapon",
      "SWARM_Have3Passives",
      "SWARM_KillEnemy",
      "SWARM_PickupGold",
      "SWARM_ReachLevel50",
      "SWARM_Survive15Min",
      "SWARM_WinWith5EvolvedWeapons",
      "abilityUses",
      "acesBefore15Minutes",
      "alliedJungleMonsterKills",
      "baronBuffGoldAdvantageOverThreshold",
      "baronTakedowns",
      "blastConeOppositeOpponentCount",
      "bountyGold",
      "buffsStolen",
      "completeSupportQuestInTime",
      "controlWardTimeCoverageInRiverOrEnemyHalf",
      "controlWardsPlaced",
      "damagePerMinute",
      "damageTakenOnTeamPercentage",
      "dancedWithRiftHerald",
      "deathsByEnemyChamps",
      "dodgeSkillShotsSmallWindow",
      "doubleAces",
      "dragonTakedowns",
      "earliestBaron",
      "earliestDragonTakedown",
      "earliestElderDragon",
      "earlyLaningPhaseGoldExpAdvantage",
      "effectiveHealAndShielding",
      "elderDragonKillsWithOpposingSoul",
      "elderDragonMultikills",
      "enemyChampionImmobilizations",
      "enemyJungleMonsterKills",
      "epicMonsterKillsNearEnemyJungler",
      "epicMonsterKillsWithin30SecondsOfSpawn",
      "epicMonsterSteals",
      "epicMonsterStolenWithoutSmite",
      "fasterSupportQuestCompletion",
      "fastestLegendary",
      "firstTurretKilled",
      "firstTurretKilledTime",
      "fistBumpParticipation",
      "flawlessAces",
      "fullTeamTakedown",
      "gameLength",
      "getTakedownsInAllLanesEarlyJungleAsLaner",
      "goldPerMinute",
      "hadAfkTeammate",
      "hadOpenNexus",
      "highestChampionDamage",
      "highestCrowdControlScore",
      "highestWardKills",
      "immobilizeAndKillWithAlly",
      "initialBuffCount",
      "initialCrabCount",
      "jungleCsBefore10Minutes",
      "junglerKillsEarlyJungle",
      "junglerTakedownsNearDamagedEpicMonster",
      "kTurretsDestroyedBeforePlatesFall",
      "kda",
      "killAfterHiddenWithAlly",
      "killParticipation",
      "killedChampTookFullTeamDamageSurvived",
      "killingSprees",
      "killsNearEnemyTurret",
      "killsOnLanersEarlyJungleAsJungler",
      "killsOnOtherLanesEarlyJungleAsLaner",
      "killsOnRecentlyHealedByAramPack",
      "killsUnderOwnTurret",
      "killsWithHelpFromEpicMonster",
      "knockEnemyIntoTeamAndKill",
      "landSkillShotsEarlyGame",
      "laneMinionsFirst10Minutes",
      "laningPhaseGoldExpAdvantage",
      "legendaryCount",
      "lostAnInhibitor",
      "maxCsAdvantageOnLaneOpponent",
      "maxKillDeficit",
      "maxLevelLeadLaneOpponent",
      "mejaisFullStackInTime",
      "moreEnemyJungleThanOpponent",
      "mostWardsDestroyedOneSweeper",
      "multiKillOneSpell",
      "multiTurretRiftHeraldCount",
      "multikills",
      "multikillsAfterAggressiveFlash",
      "mythicItemUsed",
      "outerTurretExecutesBefore10Minutes",
      "outnumberedKills",
      "outnumberedNexusKill",
      "perfectDragonSoulsTaken",
      "perfectGame",
      "pickKillWithAlly",
      "playedChampSelectPosition",
      "poroExplosions",
      "quickCleanse",
      "quickFirstTurret",
      "quickSoloKills",
      "riftHeraldTakedowns",
      "saveAllyFromDeath",
      "scuttleCrabKills",
      "shortestTimeToAceFromFirstTakedown",
      "skillshotsDodged",
      "skillshotsHit",
      "snowballsHit",
      "soloBaronKills",
      "soloKills",
      "soloTurretsLategame",
      "stealthWardsPlaced",
      "survivedSingleDigitHpCount",
      "survivedThreeImmobilizesInFight",
      "takedownOnFirstTurret",
      "takedowns",
      "takedownsAfterGainingLevelAdvantage",
      "takedownsBeforeJungleMinionSpawn",
      "takedownsFirst25Minutes",
      "takedownsFirstXMinutes",
      "takedownsInAlcove",
      "takedownsInEnemyFountain",
      "teamBaronKills",
      "teamDamagePercentage",
      "teamElderDragonKills",
      "teamRiftHeraldKills",
      "teleportTakedowns",
      "thirdInhibitorDestroyedTime",
      "threeWardsOneSweeperCount",
      "tookLargeDamageSurvived",
      "turretPlatesTaken",
      "turretTakedowns",
      "turretsTakenWithRiftHerald",
      "twentyMinionsIn3SecondsCount",
      "twoWardsOneSweeperCount",
      "unseenRecalls",
      "visionScoreAdvantageLaneOpponent",
      "visionScorePerMinute",
      "voidMonsterKill",
      "wardTakedowns",
      "wardTakedownsBefore20M",
      "wardsGuarded"
    ]),
    legendaryItemUsed: Schema.optionalWith(Schema.Array(Schema.Number), { exact: true })
  }
).annotations({ identifier: "LolMatchV5MatchChallenges" })

/**
 * @since 0.1.0
 * @category match-v5
 */
export type LolMatchV5MatchChallenges = typeof LolMatchV5MatchChallenges.Type

/**
 * A participant's mission scores (`playerScore0` to `playerScore11`, floats
 * in some modes).
 *
 * @since 0.1.0
 * @category match-v5
 */
export const LolMatchV5MatchMissions = Schema.Struct(
  exactOptionalFields(Schema.Number, [
    "playerScore0",
    "playerScore1",
    "playerScore2",
    "playerScore3",
    "playerScore4",
    "playerScore5",
    "playerScore6",
    "playerScore7",
    "playerScore8",
    "playerScore9",
    "playerScore10",
    "playerScore11"
  ])
).annotations({ identifier: "LolMatchV5MatchMissions" })

/**
 * @since 0.1.0
 * @category match-v5
 */
export type LolMatchV5MatchMissions = typeof LolMatchV5MatchMissions.Type

/**
 * The stat shards of a rune page (perk ids, `0` when none, e.g. in Arena).
 *
 * @since 0.1.0
 * @category match-v5
 */
export const LolMatchV5MatchPerkStats = Schema.Struct({
  defense: Schema.Number,
  flex: Schema.Number,
  offense: Schema.Number
}).annotations({ identifier: "LolMatchV5MatchPerkStats" })

/**
 * @since 0.1.0
 * @category match-v5
 */
export type LolMatchV5MatchPerkStats = typeof LolMatchV5MatchPerkStats.Type

/**
 * One rune chosen in a rune tree, with the three end-of-game values the rune
 * reports.
 *
 * @since 0.1.0
 * @category match-v5
 */
export const LolMatchV5MatchPerkStyleSelection = Schema.Struct({
  perk: Schema.Number,
  ...exactOptionalFields(Schema.Number, ["var1", "var2", "var3"])
}).annotations({ identifier: "LolMatchV5MatchPerkStyleSelection" })

/**
 * @since 0.1.0
 * @category match-v5
 */
export type LolMatchV5MatchPerkStyleSelection = typeof LolMatchV5MatchPerkStyleSelection.Type

/**
 * A rune tree (`description` is `"primaryStyle"` or `"subStyle"`).
 *
 * @since 0.1.0
 * @category match-v5
 */
export const LolMatchV5MatchPerkStyle = Schema.Struct({
  description: Schema.String,
  selections: Schema.Array(LolMatchV5MatchPerkStyleSelection),
  style: Schema.Number
}).annotations({ identifier: "LolMatchV5MatchPerkStyle" })

/**
 * @since 0.1.0
 * @category match-v5
 */
export type LolMatchV5MatchPerkStyle = typeof LolMatchV5MatchPerkStyle.Type

/**
 * A participant's rune page.
 *
 * @since 0.1.0
 * @category match-v5
 */
export const LolMatchV5MatchPerks = Schema.Struct({
  statPerks: LolMatchV5MatchPerkStats,
  styles: Schema.Array(LolMatchV5MatchPerkStyle)
}).annotations({ identifier: "LolMatchV5MatchPerks" })

/**
 * @since 0.1.0
 * @category match-v5
 */
export type LolMatchV5MatchPerks = typeof LolMatchV5MatchPerks.Type

/**
 * One player of a match.
 *
 * Required are only the fields every era and mode has carried: who played
 * (`puuid`, `participantId`), on which team (`teamId`: 100/200 on the Rift;
 * Arena and Swarm use their own ids, see `playerSubteamId`), which champion,
 * K/D/A and `win`. Everything else is optional: Riot renamed the Riot id
 * fields (`riotIdName` before `riotIdGameName`), is retiring
 * `summonerName`/`summonerId`, no longer sends `bountyLevel` on recent patches, and adds mode
 * fields (Arena's `placement`, `playerSubteamId`, `playerAugment1..6`).
 * String fields such as `lane`, `role`, `teamPosition` and
 * `individualPosition` may be `""` or `"Invalid"`.
 *
 * @since 0.1.0
 * @category match-v5
 */
export const LolMatchV5MatchParticipant = Schema.Struct({
  participantId: Schema.Number,
  puuid: Schema.String,
  teamId: Schema.Number,
  championId: Schema.Number,
  championName: Schema.String,
  kills: Schema.Number,
  deaths: Schema.Number,
  assists: Schema.Number,
  win: Schema.Boolean,
  ...exactOptionalFields(Schema.String, [
    "individualPosition",
    "lane",
    "riotIdGameName",
    "riotIdName",
    "riotIdTagline",
    "role",
    "summonerId",
    "summonerName",
    "teamPosition"
  ]),
  ...exactOptionalFields(Schema.Boolean, [
    "eligibleForProgression",
    "firstBloodAssist",
    "firstBloodKill",
    "firstTowerAssist",
    "firstTowerKill",
    "gameEndedInEarlySurrender",
    "gameEndedInSurrender",
    "teamEarlySurrendered"
  ]),
  ...exactOptionalFields(Schema.Number, [
    "allInPings",
    "assistMePings",
    "baitPings",
    "baronKills",
    "basicPings",
    "bountyLevel",
    "champExperience",
    "champLevel",
    "championTransform",
    "commandPings",
    "consumablesPurchased",
    "damageDealtToBuildings",
    "damageDealtToEpicMonsters",
    "damageDealtToObjectives",
    "damageDealtToTurrets",
    "damageSelfMitigated",
    "dangerPings",
    "detectorWardsPlaced",
    "doubleKills",
    "dragonKills",
    "enemyMissingPings",
    "enemyVisionPings",
    "getBackPings",
    "goldEarned",
    "goldSpent",
    "holdPings",
    "inhibitorKills",
    "inhibitorTakedowns",
    "inhibitorsLost",
    "item0",
    "item1",
    "item2",
    "item3",
    "item4",
    "item5",
    "item6",
    "itemsPurchased",
    "killingSprees",
    "largestCriticalStrike",
    "largestKillingSpree",
    "largestMultiKill",
    "longestTimeSpentLiving",
    "magicDamageDealt",
    "magicDamageDealtToChampions",
    "magicDamageTaken",
    "needVisionPings",
    "neutralMinionsKilled",
    "nexusKills",
    "nexusLost",
    "nexusTakedowns",
    "objectivesStolen",
    "objectivesStolenAssists",
    "onMyWayPings",
    "pentaKills",
    "physicalDamageDealt",
    "physicalDamageDealtToChampions",
    "physicalDamageTaken",
    "placement",
    "playerAugment1",
    "playerAugment2",
    "playerAugment3",
    "playerAugment4",
    "playerAugment5",
    "playerAugment6",
    "playerScore0",
    "playerScore1",
    "playerScore2",
    "playerScore3",
    "playerScore4",
    "playerScore5",
    "playerScore6",
    "playerScore7",
    "playerScore8",
    "playerScore9",
    "playerScore10",
    "playerScore11",
    "playerSubteamId",
    "profileIcon",
    "pushPings",
    "quadraKills",
    "retreatPings",
    "roleBoundItem",
    "sightWardsBoughtInGame",
    "spell1Casts",
    "spell2Casts",
    "spell3Casts",
    "spell4Casts",
    "subteamPlacement",
    "summoner1Casts",
    "summoner1Id",
    "summoner2Casts",
    "summoner2Id",
    "summonerLevel",
    "timeCCingOthers",
    "timePlayed",
    "totalAllyJungleMinionsKilled",
    "totalDamageDealt",
    "totalDamageDealtToChampions",
    "totalDamageShieldedOnTeammates",
    "totalDamageTaken",
    "totalEnemyJungleMinionsKilled",
    "totalHeal",
    "totalHealsOnTeammates",
    "totalMinionsKilled",
    "totalTimeCCDealt",
    "totalTimeSpentDead",
    "totalUnitsHealed",
    "tripleKills",
    "trueDamageDealt",
    "trueDamageDealtToChampions",
    "trueDamageTaken",
    "turretKills",
    "turretTakedowns",
    "turretsLost",
    "unrealKills",
    "visionClearedPings",
    "visionScore",
    "visionWardsBoughtInGame",
    "wardsKilled",
    "wardsPlaced"
  ]),
  challenges: Schema.optionalWith(LolMatchV5MatchChallenges, { exact: true }),
  missions: Schema.optionalWith(LolMatchV5MatchMissions, { exact: true }),
  perks: Schema.optionalWith(LolMatchV5MatchPerks, { exact: true })
}).annotations({ identifier: "LolMatchV5MatchParticipant" })

/**
 * @since 0.1.0
 * @category match-v5
 */
export type LolMatchV5MatchParticipant = typeof LolMatchV5MatchParticipant.Type

/**
 * A champion ban. `championId` is `-1` when the slot was not used.
 *
 * @since 0.1.0
 * @category match-v5
 */
export const LolMatchV5MatchBan = Schema.Struct({
  championId: Schema.Number,
  pickTurn: Schema.Number
}).annotations({ identifier: "LolMatchV5MatchBan" })

/**
 * @since 0.1.0
 * @category match-v5
 */
export type LolMatchV5MatchBan = typeof LolMatchV5MatchBan.Type

/**
 * Whether a team took an objective first, and how many times it took it.
 *
 * @since 0.1.0
 * @category match-v5
 */
export const LolMatchV5MatchObjective = Schema.Struct({
  first: Schema.Boolean,
  kills: Schema.Number
}).annotations({ identifier: "LolMatchV5MatchObjective" })

/**
 * @since 0.1.0
 * @category match-v5
 */
export type LolMatchV5MatchObjective = typeof LolMatchV5MatchObjective.Type

/**
 * A team's objectives. Every one is optional: `horde` (void grubs) arrived in
 * 2024, `atakhan` in 2025, and objectives can leave the game again.
 *
 * @since 0.1.0
 * @category match-v5
 */
export const LolMatchV5MatchObjectives = Schema.Struct(
  exactOptionalFields(LolMatchV5MatchObjective, [
    "atakhan",
    "baron",
    "champion",
    "dragon",
    "horde",
    "inhibitor",
    "riftHerald",
    "tower"
  ])
).annotations({ identifier: "LolMatchV5MatchObjectives" })

/**
 * @since 0.1.0
 * @category match-v5
 */
export type LolMatchV5MatchObjectives = typeof LolMatchV5MatchObjectives.Type

/**
 * The state of one Feat of Warfare (keyed by feat name in
 * `LolMatchV5MatchTeam.feats`, e.g. `FIRST_BLOOD`).
 *
 * @since 0.1.0
 * @category match-v5
 */
export const LolMatchV5MatchFeat = Schema.Struct({
  ...exactOptionalFields(Schema.Number, ["featState"])
}).annotations({ identifier: "LolMatchV5MatchFeat" })

/**
 * @since 0.1.0
 * @category match-v5
 */
export type LolMatchV5MatchFeat = typeof LolMatchV5MatchFeat.Type

/**
 * One team of a match. `teamId` is 100 or 200 on the Rift; a Swarm game has a
 * single team, and `teams` is empty on aborted games.
 *
 * @since 0.1.0
 * @category match-v5
 */
export const LolMatchV5MatchTeam = Schema.Struct({
  teamId: Schema.Number,
  win: Schema.Boolean,
  bans: Schema.optionalWith(Schema.Array(LolMatchV5MatchBan), { exact: true }),
  objectives: Schema.optionalWith(LolMatchV5MatchObjectives, { exact: true }),
  feats: Schema.optionalWith(Schema.Record({ key: Schema.String, value: LolMatchV5MatchFeat }), { exact: true })
}).annotations({ identifier: "LolMatchV5MatchTeam" })

/**
 * @since 0.1.0
 * @category match-v5
 */
export type LolMatchV5MatchTeam = typeof LolMatchV5MatchTeam.Type

/**
 * A match's game information.
 *
 * On games aborted before they started Riot returns this with zeros, empty
 * strings and empty `participants`/`teams`, which decodes. `gameDuration` is
 * in milliseconds before patch 11.20 and in seconds after;
 * `gameEndTimestamp` only exists since 11.20 and `endOfGameResult` since 2024.
 * `gameMode` (e.g. `"CLASSIC"`, `"ARAM"`, `"CHERRY"` for Arena,
 * `"STRAWBERRY"` for Swarm) and `queueId` are open-ended.
 *
 * @since 0.1.0
 * @category match-v5
 */
export const LolMatchV5MatchInfo = Schema.Struct({
  gameId: Schema.Number,
  gameMode: Schema.String,
  gameType: Schema.String,
  gameVersion: Schema.String,
  gameCreation: Schema.Number,
  gameDuration: Schema.Number,
  mapId: Schema.Number,
  platformId: Schema.String,
  queueId: Schema.Number,
  participants: Schema.Array(LolMatchV5MatchParticipant),
  teams: Schema.Array(LolMatchV5MatchTeam),
  ...exactOptionalFields(Schema.Number, ["gameEndTimestamp", "gameStartTimestamp"]),
  ...exactOptionalFields(Schema.String, ["endOfGameResult", "gameName", "tournamentCode"])
}).annotations({ identifier: "LolMatchV5MatchInfo" })

/**
 * @since 0.1.0
 * @category match-v5
 */
export type LolMatchV5MatchInfo = typeof LolMatchV5MatchInfo.Type

/**
 * A match (`/lol/match/v5/matches/{matchId}`).
 *
 * @example
 * ```ts
 * import { RiotSchema } from "@volley/riot"
 * import { Effect, Schema } from "effect"
 *
 * const decodeMatch = Schema.decodeUnknown(RiotSchema.LolMatchV5Match)
 *
 * const kills = (body: unknown) =>
 *   decodeMatch(body).pipe(
 *     Effect.map((match) => match.info.participants.map((participant) => participant.kills))
 *   )
 * ```
 *
 * @since 0.1.0
 * @category match-v5
 */
export const LolMatchV5Match = Schema.Struct({
  metadata: LolMatchV5MatchMetadata,
  info: LolMatchV5MatchInfo
}).annotations({ identifier: "LolMatchV5Match" })

/**
 * @since 0.1.0
 * @category match-v5
 */
export type LolMatchV5Match = typeof LolMatchV5Match.Type

// ---------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------

/**
 * The body Riot sends with an error status, e.g.
 * `{ "status": { "message": "Data not found", "status_code": 404 } }`.
 *
 * @since 0.1.0
 * @category errors
 */
export const RiotErrorBody = Schema.Struct({
  status: Schema.Struct({
    message: Schema.String,
    status_code: Schema.Number
  })
}).annotations({ identifier: "RiotErrorBody" })

/**
 * @since 0.1.0
 * @category errors
 */
export type RiotErrorBody = typeof RiotErrorBody.Type

/**
 * Renders a decode failure as one line that names the JSON path of the first
 * issue, e.g. `info.participants[3].kills: Expected number, actual "x"`.
 * Keys that are not identifiers are bracketed (`challenges["12AssistStreakCount"]`),
 * a failure of the whole value is reported at `(root)`, and when the error
 * holds several issues (decoding with `errors: "all"`) the count of the others
 * is appended.
 *
 * @example
 * ```ts
 * import { RiotSchema } from "@volley/riot"
 * import { Either, Schema } from "effect"
 *
 * const result = Schema.decodeUnknownEither(RiotSchema.AccountV1Account)({ puuid: 42 })
 * if (Either.isLeft(result)) {
 *   RiotSchema.formatDecodeError(result.left) // "puuid: Expected string, actual 42"
 * }
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export const formatDecodeError: (error: ParseResult.ParseError) => string = internalDecodeError.formatDecodeError
