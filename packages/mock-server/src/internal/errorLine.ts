import type * as HelpDoc from "@effect/cli/HelpDoc"
import type * as Span from "@effect/cli/HelpDoc/Span"

// The same two helpers sit in @volley/cli (internal/helpDocText.ts and
// internal/safeText.ts, with more cases); this package cannot depend on it,
// and they are not part of either package's API.

const spanText = (span: Span.Span): string => {
  switch (span._tag) {
    case "Text":
    case "URI":
      return span.value
    case "Highlight":
    case "Strong":
    case "Weak":
      return spanText(span.value)
    case "Sequence":
      return spanText(span.left) + spanText(span.right)
  }
}

const blocks = (doc: HelpDoc.HelpDoc): ReadonlyArray<string> => {
  switch (doc._tag) {
    case "Empty":
      return []
    case "Header":
    case "Paragraph":
      return [spanText(doc.value)]
    case "DescriptionList":
      return doc.definitions.flatMap(([term, description]) => [spanText(term), ...blocks(description)])
    case "Enumeration":
      return doc.elements.flatMap(blocks)
    case "Sequence":
      return [...blocks(doc.left), ...blocks(doc.right)]
  }
}

/**
 * The text of an @effect/cli `HelpDoc` (a usage error) with its blocks
 * joined by spaces instead of rendered on lines of their own, and without
 * colours. A rejected argument quoted in it is still raw: see {@link oneLine}.
 *
 * @internal
 */
export const helpDocText = (doc: HelpDoc.HelpDoc): string =>
  blocks(doc).map((block) => block.trim()).filter((block) => block !== "").join(" ")

/**
 * Characters that would break a line or act on a terminal: C0 controls
 * (LF, CR, ESC, ...), DEL, C1 controls, the line and paragraph separators,
 * bidirectional marks, embeddings, overrides and isolates.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const unsafe = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g

const escaped = (character: string): string => {
  const code = character.charCodeAt(0)
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`
}

/**
 * The longest error line `mock-server` writes, in code points: a hostile
 * argument cannot flood a terminal.
 *
 * @internal
 */
export const maxLineLength = 400

/**
 * A message that may quote the user's input, as exactly one line of a
 * terminal: every character of {@link unsafe} shown as its escape (`\x0a`,
 * `\u2028`), cut to {@link maxLineLength} code points with `…`.
 *
 * @internal
 */
export const oneLine = (text: string): string => {
  const codePoints = Array.from(text.replace(unsafe, escaped))
  return codePoints.length <= maxLineLength
    ? codePoints.join("")
    : codePoints.slice(0, maxLineLength - 1).join("") + "…"
}
