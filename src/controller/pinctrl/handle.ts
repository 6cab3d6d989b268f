// One packet-in → its effects: the dispatch table from action kind to handler. A Record over every
// kind, so a new PinctrlAction kind does not compile until it is handled here.

import { handleAclLog } from "./acl-log.js";
import { handleRarpActivation } from "./activation.js";
import { handleArp } from "./arp.js";
import { handleControllerEvent } from "./controller-event.js";
import { handlePutDhcpOpts } from "./dhcp4.js";
import { type Dhcp6Config, handlePutDhcpv6Opts } from "./dhcp6.js";
import { handleDnsLookup } from "./dns.js";
import { handleFragMtu, handleIcmp } from "./icmp.js";
import { handleBindVport, handlePutFdb, handlePutNeighbor } from "./mac-learning.js";
import { handleNdNa, handleNdNs } from "./nd.js";
import { handlePutNdRaOpts } from "./ra.js";
import { handleSctpAbort } from "./sctp-abort.js";
import { handleReject, handleTcpReset } from "./tcp-reset.js";
import {
  type ActionKind,
  dropped,
  type HandlerResult,
  handled,
  type PacketIn,
  type PinctrlAction,
  type PinctrlState,
} from "./types.js";

export interface HandleContext {
  readonly state: PinctrlState;
  readonly nowMs: number;
  readonly dhcp6?: Dhcp6Config;
}

/** The action narrowed to one kind (an intersection: several kinds share one variant). */
type ActionOf<K extends ActionKind> = PinctrlAction & { readonly kind: K };

type Handler<K extends ActionKind> = (pin: PacketIn, a: ActionOf<K>, ctx: HandleContext) => HandlerResult;

const HANDLERS: { readonly [K in ActionKind]: Handler<K> } = {
  arp: (p, a) => handleArp(p, a.actions),
  nd_ns: (p, a) => handleNdNs(p, a.actions),
  nd_na: (p, a) => handleNdNa(p, a.actions, false),
  nd_na_router: (p, a) => handleNdNa(p, a.actions, true),
  icmp4: (p, a) => handleIcmp(p, a.actions, "icmp4"),
  icmp4_error: (p, a) => handleIcmp(p, a.actions, "icmp4_error"),
  icmp6: (p, a) => handleIcmp(p, a.actions, "icmp6"),
  icmp6_error: (p, a) => handleIcmp(p, a.actions, "icmp6_error"),
  tcp_reset: (p, a) => handleTcpReset(p, a.actions),
  reject: (p, a) => handleReject(p, a.actions),
  sctp_abort: (p, a) => handleSctpAbort(p, a.actions),
  put_arp: (p, _a, c) => handlePutNeighbor(p, false, c.state, c.nowMs),
  put_nd: (p, _a, c) => handlePutNeighbor(p, true, c.state, c.nowMs),
  put_fdb: (p, _a, c) => handlePutFdb(p, c.nowMs),
  put_dhcp_opts: (p, a) => handlePutDhcpOpts(p, a),
  put_dhcpv6_opts: (p, a, c) => handlePutDhcpv6Opts(p, a, c.dhcp6),
  dns_lookup: (p, a, c) => handleDnsLookup(p, a.result, c.state),
  put_nd_ra_opts: (p, a) => handlePutNdRaOpts(p, a),
  put_icmp4_frag_mtu: (p, a) => handleFragMtu(p, false, a.mtu),
  put_icmp6_frag_mtu: (p, a) => handleFragMtu(p, true, a.mtu),
  log: (p, a) => handleAclLog(p, a),
  event: (_p, a) => handleControllerEvent(a),
  bind_vport: (p, a, c) => handleBindVport(p, a.vport, c.state),
  activation_strategy_rarp: (p, _a, c) => handleRarpActivation(p, c.state),
  // The snooping table is stateful and lives in agent/igmp.ts, which sees the packet-in itself.
  igmp: () => handled("igmp"),
  other: (_p, a) => dropped(`unsupported-opcode-${a.opcode}`),
};

/** Runs the handler for the packet-in's action. Never throws on packet bytes. */
export function handlePacketIn(pin: PacketIn, ctx: HandleContext): HandlerResult {
  const h = HANDLERS[pin.action.kind] as Handler<ActionKind>;
  try {
    return h(pin, pin.action as never, ctx);
  } catch {
    // Decoders are total, so this is a bug in a handler; the packet is dropped, not the agent.
    return dropped(`internal-${pin.action.kind}`);
  }
}
