import * as Hash from "effect/Hash"
import { PCGRandom } from "effect/Utils"
import type { FaultKind, FaultOptions, MethodName } from "../MockServer.js"

/** @internal */
export interface FaultDecision {
  readonly fault?: FaultKind
  /** Set for `serverError`. */
  readonly status?: number
  readonly latencyMs: number
}

/**
 * What has happened to one path so far: how often it was requested, and how
 * many more requests an ongoing server error burst still fails.
 *
 * @internal
 */
export interface PathHistory {
  readonly attempts: number
  readonly burstLeft: number
  readonly burstStatus: number
}

const freshPath: PathHistory = { attempts: 0, burstLeft: 0, burstStatus: 500 }

/** @internal */
export const appliesTo = (options: FaultOptions | undefined, method: MethodName): boolean => {
  if (options === undefined) return false
  const methods = options.methods ?? ["match-v5.getMatch"]
  return methods === "all" || methods.includes(method)
}

/**
 * Decides the fault for the next request of a path. Each decision seeds its
 * own generator from (seed, path, attempt) instead of drawing from one
 * shared stream, so concurrent requests arriving in any order get the same
 * faults for the same seed.
 *
 * @internal
 */
export const decide = (
  options: FaultOptions,
  seed: number,
  path: string,
  history: PathHistory | undefined
): readonly [FaultDecision, PathHistory] => {
  const previous = history ?? freshPath
  const random = new PCGRandom(Hash.string(`${seed} ${path} ${previous.attempts}`))
  const rolls = {
    connectionReset: random.number(),
    serviceRateLimit: random.number(),
    serverError: random.number(),
    truncatedJson: random.number(),
    malformedJson: random.number(),
    status: random.number(),
    jitter: random.number()
  }
  const latencyMs = options.latency === undefined ?
    0 :
    options.latency.ms + Math.floor(rolls.jitter * ((options.latency.jitterMs ?? 0) + 1))
  const next = { ...previous, attempts: previous.attempts + 1 }
  if (previous.burstLeft > 0) {
    return [
      { fault: "serverError", status: previous.burstStatus, latencyMs },
      { ...next, burstLeft: previous.burstLeft - 1 }
    ]
  }
  if (rolls.connectionReset < (options.connectionReset ?? 0)) {
    return [{ fault: "connectionReset", latencyMs }, next]
  }
  if (rolls.serviceRateLimit < (options.serviceRateLimit ?? 0)) {
    return [{ fault: "serviceRateLimit", latencyMs }, next]
  }
  if (options.serverError !== undefined && rolls.serverError < options.serverError.rate) {
    const statuses = options.serverError.statuses ?? [500, 503]
    const status = statuses[Math.floor(rolls.status * statuses.length)]
    const burstLeft = Math.max(0, (options.serverError.burst ?? 1) - 1)
    return [{ fault: "serverError", status, latencyMs }, { ...next, burstLeft, burstStatus: status }]
  }
  if (rolls.truncatedJson < (options.truncatedJson ?? 0)) {
    return [{ fault: "truncatedJson", latencyMs }, next]
  }
  if (rolls.malformedJson < (options.malformedJson ?? 0)) {
    return [{ fault: "malformedJson", latencyMs }, next]
  }
  return [{ latencyMs }, next]
}

/** Half of the body: what a client sees when a response is cut short. @internal */
export const truncate = (body: string): string => body.slice(0, Math.floor(body.length / 2))

/**
 * The full body with its first key or string unquoted, which no JSON parser
 * accepts; a body without one (`[]`) gets a stray brace instead.
 *
 * @internal
 */
export const malform = (body: string): string => {
  const malformed = body.replace(/^([[{])"([^"]*)"/, "$1$2")
  return malformed === body ? `${body}}` : malformed
}
