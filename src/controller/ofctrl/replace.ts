// The full-replace bundle: delete every flow and group, then add the desired groups (flows refer to
// them) and flows.  Used for the first install on a connection, when what the switch holds is unknown.
// Pure.

import type { MessageList } from "../../openflow/conn.js";
import type { OfMessageBody } from "../../openflow/messages.js";
import {
  type FlowMod,
  type GroupMod,
  OFPG_ALL,
  OFPG_ANY,
  OFPP_ANY,
  OFPTT_ALL,
} from "../../openflow/model.js";

/** Deletes every flow of every table. */
export const DELETE_ALL_FLOWS: FlowMod = {
  command: "delete",
  table: OFPTT_ALL,
  priority: 0,
  cookie: 0n,
  cookieMask: 0n,
  outPort: OFPP_ANY,
  outGroup: OFPG_ANY,
  match: [],
  actions: [],
};

/** Deletes every group. */
export const DELETE_ALL_GROUPS: GroupMod = { command: "delete", type: "all", groupId: OFPG_ALL, buckets: [] };

export function fullReplaceMessages(groups: readonly GroupMod[], flows: readonly FlowMod[]): OfMessageBody[] {
  return [
    { kind: "flow_mod", flowMod: DELETE_ALL_FLOWS },
    { kind: "group_mod", groupMod: DELETE_ALL_GROUPS },
    ...groups.map(
      (groupMod): OfMessageBody => ({ kind: "group_mod", groupMod: { ...groupMod, command: "add" } }),
    ),
    // An add already (the usual case) is sent as it is: no copy of every flow of the table.
    ...flows.map(
      (flowMod): OfMessageBody => ({
        kind: "flow_mod",
        flowMod: flowMod.command === "add" ? flowMod : { ...flowMod, command: "add" },
      }),
    ),
  ];
}

/**
 * fullReplaceMessages(groups, flows.map(toMod)) as a list that makes each message when asked: the
 * FlowMods of a start-up install (~9.5k) are made one stream chunk at a time and die young.  `toMod`
 * must give the same FlowMod for a flow every time (it is asked again for a flow the switch refused).
 */
export function fullReplaceList<F>(
  groups: readonly GroupMod[],
  flows: readonly F[],
  toMod: (f: F) => FlowMod,
): MessageList {
  const head: OfMessageBody[] = fullReplaceMessages(groups, []);
  return {
    length: head.length + flows.length,
    at(i) {
      if (i < head.length) return head[i];
      const f = flows[i - head.length];
      if (f === undefined) return undefined;
      const m = toMod(f);
      return { kind: "flow_mod", flowMod: m.command === "add" ? m : { ...m, command: "add" } };
    },
  };
}
