import { RiotOperations } from "@volley/riot"

/** @internal */
export type Operation = RiotOperations.Operation

/** @internal */
export type Param = RiotOperations.Param

/**
 * The methods `volley get` calls: `@volley/riot`'s table, generated from the
 * Riot API description.
 *
 * @internal
 */
export const operations: ReadonlyArray<Operation> = RiotOperations.operations
