// Load-balancer hairpin flows for the lookup tables of chk_lb_hairpin() (68), chk_lb_hairpin_reply()
// (69, filled at run time by learn actions) and ct_snat_to_vip (70), from the Southbound
// Load_Balancer rows of local datapaths.  A packet that was load-balanced (ct_mark.natted) from a
// backend to itself is hairpinned: table 68 flags it and learns the reply direction; table 70 SNATs it
// to the VIP in the SNAT zone.  IPv4 and IPv6 VIPs.

import { parseIpv4, parseIpv6 } from "../../expr/values.js";
import type { FieldName, LearnSpec } from "../../openflow/model.js";
import { matchFields } from "../lflow/compile.js";
import type { Flow, MatchField } from "../lflow/flow.js";
import type { SbLoadBalancer } from "../lflow/sb.js";
import { OFTABLE } from "../lflow/tables.js";
import { exact, flow, masked, setField } from "./flows.js";

const PROTO: Record<string, number> = { tcp: 6, udp: 17, sctp: 132 };

const same = (f: FieldName, nBits: number): LearnSpec => {
  const sf = { field: f, ofs: 0, nBits };
  return { kind: "match", dst: sf, src: { kind: "field", src: sf } };
};
const imm = (f: FieldName, value: bigint, nBits: number): LearnSpec => ({
  kind: "match",
  dst: { field: f, ofs: 0, nBits },
  src: { kind: "imm", value, nBits },
});

/** "10.0.0.1", "10.0.0.1:80", "fd00::1" or "[fd00::1]:80". */
function ipPort(s: string): { ip: bigint; v6: boolean; port: number } | null {
  const t = s.trim();
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(t);
  if (bracket !== null) {
    const ip = parseIpv6(bracket[1] ?? "");
    return ip === null ? null : { ip, v6: true, port: Number(bracket[2] ?? 0) };
  }
  const v6 = parseIpv6(t);
  if (v6 !== null) return { ip: v6, v6: true, port: 0 };
  const [ipText, portText] = t.split(":");
  const ip = parseIpv4(ipText ?? "");
  if (ip === null) return null;
  return { ip, v6: false, port: portText === undefined ? 0 : Number(portText) };
}

/**
 * `useCtMark`: SB_Global options:lb_hairpin_use_ct_mark (absent: true). ovn-northd writes false while
 * some chassis lacks ct-no-masked-label; its flows then keep the "natted" bit in ct_label, and so the
 * hairpin check must read it there.
 */
export function lbHairpinFlows(lb: SbLoadBalancer, useCtMark = true): Flow[] {
  const out: Flow[] = [];
  const proto = PROTO[lb.protocol] ?? 6;
  const l4: "tcp" | "udp" | "sctp" = lb.protocol === "udp" ? "udp" : lb.protocol === "sctp" ? "sctp" : "tcp";
  const cookie = BigInt(`0x${lb.uuid.slice(0, 8)}`);
  for (const [vipText, backendsText] of Object.entries(lb.vips)) {
    const vip = ipPort(vipText);
    if (vip === null) continue;
    // The VIP is in reg1 (IPv4) or xxreg1 (IPv6), its port in reg2[0..15].
    const v6 = vip.v6;
    const [ethType, src, dst, bits] = v6
      ? ([0x86dd, "ipv6_src", "ipv6_dst", 128] as const)
      : ([0x800, "ip_src", "ip_dst", 32] as const);
    const vipMatch: MatchField[] = [
      exact("eth_type", ethType),
      ...(v6
        ? matchFields([{ field: "xxreg1", value: vip.ip, mask: (1n << 128n) - 1n }])
        : [exact("reg1", vip.ip)]),
    ];
    if (vip.port !== 0) vipMatch.push(exact("nw_proto", proto), masked("reg2", vip.port, 0xffff));
    for (const b of backendsText.split(",")) {
      const be = ipPort(b);
      if (be === null) continue;
      // The learned flow matches the reply: same datapath, from this backend to the VIP, same
      // protocol (and the backend's source port as destination port); it sets reg10[7].
      const specs: LearnSpec[] = [
        same("metadata", 64),
        imm("eth_type", BigInt(ethType), 16),
        same(src, bits),
        imm(dst, vip.ip, bits),
      ];
      if (vip.port !== 0) {
        specs.push(imm("nw_proto", BigInt(proto), 8), {
          kind: "match",
          dst: { field: `${l4}_src`, ofs: 0, nBits: 16 },
          src: { kind: "field", src: { field: `${l4}_dst`, ofs: 0, nBits: 16 } },
        });
      } else {
        specs.push(same("nw_proto", 8));
      }
      specs.push({
        kind: "load",
        dst: { field: "reg10", ofs: 7, nBits: 1 },
        src: { kind: "imm", value: 1n, nBits: 1 },
      });
      const m: MatchField[] = [
        masked(useCtMark ? "ct_mark" : "ct_label", 2, 2),
        ...vipMatch,
        exact(src, be.ip),
        exact(dst, be.ip),
      ];
      if (vip.port !== 0 && be.port !== 0) m.push(exact(`${l4}_dst`, be.port));
      out.push(
        flow(OFTABLE.CHK_LB_HAIRPIN, 100, lb.uuid, m, [
          setField("reg10", 0x80, 0x80),
          {
            kind: "learn",
            table: OFTABLE.CHK_LB_HAIRPIN_REPLY,
            cookie,
            deleteLearned: true,
            idleTimeout: 0,
            hardTimeout: 0,
            priority: null,
            specs,
          },
        ]),
      );
    }
    out.push(
      flow(OFTABLE.CT_SNAT_HAIRPIN, vip.port !== 0 ? 100 : 90, lb.uuid, vipMatch, [
        {
          kind: "ct",
          commit: true,
          force: false,
          table: null,
          zone: { field: "reg12", ofs: 0, nBits: 16 },
          nat: {
            kind: "src",
            ipMin: { v6, value: vip.ip },
            ipMax: null,
            portMin: null,
            portMax: null,
            random: false,
            persistent: false,
            hash: false,
          },
          exec: [],
        },
      ]),
    );
  }
  return out;
}
