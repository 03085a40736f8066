import * as Console from "effect/Console"
import * as Effect from "effect/Effect"

// The SGR sequences (colour, bold) in which @effect/cli renders its help and errors.
// eslint-disable-next-line no-control-regex -- the escape character is what this matches
const sgr = /\x1b\[[0-9;]*m/g

const strip = (args: ReadonlyArray<unknown>) => args.map((arg) => typeof arg === "string" ? arg.replace(sgr, "") : arg)

// https://no-color.org: set and not empty
const noColor = () => (process.env.NO_COLOR ?? "") !== ""

/**
 * Runs `self` with a console that drops colour from what it writes to a
 * stream that is not a terminal, or to any stream when `NO_COLOR` is set.
 * @effect/cli always colours its help and errors and has no option against it
 * (the same helper sits in @volley/cli, whose `volley` runs @effect/cli too).
 *
 * @internal
 */
export const withPlainTextUnlessTerminal = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.flatMap(Effect.console, (console) => {
    const plainStdout = noColor() || process.stdout.isTTY !== true
    const plainStderr = noColor() || process.stderr.isTTY !== true
    if (!plainStdout && !plainStderr) return self
    const log = (...args: ReadonlyArray<unknown>) => plainStdout ? console.log(...strip(args)) : console.log(...args)
    const error = (...args: ReadonlyArray<unknown>) =>
      plainStderr ? console.error(...strip(args)) : console.error(...args)
    return Console.withConsole(self, { ...console, log, error })
  })
