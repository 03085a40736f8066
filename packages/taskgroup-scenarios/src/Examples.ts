/**
 * The `@example` blocks of a public module, for the tests of both editions
 * that check them: that each compiles, and that each program it defines
 * runs to its end. An example a user copies must not hang.
 */

/** Every `@example` block of `source`'s JSDoc, as code. */
export const examplesOf = (source: string): Array<string> =>
  [...source.matchAll(/@example\n \* ```ts\n([\s\S]*?) \* ```/g)].map((match) =>
    match[1].split("\n").map((line) => line.replace(/^ \* ?/, "")).join("\n")
  )

/**
 * An example as a module that exports what it defines at its top level
 * (`const name = …`), as `examples`, so that a test can run each program.
 */
export const asModule = (example: string): string => {
  const names = [...example.matchAll(/^const (\w+) =/gm)].map((match) => match[1])
  return `${example}\nexport const examples: ReadonlyArray<unknown> = [${names.join(", ")}]\n`
}

/** One example program as an edition has started it: whether it succeeded once it ends, and how to stop it. */
export interface Started {
  readonly succeeded: Promise<boolean>
  readonly stop: () => void
}

/**
 * Runs each program in turn, on the real clock as a user runs it, and gives
 * up on one after `millis` without waiting for it (a scope that never closes
 * cannot be interrupted either). Returns how many ran, and a line for each
 * that failed or did not end.
 */
export const runEach = async (
  programs: ReadonlyArray<{ readonly example: number; readonly start: () => Started }>,
  millis: number
): Promise<{ readonly ran: number; readonly problems: ReadonlyArray<string> }> => {
  const problems: Array<string> = []
  for (const { example, start } of programs) {
    const started = start()
    let timer: ReturnType<typeof setTimeout> | undefined
    const succeeded = await Promise.race([
      started.succeeded,
      new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), millis)))
    ])
    clearTimeout(timer)
    if (succeeded === undefined) {
      started.stop()
      problems.push(`example ${example} did not end`)
    } else if (!succeeded) problems.push(`example ${example} failed`)
  }
  return { ran: programs.length, problems }
}
