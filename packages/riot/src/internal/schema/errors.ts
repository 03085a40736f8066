import * as Schema from "effect/Schema"
import * as internalDecodeError from "./decodeError.js"

/**
 * Hand-written, unlike the rest of RiotSchema: the description has no schema
 * for Riot's error bodies that the client could use.
 *
 * @internal
 */
export const RiotErrorBody = Schema.Struct({
  status: Schema.Struct({
    message: Schema.String,
    status_code: Schema.Number
  })
}).annotations({ identifier: "RiotErrorBody" })

/** @internal */
export const formatDecodeError = internalDecodeError.formatDecodeError
