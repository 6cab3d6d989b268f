// Syntax trees of logical-flow actions (ovn-sb(5), Logical_Flow "actions"), one variant per action of
// OVN 23.03.  Fields are kept as written (symbol and bit range), constants in their written format, so
// that printing reproduces OVN's own formatting of an action list.

import type { IntConstant } from "../expr/values.js";

export type Pipeline = "ingress" | "egress";

/** A symbol with the bits used, in the symbol's own coordinates (`reg0[0..7]` is lo 0, hi 7). */
export interface FieldSpec {
  readonly symbol: string;
  readonly lo: number;
  readonly hi: number;
  /** Width of the whole symbol, so the printer knows whether a range was selected (0 for strings). */
  readonly width: number;
}

/** A value loaded into a field: an integer constant or a port name. */
export type LoadValue =
  | { readonly kind: "int"; readonly constant: IntConstant }
  | { readonly kind: "str"; readonly value: string };

/** A DHCP or ND RA option argument: a constant, a string, or a `{...}` list of either. */
export type OptionValue =
  | { readonly kind: "int"; readonly constant: IntConstant }
  | { readonly kind: "str"; readonly value: string }
  | { readonly kind: "set"; readonly values: readonly OptionValue[] };

export interface OptionArg {
  readonly name: string;
  readonly value: OptionValue;
}

/** An IP address with an optional L4 port (0 = none), as in load-balancer backends and VIPs. */
export interface IpPort {
  readonly ip: IntConstant;
  readonly port: number;
}

export type NestedActionName =
  | "arp"
  | "nd_ns"
  | "nd_na"
  | "nd_na_router"
  | "icmp4"
  | "icmp4_error"
  | "icmp6"
  | "icmp6_error"
  | "tcp_reset"
  | "sctp_abort"
  | "reject"
  | "clone";

export type NatActionName = "ct_dnat" | "ct_snat" | "ct_dnat_in_czone" | "ct_snat_in_czone";

/** Actions that store a 1-bit result of a check without arguments: `R = name();`. */
export type CheckActionName =
  | "chk_lb_hairpin"
  | "chk_lb_hairpin_reply"
  | "check_in_port_sec"
  | "check_out_port_sec"
  | "chk_ecmp_nh_mac"
  | "chk_ecmp_nh"
  | "chk_lb_aff"
  | "dns_lookup";

/** Actions without arguments written as a bare keyword: `name;`. */
export type KeywordActionName =
  | "output"
  | "ct_next"
  | "ct_commit_nat"
  | "ct_clear"
  | "ct_snat_to_vip"
  | "igmp"
  | "handle_dhcpv6_reply"
  | "handle_bfd_msg";

export type Action =
  | { readonly kind: "keyword"; readonly name: KeywordActionName }
  | { readonly kind: "drop" }
  | { readonly kind: "next"; readonly pipeline: Pipeline; readonly table: number }
  | { readonly kind: "load"; readonly dst: FieldSpec; readonly value: LoadValue }
  | { readonly kind: "move"; readonly dst: FieldSpec; readonly src: FieldSpec }
  | { readonly kind: "exchange"; readonly a: FieldSpec; readonly b: FieldSpec }
  | { readonly kind: "dec_ttl" }
  | { readonly kind: "ct_commit"; readonly nested: readonly Action[] }
  /** The older `ct_commit(ct_mark=V[/M], ct_label=V[/M])` form. */
  | {
      readonly kind: "ct_commit_v1";
      readonly mark: { readonly value: bigint; readonly mask: bigint | null } | null;
      readonly label: { readonly value: bigint; readonly mask: bigint | null } | null;
    }
  | {
      readonly kind: "ct_nat";
      readonly name: NatActionName;
      readonly ip: IntConstant | null;
      readonly ports: { readonly lo: number; readonly hi: number | null } | null;
    }
  | {
      readonly kind: "ct_lb";
      readonly mark: boolean;
      readonly backends: readonly IpPort[];
      readonly hashFields: string | null;
      readonly flag: "skip_snat" | "force_snat" | null;
    }
  | { readonly kind: "nested"; readonly name: NestedActionName; readonly nested: readonly Action[] }
  | {
      readonly kind: "get_mac";
      readonly name: "get_arp" | "get_nd";
      readonly port: FieldSpec;
      readonly ip: FieldSpec;
    }
  | {
      readonly kind: "put_mac";
      readonly name: "put_arp" | "put_nd";
      readonly port: FieldSpec;
      readonly ip: FieldSpec;
      readonly mac: FieldSpec;
    }
  | {
      readonly kind: "lookup_mac";
      readonly name: "lookup_arp" | "lookup_nd";
      readonly dst: FieldSpec;
      readonly port: FieldSpec;
      readonly ip: FieldSpec;
      readonly mac: FieldSpec;
    }
  | {
      readonly kind: "lookup_mac_ip";
      readonly name: "lookup_arp_ip" | "lookup_nd_ip";
      readonly dst: FieldSpec;
      readonly port: FieldSpec;
      readonly ip: FieldSpec;
    }
  | { readonly kind: "get_fdb"; readonly dst: FieldSpec; readonly mac: FieldSpec }
  | { readonly kind: "put_fdb"; readonly port: FieldSpec; readonly mac: FieldSpec }
  | {
      readonly kind: "lookup_fdb";
      readonly dst: FieldSpec;
      readonly port: FieldSpec;
      readonly mac: FieldSpec;
    }
  | {
      readonly kind: "put_opts";
      readonly name: "put_dhcp_opts" | "put_dhcpv6_opts" | "put_nd_ra_opts";
      readonly dst: FieldSpec;
      readonly options: readonly OptionArg[];
    }
  | { readonly kind: "check"; readonly name: CheckActionName; readonly dst: FieldSpec }
  | { readonly kind: "check_pkt_larger"; readonly dst: FieldSpec; readonly length: number }
  | {
      readonly kind: "log";
      readonly name: string | null;
      readonly verdict: LogVerdict;
      readonly severity: LogSeverity;
      readonly meter: string | null;
    }
  | { readonly kind: "set_queue"; readonly queue: number }
  | { readonly kind: "set_meter"; readonly rate: bigint; readonly burst: bigint }
  | {
      readonly kind: "trigger_event";
      readonly event: string;
      readonly options: readonly (readonly [string, string])[];
    }
  | { readonly kind: "bind_vport"; readonly vport: string; readonly port: FieldSpec }
  | { readonly kind: "handle_svc_check"; readonly port: FieldSpec }
  | { readonly kind: "commit_ecmp_nh"; readonly ipv6: boolean; readonly proto: L4Proto }
  | {
      readonly kind: "commit_lb_aff";
      readonly vip: IpPort;
      readonly backend: IpPort;
      readonly proto: L4Proto;
      readonly timeout: number;
    }
  | {
      readonly kind: "sample";
      readonly probability: number;
      readonly collectorSet: number;
      readonly obsDomain: number;
      /** "cookie": `obs_point=$cookie`, the logical flow's cookie (its UUID's first 32 bits). */
      readonly obsPoint: number | "cookie";
    }
  | { readonly kind: "fwd_group"; readonly liveness: boolean; readonly ports: readonly string[] }
  | {
      readonly kind: "select";
      readonly dst: FieldSpec;
      readonly members: readonly { id: number; weight: number }[];
    }
  | { readonly kind: "push"; readonly field: FieldSpec }
  | { readonly kind: "pop"; readonly field: FieldSpec };

export type ActionKind = Action["kind"];

export type LogVerdict = "allow" | "drop" | "reject";
export const LOG_VERDICTS: readonly LogVerdict[] = ["allow", "drop", "reject"];
export type LogSeverity = "alert" | "warning" | "notice" | "info" | "debug";
export const LOG_SEVERITIES: readonly LogSeverity[] = ["alert", "warning", "notice", "info", "debug"];
export type L4Proto = "tcp" | "udp" | "sctp";
export const L4_PROTOS: readonly L4Proto[] = ["tcp", "udp", "sctp"];
