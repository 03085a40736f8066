import { assert, describe, it } from "@effect/vitest"
import { Duration, Either, FastCheck } from "effect"
import { defaultRedisWaitSeconds, parseOnRedisLost } from "../src/internal/connection.js"

describe("parseOnRedisLost", () => {
  it("reads wait, wait:SECONDS, fail and share:N", () => {
    assert.deepStrictEqual(
      parseOnRedisLost("wait"),
      Either.right({ waitForReconnect: Duration.seconds(defaultRedisWaitSeconds) })
    )
    assert.deepStrictEqual(parseOnRedisLost("wait:30"), Either.right({ waitForReconnect: Duration.seconds(30) }))
    assert.deepStrictEqual(parseOnRedisLost("fail"), Either.right("fail"))
    assert.deepStrictEqual(parseOnRedisLost("share:3"), Either.right({ localShareOf: 3 }))
  })

  it.prop("rejects anything else with a one-line reason", [
    FastCheck.string({ unit: "binary", maxLength: 20 }).filter((input) =>
      !/^(wait|fail|wait:\d+|share:\d+)$/.test(input)
    )
  ], ([input]) => {
    Either.match(parseOnRedisLost(input), {
      onLeft: (reason) => assert.match(reason, /^--on-redis-lost: expected /),
      onRight: (parsed) => assert.fail(`${JSON.stringify(input)} was read as ${JSON.stringify(parsed)}`)
    })
  })

  it("rejects counts outside 1 to 3600", () => {
    for (const input of ["wait:0", "share:0", "wait:3601", "wait:-1", "share:1.5"]) {
      assert.isTrue(Either.isLeft(parseOnRedisLost(input)), input)
    }
  })
})
