import * as ParseResult from "effect/ParseResult"

// A Type issue quotes the offending value; when that value is a whole
// participant the message would be tens of kB, too much for one log line.
const maxMessageLength = 300

const identifierPattern = /^[A-Za-z_$][\w$]*$/

const formatKey = (key: PropertyKey, isFirst: boolean): string => {
  if (typeof key === "number") {
    return `[${key}]`
  }
  if (typeof key === "string" && identifierPattern.test(key)) {
    return isFirst ? key : `.${key}`
  }
  return `[${typeof key === "string" ? JSON.stringify(key) : String(key)}]`
}

/** @internal */
export const formatPath = (path: ReadonlyArray<PropertyKey>): string =>
  path.length === 0 ? "(root)" : path.map((key, index) => formatKey(key, index === 0)).join("")

const toOneLine = (message: string): string => {
  const line = message.replace(/\s*\n\s*/g, " ")
  return line.length > maxMessageLength ? `${line.slice(0, maxMessageLength - 1)}…` : line
}

/** @internal */
export const formatDecodeError = (error: ParseResult.ParseError): string => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  if (issues.length === 0) {
    return toOneLine(error.message)
  }
  const [first] = issues
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : ""
  return `${formatPath(first.path)}: ${toOneLine(first.message)}${more}`
}
