import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Inspectable from "effect/Inspectable"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import type * as RiotClientModule from "../../RiotClient.js"
import * as RiotError from "../../RiotError.js"
import * as RiotOperations from "../../RiotOperations.js"
import * as RiotRateLimiter from "../../RiotRateLimiter.js"
import * as RiotSchema from "../../RiotSchema.js"
import { header, parseRetryAfterMillis } from "../ratelimit/headers.js"
import * as Calls from "./calls.js"
import * as Deadlines from "./deadlines.js"

/** @internal */
export const RiotClient = Context.GenericTag<RiotClientModule.RiotClient>("@volley/riot/RiotClient")

/** @internal */
export const defaults = {
  baseUrl: "https://{route}.api.riotgames.com",
  maxRetries: 3,
  requestTimeout: Duration.seconds(10),
  retryBaseDelay: Duration.millis(500),
  retryMaxDelay: Duration.seconds(20)
}

/**
 * Why `template` is not a base URL the client can send to, or `undefined`
 * when it is one: an absolute http(s) URL once `{route}` is filled in.
 *
 * @internal
 */
export const invalidBaseUrl = (template: string): string | undefined => {
  const expected = "an http(s) URL such as https://{route}.api.riotgames.com"
  if (!URL.canParse(template.replace("{route}", "americas"))) return `expected ${expected}`
  const protocol = new URL(template.replace("{route}", "americas")).protocol
  return protocol === "http:" || protocol === "https:"
    ? undefined
    : `expected ${expected}, not a ${protocol.slice(0, -1)} URL`
}

const baseUrlConfig = Config.string("RIOT_BASE_URL").pipe(
  Config.mapOrFail((template) => {
    const invalid = invalidBaseUrl(template)
    return invalid === undefined
      ? Either.right(template)
      : Either.left(ConfigError.InvalidData([], `${invalid}, got ${JSON.stringify(template)}`))
  })
)

// Read as text so that a rejected value is named as written: Duration clamps
// "-5 seconds" to zero.
const requestTimeoutConfig = Config.string("RIOT_REQUEST_TIMEOUT").pipe(
  Config.mapOrFail((text) => {
    const timeout = Duration.decodeUnknown(text)
    return Option.isSome(timeout) && Duration.isFinite(timeout.value) && !text.trim().startsWith("-") &&
        Duration.greaterThan(timeout.value, Duration.zero)
      ? Either.right(timeout.value)
      : Either.left(
        ConfigError.InvalidData([], `expected a positive duration such as "10 seconds", got ${JSON.stringify(text)}`)
      )
  })
)

/** @internal */
export const config: Config.Config<RiotClientModule.Options> = Config.all({
  apiKey: Config.option(Config.redacted("RIOT_API_KEY")).pipe(
    Config.map(Option.filter((key) => Redacted.value(key) !== "")),
    Config.map(Option.getOrUndefined)
  ),
  baseUrl: baseUrlConfig.pipe(Config.withDefault(defaults.baseUrl)),
  maxRetries: Config.integer("RIOT_MAX_RETRIES").pipe(
    Config.validate({ message: "RIOT_MAX_RETRIES must not be negative", validation: (n) => n >= 0 }),
    Config.withDefault(defaults.maxRetries)
  ),
  requestTimeout: requestTimeoutConfig.pipe(Config.withDefault(defaults.requestTimeout))
})

type Call = Calls.Call

interface Answer {
  readonly status: number
  readonly headers: Headers.Headers
  readonly body: string
}

const retriedStatuses: ReadonlySet<number> = new Set([500, 502, 503, 504])

const isRetried = (error: RiotError.RiotError): boolean =>
  error._tag === "RateLimited" || error._tag === "TransportError" || error._tag === "Timeout" ||
  (error._tag === "ServerError" && retriedStatuses.has(error.status))

/** Longer than any message Riot sends; a body that says more is not worth carrying into every error and log. */
const maxRiotMessageLength = 200

/**
 * Riot's `status.message`, made fit for an error message at the source: it
 * reaches logs and terminals, so control characters (escape sequences,
 * line breaks, bidirectional overrides) are replaced by U+FFFD and it is
 * cut to {@link maxRiotMessageLength}.
 */
const riotMessageOf = (body: string): string | undefined =>
  Either.match(Schema.decodeUnknownEither(Schema.parseJson(RiotSchema.RiotErrorBody))(body), {
    onLeft: () => undefined,
    onRight: (error) => {
      const message = Array.from(
        error.status.message.replace(
          // eslint-disable-next-line no-control-regex -- matching control characters is the point
          /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g,
          "\ufffd"
        )
      )
      return message.length <= maxRiotMessageLength
        ? message.join("")
        : message.slice(0, maxRiotMessageLength - 1).join("") + "…"
    }
  })

// HttpClientError's own message names the request; its cause is the part
// that says what went wrong. The request (and its headers) is never printed.
const describeTransportError = (error: HttpClientError.HttpClientError): string => {
  const cause = error.cause
  if (cause instanceof Error) {
    const code = (cause as { readonly code?: unknown }).code
    return typeof code === "string" && !cause.message.includes(code) ? `${code}: ${cause.message}` : cause.message
  }
  return error.reason
}

/**
 * A response as the signing client gives it back: the original, showing the
 * unsigned request instead of the signed one it was the answer to, also when
 * serialised or inspected (the HttpClient's own wrapper delegates those to the
 * response it wraps).
 */
const answering = (
  response: HttpClientResponse.HttpClientResponse,
  request: HttpClientRequest.HttpClientRequest
): HttpClientResponse.HttpClientResponse => {
  const toJSON = () => ({ ...(response.toJSON() as object), request: request.toJSON() })
  return Object.create(response, {
    request: { value: request },
    toJSON: { value: toJSON },
    [Inspectable.NodeInspectSymbol]: { value: toJSON }
  })
}

/**
 * `transport` with the key added to each request only on its way out, so
 * the request that an error, a response or the HttpClient's span holds is
 * the one without it. Redacting the header's name is not enough:
 * `JSON.stringify` of an `HttpClientError` outside a fiber, as a span
 * exporter does it, redacts nothing.
 */
const signing = (
  transport: HttpClient.HttpClient,
  apiKey: Redacted.Redacted | undefined,
  accessToken?: Redacted.Redacted
): HttpClient.HttpClient => {
  // The transport's own span would see the signed request; the signing client has the span instead.
  const untraced = HttpClient.withTracerDisabledWhen(transport, () => true)
  const secrets: Record<string, string> = {}
  if (apiKey !== undefined) secrets["x-riot-token"] = Redacted.value(apiKey) as string
  if (accessToken !== undefined) secrets.authorization = `Bearer ${Redacted.value(accessToken)}`
  return HttpClient.make((request) =>
    untraced.execute(HttpClientRequest.setHeaders(request, secrets)).pipe(
      Effect.map((response) => answering(response, request)),
      Effect.mapError((error): HttpClientError.HttpClientError =>
        error._tag === "RequestError"
          ? new HttpClientError.RequestError({
            request,
            reason: error.reason,
            cause: error.cause,
            ...(error.description === undefined ? {} : { description: error.description })
          })
          : new HttpClientError.ResponseError({
            request,
            response: answering(error.response, request),
            reason: error.reason,
            cause: error.cause,
            ...(error.description === undefined ? {} : { description: error.description })
          })
      )
    )
  )
}

/** @internal */
export const make = (
  options: RiotClientModule.Options = {}
): Effect.Effect<RiotClientModule.RiotClient, never, HttpClient.HttpClient | RiotRateLimiter.RiotRateLimiter> =>
  Effect.gen(function*() {
    // One span per call is the default: the HttpClient's span per attempt
    // doubles the tracing cost of a request, and its trace-context headers
    // would tell a third party about the caller's traces.
    const apiKey = options.apiKey
    const transport = yield* HttpClient.HttpClient
    // With the HttpClient's spans on, a span holds each request and its exit,
    // so the key must join the request only past the span: the signing
    // wrapper. Without them no HttpClientError or response outlives `send`,
    // which keeps only a status, headers, a body or a message, and the key
    // goes into the request directly: the wrapper would cost a third of the
    // client's own time per call.
    const signsLate = apiKey !== undefined && options.httpClientSpans === true
    const httpClient = options.httpClientSpans !== true
      ? HttpClient.withTracerDisabledWhen(transport, () => true)
      : signsLate
      ? signing(transport, apiKey)
      : transport
    const limiter = yield* RiotRateLimiter.RiotRateLimiter
    const baseUrl = (options.baseUrl ?? defaults.baseUrl).replace(/\/+$/, "")
    const maxRetries = options.maxRetries ?? defaults.maxRetries
    const requestTimeout = Duration.decode(options.requestTimeout ?? defaults.requestTimeout)
    const deadlines = Deadlines.make(requestTimeout)
    const retryBaseDelay = Duration.decode(options.retryBaseDelay ?? defaults.retryBaseDelay)
    const retryMaxDelay = Duration.decode(options.retryMaxDelay ?? defaults.retryMaxDelay)

    const retryDelay = (error: RiotError.RiotError, backoff: Duration.Duration): Duration.Duration => {
      if (error._tag !== "RateLimited" || error.retryAfterSeconds === undefined) return backoff
      // The limiter holds the whole route or method until Retry-After has
      // passed, so this request waits there, in line with the others.
      if (error.rateLimitType === "application" || error.rateLimitType === "method") return Duration.zero
      return Duration.max(backoff, Duration.seconds(error.retryAfterSeconds))
    }

    const retryPolicy = Schedule.exponential(retryBaseDelay).pipe(
      Schedule.jittered,
      Schedule.modifyDelay((_, delay) => Duration.min(delay, retryMaxDelay)),
      Schedule.intersect(Schedule.recurs(maxRetries)),
      Schedule.intersect(Schedule.identity<RiotError.RiotError>()),
      Schedule.modifyDelay(([, error], delay) => retryDelay(error, delay)),
      Schedule.whileInput(isRetried)
    )

    const keyHeaders: Readonly<Record<string, string>> = apiKey === undefined || signsLate
      ? {}
      : { "x-riot-token": Redacted.value(apiKey) }

    const requestOf = (call: Call): HttpClientRequest.HttpClientRequest =>
      HttpClientRequest.get(baseUrl.replace("{route}", call.route) + call.path, {
        urlParams: call.query,
        acceptJson: true,
        // With the HttpClient's spans on, the token joins the request past the span, like the key.
        headers: call.accessToken === undefined || options.httpClientSpans === true
          ? keyHeaders
          : { ...keyHeaders, authorization: `Bearer ${Redacted.value(call.accessToken)}` }
      })

    const send = (
      call: Call,
      request: HttpClientRequest.HttpClientRequest,
      attempts: number
    ): Effect.Effect<Answer, RiotError.RiotError> => {
      const where = { endpoint: call.endpoint, route: call.route }
      const client = call.accessToken !== undefined && options.httpClientSpans === true
        ? signing(transport, apiKey, call.accessToken)
        : httpClient
      return client.execute(request).pipe(
        Effect.flatMap((response) =>
          Effect.map(response.text, (body): Answer => ({ status: response.status, headers: response.headers, body }))
        ),
        Effect.mapError((error) =>
          new RiotError.TransportError({ ...where, detail: describeTransportError(error), attempts })
        ),
        (exchange) =>
          deadlines.within(
            exchange,
            () => new RiotError.Timeout({ ...where, timeoutMillis: Duration.toMillis(requestTimeout), attempts })
          )
      )
    }

    const interpret = (
      call: Call,
      answer: Answer,
      attempts: number
    ): Effect.Effect<unknown, RiotError.RiotError> => {
      const where = { endpoint: call.endpoint, route: call.route }
      const { status } = answer
      if (status >= 200 && status < 300) {
        let json: unknown
        try {
          json = JSON.parse(answer.body)
        } catch (error) {
          return Effect.fail(
            new RiotError.DecodeError({
              ...where,
              malformed: true,
              detail: error instanceof Error ? error.message : String(error)
            })
          )
        }
        const decoded = call.decode(json)
        return Either.isRight(decoded)
          ? Effect.succeed(call.nullable404 ? Option.some(decoded.right) : decoded.right)
          : Effect.fail(
            new RiotError.DecodeError({
              ...where,
              malformed: false,
              detail: RiotSchema.formatDecodeError(decoded.left)
            })
          )
      }
      const riotMessage = riotMessageOf(answer.body)
      const withMessage = riotMessage === undefined ? where : { ...where, riotMessage }
      if (status === 404) {
        return call.nullable404
          ? Effect.succeed(Option.none())
          : Effect.fail(new RiotError.NotFound({ ...withMessage, resource: call.resource }))
      }
      if (status === 401 || status === 403 || (status === 400 && /api ?key/i.test(riotMessage ?? ""))) {
        const kind = apiKey === undefined ? "missing" : /expired/i.test(riotMessage ?? "") ? "expired" : "invalid"
        return Effect.fail(new RiotError.AuthError({ ...withMessage, status, kind }))
      }
      if (status === 429) {
        const rateLimitType = header(answer.headers, "x-rate-limit-type")
        const retryAfterMillis = parseRetryAfterMillis(header(answer.headers, "retry-after"))
        return Effect.fail(
          new RiotError.RateLimited({
            ...where,
            attempts,
            ...(rateLimitType === undefined ? {} : { rateLimitType }),
            ...(retryAfterMillis === undefined ? {} : { retryAfterSeconds: retryAfterMillis / 1000 })
          })
        )
      }
      if (status >= 500) return Effect.fail(new RiotError.ServerError({ ...withMessage, status, attempts }))
      return Effect.fail(new RiotError.BadRequest({ ...withMessage, status }))
    }

    const run = (call: Call): Effect.Effect<unknown, RiotError.RiotError> => {
      const request = requestOf(call)
      return Effect.useSpan(
        `RiotClient.${call.endpoint}`,
        // A captured stack trace would point into this file, not at the caller, and costs an Error per call.
        { attributes: { "riot.route": call.route }, captureStackTrace: false },
        (span) => {
          // A plain counter, not a Ref: it belongs to this one run of the effect.
          let attempts = 0
          const attempt = Effect.suspend(() => {
            const attempt = ++attempts
            span.attribute("riot.attempts", attempt)
            return limiter.withPermit(call.route, call.endpoint, { retry: attempt > 1 })(send(call, request, attempt))
              .pipe(
                Effect.flatMap((answer) => {
                  span.attribute("http.response.status_code", answer.status)
                  return interpret(call, answer, attempt)
                }),
                Effect.tapError((error) =>
                  isRetried(error) && attempt <= maxRetries
                    ? Effect.logDebug(`retrying after attempt ${attempt}: ${error.message}`)
                    : Effect.void
                )
              )
          })
          const retried = Effect.catchAll(attempt, (first) => {
            if (!isRetried(first) || maxRetries === 0) return Effect.fail(first)
            // The schedule is driven only once a request has failed, which
            // spares the common first-time success its driver. Replaying the
            // first failure lets the policy count it and delay on it as if it
            // had driven every attempt.
            let replayed = false
            const replayFirst = Effect.suspend(() => {
              if (replayed) return attempt
              replayed = true
              return Effect.fail(first)
            })
            return Effect.retry(replayFirst, retryPolicy)
          })
          return Effect.withParentSpan(retried, span)
        }
      ).pipe(
        // A user's HttpClient middleware, or its spans when `httpClientSpans`
        // is on, may print request headers; keep the key out of them.
        Effect.locallyWith(Headers.currentRedactedNames, (names) => [...names, "x-riot-token"])
      )
    }

    const call = (operation: RiotOperations.Operation, args: unknown): Effect.Effect<unknown, RiotError.RiotError> => {
      const callOrInvalid = Calls.callOf(operation, args)
      return callOrInvalid._tag === "Invalid"
        ? Effect.fail(new RiotError.InvalidArgument({ endpoint: operation.operationId, ...callOrInvalid }))
        : run(callOrInvalid.call)
    }

    // One thin method per operation around the one request path: `call`.
    const client: Record<string, (args: unknown) => Effect.Effect<unknown, RiotError.RiotError>> = {}
    for (const operation of RiotOperations.operations) {
      client[operation.method] = (args) => call(operation, args)
    }
    return client as unknown as RiotClientModule.RiotClient
  })
