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

  const part = FastCheck.string({ minLength: 1 }).filter((s) => !s.includes("#") && s.trim() === s && s !== "")

  it.prop("reads back what formatRiotId wrote", [part, part], ([gameName, tagLine]) => {
    assert.deepStrictEqual(parseRiotId(formatRiotId({ gameName, tagLine })), Either.right({ gameName, tagLine }))
  })

  it.prop("rejects every input without a #", [FastCheck.string().filter((s) => !s.includes("#"))], ([input]) => {
    assert.isTrue(Either.isLeft(parseRiotId(input)))
  })
})
