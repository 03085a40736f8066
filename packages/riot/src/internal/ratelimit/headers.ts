import type { RateLimitWindow, WindowCount } from "../../RiotRateLimiter.js"

/** @internal */
export const header = (headers: Readonly<Record<string, string>>, name: string): string | undefined => {
  const exact = headers[name]
  if (exact !== undefined) return exact
  for (const key in headers) {
    if (key.toLowerCase() === name) return headers[key]
  }
  return undefined
}

const parsePairs = (value: string): ReadonlyArray<readonly [number, number]> | undefined => {
  const pairs: Array<readonly [number, number]> = []
  for (const part of value.split(",")) {
    const match = /^\s*(\d+)\s*:\s*(\d+)\s*$/.exec(part)
    if (match === null) return undefined
    pairs.push([Number(match[1]), Number(match[2])])
  }
  return pairs
}

/** @internal */
export const parseLimits = (value: string): ReadonlyArray<RateLimitWindow> | undefined => {
  const pairs = parsePairs(value)
  if (pairs === undefined || pairs.some(([, seconds]) => seconds === 0)) return undefined
  return pairs.map(([limit, windowSeconds]) => ({ limit, windowSeconds }))
}

/** @internal */
export const parseCounts = (value: string): ReadonlyArray<WindowCount> | undefined => {
  const pairs = parsePairs(value)
  return pairs?.map(([count, windowSeconds]) => ({ count, windowSeconds }))
}

/** @internal */
export const parseRetryAfterMillis = (value: string | undefined): number | undefined => {
  if (value === undefined) return undefined
  const seconds = Number(value.trim())
  return Number.isFinite(seconds) && seconds >= 0 && value.trim() !== "" ? seconds * 1000 : undefined
}
