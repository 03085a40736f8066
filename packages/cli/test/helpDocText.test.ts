import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Span from "@effect/cli/HelpDoc/Span"
import { assert, describe, it } from "@effect/vitest"
import { helpDocText } from "../src/internal/helpDocText.js"

describe("helpDocText", () => {
  it("gives a paragraph's text without the line break @effect/cli renders after it", () => {
    assert.strictEqual(
      helpDocText(HelpDoc.p("Missing argument <gameName#tagLine>")),
      "Missing argument <gameName#tagLine>"
    )
    assert.strictEqual(HelpDoc.toAnsiText(HelpDoc.p("x")).endsWith("\n"), true)
  })

  it("puts every block of a doc on one line, joined by spaces, without colours", () => {
    const doc = HelpDoc.sequence(
      HelpDoc.h1("Problem"),
      HelpDoc.blocks([
        HelpDoc.p(Span.spans([Span.error("bad"), Span.text(" value "), Span.code("--count")])),
        HelpDoc.enumeration([HelpDoc.p("one"), HelpDoc.p(Span.uri("https://example.com"))]),
        HelpDoc.descriptionList([[Span.strong("term"), HelpDoc.p(Span.weak("meaning"))]])
      ])
    )
    assert.strictEqual(helpDocText(doc), "Problem bad value --count one https://example.com term meaning")
    assert.strictEqual(helpDocText(HelpDoc.empty), "")
  })

  it("leaves the input quoted in a doc as it is, for the caller to make safe", () => {
    assert.strictEqual(
      helpDocText(HelpDoc.p("Received unknown argument: '--a\nb'")),
      "Received unknown argument: '--a\nb'"
    )
  })
})
