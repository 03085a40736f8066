/**
 * What the end-to-end tests of `volley` need from the machine and from a
 * child process's output.
 */
import { execFileSync } from "node:child_process"
import type { Readable } from "node:stream"

/** Whether `command --version` runs here: the tests that need `script` or `redis-server` skip without them. */
export const hasCommand = (command: string): boolean => {
  try {
    execFileSync(command, ["--version"], { stdio: "ignore" })
    return true
  } catch {
    return false
  }
}

/**
 * Resolves with what `stream` has written so far, as soon as `isEnough` says
 * it is enough; rejects if the stream ends first.
 */
export const outputUntil = (stream: Readable, isEnough: (seen: string) => boolean): Promise<string> =>
  new Promise((resolve, reject) => {
    let seen = ""
    stream.on("data", (chunk) => {
      seen += chunk
      if (isEnough(seen)) resolve(seen)
    })
    stream.on("end", () => reject(new Error(`the output ended before the test saw what it waits for:\n${seen}`)))
  })
