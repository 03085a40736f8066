import { assert, describe, it } from "@effect/vitest"
import { FastCheck } from "effect"
import { maxUntrustedLength, untrusted, untrustedLines } from "../src/internal/safeText.js"

/** What must never reach a terminal raw: C0, DEL, C1, line separators, bidi controls, lone surrogates. */
const actsOnATerminal =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

const hostile = FastCheck.oneof(
  FastCheck.string({ unit: "binary", maxLength: 400 }),
  FastCheck.array(
    FastCheck.constantFrom(
      "\u001b]0;pwned\u0007",
      "\u001b[2J",
      "\r",
      "\n",
      "\u007f",
      "\u009b31m",
      "\u202e",
      "\u2066",
      "a"
    ),
    { maxLength: 80 }
  ).map((parts) => parts.join(""))
)

describe("untrusted", () => {
  it("shows the escape of an OSC title sequence instead of sending it", () => {
    assert.strictEqual(untrusted("\u001b]0;pwned\u0007#NA1"), "\\x1b]0;pwned\\x07#NA1")
    assert.strictEqual(untrusted("evil\u202eNA1"), "evil\\u202eNA1")
  })

  it("keeps the names of real players as they are", () => {
    for (const name of ["Zoë Fan#EUW 1", "페이커#KR1", "Hide on bush#KR1", "🐢 turtle#NA1"]) {
      assert.strictEqual(untrusted(name), name)
    }
  })

  it.prop("never lets through a character that acts on a terminal, and cuts to the limit", [hostile], ([text]) => {
    const safe = untrusted(text)
    assert.notMatch(safe, actsOnATerminal)
    assert.isAtMost(Array.from(safe).length, maxUntrustedLength)
  })

  it.prop("leaves short printable text alone", [
    FastCheck.string({ unit: "grapheme-ascii", maxLength: maxUntrustedLength }).filter((text) =>
      !actsOnATerminal.test(text)
    )
  ], ([text]) => assert.strictEqual(untrusted(text), text))
})

describe("untrustedLines", () => {
  it.prop("keeps the line breaks and makes each line safe", [FastCheck.array(hostile, { maxLength: 4 })], ([lines]) => {
    const safe = untrustedLines(lines.join("\n"))
    for (const line of safe.split("\n")) assert.notMatch(line, actsOnATerminal)
  })
})
