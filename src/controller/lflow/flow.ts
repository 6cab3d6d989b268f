// The compiler's output, as data: OpenFlow flows and groups in terms of ovs-fields(7) names (the
// FieldName of src/openflow/model.ts).  to-model.ts turns them into the model's FlowMod and GroupMod;
// keeping our own small union lets the compiler say exactly what OVN emits (e.g. nat without
// addresses, conjunction clauses) and be tested without the codec.

import type { FieldName, LearnSpec } from "../../openflow/model.js";

/** Bits `ofs .. ofs+nBits-1` of a field (ovs-fields(7) name). */
export interface Subfield {
  readonly field: FieldName;
  readonly ofs: number;
  readonly nBits: number;
}

export interface MatchField {
  /** ovs-fields(7) name ("reg14", "eth_src", "metadata"). */
  readonly field: FieldName;
  readonly value: bigint;
  /** All ones for an exact match. */
  readonly mask: bigint;
}

export interface NatSpec {
  readonly kind: "src" | "dst" | "none";
  /** Address range (IPv4 as 32-bit, IPv6 as 128-bit values, with the family). */
  readonly ipMin: { readonly v6: boolean; readonly value: bigint } | null;
  readonly ipMax: { readonly v6: boolean; readonly value: bigint } | null;
  readonly portMin: number | null;
  readonly portMax: number | null;
  readonly random: boolean;
  readonly persistent: boolean;
  readonly hash: boolean;
}

export type FlowAction =
  | { readonly kind: "resubmit"; readonly table: number }
  | {
      readonly kind: "set_field";
      readonly field: FieldName;
      readonly value: bigint;
      readonly mask: bigint | null;
    }
  | { readonly kind: "move"; readonly src: Subfield; readonly dst: Subfield }
  | { readonly kind: "push"; readonly src: Subfield }
  | { readonly kind: "pop"; readonly dst: Subfield }
  | {
      readonly kind: "ct";
      readonly commit: boolean;
      readonly force: boolean;
      readonly table: number | null;
      readonly zone: Subfield | number;
      readonly nat: NatSpec | null;
      readonly exec: readonly FlowAction[];
    }
  | { readonly kind: "ct_clear" }
  | { readonly kind: "conjunction"; readonly id: number; readonly clause: number; readonly nClauses: number }
  | {
      readonly kind: "controller";
      readonly userdata: Uint8Array;
      readonly pause: boolean;
      readonly meterId: number | null;
    }
  | { readonly kind: "group"; readonly id: number }
  | { readonly kind: "output"; readonly port: number }
  | { readonly kind: "pop_vlan" }
  /** bundle(eth_src,0,active_backup,ofport,members:...): the first live member. */
  | { readonly kind: "bundle"; readonly members: readonly number[] }
  | { readonly kind: "push_vlan"; readonly ethertype: number }
  /** in_port=ANY style: set_field:ANY->in_port is `set_field` with the OFPP_ANY value. */
  | { readonly kind: "dec_ttl" }
  | { readonly kind: "clone"; readonly actions: readonly FlowAction[] }
  | { readonly kind: "check_pkt_larger"; readonly length: number; readonly dst: Subfield }
  | { readonly kind: "set_queue"; readonly queue: number }
  | {
      readonly kind: "sample";
      readonly probability: number;
      readonly collectorSet: number;
      readonly obsDomain: number;
      readonly obsPoint: number;
    }
  | { readonly kind: "meter"; readonly id: number }
  | {
      readonly kind: "learn";
      readonly table: number;
      readonly cookie: bigint;
      readonly deleteLearned: boolean;
      readonly idleTimeout: number;
      readonly hardTimeout: number;
      readonly priority: number | null;
      readonly specs: readonly LearnSpec[];
    };

export type FlowActionKind = FlowAction["kind"];

/** One flow of the desired flow table. */
export interface Flow {
  readonly table: number;
  readonly priority: number;
  readonly cookie: bigint;
  readonly match: readonly MatchField[];
  /** Empty means drop. */
  readonly actions: readonly FlowAction[];
}

export interface GroupBucket {
  /** null: no weight given (fwd_group). */
  readonly weight: number | null;
  readonly actions: readonly FlowAction[];
}

export interface Group {
  readonly id: number;
  readonly type: "select" | "all";
  /** dp_hash by default; "hash" with fields for ct_lb(hash_fields=...). */
  readonly selectionMethod: "dp_hash" | "hash" | null;
  readonly selectionParam: bigint | null;
  readonly fields: readonly FieldName[];
  readonly buckets: readonly GroupBucket[];
}

/** The OVS port number meaning "none/any" (OFPP_ANY in 16-bit form, as set_field:ANY->in_port). */
export const OFPP_ANY = 0xffff;
/** OFPP_IN_PORT, the in_port field of a resubmit done on the current port. */
export const OFPP_IN_PORT = 0xfff8;
