// IPAM: Logical_Switch_Port.dynamic_addresses for addresses "dynamic", "MAC dynamic", "dynamic IP",
// "dynamic IPV6" (ovn-nb(5)), as ovn-northd 23.03 assigns them (observed behaviour):
//   - a switch takes part when other_config has subnet, ipv6_prefix or mac_only=true;
//   - existing dynamic_addresses are kept while still valid (MAC has NB_Global mac_prefix and is
//     unique; IPv4 in the subnet, not excluded, not taken), so restarts change nothing;
//   - new IPv4: the lowest free host address of the subnet but the first, skipping exclude_ips, static addresses and
//     the networks of peer router ports; ports are served in uuid order (the order of the NB set);
//   - new MAC: mac_prefix + a 24-bit suffix, starting at (IPv4 & 0xffffff) + 1 (or 1 without an
//     IPv4) and taking the next free one; the MAC space is global to all switches;
//   - IPv6: the requested one, else ipv6_prefix + EUI-64 of the MAC; mac_only gives only the MAC.
import {
  formatIpv4,
  formatIpv6,
  formatMac,
  ipv6FromPrefixAndMac,
  type LportAddresses,
  parseIp,
  parseIpv4,
  parseIpv4Cidr,
  parseIpv6,
  parseLportAddresses,
  parseMac,
} from "./addr.js";
import type { SwitchDatapath, SwitchPort } from "./model.js";
import type { Mutable } from "./model-build.js";

const SUFFIX_SPACE = 0xffffff;
const DYNAMIC = /(^|\s)dynamic(\s|$)/;

interface Request {
  mac: number | undefined;
  ip4: number | undefined;
  ip6: bigint | undefined;
}

/** The "dynamic" entry of a port's addresses, parsed; undefined when there is none. */
function requestOf(p: SwitchPort): Request | undefined {
  const entry = p.nb.addresses.find((a) => DYNAMIC.test(a));
  if (entry === undefined) return undefined;
  const r: Request = { mac: undefined, ip4: undefined, ip6: undefined };
  for (const w of entry.trim().split(/\s+/)) {
    if (w === "dynamic") continue;
    const mac = parseMac(w);
    if (mac !== undefined) {
      r.mac = mac;
      continue;
    }
    const ip = parseIp(w);
    if (ip?.family === 4) r.ip4 = ip.addr;
    else if (ip?.family === 6) r.ip6 = ip.addr;
  }
  return r;
}

interface SwitchIpam {
  ls: SwitchDatapath;
  /** First and last host address of the subnet; undefined without other_config:subnet. */
  lo: number | undefined;
  hi: number | undefined;
  ip6Prefix: bigint | undefined;
  macOnly: boolean;
  usedIp4: Set<number>;
  /** Dynamic ports, uuid order, with what phase 1 kept. */
  ports: { p: Mutable<SwitchPort>; req: Request; mac: number | undefined; ip4: number | undefined }[];
}

function excluded(spec: string | undefined): number[] {
  const out: number[] = [];
  for (const w of (spec ?? "").trim().split(/\s+/)) {
    if (w === "") continue;
    const [a, b] = w.split("..");
    const lo = parseIpv4(a ?? "");
    const hi = b === undefined ? lo : parseIpv4(b);
    if (lo === undefined || hi === undefined) continue;
    for (let x = lo; x <= hi && x - lo < 65536; x++) out.push(x);
  }
  return out;
}

/**
 * Assigns dynamic addresses to the ports of `targets` (mutating their `dynamicAddresses` and
 * `addresses`); `all` are every switch of the model, for the global MAC space.
 */
export function runIpam(
  targets: Iterable<Mutable<SwitchDatapath>>,
  all: readonly SwitchDatapath[],
  macPrefix: string,
): void {
  const prefix = parseMac(`${macPrefix}:00:00:00`) ?? 0;
  const hasPrefix = (m: number): boolean => Math.floor(m / 0x1000000) === Math.floor(prefix / 0x1000000);
  const targetSet = new Set<SwitchDatapath>(targets);
  if (targetSet.size === 0) return;
  const usedMac = new Set<number>();
  const useMac = (m: number): void => {
    if (hasPrefix(m)) usedMac.add(m % 0x1000000);
  };
  for (const ls of all) {
    for (const p of ls.ports) {
      // Ports of switches being redone count with their static entries only; others as they are.
      const addrs = targetSet.has(ls) ? staticAddresses(p) : p.addresses;
      for (const a of addrs) useMac(a.mac);
      if (p.peer !== undefined) useMac(p.peer.networks.mac);
    }
  }

  const switches: SwitchIpam[] = [];
  for (const ls of targetSet) {
    const cfg = ls.nb.otherConfig;
    const net = parseIpv4Cidr(cfg.get("subnet") ?? "");
    const v6 = cfg.get("ipv6_prefix");
    const ip6Prefix = v6 === undefined ? undefined : parseIpv6(v6.replace(/\/\d+$/, ""));
    const macOnly = cfg.get("mac_only") === "true";
    const s: SwitchIpam = {
      ls,
      lo: undefined,
      hi: undefined,
      ip6Prefix,
      macOnly,
      usedIp4: new Set(),
      ports: [],
    };
    if (net !== undefined && !macOnly) {
      const size = 2 ** (32 - net.plen);
      const network = net.addr - (net.addr % size);
      // The first host address stays free (ovn-northd never hands it out: the subnet's gateway).
      s.lo = network + 2;
      s.hi = network + size - 2;
    }
    const enabled = s.lo !== undefined || ip6Prefix !== undefined || macOnly;
    for (const x of excluded(cfg.get("exclude_ips"))) s.usedIp4.add(x);
    const dyn: Mutable<SwitchPort>[] = [];
    for (const p of ls.ports as Mutable<SwitchPort>[]) {
      for (const a of staticAddresses(p)) for (const n of a.ipv4) s.usedIp4.add(n.addr);
      if (p.type === "router" && p.peer !== undefined)
        for (const n of p.peer.networks.ipv4) s.usedIp4.add(n.addr);
      if (p.hasDynamic) dyn.push(p);
    }
    dyn.sort((a, b) => (a.nb._uuid < b.nb._uuid ? -1 : a.nb._uuid > b.nb._uuid ? 1 : 0));
    for (const p of dyn) {
      const req = requestOf(p);
      if (!enabled || req === undefined) {
        setDynamic(p, undefined);
        continue;
      }
      if (req.ip4 !== undefined) s.usedIp4.add(req.ip4);
      if (req.mac !== undefined) useMac(req.mac);
      s.ports.push({ p, req, mac: req.mac, ip4: req.ip4 });
    }
    switches.push(s);
  }
  // Phase 1: keep what is still valid, over all switches before any new allocation.
  for (const s of switches) {
    for (const e of s.ports) {
      const old =
        e.p.nb.dynamicAddresses === undefined ? undefined : parseLportAddresses(e.p.nb.dynamicAddresses);
      if (old === undefined) continue;
      if (e.mac === undefined && hasPrefix(old.mac) && !usedMac.has(old.mac % 0x1000000)) {
        e.mac = old.mac;
        usedMac.add(old.mac % 0x1000000);
      }
      const v4 = old.ipv4[0]?.addr;
      if (
        e.ip4 === undefined &&
        v4 !== undefined &&
        s.lo !== undefined &&
        s.hi !== undefined &&
        v4 >= s.lo &&
        v4 <= s.hi &&
        !s.usedIp4.has(v4)
      ) {
        e.ip4 = v4;
        s.usedIp4.add(v4);
      }
    }
  }
  // Phase 2: allocate what is missing.
  for (const s of switches) {
    for (const e of s.ports) {
      if (e.ip4 === undefined && s.lo !== undefined && s.hi !== undefined) {
        for (let x = s.lo; x <= s.hi; x++)
          if (!s.usedIp4.has(x)) {
            e.ip4 = x;
            s.usedIp4.add(x);
            break;
          }
      }
      if (e.mac === undefined) {
        const base = e.ip4 === undefined ? 0 : e.ip4 % 0x1000000;
        for (let i = 0; i < SUFFIX_SPACE - 1; i++) {
          const suffix = ((base + i) % (SUFFIX_SPACE - 1)) + 1;
          if (!usedMac.has(suffix)) {
            usedMac.add(suffix);
            e.mac = prefix - (prefix % 0x1000000) + suffix;
            break;
          }
        }
      }
      if (e.mac === undefined) {
        setDynamic(e.p, undefined);
        continue;
      }
      const words = [formatMac(e.mac)];
      if (!s.macOnly && e.ip4 !== undefined) words.push(formatIpv4(e.ip4));
      if (!s.macOnly) {
        const v6 =
          e.req.ip6 ?? (s.ip6Prefix === undefined ? undefined : ipv6FromPrefixAndMac(s.ip6Prefix, e.mac));
        if (v6 !== undefined && (e.req.ip6 !== undefined || s.ip6Prefix !== undefined))
          words.push(formatIpv6(v6));
      }
      setDynamic(e.p, words.join(" "));
    }
  }
}

/** The port's addresses without the dynamic ones. */
function staticAddresses(p: SwitchPort): LportAddresses[] {
  const out: LportAddresses[] = [];
  for (const a of p.nb.addresses) {
    if (a === "unknown" || a === "router" || DYNAMIC.test(a)) continue;
    const x = parseLportAddresses(a);
    if (x !== undefined) out.push(x);
  }
  return out;
}

function setDynamic(p: Mutable<SwitchPort>, value: string | undefined): void {
  const same = value === p.dynamicAddresses;
  p.dynamicAddresses = value;
  if (same && value === p.nb.dynamicAddresses) return;
  const dyn = value === undefined ? undefined : parseLportAddresses(value);
  p.addresses = dyn === undefined ? staticAddresses(p) : [...staticAddresses(p), dyn];
}
