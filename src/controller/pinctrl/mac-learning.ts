// put_arp, put_nd and put_fdb (ovn-sb(5)): learn a neighbour or a MAC from a packet-in and ask for a
// Southbound MAC_Binding or FDB row. As the installed flows arrange it (push/pop around the
// controller action), the IP is in reg0 (put_arp) or xxreg0 (put_nd), the MAC in eth.src, and the
// logical port is the input port. A binding that already says the same thing is not written again.

import { formatIpv4, formatIpv6 } from "../../packet/bytes.js";
import { decodeEthernet } from "../../packet/ethernet.js";
import { reg } from "./packet-util.js";
import { dropped, type HandlerResult, handled, type PacketIn, type PinctrlState } from "./types.js";

function be32(v: number): number[] {
  return [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
}

export function handlePutNeighbor(
  pin: PacketIn,
  v6: boolean,
  state: PinctrlState,
  nowMs: number,
): HandlerResult {
  const name = v6 ? "put_nd" : "put_arp";
  const eth = decodeEthernet(pin.packet);
  if (!eth.ok) return dropped(`${name}-truncated`);
  const mac = eth.value.src;
  const ip = v6
    ? formatIpv6(Uint8Array.from([0, 1, 2, 3].flatMap((i) => be32(reg(pin.md.regs, i)))))
    : formatIpv4(Uint8Array.from(be32(reg(pin.md.regs, 0))));
  const { datapath, inport } = pin.md;
  const logicalPort = state.portNames.get(`${datapath}:${inport}`);
  if (logicalPort === undefined) return dropped(`${name}-unknown-port`);
  if (state.macBindings.get(`${datapath}:${inport}:${ip}`) === mac) return handled(`${name}-unchanged`);
  return handled(name, {
    kind: "sb-write",
    write: { table: "MAC_Binding", datapath, port: inport, logicalPort, ip, mac, timestamp: nowMs },
  });
}

/**
 * bind_vport(V, P) (ovn-sb(5)): a packet from parent P claimed virtual port V's address, so V moves to
 * this chassis with P as its virtual_parent.  The edge compares with the row before writing.
 */
export function handleBindVport(pin: PacketIn, vport: number, state: PinctrlState): HandlerResult {
  const { datapath, inport } = pin.md;
  const logicalPort = state.portNames.get(`${datapath}:${vport}`);
  const virtualParent = state.portNames.get(`${datapath}:${inport}`);
  if (logicalPort === undefined || virtualParent === undefined) return dropped("bind_vport-unknown-port");
  return handled("bind_vport", {
    kind: "sb-write",
    write: { table: "Port_Binding", logicalPort, virtualParent },
  });
}

export function handlePutFdb(pin: PacketIn, nowMs: number): HandlerResult {
  const eth = decodeEthernet(pin.packet);
  if (!eth.ok) return dropped("put_fdb-truncated");
  const { datapath, inport } = pin.md;
  return handled("put_fdb", {
    kind: "sb-write",
    write: { table: "FDB", datapath, port: inport, mac: eth.value.src, timestamp: nowMs },
  });
}
