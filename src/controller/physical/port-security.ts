// Port security of local VIFs (Port_Binding port_security), in the lookup tables that the logical
// actions check_in_port_sec() (73, with 74 for ARP and ND) and check_out_port_sec() (75) resubmit to.
// Each table leaves bit 12 of reg10 set (deny) or clear (allow).  An entry is "MAC [IP...]"
// (ovn-sb(5)).  The flows reproduce what the real ovn-controller 23.03 installs, quirks included
// (its ND checks match nw_ttl=225, and advertisements for configured IPv6 addresses match the source
// MAC instead of the hop limit).

import { parseIpv4, parseIpv6, parseMac, prefixLength } from "../../expr/values.js";
import type { FieldName } from "../../openflow/model.js";
import type { Flow, FlowAction, MatchField } from "../lflow/flow.js";
import type { SbPortBinding } from "../lflow/sb.js";
import { OFTABLE } from "../lflow/tables.js";
import { exact, flow, masked, portMatch, resubmit, setField } from "./flows.js";

const RESULT = 0x1000;
const deny = (): FlowAction[] => [setField("reg10", RESULT, RESULT)];
const allow = (): FlowAction[] => [setField("reg10", 0, RESULT)];

const IP = 0x800;
const ARP = 0x806;
const IPV6 = 0x86dd;

type Prefix = { readonly value: bigint; readonly mask: bigint };

interface Entry {
  readonly mac: bigint;
  readonly ip4: readonly Prefix[];
  readonly ip6: readonly Prefix[];
}

function prefix(text: string, width: 32 | 128): Prefix | null {
  const [ip, plen] = text.split("/");
  const v = width === 32 ? parseIpv4(ip ?? "") : parseIpv6(ip ?? "");
  if (v === null) return null;
  const bits = plen === undefined ? width : Number(plen);
  const all = (1n << BigInt(width)) - 1n;
  const mask = all & ~((1n << BigInt(width - bits)) - 1n);
  return { value: v & mask, mask };
}

function parseEntry(s: string): Entry | null {
  const [macText, ...rest] = s.trim().split(/\s+/);
  const mac = parseMac(macText ?? "");
  if (mac === null) return null;
  const ip4 = rest.flatMap((a) => prefix(a, 32) ?? []);
  const ip6 = rest.flatMap((a) => (a.includes(":") ? (prefix(a, 128) ?? []) : []));
  return { mac, ip4, ip6 };
}

/** The IPv6 link-local address made from a MAC (modified EUI-64). */
export function linkLocal(mac: bigint): bigint {
  const flipped = mac ^ 0x020000000000n;
  const eui = ((flipped >> 24n) << 40n) | (0xfffen << 24n) | (flipped & 0xffffffn);
  return (0xfe80n << 112n) | eui;
}

function ipMatch(field: FieldName, a: Prefix, width: 32 | 128): MatchField {
  return prefixLength(a.mask, width) === width ? exact(field, a.value) : masked(field, a.value, a.mask);
}

const host6 = (v: bigint): Prefix => ({ value: v, mask: (1n << 128n) - 1n });

export function portSecurityFlows(p: SbPortBinding, dpKey: number): Flow[] {
  const entries = p.portSecurity.flatMap((s) => parseEntry(s) ?? []);
  if (entries.length === 0) return [];
  const inp = portMatch("reg14", p.tunnelKey, dpKey);
  const outp = portMatch("reg15", p.tunnelKey, dpKey);
  const f = (table: number, prio: number, m: MatchField[], a: FlowAction[]) =>
    flow(table, prio, p.uuid, m, a);
  const nd = [exact("eth_type", IPV6), exact("nw_proto", 58), ...inp];
  const out: Flow[] = [
    f(OFTABLE.CHK_IN_PORT_SEC, 80, inp, deny()),
    f(OFTABLE.CHK_IN_PORT_SEC, 95, [exact("eth_type", ARP), ...inp], [resubmit(OFTABLE.CHK_IN_PORT_SEC_ND)]),
    f(OFTABLE.CHK_IN_PORT_SEC_ND, 80, [exact("eth_type", ARP), ...inp], deny()),
    f(OFTABLE.CHK_OUT_PORT_SEC, 80, outp, deny()),
    // Neighbour advertisements are denied unless they match, solicitations allowed.
    f(OFTABLE.CHK_IN_PORT_SEC_ND, 80, [...nd, exact("nw_ttl", 255), exact("icmpv6_type", 136)], deny()),
    f(OFTABLE.CHK_IN_PORT_SEC_ND, 80, [...nd, exact("nw_ttl", 255), exact("icmpv6_type", 135)], allow()),
  ];
  for (const e of entries) {
    const src = exact("eth_src", e.mac);
    const dst = exact("eth_dst", e.mac);
    const anyIp = e.ip4.length + e.ip6.length > 0;
    const lla = host6(linkLocal(e.mac));
    if (!anyIp) out.push(f(OFTABLE.CHK_IN_PORT_SEC, 90, [...inp, src], allow()));
    for (const a of e.ip4) {
      out.push(
        f(
          OFTABLE.CHK_IN_PORT_SEC,
          90,
          [exact("eth_type", IP), ...inp, src, ipMatch("ip_src", a, 32)],
          allow(),
        ),
      );
      out.push(
        f(
          OFTABLE.CHK_IN_PORT_SEC_ND,
          90,
          [exact("eth_type", ARP), ...inp, src, ipMatch("arp_spa", a, 32), exact("arp_sha", e.mac)],
          allow(),
        ),
      );
    }
    if (e.ip4.length > 0) {
      // DHCP discovery from the unconfigured address.
      const dhcp = [
        exact("ip_src", 0),
        exact("ip_dst", 0xffffffff),
        exact("udp_src", 68),
        exact("udp_dst", 67),
      ];
      out.push(
        f(
          OFTABLE.CHK_IN_PORT_SEC,
          90,
          [exact("eth_type", IP), exact("nw_proto", 17), ...inp, src, ...dhcp],
          allow(),
        ),
      );
    } else {
      out.push(
        f(
          OFTABLE.CHK_IN_PORT_SEC_ND,
          90,
          [exact("eth_type", ARP), ...inp, src, exact("arp_sha", e.mac)],
          allow(),
        ),
      );
    }
    if (e.ip6.length > 0) {
      for (const a of [...e.ip6, lla]) {
        out.push(
          f(
            OFTABLE.CHK_IN_PORT_SEC,
            90,
            [exact("eth_type", IPV6), ...inp, src, ipMatch("ipv6_src", a, 128)],
            [resubmit(OFTABLE.CHK_IN_PORT_SEC_ND)],
          ),
        );
      }
      // Duplicate address detection and MLD from the unspecified address.
      const dad = [
        src,
        exact("ipv6_src", 0),
        masked("ipv6_dst", 0xff02n << 112n, 0xffffn << 112n),
        exact("icmpv6_code", 0),
      ];
      for (const type of [131, 143])
        out.push(f(OFTABLE.CHK_IN_PORT_SEC, 90, [...nd, ...dad, exact("icmpv6_type", type)], allow()));
      out.push(
        f(
          OFTABLE.CHK_IN_PORT_SEC,
          90,
          [...nd, ...dad, exact("icmpv6_type", 135)],
          [resubmit(OFTABLE.CHK_IN_PORT_SEC_ND)],
        ),
      );
    }
    const ndMatch = (type: 135 | 136, extra: MatchField[], mac: bigint): MatchField[] => [
      ...nd,
      ...extra,
      exact("icmpv6_type", type),
      exact("icmpv6_code", 0),
      exact(type === 135 ? "nd_sll" : "nd_tll", mac),
    ];
    for (const mac of [0n, e.mac]) {
      out.push(f(OFTABLE.CHK_IN_PORT_SEC_ND, 90, ndMatch(135, [exact("nw_ttl", 225)], mac), allow()));
      if (e.ip6.length === 0) {
        out.push(f(OFTABLE.CHK_IN_PORT_SEC_ND, 90, ndMatch(136, [exact("nw_ttl", 225)], mac), allow()));
        continue;
      }
      out.push(
        f(
          OFTABLE.CHK_IN_PORT_SEC_ND,
          90,
          ndMatch(136, [exact("nw_ttl", 225), exact("nd_target", lla.value)], mac),
          allow(),
        ),
      );
      for (const a of e.ip6) {
        out.push(
          f(OFTABLE.CHK_IN_PORT_SEC_ND, 90, ndMatch(136, [src, ipMatch("nd_target", a, 128)], mac), allow()),
        );
      }
    }
    out.push(f(OFTABLE.CHK_OUT_PORT_SEC, 85, [...outp, dst], allow()));
    if (anyIp) {
      out.push(f(OFTABLE.CHK_OUT_PORT_SEC, 90, [exact("eth_type", IP), ...outp, dst], deny()));
      out.push(f(OFTABLE.CHK_OUT_PORT_SEC, 90, [exact("eth_type", IPV6), ...outp, dst], deny()));
    }
    if (e.ip4.length > 0) {
      const dests: Prefix[] = [
        ...e.ip4,
        { value: 0xffffffffn, mask: 0xffffffffn },
        { value: 0xe0000000n, mask: 0xf0000000n },
      ];
      for (const a of dests) {
        out.push(
          f(
            OFTABLE.CHK_OUT_PORT_SEC,
            95,
            [exact("eth_type", IP), ...outp, dst, ipMatch("ip_dst", a, 32)],
            allow(),
          ),
        );
      }
    }
    if (e.ip6.length > 0) {
      const dests: Prefix[] = [...e.ip6, lla, { value: 0xffn << 120n, mask: 0xffn << 120n }];
      for (const a of dests) {
        out.push(
          f(
            OFTABLE.CHK_OUT_PORT_SEC,
            95,
            [exact("eth_type", IPV6), ...outp, dst, ipMatch("ipv6_dst", a, 128)],
            allow(),
          ),
        );
      }
    }
  }
  return out;
}
