import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import * as HttpRouter from "@effect/platform/HttpRouter"
import type * as HttpServer from "@effect/platform/HttpServer"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import type { Route } from "@volley/riot/Routing"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import * as Http from "node:http"
import type { LoggedRequest, MethodName, MockServer, MockServerOptions } from "../MockServer.js"
import * as MockServerModule from "../MockServer.js"
import * as Bodies from "./bodies.js"
import * as Dataset from "./dataset.js"
import * as Endpoints from "./endpoints.js"
import * as Faults from "./faults.js"
import * as Fixtures from "./fixtures.js"
import { operations } from "./operations.js"
import * as RateLimits from "./rateLimits.js"
import * as RequestLog from "./requestLog.js"

const { riotError } = Endpoints

const unauthorized = riotError(401, "Unauthorized")
const forbidden = riotError(403, "Forbidden")
const resourceNotFound = riotError(404, "Resource not found")
const rateLimitExceeded = riotError(429, "Rate limit exceeded")
const serverErrorMessages: Record<number, string> = {
  500: "Internal server error",
  502: "Bad gateway",
  503: "Service unavailable",
  504: "Gateway timeout"
}

/**
 * The latest `capacity` items, oldest first. Hand-rolled: effect's
 * collections have no fixed-capacity ring, and a `Chunk` that drops its head
 * on every append copies.
 */
const makeRing = <A>(capacity: number) => {
  const items: Array<A> = []
  let next = 0
  return {
    push: (item: A) => {
      if (capacity <= 0) return
      if (items.length < capacity) items.push(item)
      else items[next] = item
      next = (next + 1) % capacity
    },
    toArray: (): ReadonlyArray<A> =>
      items.length < capacity ? items.slice() : [...items.slice(next), ...items.slice(0, next)]
  }
}

/** What one request's handling decided, before it is sent and logged. */
interface Outcome {
  readonly reply: Endpoints.Reply
  readonly headers: Record<string, string>
  readonly log: Omit<LoggedRequest, "time" | "route" | "path" | "status">
}

/** @internal */
export const make = (options: MockServerOptions = {}) =>
  Effect.gen(function*() {
    const seed = options.seed ?? MockServerModule.defaultSeed
    const apiKey = options.apiKey ?? MockServerModule.defaultApiKey
    const dataset = Dataset.make(seed, yield* Fixtures.load)
    const endpoints = Endpoints.make({
      seed,
      operations,
      dataset,
      recordings: yield* Fixtures.loadRecordings,
      bodies: Bodies.make(seed)
    })
    const requestLog = makeRing<LoggedRequest>(options.requestLogLimit ?? MockServerModule.defaultRequestLogLimit)
    const limitState = yield* Ref.make(RateLimits.initialState)
    // Bounded like the log: a soak with faults on requests ever new paths.
    const pathHistories = new Map<string, Faults.PathHistory>()
    const maxPathHistories = options.requestLogLimit ?? MockServerModule.defaultRequestLogLimit

    const limitsFor = (route: Route, method: MethodName): ReadonlyArray<RateLimits.LimitScope> => {
      const limits: Array<RateLimits.LimitScope> = []
      const appLimits = options.appLimits ?? MockServerModule.defaultAppLimits
      if (appLimits !== false) limits.push({ scope: "application", route, windows: appLimits })
      if (options.methodLimits !== false) {
        const windows = options.methodLimits?.[method] ?? MockServerModule.defaultMethodLimits[method] ??
          MockServerModule.defaultMethodLimit
        limits.push({ scope: "method", route, method, windows })
      }
      return limits
    }

    const respond = (
      request: HttpServerRequest.HttpServerRequest,
      time: number,
      outcome: Outcome
    ): Effect.Effect<HttpServerResponse.HttpServerResponse> => {
      const entry: LoggedRequest = {
        time,
        ...RequestLog.loggedTarget(request.url),
        status: outcome.reply.status,
        ...outcome.log
      }
      return Effect.sync(() => {
        requestLog.push(entry)
        return HttpServerResponse.text(outcome.reply.body, {
          status: outcome.reply.status,
          contentType: "application/json;charset=utf-8",
          headers: outcome.headers
        })
      })
    }

    // The key is compared and never echoed, logged or put into a reply.
    const authenticate = (request: HttpServerRequest.HttpServerRequest): Endpoints.Reply | undefined => {
      const token = request.headers["x-riot-token"]
      if (token === undefined || token === "") return unauthorized
      return token === Redacted.value(apiKey) ? undefined : forbidden
    }

    const decideFault = (path: string) =>
      Effect.sync((): Faults.FaultDecision => {
        const previous = pathHistories.get(path)
        const [decision, history] = Faults.decide(options.faults!, seed, path, previous)
        // Deleted first so that the map's order is the order of last use, and the oldest goes first.
        pathHistories.delete(path)
        pathHistories.set(path, history)
        if (pathHistories.size > maxPathHistories) pathHistories.delete(pathHistories.keys().next().value!)
        return decision
      })

    // An RSO token is the player's, not the application's: the mock takes any
    // one that is there, and like the key never echoes or logs it.
    const hasAccessToken = (request: HttpServerRequest.HttpServerRequest): boolean =>
      /^Bearer \S+$/.test(request.headers["authorization"] ?? "")

    const handle = (endpoint: Endpoints.Endpoint) =>
      Effect.gen(function*() {
        const request = yield* HttpServerRequest.HttpServerRequest
        const params = yield* HttpRouter.params
        const query = yield* HttpServerRequest.ParsedSearchParams
        const time = yield* Clock.currentTimeMillis
        const route = params.route ?? ""
        const method = endpoint.method
        const denied = authenticate(request) ?? (endpoint.rso && !hasAccessToken(request) ? unauthorized : undefined)
        if (denied !== undefined) return yield* respond(request, time, { reply: denied, headers: {}, log: { method } })
        if (!endpoint.servedBy(route)) {
          return yield* respond(request, time, { reply: resourceNotFound, headers: {}, log: {} })
        }

        const admission = yield* Ref.modify(
          limitState,
          (state) => RateLimits.admit(state, limitsFor(route as Route, method), time)
        )
        if (admission._tag === "Rejected") {
          return yield* respond(request, time, {
            reply: rateLimitExceeded,
            headers: {
              ...admission.headers,
              "retry-after": String(admission.retryAfterSeconds),
              "x-rate-limit-type": admission.type
            },
            log: { method, rateLimitType: admission.type }
          })
        }
        const headers = admission.headers
        const reply = () => endpoint.reply(route as Route, params, query)
        if (!Faults.appliesTo(options.faults, method)) {
          return yield* respond(request, time, { reply: reply(), headers, log: { method } })
        }

        const decision = yield* decideFault(request.url.split("?")[0])
        const latency = decision.latencyMs > 0 ? { latencyMs: decision.latencyMs } : {}
        if (decision.latencyMs > 0) yield* Effect.sleep(decision.latencyMs)
        switch (decision.fault) {
          case "connectionReset": {
            const response = yield* respond(request, time, {
              reply: { status: 0, body: "" },
              headers,
              log: { method, fault: "connectionReset", ...latency }
            })
            // A TCP RST instead of any response; the client sees ECONNRESET.
            NodeHttpServerRequest.toIncomingMessage(request).socket.resetAndDestroy()
            return response
          }
          case "serviceRateLimit": {
            yield* Ref.update(limitState, RateLimits.countServiceRejection)
            return yield* respond(request, time, {
              reply: rateLimitExceeded,
              headers: { ...headers, "x-rate-limit-type": "service" },
              log: { method, rateLimitType: "service", fault: "serviceRateLimit", ...latency }
            })
          }
          case "serverError": {
            const status = decision.status!
            return yield* respond(request, time, {
              reply: riotError(status, serverErrorMessages[status] ?? "Server error"),
              headers,
              log: { method, fault: "serverError", ...latency }
            })
          }
          case "truncatedJson":
          case "malformedJson": {
            // Only a successful body is served broken; an error reply stays intact.
            const intact = reply()
            if (intact.status !== 200) {
              return yield* respond(request, time, { reply: intact, headers, log: { method, ...latency } })
            }
            const body = decision.fault === "truncatedJson" ? Faults.truncate(intact.body) : Faults.malform(intact.body)
            return yield* respond(request, time, {
              reply: { status: 200, body },
              headers,
              log: { method, fault: decision.fault, ...latency }
            })
          }
          default:
            return yield* respond(request, time, { reply: reply(), headers, log: { method, ...latency } })
        }
      })

    const notFound = Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const time = yield* Clock.currentTimeMillis
      return yield* respond(request, time, { reply: authenticate(request) ?? resourceNotFound, headers: {}, log: {} })
    })

    const app = endpoints
      .reduce<HttpRouter.HttpRouter>(
        (router, endpoint) => HttpRouter.get(router, endpoint.path, handle(endpoint)),
        HttpRouter.empty
      )
      .pipe(Effect.catchTag("RouteNotFound", () => notFound))

    const server = yield* NodeHttpServer.make(() => Http.createServer(), { port: options.port ?? 0, host: "127.0.0.1" })
    yield* server.serve(app)
    const port = (server.address as HttpServer.TcpAddress).port
    const url = `http://127.0.0.1:${port}`
    const mock: MockServer = {
      url,
      baseUrl: `${url}/{route}`,
      port,
      seed,
      apiKey,
      accounts: dataset.accounts,
      coverage: endpoints.map((endpoint) => ({
        method: endpoint.method,
        path: endpoint.operation.path,
        source: endpoint.source
      })),
      requestLog: Effect.sync(requestLog.toArray),
      rateLimitReport: Effect.map(Ref.get(limitState), RateLimits.report)
    }
    return mock
  })

/** @internal */
export const layer = (options?: MockServerOptions) => Layer.scoped(MockServerModule.MockServer, make(options))
