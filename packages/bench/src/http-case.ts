/**
 * The child-process entry of one HTTP run:
 * `node dist/http-case.js '<HttpCaseArgs as JSON>'` warms up, runs the
 * requests, and prints the `HttpRun` as one JSON line.
 *
 * @since 0.1.0
 */
import { MockServer } from "@volley/mock-server"
import * as fs from "node:fs"
import * as Http from "./Http.js"

/**
 * What the parent tells one HTTP run.
 *
 * @since 0.1.0
 * @category models
 */
export interface HttpCaseArgs {
  readonly approach: Http.HttpApproach
  /** A JSON file with the `MatchRequest`s to issue, in order. */
  readonly requestsFile: string
  readonly concurrency: number
  readonly baseUrl: string
  /** Requests issued (and not measured) before the run, to open connections and compile hot paths. */
  readonly warmup: number
  readonly maxRetries: number
}

const args = JSON.parse(process.argv[2] ?? "{}") as HttpCaseArgs
const requests = JSON.parse(fs.readFileSync(args.requestsFile, "utf8")) as ReadonlyArray<Http.MatchRequest>
const apiKey = MockServer.defaultApiKey
const runners: Record<Http.HttpApproach, (batch: ReadonlyArray<Http.MatchRequest>) => Promise<Http.HttpRun>> = {
  client: (batch) => Http.runClient(batch, args.concurrency, args.baseUrl, apiKey, args.maxRetries),
  "effect-httpclient": (batch) => Http.runEffectHttpClient(batch, args.concurrency, args.baseUrl, apiKey),
  "bare-fetch": (batch) => Http.runBareFetch(batch, args.concurrency, args.baseUrl, apiKey)
}
const run = runners[args.approach]

const main = async () => {
  if (args.warmup > 0) await run(requests.slice(0, args.warmup))
  const result = await run(requests)
  process.stdout.write(JSON.stringify({ ...result, maxRssBytes: process.resourceUsage().maxRSS * 1024 }) + "\n")
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
})
