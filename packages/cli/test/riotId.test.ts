import { assert, describe, it } from "@effect/vitest"
import { Either, FastCheck } from "effect"
import { formatRiotId, parseRiotId } from "../src/internal/riotId.js"

describe("parseRiotId", () => {
  it("splits gameName#tagLine", () => {
    assert.deepStrictEqual(parseRiotId("200#16384"), Either.right({ gameName: "200", tagLine: "16384" }))
  })

  it("keeps spaces inside a part and drops them around it", () => {
    assert.deepStrictEqual(parseRiotId(" Faker Fan # KR1 "), Either.right({ gameName: "Faker Fan", tagLine: "KR1" }))
  })

  it("explains each way a Riot ID can be malformed", () => {
    assert.deepStrictEqual(
      parseRiotId("Faker"),
      Either.left(`Invalid Riot ID "Faker": expected gameName#tagLine with exactly one "#", e.g. 200#16384`)
    )
    assert.deepStrictEqual(
      parseRiotId("a#b#c"),
      Either.left(`Invalid Riot ID "a#b#c": expected gameName#tagLine with exactly one "#", e.g. 200#16384`)
    )
    assert.deepStrictEqual(
      parseRiotId(" #KR1"),
      Either.left(`Invalid Riot ID " #KR1": the game name before "#" is empty`)
    )
    assert.deepStrictEqual(
      parseRiotId("Faker#"),
      Either.left(`Invalid Riot ID "Faker#": the tag line after "#" is empty`)
    )
  })

  it("quotes the input in its reason as one line, whatever line breaks or controls it holds", () => {
    assert.deepStrictEqual(
      parseRiotId("a\nb"),
      Either.left(`Invalid Riot ID "a\\x0ab": expected gameName#tagLine with exactly one "#", e.g. 200#16384`)
    )
    assert.deepStrictEqual(
      parseRiotId("\r#x"),
      Either.left(`Invalid Riot ID "\\x0d#x": the game name before "#" is empty`)
    )
    assert.deepStrictEqual(
      parseRiotId("a#\u2028"),
      Either.left(`Invalid Riot ID "a#\\u2028": the tag line after "#" is empty`)
    )
  })

  it.prop("gives a one-line reason for every input it rejects", [
    FastCheck.string({ unit: "binary", maxLength: 300 })
  ], ([input]) => {
    Either.match(parseRiotId(input), {
      onLeft: (reason) => {
        // eslint-disable-next-line no-control-regex -- matching line breaks and controls is the point
        assert.notMatch(reason, /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/)
        assert.isAtMost(Array.from(reason).length, 300)
      },
      onRight: () => {}
    })
  })

  const part = FastCheck.string({ minLength: 1 }).filter((s) => !s.includes("#") && s.trim() === s && s !== "")

  it.prop("reads back what formatRiotId wrote", [part, part], ([gameName, tagLine]) => {
    assert.deepStrictEqual(parseRiotId(formatRiotId({ gameName, tagLine })), Either.right({ gameName, tagLine }))
  })

  it.prop("rejects every input without a #", [FastCheck.string().filter((s) => !s.includes("#"))], ([input]) => {
    assert.isTrue(Either.isLeft(parseRiotId(input)))
  })
})
