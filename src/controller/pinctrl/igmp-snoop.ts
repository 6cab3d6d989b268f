// The multicast snooping table of one chassis: per logical switch (datapath tunnel key) and group
// address, the local ports (tunnel keys) that joined, each with the time its membership expires.
// Settings come from the switch's SB IP_Multicast row (ovn-sb(5)): enabled, idle_timeout (seconds a
// membership lasts without a new report), table_size (groups per switch; a report for one more is
// refused and counted). A leave drops the port at once, as Open vSwitch's snooping does (no
// last-member query). Link-local groups (224.0.0.0/24, ff02::1) are never learned: they are always
// flooded. A query (IGMP of any version, MLD from a source other than ::) makes its port a multicast
// router port for MROUTER_IDLE_S seconds, renewed by each query, as ovn-controller 23.03 records them
// (through Open vSwitch's snooping library, whose router ports age out after 180 s). Pure: time is
// passed in.
import { parseIpv4, parseIpv6 } from "../../packet/bytes.js";
import type { MembershipMessage } from "./igmp.js";

/** One switch's snooping settings (SB IP_Multicast, with ovn-northd's defaults). */
export interface SnoopConfig {
  readonly enabled: boolean;
  readonly querier: boolean;
  readonly ethSrc: string;
  readonly ip4Src: string;
  readonly ip6Src: string;
  /** Groups kept per switch. */
  readonly tableSize: number;
  /** Seconds a membership lasts. */
  readonly idleTimeout: number;
  /** Seconds between general queries. */
  readonly queryInterval: number;
  /** Max Response Time of the queries, seconds. */
  readonly queryMaxResp: number;
}

export const DEFAULT_SNOOP: SnoopConfig = {
  enabled: false,
  querier: true,
  ethSrc: "",
  ip4Src: "",
  ip6Src: "",
  tableSize: 2048,
  idleTimeout: 300,
  queryInterval: 150,
  queryMaxResp: 1,
};

/** A learned group as the SB IGMP_Group row of this chassis holds it. */
export interface SnoopedGroup {
  readonly datapath: number;
  readonly group: string;
  /** Port tunnel keys, ascending. */
  readonly ports: readonly number[];
}

/** Whether a group address may be learned: multicast, and not link-local scope that is always flooded. */
export function learnableGroup(group: string): boolean {
  const v4 = parseIpv4(group);
  if (v4 !== undefined) {
    const a = v4[0] ?? 0;
    if (a < 224 || a > 239) return false;
    return !(a === 224 && v4[1] === 0 && v4[2] === 0);
  }
  const v6 = parseIpv6(group);
  if (v6 === undefined || v6[0] !== 0xff) return false;
  // ff02::1, all nodes: every host is in it.
  return !(v6[1] === 0x02 && v6.subarray(2, 15).every((b) => b === 0) && v6[15] === 1);
}

/** Seconds a port stays a multicast router port after its last query. */
export const MROUTER_IDLE_S = 180;

export class SnoopTable {
  /** datapath → group → port → expiry (ms). */
  private readonly dps = new Map<number, Map<string, Map<number, number>>>();
  /** datapath → multicast router port → expiry (ms). */
  private readonly routers = new Map<number, Map<number, number>>();

  /**
   * Applies one message from `port` of switch `datapath`; the result says whether the learned groups
   * (ports per group) changed and the counter the packet is accounted under.
   */
  apply(
    datapath: number,
    port: number,
    msg: MembershipMessage,
    cfg: SnoopConfig,
    nowMs: number,
  ): { changed: boolean; counter: string } {
    if (!cfg.enabled) return { changed: false, counter: "drop-igmp-snooping-disabled" };
    if (msg.kind === "query") {
      const counter = `igmp-query-v${msg.family}`;
      if (msg.unspecified === true) return { changed: false, counter };
      let ports = this.routers.get(datapath);
      if (ports === undefined) {
        ports = new Map();
        this.routers.set(datapath, ports);
      }
      const changed = !ports.has(port);
      ports.set(port, nowMs + MROUTER_IDLE_S * 1000);
      return { changed, counter };
    }
    let groups = this.dps.get(datapath);
    if (groups === undefined) {
      groups = new Map();
      this.dps.set(datapath, groups);
    }
    let changed = false;
    let refused = false;
    for (const c of msg.changes) {
      if (!learnableGroup(c.group)) continue;
      const ports = groups.get(c.group);
      if (c.op === "leave") {
        if (ports?.delete(port) === true) {
          changed = true;
          if (ports.size === 0) groups.delete(c.group);
        }
        continue;
      }
      if (ports === undefined) {
        if (groups.size >= cfg.tableSize) {
          refused = true;
          continue;
        }
        groups.set(c.group, new Map([[port, nowMs + cfg.idleTimeout * 1000]]));
        changed = true;
        continue;
      }
      if (!ports.has(port)) changed = true;
      ports.set(port, nowMs + cfg.idleTimeout * 1000);
    }
    if (groups.size === 0) this.dps.delete(datapath);
    const counter = refused ? "igmp-table-full" : `igmp-report-v${msg.family}`;
    return { changed, counter };
  }

  /** Drops memberships that expired by `nowMs`; true if any did. */
  expire(nowMs: number): boolean {
    let changed = false;
    for (const [dp, groups] of this.dps) {
      for (const [g, ports] of groups) {
        for (const [p, until] of ports)
          if (until <= nowMs) {
            ports.delete(p);
            changed = true;
          }
        if (ports.size === 0) groups.delete(g);
      }
      if (groups.size === 0) this.dps.delete(dp);
    }
    for (const [dp, ports] of this.routers) {
      for (const [p, until] of ports)
        if (until <= nowMs) {
          ports.delete(p);
          changed = true;
        }
      if (ports.size === 0) this.routers.delete(dp);
    }
    return changed;
  }

  /** Forgets the switches not in `keep` (snooping disabled, or no longer local); true if any went. */
  retain(keep: (datapath: number) => boolean): boolean {
    let changed = false;
    for (const table of [this.dps, this.routers])
      for (const dp of [...table.keys()])
        if (!keep(dp)) {
          table.delete(dp);
          changed = true;
        }
    return changed;
  }

  /** The earliest expiry, if anything is learned. */
  nextExpiry(): number | undefined {
    let next: number | undefined;
    for (const groups of this.dps.values())
      for (const ports of groups.values())
        for (const until of ports.values()) if (next === undefined || until < next) next = until;
    for (const ports of this.routers.values())
      for (const until of ports.values()) if (next === undefined || until < next) next = until;
    return next;
  }

  /** The multicast router ports learned on switch `datapath`, ascending. */
  mrouters(datapath: number): number[] {
    return [...(this.routers.get(datapath)?.keys() ?? [])].sort((a, b) => a - b);
  }

  /** Every learned group, sorted by datapath then address. */
  groups(): SnoopedGroup[] {
    const out: SnoopedGroup[] = [];
    for (const [datapath, groups] of this.dps)
      for (const [group, ports] of groups)
        out.push({ datapath, group, ports: [...ports.keys()].sort((a, b) => a - b) });
    return out.sort((a, b) =>
      a.datapath !== b.datapath
        ? a.datapath - b.datapath
        : a.group < b.group
          ? -1
          : a.group > b.group
            ? 1
            : 0,
    );
  }
}
