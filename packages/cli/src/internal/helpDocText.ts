import type * as HelpDoc from "@effect/cli/HelpDoc"
import type * as Span from "@effect/cli/HelpDoc/Span"

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
 * colours. The text is as the doc holds it: a rejected argument quoted in it
 * is still raw, for the caller to make safe.
 *
 * @internal
 */
export const helpDocText = (doc: HelpDoc.HelpDoc): string =>
  blocks(doc).map((block) => block.trim()).filter((block) => block !== "").join(" ")
