// What pinctrl's packet handlers take and give back. A handler is a pure function of a packet-in
// (the frame, the controller action's decoded input, the pipeline registers) and a read-only view of
// Southbound state; it returns effects as data that one place at the edge applies: packets to send,
// continuations to resume, rows to write, and the counter the packet was accounted under.
import type { MatchField } from "../../openflow/model.js";

/** Pipeline state carried with a packet-in (OVN's logical registers, see ovn-architecture(7)). */
export interface PacketMetadata {
  /** Logical datapath tunnel key (OpenFlow metadata). */
  readonly datapath: number;
  /** Logical input port key (reg14). */
  readonly inport: number;
  /** Logical output port key (reg15). */
  readonly outport: number;
  /** reg0 … reg15 as 32-bit values (xxreg0 is reg0..reg3, reg0 most significant). */
  readonly regs: readonly number[];
}

/** Where a 1-bit result goes: the NXM/OXM header of the field and the bit offset in it. */
export interface ResultField {
  readonly header: number;
  readonly ofs: number;
}

/** A DHCP option already in wire form, as it travels in the flow's userdata. */
export interface RawOption {
  readonly code: number;
  readonly data: Uint8Array;
}

/** Nested-action operations: build a packet, then run `actions` (OpenFlow 1.5 actions, opaque here). */
export type NestedKind =
  | "arp"
  | "nd_na"
  | "nd_na_router"
  | "nd_ns"
  | "icmp4"
  | "icmp4_error"
  | "icmp6"
  | "icmp6_error"
  | "tcp_reset"
  | "reject"
  | "sctp_abort";

/** A controller action's input, decoded from the flow's userdata (see userdata.ts). */
export type PinctrlAction =
  | { readonly kind: NestedKind; readonly actions: Uint8Array }
  | { readonly kind: "put_arp" | "put_nd" | "put_fdb" }
  | {
      readonly kind: "put_dhcp_opts";
      readonly result: ResultField;
      readonly offerIp: string;
      readonly options: readonly RawOption[];
    }
  | { readonly kind: "put_dhcpv6_opts"; readonly result: ResultField; readonly options: readonly RawOption[] }
  | { readonly kind: "dns_lookup"; readonly result: ResultField }
  | {
      readonly kind: "put_nd_ra_opts";
      readonly result: ResultField;
      /** The whole ICMPv6 router advertisement, header included, checksum zero. */
      readonly ra: Uint8Array;
    }
  | { readonly kind: "put_icmp4_frag_mtu" | "put_icmp6_frag_mtu"; readonly mtu: number }
  /** trigger_event(…): the event type code and its fields as (type, text) pairs. */
  | {
      readonly kind: "event";
      readonly eventType: number;
      readonly fields: readonly { readonly type: number; readonly value: string }[];
    }
  /** bind_vport(V, inport): the virtual port's tunnel key (its parent is the packet's input port). */
  | { readonly kind: "bind_vport"; readonly vport: number }
  /**
   * The RARP that unblocks a multichassis port on an additional chassis (options:activation-strategy=rarp;
   * the flow that sends it here is physical, not logical, and carries no arguments).
   */
  | { readonly kind: "activation_strategy_rarp" }
  /** igmp;: an IGMP/MLD packet for the snooping table (agent/igmp.ts takes it from the packet-in). */
  | { readonly kind: "igmp" }
  /** log(…) of an ACL: verdict and severity codes as the flow carries them, and the ACL's name. */
  | { readonly kind: "log"; readonly verdict: number; readonly severity: number; readonly name: string }
  /** Operations this package does not handle (log, events, IGMP, BFD, vport binding …). */
  | { readonly kind: "other"; readonly opcode: number; readonly data: Uint8Array };

export type ActionKind = PinctrlAction["kind"];

/**
 * What the edge needs to answer the packet-in it came from, opaque to the handlers: the pipeline
 * fields the switch reported (a resume hands them back, with the result bit set) and the
 * continuation of a paused pipeline.
 */
export interface PacketInOrigin {
  readonly metadata: readonly MatchField[];
  readonly continuation?: Uint8Array;
}

export interface PacketIn {
  readonly packet: Uint8Array;
  readonly action: PinctrlAction;
  readonly md: PacketMetadata;
  readonly origin?: PacketInOrigin;
  /** The OpenFlow table the controller action ran in (says ingress or egress pipeline). */
  readonly tableId?: number;
}

/** A Southbound row pinctrl asks to write. Keys are tunnel keys; the edge maps them to rows. */
export type SbWrite =
  | {
      readonly table: "MAC_Binding";
      readonly datapath: number;
      readonly port: number;
      readonly logicalPort: string;
      readonly ip: string;
      readonly mac: string;
      /** Milliseconds, the `timestamp` column of OVN 23.03. */
      readonly timestamp: number;
    }
  | {
      /** A virtual port takes this chassis and `parent` as its virtual_parent (bind_vport). */
      readonly table: "Port_Binding";
      readonly logicalPort: string;
      readonly virtualParent: string;
    }
  | {
      /**
       * A multichassis port activated here by its RARP: this chassis joins the port's
       * options:additional-chassis-activated (a comma list of chassis names).
       */
      readonly table: "Port_Binding";
      readonly logicalPort: string;
      readonly activated: true;
    }
  | {
      /** A CMS event (ovn-sb(5) Controller_Event), written once while an equal row exists. */
      readonly table: "Controller_Event";
      readonly eventType: "empty_lb_backends";
      readonly info: ReadonlyMap<string, string>;
    }
  | {
      readonly table: "FDB";
      readonly datapath: number;
      readonly port: number;
      readonly mac: string;
      readonly timestamp: number;
    };

export type Effect =
  /** Send `packet` through the pipeline with the packet-in's metadata, running `actions` on it. */
  | {
      readonly kind: "packet-out";
      readonly packet: Uint8Array;
      readonly actions: Uint8Array;
      readonly md: PacketMetadata;
    }
  /** Resume the paused pipeline (NXT_RESUME) with `packet`, storing `value` in the result bit. */
  | {
      readonly kind: "resume";
      readonly packet: Uint8Array;
      readonly result?: ResultField & { readonly value: 0 | 1 };
      /** The packet-in being resumed (Pinctrl.drain fills it in from the queued packet-in). */
      readonly origin?: PacketInOrigin;
    }
  /** Send a packet pinctrl originates (periodic RA, GARP) out of a logical port. */
  | {
      readonly kind: "send";
      readonly packet: Uint8Array;
      readonly datapath: number;
      readonly outport: number;
    }
  | { readonly kind: "sb-write"; readonly write: SbWrite }
  /** A line for the acl_log module (ACL logging). */
  | { readonly kind: "log"; readonly message: string };

/** What one packet-in produced, and the counter it was accounted under ("dhcp4-offer", "drop-…"). */
export interface HandlerResult {
  readonly effects: readonly Effect[];
  readonly counter: string;
}

export const handled = (counter: string, ...effects: Effect[]): HandlerResult => ({ effects, counter });

/** A malformed or unanswerable packet: nothing to do but count it. */
export const dropped = (reason: string): HandlerResult => ({ effects: [], counter: `drop-${reason}` });

/** Southbound data the handlers read, indexed by the edge. */
export interface PinctrlState {
  /** Logical port name by `${datapath}:${port}` tunnel keys. */
  readonly portNames: ReadonlyMap<string, string>;
  /** MAC_Binding rows already present: MAC by `${datapath}:${port}:${ip}`. */
  readonly macBindings: ReadonlyMap<string, string>;
  /** DNS records of each datapath (by tunnel key): lowercase name → value ("10.0.0.5 aef0::4"). */
  readonly dnsRecords: ReadonlyMap<number, ReadonlyMap<string, string>>;
}

export const EMPTY_STATE: PinctrlState = {
  portNames: new Map(),
  macBindings: new Map(),
  dnsRecords: new Map(),
};
