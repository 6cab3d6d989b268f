// check_in_port_sec() / check_out_port_sec(): whether a packet passes the port security of its logical
// inport / outport (ovn-nb(5) Logical_Switch_Port port_security: "MAC [IP...]" entries).  The actions
// store 1 when the packet must be dropped.

import { parseIpv4, parseIpv6, parseMac } from "../expr/values.js";
import type { PortBinding } from "./sb.js";
import type { PacketState } from "./state.js";

interface Net {
  readonly value: bigint;
  readonly mask: bigint;
}

interface Entry {
  readonly mac: bigint;
  readonly ip4: readonly Net[];
  readonly ip6: readonly Net[];
  readonly hasIp: boolean;
}

function parseNet(text: string, width: number, parse: (s: string) => bigint | null): Net[] {
  const [a, plen] = text.split("/");
  const v = parse(a ?? "");
  if (v === null) return [];
  const bits = plen === undefined ? width : Number(plen);
  const all = (1n << BigInt(width)) - 1n;
  const mask = bits === 0 ? 0n : all ^ ((1n << BigInt(width - bits)) - 1n);
  return [{ value: v & mask, mask }];
}

/** The IPv6 link-local address derived from a MAC (EUI-64), which a port may always use. */
function linkLocal(mac: bigint): bigint {
  const eui = ((mac >> 24n) << 40n) | (0xfffen << 24n) | (mac & 0xffffffn);
  return (0xfe80n << 112n) | (eui ^ (0x02n << 56n));
}

function parseEntries(p: PortBinding): Entry[] {
  const out: Entry[] = [];
  for (const s of p.portSecurity) {
    const [macText, ...ips] = s.trim().split(/\s+/);
    const mac = parseMac(macText ?? "");
    if (mac === null) continue;
    const ip4 = ips.flatMap((t) => parseNet(t, 32, parseIpv4));
    const ip6 = ips.flatMap((t) => parseNet(t, 128, parseIpv6));
    out.push({ mac, ip4, ip6, hasIp: ips.length > 0 });
  }
  return out;
}

const inNet = (ip: bigint, nets: readonly Net[]) => nets.some((n) => (ip & n.mask) === n.value);

/** 1 if the packet fails the inport's port security, else 0. */
export function checkInPortSec(port: PortBinding | undefined, p: PacketState): bigint {
  if (port === undefined) return 0n;
  const entries = parseEntries(port);
  if (entries.length === 0) return 0n;
  const ok = entries.some((e) => {
    if (p.int("eth.src") !== e.mac) return false;
    if (!e.hasIp) return true;
    const type = p.int("eth.type");
    if (type === 0x806n) return p.int("arp.sha") === e.mac && inNet(p.int("arp.spa"), e.ip4);
    if (type === 0x800n) {
      const src = p.int("ip4.src");
      // DHCP discover comes from 0.0.0.0 before the port has an address.
      const dhcp =
        src === 0n &&
        p.int("ip4.dst") === 0xffffffffn &&
        p.int("ip.proto") === 17n &&
        p.int("udp.src") === 68n;
      return dhcp || inNet(src, e.ip4);
    }
    if (type === 0x86ddn) {
      const src = p.int("ip6.src");
      return src === 0n || src === linkLocal(e.mac) || inNet(src, e.ip6);
    }
    return true;
  });
  return ok ? 0n : 1n;
}

/** 1 if the packet may not be delivered to the outport under its port security, else 0. */
export function checkOutPortSec(port: PortBinding | undefined, p: PacketState): bigint {
  if (port === undefined) return 0n;
  const entries = parseEntries(port);
  if (entries.length === 0) return 0n;
  const dst = p.int("eth.dst");
  const ok = entries.some((e) => {
    if (dst !== e.mac) return false;
    if (!e.hasIp) return true;
    const type = p.int("eth.type");
    if (type === 0x800n) {
      const ip = p.int("ip4.dst");
      return ip === 0xffffffffn || ip >> 28n === 0xen || inNet(ip, e.ip4);
    }
    if (type === 0x86ddn) {
      const ip = p.int("ip6.dst");
      return ip >> 120n === 0xffn || ip === linkLocal(e.mac) || inNet(ip, e.ip6);
    }
    return true;
  });
  return ok ? 0n : 1n;
}
