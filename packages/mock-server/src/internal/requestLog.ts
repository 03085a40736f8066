import { Buffer } from "node:buffer"
import type { LoggedRequest, MethodName } from "../MockServer.js"
import { maxLoggedPathLength } from "../MockServer.js"

/** What ends a logged path that was cut. */
const cutMarker = "\u2026"

/**
 * A fresh string with the same characters: V8 may represent a slice or a
 * split piece of a string as a view of the whole, which then stays alive as
 * long as the piece does. A log entry must not keep a request's URL that way.
 */
const detached = (text: string): string => Buffer.from(text, "utf16le").toString("utf16le")

/**
 * What a log entry keeps of a request target (`/route/path?query`): the path
 * without the query, cut to {@link maxLoggedPathLength} characters with
 * `…` as the last one when it is longer, and its first segment as the
 * route; copied, so that neither keeps the request's URL alive.
 *
 * @internal
 */
export const loggedTarget = (url: string): Pick<LoggedRequest, "route" | "path"> => {
  const queryAt = url.indexOf("?")
  const path = queryAt === -1 ? url : url.slice(0, queryAt)
  const kept = detached(
    path.length <= maxLoggedPathLength ? path : path.slice(0, maxLoggedPathLength - cutMarker.length) + cutMarker
  )
  return { route: kept.split("/")[1] ?? "", path: kept }
}

/**
 * Two pointers over the accepted requests in time order: for each request,
 * how many accepted requests fall in the window that it opens.
 *
 * @internal
 */
export const maxWindowCount = (
  log: ReadonlyArray<LoggedRequest>,
  options: { readonly route: string; readonly windowSeconds: number; readonly method?: MethodName }
): number => {
  const times = log
    .filter((request) =>
      request.route === options.route &&
      request.status !== 429 &&
      request.status !== 0 &&
      (options.method === undefined || request.method === options.method)
    )
    .map((request) => request.time)
    .sort((a, b) => a - b)
  const windowMs = options.windowSeconds * 1000
  let max = 0
  let end = 0
  for (let start = 0; start < times.length; start++) {
    while (end < times.length && times[end] < times[start] + windowMs) end++
    max = Math.max(max, end - start)
  }
  return max
}
