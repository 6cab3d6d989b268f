// IPAM: Logical_Switch_Port.dynamic_addresses for addresses "dynamic", "MAC dynamic", "dynamic IP",
// "dynamic IPV6" (ovn-nb(5)), as ovn-northd 23.03 assigns them (observed behaviour):
//   - a switch takes part when other_config has subnet, ipv6_prefix or mac_only=true;
//   - existing dynamic_addresses are kept while still valid (MAC has NB_Global mac_prefix and is
//     unique; IPv4 in the subnet, not excluded, not taken), so restarts change nothing;
//   - new IPv4: the lowest free host address of the subnet but the first, skipping exclude_ips, static addresses and
//     the networks of peer router ports; ports are served in uuid order (the order of the NB set);
//   - new MAC: mac_prefix + a 24-bit suffix, starting at (IPv4 & 0xffffff) + 1 (or 1 without an
//     IPv4) and taking the next free one; the MAC space is global to all switches;
//   - a requested IPv4 ("dynamic IP") is used when it is one of the subnet's assignable addresses
//     and not excluded or taken; else the port gets a dynamic one (after the others when it had no
//     IPv4 yet), its MAC still derived from the requested address; (ovn-northd's answer for the broadcast
//     address varies from run to run: left out of the tests);
//   - IPv6 only with ipv6_prefix: the requested one when in the prefix's /64, else ipv6_prefix +
//     EUI-64 of the MAC; mac_only
//     gives only the MAC;
//   - the forms are "dynamic", "MAC dynamic" and "dynamic IPv4|IPv6", "dynamic IPv4 IPv6" (requestOf):
//     anything else (e.g. "MAC dynamic IP", "dynamic IPv6 IPv4") gets no dynamic addresses.
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

/**
 * The "dynamic" entry of a port's addresses, parsed; undefined when there is none or it is not one
 * of the forms ovn-northd recognises, single spaces exactly: "dynamic", "MAC dynamic", "dynamic IPv4",
 * "dynamic IPv6", "dynamic IPv4 X" (X made of hex digits, ':' and '.', used when it is an IPv6).
 */
function requestOf(addresses: readonly string[]): Request | undefined {
  const entry = addresses.find((a) => DYNAMIC.test(a));
  if (entry === undefined) return undefined;
  const r: Request = { mac: undefined, ip4: undefined, ip6: undefined };
  if (entry === "dynamic") return r;
  const withMac = /^(\S+) dynamic$/.exec(entry);
  if (withMac !== null) {
    r.mac = parseMac(withMac[1] ?? "");
    return r.mac === undefined ? undefined : r;
  }
  const one = /^dynamic (\S+)$/.exec(entry);
  if (one !== null) {
    const ip = parseIp(one[1] ?? "");
    if (ip?.family === 4) r.ip4 = ip.addr;
    else if (ip?.family === 6) r.ip6 = ip.addr;
    else return undefined;
    return r;
  }
  const two = /^dynamic (\S+) ([0-9a-fA-F:.]+)$/.exec(entry);
  const ip4 = two === null ? undefined : parseIp(two[1] ?? "");
  if (two === null || ip4?.family !== 4) return undefined;
  r.ip4 = ip4.addr;
  const ip6 = parseIp(two[2] ?? "");
  if (ip6?.family === 6) r.ip6 = ip6.addr;
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
  /** The subnet's network address and size (a requested IPv4 must lie inside). */
  net: number | undefined;
  size: number;
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
      net: undefined,
      size: 0,
    };
    if (net !== undefined && !macOnly) {
      const size = 2 ** (32 - net.plen);
      const network = net.addr - (net.addr % size);
      // The first host address stays free (ovn-northd never hands it out: the subnet's gateway).
      s.lo = network + 2;
      s.hi = network + size - 2;
      s.net = network;
      s.size = size;
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
    // Requested IPv4s are checked against static entries, exclusions and earlier requests.
    const valid = (ip: number | undefined): boolean =>
      ip !== undefined &&
      s.net !== undefined &&
      ip >= s.net + 2 &&
      ip <= s.net + s.size - 2 &&
      !s.usedIp4.has(ip);
    for (const p of dyn) {
      const req = requestOf(p.nb.addresses);
      if (!enabled || req === undefined) {
        setDynamic(p, undefined);
        continue;
      }
      const ip4 = valid(req.ip4) ? req.ip4 : undefined;
      if (ip4 !== undefined) s.usedIp4.add(ip4);
      if (req.mac !== undefined) useMac(req.mac);
      s.ports.push({ p, req, mac: req.mac, ip4 });
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
      // (A port whose requested IPv4 was refused does not keep its old one: ovn-northd allocates again.)
      if (
        e.ip4 === undefined &&
        e.req.ip4 === undefined &&
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
  // Phase 2: allocate what is missing; new ports whose requested IPv4 was refused come last
  for (const s of switches) {
    // (ovn-northd gives such a port that had no dynamic IPv4 yet only a MAC at first, and its IPv4 in
    // the run its own NB write triggers: after the others.)
    const late = (e: (typeof s.ports)[number]): boolean =>
      e.req.ip4 !== undefined &&
      e.ip4 === undefined &&
      (e.p.nb.dynamicAddresses === undefined ||
        (parseLportAddresses(e.p.nb.dynamicAddresses)?.ipv4.length ?? 0) === 0);
    const order = [...s.ports.filter((e) => !late(e)), ...s.ports.filter(late)];
    for (const e of order) {
      if (e.ip4 === undefined && s.lo !== undefined && s.hi !== undefined) {
        for (let x = s.lo; x <= s.hi; x++)
          if (!s.usedIp4.has(x)) {
            e.ip4 = x;
            s.usedIp4.add(x);
            break;
          }
      }
      if (e.mac === undefined) {
        // A requested IPv4 seeds the MAC even when it could not be used.
        const seed = e.req.ip4 ?? e.ip4;
        const base = seed === undefined ? 0 : seed % 0x1000000;
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
      if (!s.macOnly && s.ip6Prefix !== undefined) {
        // A requested IPv6 outside the prefix's /64 gives way to the EUI-64 address.
        const inPrefix = e.req.ip6 !== undefined && e.req.ip6 >> 64n === s.ip6Prefix >> 64n;
        words.push(formatIpv6(inPrefix ? (e.req.ip6 ?? 0n) : ipv6FromPrefixAndMac(s.ip6Prefix, e.mac)));
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
