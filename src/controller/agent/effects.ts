// pinctrl's OpenFlow effects as the messages that carry them to br-int.  Pure.
//   resume      NXT_RESUME: the new packet, the packet-in's pipeline fields with the action's result
//               bit stored, and the continuation, so the paused pipeline goes on from the controller
//               action (ovs-actions(7) "controller", pause).
//   packet-out  OFPT_PACKET_OUT from OFPP_CONTROLLER: reload the packet-in's logical registers and
//               metadata, then run the nested actions the logical flow gave (arp { … }, icmp4 { … }).
//   send        OFPT_PACKET_OUT of a packet pinctrl made itself (GARP, periodic RA) into the logical
//               output stage for (datapath, outport), as if the pipeline had decided to output it there.

import { decodeActionList } from "../../openflow/actions-wire.js";
import { Reader } from "../../openflow/bytes.js";
import {
  type Action,
  type FieldName,
  type MatchField,
  NO_BUFFER,
  OFPP_CONTROLLER,
  OFPP_IN_PORT,
  type OfMessageBody,
  type WireContext,
} from "../../openflow/index.js";
import { fieldOfHeader } from "../../openflow/oxm.js";
import { type Decoded, fail, ok } from "../../packet/result.js";
import { OFTABLE } from "../lflow/tables.js";
import type { Effect, PacketMetadata, ResultField } from "../pinctrl/types.js";

type OfEffect = Exclude<Effect, { kind: "sb-write" | "log" }>;

/** The 32-bit register and bit that hold bit `ofs` of a register-class field (reg, xreg, xxreg). */
export function registerBit(field: FieldName, ofs: number): { reg: number; bit: number } | undefined {
  const m = /^(x{0,2})reg(\d+)$/.exec(field);
  if (m === null) return undefined;
  const words = 2 ** (m[1] ?? "").length; // reg: 1 word, xreg: 2, xxreg: 4
  if (ofs < 0 || ofs >= 32 * words) return undefined;
  // Wider registers are made of consecutive 32-bit ones, the lowest-numbered most significant.
  const reg = Number(m[2]) * words + (words - 1 - Math.floor(ofs / 32));
  return reg < 16 ? { reg, bit: ofs % 32 } : undefined;
}

/** The pipeline fields with one result bit stored (ovn-controller's put_dhcp_opts, dns_lookup …). */
export function withResultBit(
  fields: readonly MatchField[],
  r: ResultField & { readonly value: 0 | 1 },
): Decoded<MatchField[]> {
  const cls = r.header >>> 16;
  const code = (r.header >>> 9) & 0x7f;
  const field = fieldOfHeader(cls, code);
  if (field === undefined) return fail(`result field header 0x${r.header.toString(16)}`);
  const at = registerBit(field, r.ofs);
  if (at === undefined) return fail(`result field ${field}[${r.ofs}]`);
  const name = `reg${at.reg}` as FieldName;
  const bit = 1n << BigInt(at.bit);
  const out: MatchField[] = [];
  let seen = false;
  for (const f of fields) {
    if (f.field !== name) {
      out.push(f);
      continue;
    }
    seen = true;
    const v = r.value === 1 ? f.value | bit : f.value & ~bit;
    out.push(
      f.mask === undefined ? { field: name, value: v } : { field: name, value: v, mask: f.mask | bit },
    );
  }
  if (!seen) out.push({ field: name, value: r.value === 1 ? bit : 0n });
  return ok(out);
}

/** set_field actions that give a packet-out the logical state the packet-in had. */
function reloadRegisters(md: PacketMetadata): Action[] {
  const out: Action[] = [];
  md.regs.forEach((v, i) => {
    if (v !== 0) out.push({ kind: "set_field", field: `reg${i}` as FieldName, value: BigInt(v >>> 0) });
  });
  out.push({ kind: "set_field", field: "metadata", value: BigInt(md.datapath) });
  return out;
}

const FROM_CONTROLLER: MatchField[] = [{ field: "in_port", value: BigInt(OFPP_CONTROLLER) }];

/** The message that applies an effect; a failure names why it cannot be sent (counted by the caller). */
export function effectMessage(e: OfEffect, ctx: WireContext = {}): Decoded<OfMessageBody> {
  switch (e.kind) {
    case "resume": {
      if (e.origin === undefined) return fail("resume-without-packet-in");
      let metadata: readonly MatchField[] = e.origin.metadata;
      if (e.result !== undefined) {
        const m = withResultBit(metadata, e.result);
        if (!m.ok) return m;
        metadata = m.value;
      }
      return ok({
        kind: "resume",
        packet: e.packet,
        metadata,
        ...(e.origin.continuation !== undefined ? { continuation: e.origin.continuation } : {}),
      });
    }
    case "packet-out": {
      let nested: Action[];
      try {
        nested = decodeActionList(new Reader(e.actions), ctx);
      } catch (err) {
        return fail(`nested actions: ${err instanceof Error ? err.message : String(err)}`);
      }
      return ok({
        kind: "packet_out",
        bufferId: NO_BUFFER,
        match: FROM_CONTROLLER,
        actions: [...reloadRegisters(e.md), ...nested],
        data: e.packet,
      });
    }
    case "send":
      return ok({
        kind: "packet_out",
        bufferId: NO_BUFFER,
        match: FROM_CONTROLLER,
        actions: [
          { kind: "set_field", field: "metadata", value: BigInt(e.datapath) },
          { kind: "set_field", field: "reg15", value: BigInt(e.outport >>> 0) },
          { kind: "resubmit", port: OFPP_IN_PORT, table: OFTABLE.LOCAL_OUTPUT, ct: false },
        ],
        data: e.packet,
      });
  }
}
