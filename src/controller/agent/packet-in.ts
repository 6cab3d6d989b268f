// NXT_PACKET_IN2 → pinctrl's PacketIn: the frame, the controller action's userdata decoded into a
// PinctrlAction, and OVN's logical registers read from the packet-in's pipeline fields (metadata =
// logical datapath, reg14 = logical inport, reg15 = logical outport, reg0..15).  Total: anything the
// switch sends that is not an OVN controller action comes back as a reason to drop, never a throw.  Pure.

import type { MatchField, PacketIn2 } from "../../openflow/index.js";
import { type Decoded, fail, ok } from "../../packet/result.js";
import type { PacketIn, PacketMetadata } from "../pinctrl/types.js";
import { decodeUserdata } from "../pinctrl/userdata.js";

/** The 16 registers of a packet-in's fields (absent ones are 0). */
function registers(fields: readonly MatchField[]): number[] {
  const regs = new Array<number>(16).fill(0);
  for (const f of fields) {
    const m = /^reg(\d+)$/.exec(f.field);
    if (m !== null) regs[Number(m[1])] = Number(f.value & 0xffffffffn);
  }
  return regs;
}

function value(fields: readonly MatchField[], name: string): bigint {
  return fields.find((f) => f.field === name)?.value ?? 0n;
}

/** True when the frame carries IPv6 (after any 802.1Q tags): `icmp4 {}` and `icmp6 {}` share an opcode. */
export function frameIsIpv6(frame: Uint8Array): boolean {
  let at = 12;
  for (;;) {
    if (frame.length < at + 2) return false;
    const type = ((frame[at] ?? 0) << 8) | (frame[at + 1] ?? 0);
    if (type === 0x8100 || type === 0x88a8) at += 4;
    else return type === 0x86dd;
  }
}

export function pipelineMetadata(fields: readonly MatchField[]): PacketMetadata {
  const regs = registers(fields);
  return {
    datapath: Number(value(fields, "metadata") & 0xffffffn),
    inport: regs[14] ?? 0,
    outport: regs[15] ?? 0,
    regs,
  };
}

/** A packet-in from br-int as pinctrl's input; a failure is the drop counter's suffix. */
export function packetInFromMessage(m: PacketIn2): Decoded<PacketIn> {
  if (m.kind !== "packet_in2") return fail("not-packet-in");
  if (m.userdata === undefined) return fail("no-userdata");
  if (m.reason !== undefined && m.reason !== "action") return fail(`reason-${m.reason}`);
  const action = decodeUserdata(m.userdata, frameIsIpv6(m.packet));
  if (!action.ok) return fail(action.truncated ? "userdata-truncated" : "userdata-malformed");
  const metadata = m.metadata ?? [];
  return ok({
    packet: m.packet,
    action: action.value,
    md: pipelineMetadata(metadata),
    origin: m.continuation !== undefined ? { metadata, continuation: m.continuation } : { metadata },
    ...(m.tableId !== undefined ? { tableId: m.tableId } : {}),
  });
}
