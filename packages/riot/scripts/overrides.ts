/**
 * What the generator (./generate.ts) cannot read from the description, or
 * must read differently from it. Every entry says why; the generator fails on
 * an entry that names something the description does not have, so none
 * outlives its reason.
 */

/** @internal */
export interface Overrides {
  /**
   * The name prefix of a family (`match-v5` → `LolMatchV5`) where the rule
   * (the family in PascalCase, `Lol` in front unless it starts with a game or
   * is Riot-wide) does not give Pulsefire's.
   */
  readonly familyPrefixes: Readonly<Record<string, string>>
  /** Families that belong to no single game: their names carry no game prefix. */
  readonly riotWideFamilies: ReadonlyArray<string>
  /** Method names by operation id, where Pulsefire's name differs from the rule's. */
  readonly methodNames: Readonly<Record<string, string>>
  /** Argument names by operation id and wire name, where Pulsefire's name differs from the wire name. */
  readonly argumentNames: Readonly<Record<string, Readonly<Record<string, string>>>>
  /** Argument renames that apply to every operation (by wire name). */
  readonly globalArgumentNames: Readonly<Record<string, string>>
  /** Bounds of integer arguments, by operation id and argument name: checked before a request is sent. */
  readonly argumentBounds: Readonly<
    Record<string, Readonly<Record<string, { readonly min?: number; readonly max?: number }>>>
  >
  /** Schema names by component, where the existing exports of RiotSchema use a different one. */
  readonly schemaNames: Readonly<Record<string, string>>
  /** Names of the inline responses (bare lists, numbers, maps) by operation id, where the rule's would differ. */
  readonly responseNames: Readonly<Record<string, string>>
  /**
   * The fields a component really always has, replacing its `required` list:
   * Riot's real responses omit fields the description requires.
   */
  readonly required: Readonly<Record<string, ReadonlyArray<string>>>
  /** Fields a component lacks in the description that real responses (still) carry: optional, of the given type. */
  readonly extraFields: Readonly<Record<string, Readonly<Record<string, "string" | "number" | "boolean">>>>
  /** Families whose real responses send `null` for any value they lack: each of their fields accepts it. */
  readonly nullableFamilies: ReadonlyArray<string>
  /**
   * Families whose real responses leave out or null any field, depending on
   * the mode and the year: every field of theirs is optional and accepts `null`.
   */
  readonly lenientFamilies: ReadonlyArray<string>
  /** Fields (`component.field`) that real responses send as `null`. */
  readonly nullable: ReadonlyArray<string>
  /** Components that are really string-keyed records of another component. */
  readonly records: Readonly<Record<string, string>>
  /** Fields (`component.field`) that are really string-keyed records of a component. */
  readonly recordFields: Readonly<Record<string, string>>
  /** How a 404 names the resource, by operation id (`{argument}` is replaced): kept from the hand-written client. */
  readonly resources: Readonly<Record<string, string>>
}

/** @internal */
export const overrides: Overrides = {
  familyPrefixes: {
    // Pulsefire's names: mastery methods and schemas are `LolChampionV4...`.
    "champion-mastery-v4": "LolChampionV4",
    // The TFT spectator, named by its game first like every other TFT family.
    "spectator-tft-v5": "TftSpectatorV5"
  },
  riotWideFamilies: ["account-v1"],
  methodNames: {
    // Pulsefire's names for the endpoints it has.
    "account-v1.getByAccessToken": "getAccountV1Me",
    "account-v1.getActiveShard": "getAccountV1ActiveShardByPuuid",
    "champion-mastery-v4.getAllChampionMasteriesByPUUID": "getLolChampionV4MasteriesByPuuid",
    "champion-mastery-v4.getChampionMasteryByPUUID": "getLolChampionV4MasteryByPuuid",
    "champion-mastery-v4.getTopChampionMasteriesByPUUID": "getLolChampionV4TopMasteriesByPuuid",
    "champion-mastery-v4.getChampionMasteryScoreByPUUID": "getLolChampionV4MasteryScoreByPuuid",
    "champion-v3.getChampionInfo": "getLolChampionV3Rotation",
    "clash-v1.getTeamById": "getLolClashV1Team",
    "clash-v1.getTournamentById": "getLolClashV1Tournament",
    "league-v4.getChallengerLeague": "getLolLeagueV4ChallengerLeagueByQueue",
    "league-v4.getGrandmasterLeague": "getLolLeagueV4GrandmasterLeagueByQueue",
    "league-v4.getMasterLeague": "getLolLeagueV4MasterLeagueByQueue",
    "league-v4.getLeagueEntries": "getLolLeagueV4EntriesByDivision",
    "league-v4.getLeagueById": "getLolLeagueV4League",
    "lor-ranked-v1.getLeaderboards": "getLorRankedV1Leaderboard",
    "match-v5.getTimeline": "getLolMatchV5MatchTimeline",
    "spectator-v5.getCurrentGameInfoByPuuid": "getLolSpectatorV5ActiveGameBySummoner",
    "summoner-v4.getByAccessToken": "getLolSummonerV4Me",
    "tft-league-v1.getLeagueEntries": "getTftLeagueV1EntriesByDivision",
    "tft-league-v1.getLeagueById": "getTftLeagueV1League",
    "tft-summoner-v1.getByAccessToken": "getTftSummonerV1Me",
    "val-content-v1.getContent": "getValContentV1Contents",
    "val-match-v1.getMatchlist": "getValMatchV1MatchlistByPuuid",
    "val-match-v1.getRecent": "getValMatchV1RecentMatchesByQueue",
    "val-ranked-v1.getLeaderboard": "getValRankedV1LeaderboardByAct",
    // Not in Pulsefire: named like their counterparts above, for one vocabulary across families.
    "lol-rso-match-v1.getTimeline": "getLolRsoMatchV1MatchTimeline",
    "spectator-tft-v5.getCurrentGameInfoByPuuid": "getTftSpectatorV5ActiveGameByPuuid",
    "league-exp-v4.getLeagueEntries": "getLolLeagueExpV4EntriesByDivision",
    "league-v4.getLeagueEntriesByPUUID": "getLolLeagueV4EntriesByPuuid",
    "tft-league-v1.getLeagueEntriesByPUUID": "getTftLeagueV1EntriesByPuuid",
    "val-console-match-v1.getMatchlist": "getValConsoleMatchV1MatchlistByPuuid",
    "val-console-match-v1.getRecent": "getValConsoleMatchV1RecentMatchesByQueue",
    "val-console-ranked-v1.getLeaderboard": "getValConsoleRankedV1LeaderboardByAct"
  },
  globalArgumentNames: {
    // The description's name for a puuid on some paths; it is the same puuid.
    encryptedPUUID: "puuid"
  },
  argumentNames: {
    // Pulsefire calls the id of the one thing an operation fetches `id`.
    "match-v5.getMatch": { matchId: "id" },
    "match-v5.getTimeline": { matchId: "id" },
    "lol-rso-match-v1.getMatch": { matchId: "id" },
    "lol-rso-match-v1.getTimeline": { matchId: "id" },
    "tft-match-v1.getMatch": { matchId: "id" },
    "lor-match-v1.getMatch": { matchId: "id" },
    "val-match-v1.getMatch": { matchId: "id" },
    "val-console-match-v1.getMatch": { matchId: "id" },
    "league-v4.getLeagueById": { leagueId: "id" },
    "tft-league-v1.getLeagueById": { leagueId: "id" },
    "clash-v1.getTeamById": { teamId: "id" },
    "clash-v1.getTournamentById": { tournamentId: "id" }
  },
  argumentBounds: {
    // Riot answers 400 outside these; the hand-written client refused them before sending, and still does.
    "match-v5.getMatchIdsByPUUID": { count: { min: 0, max: 100 }, start: { min: 0 } },
    "lol-rso-match-v1.getMatchIds": { count: { min: 0, max: 100 }, start: { min: 0 } },
    "tft-match-v1.getMatchIdsByPUUID": { count: { min: 0, max: 200 }, start: { min: 0 } }
  },
  schemaNames: {
    // The names RiotSchema exported before it was generated.
    "account-v1.AccountDto": "AccountV1Account",
    "summoner-v4.SummonerDTO": "LolSummonerV4Summoner",
    "match-v5.MatchDto": "LolMatchV5Match",
    "match-v5.MetadataDto": "LolMatchV5MatchMetadata",
    "match-v5.InfoDto": "LolMatchV5MatchInfo",
    "match-v5.ParticipantDto": "LolMatchV5MatchParticipant",
    "match-v5.ChallengesDto": "LolMatchV5MatchChallenges",
    "match-v5.MissionsDto": "LolMatchV5MatchMissions",
    "match-v5.PerksDto": "LolMatchV5MatchPerks",
    "match-v5.PerkStatsDto": "LolMatchV5MatchPerkStats",
    "match-v5.PerkStyleDto": "LolMatchV5MatchPerkStyle",
    "match-v5.PerkStyleSelectionDto": "LolMatchV5MatchPerkStyleSelection",
    "match-v5.TeamDto": "LolMatchV5MatchTeam",
    "match-v5.BanDto": "LolMatchV5MatchBan",
    "match-v5.ObjectivesDto": "LolMatchV5MatchObjectives",
    "match-v5.ObjectiveDto": "LolMatchV5MatchObjective",
    "match-v5.FeatDto": "LolMatchV5MatchFeat",
    // Pulsefire's name for the timeline.
    "match-v5.TimelineDto": "LolMatchV5MatchTimeline"
  },
  responseNames: {},
  required: {
    // What every era and mode of match-v5 has carried (the hand-tuned match
    // schema's choice, checked on matches from patch 12.2 to 15.5, aborted
    // games, Arena and Swarm): older matches lack much of what the
    // description requires.
    "match-v5.InfoDto": [
      "gameId",
      "gameMode",
      "gameType",
      "gameVersion",
      "gameCreation",
      "gameDuration",
      "mapId",
      "platformId",
      "queueId",
      "participants",
      "teams"
    ],
    "match-v5.ParticipantDto": [
      "participantId",
      "puuid",
      "teamId",
      "championId",
      "championName",
      "kills",
      "deaths",
      "assists",
      "win"
    ],
    // Old rune pages carry only the perk.
    "match-v5.PerkStyleSelectionDto": ["perk"],
    // Aborted games and Swarm have teams without bans or objectives.
    "match-v5.TeamDto": ["teamId", "win"],
    // Objectives come and go with the game (grubs in 2024, Atakhan in 2025).
    "match-v5.ObjectivesDto": [],
    // Summoners no longer carry `id`, `accountId` or `name`; older responses still may.
    "summoner-v4.SummonerDTO": ["puuid", "profileIconId", "revisionDate", "summonerLevel"],
    // Riot omits the Riot id of some accounts.
    "account-v1.AccountDto": ["puuid"],
    // Masteries recorded before 2024's mastery changes have no puuid, marks or milestones.
    "champion-mastery-v4.ChampionMasteryDto": [
      "championId",
      "championLevel",
      "championPoints",
      "lastPlayTime",
      "championPointsSinceLastLevel",
      "championPointsUntilNextLevel"
    ],
    // Leaderboards of earlier acts have no Premier roster type.
    "val-ranked-v1.PlayerDto": ["leaderboardRank", "rankedRating", "numberOfWins"],
    // Ladders and entries from before 2024 name players by summoner id, without a puuid.
    "league-v4.LeagueItemDTO": [
      "freshBlood",
      "wins",
      "inactive",
      "veteran",
      "hotStreak",
      "rank",
      "leaguePoints",
      "losses"
    ],
    "league-v4.LeagueEntryDTO": [
      "queueType",
      "leaguePoints",
      "wins",
      "losses",
      "hotStreak",
      "veteran",
      "freshBlood",
      "inactive"
    ],
    "league-exp-v4.LeagueEntryDTO": [
      "leagueId",
      "queueType",
      "tier",
      "rank",
      "leaguePoints",
      "wins",
      "losses",
      "hotStreak",
      "veteran",
      "freshBlood",
      "inactive"
    ],
    "tft-league-v1.LeagueItemDTO": [
      "freshBlood",
      "wins",
      "inactive",
      "veteran",
      "hotStreak",
      "rank",
      "leaguePoints",
      "losses"
    ],
    "clash-v1.PlayerDto": ["position", "role"],
    // Riot adds and drops locales.
    "val-content-v1.LocalizedNamesDto": []
  },
  extraFields: {
    // Retired fields that older summoners still carry; the hand-written schema accepted them, and still does.
    "summoner-v4.SummonerDTO": { accountId: "string", name: "string" },
    "champion-mastery-v4.ChampionMasteryDto": { summonerId: "string" },
    "league-v4.LeagueItemDTO": { summonerName: "string" },
    "league-v4.LeagueEntryDTO": { summonerName: "string" },
    "league-exp-v4.LeagueEntryDTO": { summonerName: "string" },
    "tft-league-v1.LeagueItemDTO": { summonerId: "string", summonerName: "string" },
    "tft-league-v1.LeagueEntryDTO": { summonerId: "string", summonerName: "string" },
    "clash-v1.PlayerDto": { summonerId: "string" }
  },
  lenientFamilies: [
    // VALORANT matches: null stats, teams, round results, locations, effects and game lengths, and rounds
    // without the winning role, in the recorded matches; fields such as premierMatchInfo only exist since 2023.
    "val-match-v1",
    "val-console-match-v1"
  ],
  nullableFamilies: [
    // Service status: null severities, maintenance states and archive and update times.
    "lol-status-v4",
    "lor-status-v1",
    "tft-status-v1",
    "val-status-v1"
  ],
  nullable: [],
  records: {},
  recordFields: {
    // Feats of Warfare are keyed by feat name, and Riot adds feats: a record keeps the ones the description lacks.
    "match-v5.TeamDto.feats": "match-v5.FeatDto"
  },
  resources: {
    "match-v5.getMatchIdsByPUUID": "matches of {puuid}"
  }
}
