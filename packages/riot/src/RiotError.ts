/**
 * The typed failures of {@link RiotClient}. Each has a one-line `message`
 * that names the endpoint (`match-v5.getMatch`) and the routing value, and
 * carries Riot's own `status.message` when the response had one. None ever
 * contains the API key.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

const riotSuffix = (riotMessage: string | undefined) => riotMessage === undefined ? "" : ` (Riot: ${riotMessage})`

const attemptsSuffix = (attempts: number) => attempts === 1 ? "" : ` after ${attempts} attempts`

/**
 * The requested resource does not exist (404), e.g.
 * `account 200#16384 not found on americas`.
 *
 * @since 0.1.0
 * @category errors
 */
export class NotFound extends Schema.TaggedError<NotFound>("@volley/riot/RiotError/NotFound")("NotFound", {
  endpoint: Schema.String,
  route: Schema.String,
  /** What was looked up, e.g. `account 200#16384` or `match NA1_123`. */
  resource: Schema.String,
  riotMessage: Schema.optional(Schema.String)
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `${this.resource} not found on ${this.route}${riotSuffix(this.riotMessage)}`
  }
}

/**
 * Riot refused the API key: `401` when it was `missing` (or unknown), `403`
 * when it is `invalid` or `expired` (development keys expire daily; Riot
 * answers both with a bare `Forbidden`, so `expired` is only reported when
 * Riot says so).
 *
 * @since 0.1.0
 * @category errors
 */
export class AuthError extends Schema.TaggedError<AuthError>("@volley/riot/RiotError/AuthError")("AuthError", {
  endpoint: Schema.String,
  route: Schema.String,
  status: Schema.Number,
  kind: Schema.Literal("missing", "invalid", "expired"),
  riotMessage: Schema.optional(Schema.String)
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    const problem = this.kind === "missing"
      ? "is missing: set RIOT_API_KEY"
      : this.kind === "expired"
      ? "has expired: generate a new one"
      : "is invalid or expired"
    return `Riot API key ${problem} (${this.status} from ${this.endpoint} on ${this.route})${
      riotSuffix(this.riotMessage)
    }`
  }
}

/**
 * Riot rejected the request itself (400, or another 4xx this client does not
 * expect), e.g. a puuid that does not decrypt. Not retried.
 *
 * @since 0.1.0
 * @category errors
 */
export class BadRequest extends Schema.TaggedError<BadRequest>("@volley/riot/RiotError/BadRequest")("BadRequest", {
  endpoint: Schema.String,
  route: Schema.String,
  status: Schema.Number,
  riotMessage: Schema.optional(Schema.String)
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `${this.endpoint} on ${this.route} rejected the request with ${this.status}${riotSuffix(this.riotMessage)}`
  }
}

/**
 * Still answered 429 when the retries ran out. `rateLimitType` is Riot's
 * `X-Rate-Limit-Type` (`application`, `method` or `service`), when sent.
 *
 * @since 0.1.0
 * @category errors
 */
export class RateLimited extends Schema.TaggedError<RateLimited>("@volley/riot/RiotError/RateLimited")("RateLimited", {
  endpoint: Schema.String,
  route: Schema.String,
  rateLimitType: Schema.optional(Schema.String),
  retryAfterSeconds: Schema.optional(Schema.Number),
  attempts: Schema.Number
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    const type = this.rateLimitType === undefined ? "" : ` (${this.rateLimitType} limit)`
    return `${this.endpoint} on ${this.route} was rate limited${type}${attemptsSuffix(this.attempts)}`
  }
}

/**
 * Riot answered 5xx, and still did when the retries ran out.
 *
 * @since 0.1.0
 * @category errors
 */
export class ServerError extends Schema.TaggedError<ServerError>("@volley/riot/RiotError/ServerError")("ServerError", {
  endpoint: Schema.String,
  route: Schema.String,
  status: Schema.Number,
  attempts: Schema.Number,
  riotMessage: Schema.optional(Schema.String)
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `${this.endpoint} on ${this.route} failed with ${this.status}${attemptsSuffix(this.attempts)}${
      riotSuffix(this.riotMessage)
    }`
  }
}

/**
 * A successful response did not have the expected shape: either its body is
 * not JSON at all (`malformed`, e.g. truncated) or it does not match the
 * schema, in which case `detail` names the JSON path. Not retried.
 *
 * @since 0.1.0
 * @category errors
 */
export class DecodeError extends Schema.TaggedError<DecodeError>("@volley/riot/RiotError/DecodeError")("DecodeError", {
  endpoint: Schema.String,
  route: Schema.String,
  malformed: Schema.Boolean,
  detail: Schema.String
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return this.malformed
      ? `malformed JSON from ${this.endpoint} on ${this.route}: ${this.detail}`
      : `unexpected response from ${this.endpoint} on ${this.route}: ${this.detail}`
  }
}

/**
 * The request never got a response (connection refused or reset, DNS, ...),
 * and still did not when the retries ran out.
 *
 * @since 0.1.0
 * @category errors
 */
export class TransportError extends Schema.TaggedError<TransportError>("@volley/riot/RiotError/TransportError")(
  "TransportError",
  {
    endpoint: Schema.String,
    route: Schema.String,
    detail: Schema.String,
    attempts: Schema.Number
  }
) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `${this.endpoint} on ${this.route} could not reach Riot${attemptsSuffix(this.attempts)}: ${this.detail}`
  }
}

/**
 * No complete response within the request timeout, and none when the retries
 * ran out.
 *
 * @since 0.1.0
 * @category errors
 */
export class Timeout extends Schema.TaggedError<Timeout>("@volley/riot/RiotError/Timeout")("Timeout", {
  endpoint: Schema.String,
  route: Schema.String,
  timeoutMillis: Schema.Number,
  attempts: Schema.Number
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `${this.endpoint} on ${this.route} timed out after ${this.timeoutMillis} ms${attemptsSuffix(this.attempts)}`
  }
}

/**
 * An argument was rejected before any request was sent, e.g. a `count`
 * outside `0..100`.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidArgument extends Schema.TaggedError<InvalidArgument>("@volley/riot/RiotError/InvalidArgument")(
  "InvalidArgument",
  {
    endpoint: Schema.String,
    argument: Schema.String,
    reason: Schema.String
  }
) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `invalid ${this.argument} for ${this.endpoint}: ${this.reason}`
  }
}

/**
 * The request was not sent because the shared rate limit store (Redis) could
 * not reserve a slot for it, e.g. Redis was lost mid-run. Sending anyway
 * could exceed limits that other processes share, so the request fails
 * instead; the limiter's `onUnavailable` option can choose a local share
 * of the limits instead. Not retried.
 *
 * @since 0.1.0
 * @category errors
 */
export class RateLimitStoreUnavailable extends Schema.TaggedError<RateLimitStoreUnavailable>(
  "@volley/riot/RiotError/RateLimitStoreUnavailable"
)("RateLimitStoreUnavailable", {
  endpoint: Schema.String,
  route: Schema.String,
  /** The store, without credentials, e.g. `Redis at redis://127.0.0.1:6379`. */
  store: Schema.String,
  detail: Schema.String
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `${this.endpoint} on ${this.route} was not sent: ${this.store} is unavailable: ${this.detail}`
  }
}

/**
 * Any failure of a Riot API call.
 *
 * @since 0.1.0
 * @category models
 */
export type RiotError =
  | NotFound
  | AuthError
  | BadRequest
  | RateLimited
  | ServerError
  | DecodeError
  | TransportError
  | Timeout
  | InvalidArgument
  | RateLimitStoreUnavailable

/**
 * Whether a value is a {@link RiotError}.
 *
 * @example
 * ```ts
 * import { RiotError } from "@volley/riot"
 *
 * const error = new RiotError.InvalidArgument({
 *   endpoint: "match-v5.getMatchIdsByPUUID",
 *   argument: "count",
 *   reason: "must be between 0 and 100, got 101"
 * })
 * RiotError.isRiotError(error) // true
 * ```
 *
 * @since 0.1.0
 * @category refinements
 */
export const isRiotError = (u: unknown): u is RiotError =>
  u instanceof NotFound || u instanceof AuthError || u instanceof BadRequest || u instanceof RateLimited ||
  u instanceof ServerError || u instanceof DecodeError || u instanceof TransportError || u instanceof Timeout ||
  u instanceof InvalidArgument || u instanceof RateLimitStoreUnavailable
