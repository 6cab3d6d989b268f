// The switch's view of a flow: what comes back when Open vSwitch decodes our encoding and reports it
// (load becomes a masked set_field, strip_vlan pop_vlan, registers are normalised, masks that cover a
// whole field disappear …).  Comparing desired flows with flows read from the switch is exact only
// between canonical forms.  Built from the codec itself, so it cannot drift from it.

import type { Action, FlowMod, Match } from "./model.js";
import { decodeMessage, encodeMessage } from "./msg-codec.js";
import type { WireContext } from "./oxm.js";

/** The flow as the switch will report it. Throws (an encoding bug) if the codec cannot round-trip it. */
export function canonicalFlowMod(fm: FlowMod, ctx: WireContext = {}): FlowMod {
  const d = decodeMessage(encodeMessage({ kind: "flow_mod", xid: 0, flowMod: fm }, ctx), ctx);
  if (!d.ok || d.message.kind !== "flow_mod")
    throw new Error(`flow does not round-trip: ${d.ok ? d.message.kind : d.error}`);
  return d.message.flowMod;
}

export function canonicalActions(actions: readonly Action[], ctx: WireContext = {}): Action[] {
  return [
    ...canonicalFlowMod({ command: "add", table: 0, priority: 0, cookie: 0n, match: [], actions }, ctx)
      .actions,
  ];
}

export function canonicalFlowMatch(match: Match, ctx: WireContext = {}): Match {
  return canonicalFlowMod({ command: "add", table: 0, priority: 0, cookie: 0n, match, actions: [] }, ctx)
    .match;
}
