// Small constructors shared by the physical flow builders.

import { allOnes } from "../../expr/values.js";
import type { FieldName } from "../../openflow/model.js";
import { uuidCookie } from "../lflow/compile.js";
import { ovsField } from "../lflow/fields.js";
import type { Flow, FlowAction, MatchField } from "../lflow/flow.js";

export const exact = (field: FieldName, value: bigint | number): MatchField => ({
  field,
  value: BigInt(value),
  mask: allOnes(ovsField(field).width),
});

export const masked = (field: FieldName, value: bigint | number, mask: bigint | number): MatchField => ({
  field,
  value: BigInt(value),
  mask: BigInt(mask),
});

export const setField = (
  field: FieldName,
  value: bigint | number,
  mask: bigint | number | null = null,
): FlowAction => ({
  kind: "set_field",
  field,
  value: BigInt(value),
  mask: mask === null ? null : BigInt(mask),
});

export const resubmit = (table: number): FlowAction => ({ kind: "resubmit", table });

export function flow(
  table: number,
  priority: number,
  uuid: string | null,
  match: MatchField[],
  actions: FlowAction[],
): Flow {
  return { table, priority, cookie: uuid === null ? 0n : uuidCookie(uuid), match, actions };
}

/** Matches the logical port key `key` in register `reg` of datapath `dpKey`. */
export function portMatch(reg: "reg14" | "reg15", key: number, dpKey: number): MatchField[] {
  return [exact(reg, key), exact("metadata", dpKey)];
}

/** The logical registers, cleared before a pipeline starts. */
export const REG0_9: readonly FieldName[] = [
  "reg0",
  "reg1",
  "reg2",
  "reg3",
  "reg4",
  "reg5",
  "reg6",
  "reg7",
  "reg8",
  "reg9",
];
