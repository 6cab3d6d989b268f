// What this chassis announces with gratuitous ARPs (ovn-controller(8): ports and NAT addresses reached
// through a localnet port): on each datapath whose localnet port has its patch port here, each VIF
// bound here (its first address entry, with that entry's first IPv4 address, as ovn-controller 23.03
// does), the nat_addresses of the l3gateway ports bound here, and those nat_addresses of router ports
// that end in is_chassis_resident("cr-…") of a redirect port bound here (a distributed gateway port).
// Each is sent from its own port into the switch's pipeline (pinctrl/announce.ts), which floods it to
// the localnet port.  A MAC with no IPv4 address is announced with one RARP.  Pure.

import type { SbView } from "../lflow/sb.js";
import type { Announcement } from "../pinctrl/announce.js";

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** "MAC IP IP …" entries (Port_Binding.mac / nat_addresses) as MAC + IPv4s; other words are ignored. */
function parseAddresses(entry: string): { mac: string; ips: string[] } | undefined {
  const [mac, ...rest] = entry.trim().split(/\s+/);
  if (mac === undefined || !MAC.test(mac)) return undefined;
  return { mac: mac.toLowerCase(), ips: rest.filter((w) => IPV4.test(w)) };
}

/** The port named by a trailing is_chassis_resident("PORT") of a nat_addresses entry. */
function residentPort(entry: string): string | undefined {
  return /is_chassis_resident\("([^"]+)"\)/.exec(entry)?.[1];
}

export function announcements(
  view: SbView,
  chassis: string,
  /** Localnet logical ports that have their patch port on br-int. */
  localnetPorts: ReadonlySet<string>,
  /** Port_Binding.nat_addresses by logical port. */
  natAddresses: ReadonlyMap<string, readonly string[]>,
): Announcement[] {
  const dpKey = new Map(view.datapaths.map((d) => [d.uuid, d.tunnelKey]));
  const boundHere = new Set(view.ports.filter((p) => p.chassis === chassis).map((p) => p.logicalPort));
  const out: Announcement[] = [];
  const done = new Set<string>();
  for (const ln of view.ports) {
    if (ln.type !== "localnet" || !localnetPorts.has(ln.logicalPort) || done.has(ln.datapath)) continue;
    done.add(ln.datapath);
    const datapath = dpKey.get(ln.datapath);
    if (datapath === undefined) continue;
    for (const p of view.ports) {
      if (p.datapath !== ln.datapath) continue;
      const port = p.tunnelKey;
      if (p.chassis === chassis && p.type === "" && p.parentPort === null) {
        // A VIF (an interface of br-int names it; container ports have none): one entry, one address.
        const a = p.mac.map(parseAddresses).find((x) => x !== undefined);
        if (a !== undefined) out.push({ datapath, port, mac: a.mac, ips: a.ips.slice(0, 1) });
        continue;
      }
      const nat = natAddresses.get(p.logicalPort) ?? [];
      const entries =
        p.type === "patch"
          ? nat.filter((e) => boundHere.has(residentPort(e) ?? ""))
          : p.type === "l3gateway" && p.chassis === chassis
            ? nat
            : [];
      for (const e of entries) {
        const a = parseAddresses(e);
        if (a !== undefined) out.push({ datapath, port, mac: a.mac, ips: a.ips });
      }
    }
  }
  // One announcement per (datapath, port, MAC): northd may write one nat_addresses entry per address
  // with the same MAC, and the schedule is kept per MAC.
  const merged = new Map<string, Announcement>();
  for (const a of out) {
    const k = `${a.datapath}:${a.port}:${a.mac}`;
    const prev = merged.get(k);
    merged.set(k, prev === undefined ? a : { ...prev, ips: [...new Set([...prev.ips, ...a.ips])] });
  }
  return [...merged.values()];
}
