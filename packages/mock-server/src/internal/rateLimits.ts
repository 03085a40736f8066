import type { Route } from "@volley/riot/Routing"
import * as Either from "effect/Either"
import type { MethodName, RateLimitReport, RateLimitType, RateLimitWindow, WindowPeak } from "../MockServer.js"

/** @internal */
export const parseWindows = <E>(
  input: string,
  onError: () => E
): Either.Either<ReadonlyArray<RateLimitWindow>, E> => {
  const windows: Array<RateLimitWindow> = []
  for (const pair of input.split(",")) {
    const match = /^\s*(\d+):(\d+)\s*$/.exec(pair)
    if (match === null || Number(match[2]) === 0) return Either.left(onError())
    windows.push({ limit: Number(match[1]), windowSeconds: Number(match[2]) })
  }
  return Either.right(windows)
}

/** @internal */
export const formatWindows = (windows: ReadonlyArray<RateLimitWindow>): string =>
  windows.map((window) => `${window.limit}:${window.windowSeconds}`).join(",")

/**
 * One limit a request is checked against: the application limit of its
 * route, or the method limit of its (route, method).
 *
 * @internal
 */
export interface LimitScope {
  readonly scope: "application" | "method"
  readonly route: Route
  readonly method?: MethodName
  readonly windows: ReadonlyArray<RateLimitWindow>
}

interface FixedWindow {
  readonly startedAt: number
  readonly count: number
  readonly peakCount: number
}

/**
 * Per limit scope key, one fixed window per configured window length.
 *
 * @internal
 */
export interface State {
  readonly windows: ReadonlyMap<string, ReadonlyArray<FixedWindow>>
  readonly scopes: ReadonlyMap<string, LimitScope>
  readonly rejected: { readonly [T in RateLimitType]: number }
}

/** @internal */
export const initialState: State = {
  windows: new Map(),
  scopes: new Map(),
  rejected: { application: 0, method: 0, service: 0 }
}

/** @internal */
export type Admission =
  | { readonly _tag: "Accepted"; readonly headers: Record<string, string> }
  | {
    readonly _tag: "Rejected"
    readonly type: "application" | "method"
    readonly retryAfterSeconds: number
    readonly headers: Record<string, string>
  }

const keyOf = (limit: LimitScope): string =>
  limit.scope === "application" ? `application ${limit.route}` : `method ${limit.route} ${limit.method}`

const isExpired = (window: FixedWindow, windowSeconds: number, now: number): boolean =>
  now >= window.startedAt + windowSeconds * 1000

/**
 * Riot's fixed windows: a window opens at the first request after the
 * previous one expired, and counts until it expires in turn. A rejected
 * request changes nothing, so a 429 does not use up a slot (Riot's own
 * behaviour here is undocumented; not consuming is the kinder reading and
 * keeps a client that backs off on Retry-After from being punished twice).
 *
 * @internal
 */
export const admit = (
  state: State,
  limits: ReadonlyArray<LimitScope>,
  now: number
): readonly [Admission, State] => {
  const current = limits.map((limit) =>
    limit.windows.map((window, index): FixedWindow => {
      const existing = state.windows.get(keyOf(limit))?.[index]
      if (existing === undefined) return { startedAt: now, count: 0, peakCount: 0 }
      return isExpired(existing, window.windowSeconds, now) ?
        { startedAt: now, count: 0, peakCount: existing.peakCount } :
        existing
    })
  )
  let rejectedBy: "application" | "method" | undefined
  let retryAfterSeconds = 0
  limits.forEach((limit, i) =>
    limit.windows.forEach((window, j) => {
      const fixed = current[i][j]
      if (fixed.count + 1 > window.limit) {
        rejectedBy ??= limit.scope
        const resetsInMs = fixed.startedAt + window.windowSeconds * 1000 - now
        retryAfterSeconds = Math.max(retryAfterSeconds, Math.max(1, Math.ceil(resetsInMs / 1000)))
      }
    })
  )
  if (rejectedBy !== undefined) {
    const counts = current.map((fixedWindows) => fixedWindows.map((fixed) => fixed.count))
    return [
      { _tag: "Rejected", type: rejectedBy, retryAfterSeconds, headers: headersFor(limits, counts) },
      { ...state, rejected: { ...state.rejected, [rejectedBy]: state.rejected[rejectedBy] + 1 } }
    ]
  }
  const windows = new Map(state.windows)
  const scopes = new Map(state.scopes)
  const counts = limits.map((limit, i) => {
    const next = current[i].map((fixed) => ({
      startedAt: fixed.startedAt,
      count: fixed.count + 1,
      peakCount: Math.max(fixed.peakCount, fixed.count + 1)
    }))
    windows.set(keyOf(limit), next)
    scopes.set(keyOf(limit), limit)
    return next.map((fixed) => fixed.count)
  })
  return [{ _tag: "Accepted", headers: headersFor(limits, counts) }, { ...state, windows, scopes }]
}

/** @internal */
export const countServiceRejection = (state: State): State => ({
  ...state,
  rejected: { ...state.rejected, service: state.rejected.service + 1 }
})

const headersFor = (
  limits: ReadonlyArray<LimitScope>,
  counts: ReadonlyArray<ReadonlyArray<number>>
): Record<string, string> => {
  const headers: Record<string, string> = {}
  limits.forEach((limit, i) => {
    const prefix = limit.scope === "application" ? "x-app-rate-limit" : "x-method-rate-limit"
    headers[prefix] = formatWindows(limit.windows)
    headers[`${prefix}-count`] = limit.windows.map((window, j) => `${counts[i][j]}:${window.windowSeconds}`).join(",")
  })
  return headers
}

/** @internal */
export const report = (state: State): RateLimitReport => {
  const windows: Array<WindowPeak> = []
  for (const [key, fixedWindows] of state.windows) {
    const limit = state.scopes.get(key)!
    limit.windows.forEach((window, index) =>
      windows.push({
        scope: limit.scope,
        route: limit.route,
        ...(limit.method === undefined ? {} : { method: limit.method }),
        limit: window.limit,
        windowSeconds: window.windowSeconds,
        peakCount: fixedWindows[index].peakCount
      })
    )
  }
  return { rejected: state.rejected, windows }
}
