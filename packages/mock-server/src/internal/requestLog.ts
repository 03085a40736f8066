import type { LoggedRequest, MethodName } from "../MockServer.js"

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
