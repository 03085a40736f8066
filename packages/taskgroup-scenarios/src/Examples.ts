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
