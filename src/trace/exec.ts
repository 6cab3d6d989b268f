// What each logical action does to the packet being traced, one executor per action kind (a missing
// kind does not compile), and the changes the minimal form shows.  ovn-trace's choices are followed
// where the actions need the outside world: MAC bindings come from the Southbound MAC_Binding table,
// put_dhcp_opts assumes a DHCP request, dns_lookup is not implemented, the FDB is empty.

import type { Action, FieldSpec, NestedActionName } from "../actions/ast.js";
import { formatField } from "../actions/fields.js";
import { formatAction } from "../actions/printer.js";
import {
  formatConstant,
  formatHex,
  formatIpv4,
  formatIpv6,
  formatMac,
  parseIpv4,
  parseIpv6,
  parseMac,
} from "../expr/values.js";
import { DEFAULT_CT, formatCtState } from "./ct-state.js";
import { GENERATE } from "./generated.js";
import { section, type TraceNode } from "./node.js";
import { checkInPortSec, checkOutPortSec } from "./port-security.js";
import { isPacketField, locate, type PacketState, spec } from "./state.js";
import type { Place, Tracer } from "./tracer.js";

export type Exec<K extends Action["kind"]> = (
  t: Tracer,
  a: Extract<Action, { kind: K }>,
  s: PacketState,
  at: Place,
  out: TraceNode[],
) => void;

/** How a value read from `src` prints in a minimal trace: addresses in their own notation. */
function formatFrom(src: FieldSpec, v: bigint | string): string {
  if (typeof v === "string") return `"${v}"`;
  const whole = src.lo === 0 && src.hi === src.width - 1;
  if (whole) {
    if (/^(eth\.(src|dst)|arp\.(sha|tha)|nd\.(sll|tll))$/.test(src.symbol)) return formatMac(v);
    if (/^(ip4\.(src|dst)|arp\.(spa|tpa))$/.test(src.symbol)) return formatIpv4(v);
    if (/^(ip6\.(src|dst)|nd\.target)$/.test(src.symbol)) return formatIpv6(v);
  }
  return formatHex(v);
}

function modify(dst: FieldSpec, text: string, out: TraceNode[]): void {
  if (isPacketField(locate(dst).field) && dst.width !== 0) {
    out.push({ kind: "modify", text: `${formatField(dst)} = ${text}` });
  }
}

function macBinding(t: Tracer, port: string, ip: bigint, v6: boolean): string | undefined {
  for (const b of t.index.db.macBindings) {
    if (b.logicalPort !== port) continue;
    const bip = v6 ? parseIpv6(b.ip) : parseIpv4(b.ip);
    if (bip === ip) return b.mac;
  }
  return undefined;
}

const noop = () => {};

/** ovn-trace names the zone variants `ct_dnatin_czone`, `ct_snatin_czone` in its sections. */
const natTitle = (name: string) => name.replace("_in_czone", "in_czone");

/** Rewrites the destination address (and L4 port, if not 0) to a load-balancer backend. */
function sendTo(t: Tracer, s: PacketState, v6: boolean, ip: bigint, port: number): void {
  t.lbVip = { v6, ip: s.int(v6 ? "ip6.dst" : "ip4.dst") };
  s.fields.set(v6 ? "ip6.dst" : "ip4.dst", ip);
  if (port === 0) return;
  const proto = s.int("ip.proto");
  s.fields.set(`${proto === 6n ? "tcp" : proto === 17n ? "udp" : "sctp"}.dst`, BigInt(port));
}

/** reject { } answers with a TCP reset or an ICMP error, and swaps the addresses itself. */
function rejectAs(p: PacketState): NestedActionName {
  const swap = (x: string, y: string) => {
    const v = p.int(x);
    p.fields.set(x, p.int(y));
    p.fields.set(y, v);
  };
  swap("eth.src", "eth.dst");
  const v6 = p.int("eth.type") === 0x86ddn;
  if (v6) swap("ip6.src", "ip6.dst");
  else swap("ip4.src", "ip4.dst");
  if (p.int("ip.proto") === 6n) return "tcp_reset";
  return v6 ? "icmp6" : "icmp4";
}

export const EXEC: { [K in Action["kind"]]: Exec<K> } = {
  keyword: (t, a, s, at, out) => {
    switch (a.name) {
      case "output":
        if (at.pipeline === "ingress") t.outputFromIngress(s, at, out);
        else t.outputFromEgress(s, at, out);
        return;
      case "ct_next": {
        const ct = t.nextCtState();
        s.fields.set("ct_state", ct.state);
        const title = `ct_next(ct_state=${formatCtState(ct.state)}${ct.isDefault ? DEFAULT_CT : ""})`;
        t.next(at.pipeline, at.table + 1, s, at, t.ctSection(title, out));
        return;
      }
      case "ct_commit_nat":
        t.next(at.pipeline, at.table + 1, s, at);
        return;
      case "ct_snat_to_vip":
        if (t.lbVip !== null) {
          const vip = t.lbVip.v6 ? formatIpv6(t.lbVip.ip) : formatIpv4(t.lbVip.ip);
          out.push({ kind: "comment", text: `nat(src=${vip})` });
        }
        return;
      case "ct_clear":
        s.fields.set("ct_state", 0n);
        return;
      default:
        return;
    }
  },
  drop: noop,
  next: (t, a, s, at, out) => {
    if (a.pipeline === at.pipeline) t.next(a.pipeline, a.table, s, at);
    else t.next(a.pipeline, a.table, s, at, t.pipeline(at.dp, a.pipeline, s, out, at.depth + 1));
  },
  load: (_t, a, s, _at, out) => {
    if (a.value.kind === "str") {
      s.write(a.dst, a.value.value);
      return;
    }
    s.write(a.dst, a.value.constant.value);
    modify(a.dst, formatConstant(a.value.constant), out);
  },
  move: (_t, a, s, _at, out) => {
    const v = s.read(a.src);
    s.write(a.dst, v);
    modify(a.dst, formatFrom(a.src, v), out);
  },
  exchange: (_t, a, s, _at, out) => {
    const va = s.read(a.a);
    const vb = s.read(a.b);
    s.write(a.a, vb);
    s.write(a.b, va);
    modify(a.a, formatFrom(a.b, vb), out);
    modify(a.b, formatFrom(a.a, va), out);
  },
  dec_ttl: (_t, _a, s, _at, out) => {
    s.fields.set("ip.ttl", (s.int("ip.ttl") - 1n) & 0xffn);
    out.push({ kind: "modify", text: "ip.ttl--" });
  },
  // Committing sets the mark and label of the connection entry, not of the packet being traced.
  ct_commit: noop,
  ct_commit_v1: noop,
  ct_nat: (t, a, s, at, out) => {
    // As observed of ovn-trace: a packet not yet tracked takes the next --ct state; an un-SNAT
    // (`ct_snat;`) is assumed to find no entry, except in a gateway router, where the trace ends.
    const dnat = a.name.startsWith("ct_dnat");
    if (!dnat && a.ip === null && t.index.isGatewayRouter(at.dp)) return;
    const tracked = (s.int("ct_state") & (1n << 5n)) !== 0n;
    const ct = a.ip === null || !tracked ? t.nextCtState() : null;
    if (ct !== null) s.fields.set("ct_state", ct.state);
    const dflt = ct?.isDefault ? DEFAULT_CT : "";
    let title: string;
    if (a.ip !== null) {
      const f = `${a.ip.format === "ipv6" ? "ip6" : "ip4"}.${dnat ? "dst" : "src"}`;
      s.fields.set(f, a.ip.value);
      title = `${natTitle(a.name)}(${f}=${formatConstant(a.ip)})${dflt}`;
    } else {
      const what = dnat ? "dnat" : "snat";
      title = `${natTitle(a.name)} /* assuming no un-${what} entry, so no change */${dflt}`;
    }
    t.next(at.pipeline, at.table + 1, s, at, t.ctSection(title, out));
  },
  ct_lb: (t, a, s, at, out) => {
    const lb = t.opts.lbDst ?? null;
    const chosen =
      lb === null
        ? undefined
        : a.backends.find((x) => x.ip.value === lb.ip && (lb.port === 0 || x.port === lb.port));
    if (chosen !== undefined) {
      // The backend named by --lb-dst: the packet goes to it and on, without a conntrack lookup.
      sendTo(t, s, chosen.ip.format === "ipv6", chosen.ip.value, chosen.port);
      t.next(at.pipeline, at.table + 1, s, at);
      return;
    }
    // A lookup in the connection tracker (the first of a load-balanced connection uses --lb-dst as
    // its destination); with backends but no --lb-dst, ovn-trace picks one by a hash we do not
    // model, so the destination is left alone.
    if (lb !== null && a.backends.length === 0) sendTo(t, s, s.int("eth.type") === 0x86ddn, lb.ip, lb.port);
    const ct = t.nextCtState();
    // ct_lb adds its flags to the state the packet already has (observed of ovn-trace), while
    // ct_next replaces it.
    s.fields.set("ct_state", s.int("ct_state") | ct.state);
    const name = a.mark ? "ct_lb_mark" : "ct_lb";
    t.next(at.pipeline, at.table + 1, s, at, t.ctSection(`${name}${ct.isDefault ? DEFAULT_CT : ""}`, out));
  },
  nested: (t, a, s, at, out) => {
    const c = s.clone();
    const name = a.name === "reject" ? rejectAs(c) : a.name;
    const sec = section("nested", name);
    out.push(sec);
    GENERATE[name](c);
    t.actions(a.nested, c, { ...at, tables: sec.children }, sec.children);
  },
  get_mac: (t, a, s, _at, out) => {
    const v6 = a.name === "get_nd";
    const mac = macBinding(t, String(s.read(a.port)), s.read(a.ip) as bigint, v6);
    const eth = spec("eth.dst");
    if (mac === undefined) {
      s.write(eth, 0n);
      out.push({ kind: "comment", text: "No MAC binding." });
      modify(eth, "00:00:00:00:00:00", out);
    } else {
      s.write(eth, parseMac(mac) ?? 0n);
      out.push({ kind: "comment", text: `MAC binding to ${mac}.` });
      modify(eth, mac, out);
    }
  },
  put_mac: noop,
  lookup_mac: (t, a, s, _at, out) => {
    const v6 = a.name === "lookup_nd";
    const mac = macBinding(t, String(s.read(a.port)), s.read(a.ip) as bigint, v6);
    const found = mac !== undefined && parseMac(mac) === s.read(a.mac);
    s.write(a.dst, found ? 1n : 0n);
    out.push({ kind: "comment", text: found ? "MAC binding found." : "lookup failed - No MAC binding." });
  },
  lookup_mac_ip: (t, a, s, _at, out) => {
    const mac = macBinding(t, String(s.read(a.port)), s.read(a.ip) as bigint, a.name === "lookup_nd_ip");
    s.write(a.dst, mac !== undefined ? 1n : 0n);
    out.push({
      kind: "comment",
      text: mac !== undefined ? "MAC binding found." : "lookup failed - No MAC binding.",
    });
  },
  // No FDB entries are known: the port is "none", which the unknown-destination stage tests for.
  get_fdb: (_t, a, s) => s.write(a.dst, "none"),
  put_fdb: noop,
  lookup_fdb: (_t, a, s) => s.write(a.dst, 0n),
  put_opts: (_t, a, s, at, out) => {
    const what =
      a.name === "put_dhcp_opts"
        ? "We assume that this packet is DHCPDISCOVER or DHCPREQUEST."
        : a.name === "put_dhcpv6_opts"
          ? "We assume that this packet is DHCPv6 request."
          : "We assume that this packet is an IPv6 router solicitation.";
    out.push({ kind: "comment", text: what, semicolon: true, minimal: true });
    // The minimal form shows the options, without the result register.
    const text = formatAction(a, { pipeline: at.pipeline, tableId: at.table });
    out.push({ kind: "modify", text: text.slice(text.indexOf(a.name)) });
    s.write(a.dst, 1n);
  },
  check: (t, a, s, _at, out) => {
    switch (a.name) {
      case "check_in_port_sec":
        s.write(a.dst, checkInPortSec(t.index.port(s.str("inport")), s));
        return;
      case "check_out_port_sec":
        s.write(a.dst, checkOutPortSec(t.index.port(s.str("outport")), s));
        return;
      case "dns_lookup":
        out.push({ kind: "error", text: "*** dns_lookup action not implemented" });
        return;
      case "chk_lb_hairpin":
      case "chk_lb_hairpin_reply": {
        // A load-balanced packet hairpins when the backend chosen is its own source.
        const v6 = s.int("eth.type") === 0x86ddn;
        const same = v6 ? s.int("ip6.src") === s.int("ip6.dst") : s.int("ip4.src") === s.int("ip4.dst");
        const v = a.name === "chk_lb_hairpin" && same ? 1n : 0n;
        s.write(a.dst, v);
        out.push({ kind: "modify", text: `${formatField(a.dst)} = ${v}` });
        return;
      }
      default:
        s.write(a.dst, 0n);
        return;
    }
  },
  check_pkt_larger: (_t, a, s) => s.write(a.dst, 0n),
  log: noop,
  set_queue: noop,
  set_meter: noop,
  trigger_event: noop,
  bind_vport: noop,
  handle_svc_check: noop,
  commit_ecmp_nh: noop,
  commit_lb_aff: noop,
  sample: noop,
  fwd_group: noop,
  select: (t, a, s) => {
    const wanted = t.opts.selectId;
    const m = a.members.find((x) => x.id === wanted) ?? a.members[0];
    s.write(a.dst, BigInt(m?.id ?? 0));
  },
  push: (t, a, s) => t.push(s.read(a.field) as bigint),
  pop: (t, a, s) => s.write(a.field, t.pop()),
};
