// Incremental flow-table updates: what br-int holds (as we last installed it) against what it should
// hold, turned into the few flow_mods and group_mods that get from one to the other.  OpenFlow
// identifies a flow by table + priority + match (that is what delete_strict / modify_strict select
// on), so that triple is the key and the actions plus cookie are the value.  Pure.

import type { OfMessageBody } from "../../openflow/messages.js";
import { type FlowMod, type GroupMod, OFPG_ANY, OFPP_ANY } from "../../openflow/model.js";
import { formatActions, matchKey } from "../../openflow/text.js";

// FlowMods are never changed after they are made, and the controller hands in the same objects pass
// after pass for flows that did not change (incremental/desired-cache.ts), so their keys are
// remembered per object rather than printed again for every diff (the installed table holds them
// anyway).  Values are not: each flow's is asked for about once (its hash when it is new, and a
// comparison when its key's flow changes), and keeping ~10k action texts cost ~1.5 MiB.
const keys = new WeakMap<FlowMod, string>();

/** A flow's identity on the switch: table, priority and the (normalised) match. */
/** The flow_mod that removes exactly `f` (its table, priority and match). */
export function deleteStrict(f: FlowMod): FlowMod {
  return {
    command: "delete_strict",
    table: f.table,
    priority: f.priority,
    cookie: 0n,
    cookieMask: 0n,
    outPort: OFPP_ANY,
    outGroup: OFPG_ANY,
    match: f.match,
    actions: [],
  };
}

export function flowKey(fm: FlowMod): string {
  let k = keys.get(fm);
  if (k === undefined) {
    k = flowKeyText(fm);
    keys.set(fm, k);
  }
  return k;
}

/** flowKey without remembering it (for a FlowMod made only to be keyed). */
export function flowKeyText(fm: FlowMod): string {
  // matchKey is equal exactly when formatMatch would print the same, without the printing.
  // One flat string: a template literal would keep a tree of pieces (~50 bytes more per flow).
  return [fm.table, "|", fm.priority, "|", matchKey(fm.match)].join("");
}

/** What an installed flow does: compared to decide whether it needs a modify. */
export function flowValue(fm: FlowMod): string {
  return `${fm.cookie}|${formatActions(fm.actions)}`;
}

const groupValues = new WeakMap<GroupMod, string>();

/** A group's whole definition, for equality (remembered per object, as flowKey is). */
export function groupValue(g: GroupMod): string {
  let v = groupValues.get(g);
  if (v === undefined) {
    const { command: _c, ...rest } = g;
    v = JSON.stringify(rest, (_k, x) => (typeof x === "bigint" ? `${x}n` : x));
    groupValues.set(g, v);
  }
  return v;
}

/** The installed (or desired) table, by key.  A later flow with the same key replaces an earlier
 * one, as an OpenFlow "add" of an identical match would. */
export interface FlowTable {
  readonly flows: ReadonlyMap<string, FlowMod>;
  readonly groups: ReadonlyMap<number, GroupMod>;
}

export function flowTable(flows: readonly FlowMod[], groups: readonly GroupMod[]): FlowTable {
  const byKey = new Map<string, FlowMod>();
  // Flows already written as adds are kept as they are (the same objects, see flowKey).
  for (const f of flows) byKey.set(flowKey(f), f.command === "add" ? f : { ...f, command: "add" as const });
  const byId = new Map<number, GroupMod>();
  for (const g of groups) byId.set(g.groupId, g.command === "add" ? g : { ...g, command: "add" });
  return { flows: byKey, groups: byId };
}

export interface TableDiff {
  readonly addGroups: readonly GroupMod[];
  readonly modifyGroups: readonly GroupMod[];
  readonly deleteFlows: readonly FlowMod[];
  readonly addFlows: readonly FlowMod[];
  readonly modifyFlows: readonly FlowMod[];
  readonly deleteGroups: readonly GroupMod[];
}

export function diffTables(installed: FlowTable, desired: FlowTable): TableDiff {
  const addGroups: GroupMod[] = [];
  const modifyGroups: GroupMod[] = [];
  const deleteGroups: GroupMod[] = [];
  for (const [id, g] of desired.groups) {
    const old = installed.groups.get(id);
    if (old === undefined) addGroups.push({ ...g, command: "add" });
    else if (old !== g && groupValue(old) !== groupValue(g)) modifyGroups.push({ ...g, command: "modify" });
  }
  for (const [id, g] of installed.groups)
    if (!desired.groups.has(id))
      deleteGroups.push({ command: "delete", type: g.type, groupId: id, buckets: [] });

  const deleteFlows: FlowMod[] = [];
  const addFlows: FlowMod[] = [];
  const modifyFlows: FlowMod[] = [];
  for (const [k, f] of installed.flows) if (!desired.flows.has(k)) deleteFlows.push(deleteStrict(f));
  for (const [k, f] of desired.flows) {
    const old = installed.flows.get(k);
    if (old === undefined) addFlows.push({ ...f, command: "add" });
    else if (old !== f && flowValue(old) !== flowValue(f))
      // modify_strict leaves the cookie alone (OpenFlow 1.1+), so a new cookie needs an add, which
      // replaces the flow of the same table/priority/match whole.
      modifyFlows.push(
        old.cookie === f.cookie ? { ...f, command: "modify_strict" } : { ...f, command: "add" },
      );
  }
  return { addGroups, modifyGroups, deleteFlows, addFlows, modifyFlows, deleteGroups };
}

export function diffSize(d: TableDiff): number {
  return (
    d.addGroups.length +
    d.modifyGroups.length +
    d.deleteFlows.length +
    d.addFlows.length +
    d.modifyFlows.length +
    d.deleteGroups.length
  );
}

/** The bundle's messages in a safe order: groups the new flows use exist before them, and groups go
 * away only after the flows using them (deleting a group deletes the flows that output to it). */
export function diffMessages(d: TableDiff): OfMessageBody[] {
  return [
    ...d.addGroups.map((groupMod): OfMessageBody => ({ kind: "group_mod", groupMod })),
    ...d.modifyGroups.map((groupMod): OfMessageBody => ({ kind: "group_mod", groupMod })),
    ...d.deleteFlows.map((flowMod): OfMessageBody => ({ kind: "flow_mod", flowMod })),
    ...d.addFlows.map((flowMod): OfMessageBody => ({ kind: "flow_mod", flowMod })),
    ...d.modifyFlows.map((flowMod): OfMessageBody => ({ kind: "flow_mod", flowMod })),
    ...d.deleteGroups.map((groupMod): OfMessageBody => ({ kind: "group_mod", groupMod })),
  ];
}
