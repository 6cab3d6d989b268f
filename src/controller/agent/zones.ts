// Conntrack zones: one per local logical port and two (DNAT, SNAT) per local datapath.  A zone, once
// given, stays with its owner while the owner is asked for, so recomputing flows never renumbers
// connections that are already tracked; an owner not asked for in a whole pass (the port left) gives
// its zone back at sweep().  A zone handed out afresh is reported by takeFresh() so that the caller
// flushes what an earlier owner left in it.  Zone 0 is the default zone and is never handed out.  Pure.

export class ZoneAllocator {
  private readonly zones = new Map<string, number>();
  private readonly used = new Set<number>();
  private next = 1;
  /** Owners asked for since the last sweep. */
  private readonly touched = new Set<string>();
  private fresh: number[] = [];

  /** Zones known so far (e.g. read back from br-int's external_ids after a restart). */
  constructor(initial: Iterable<readonly [string, number]> = []) {
    for (const [k, z] of initial) {
      this.zones.set(k, z);
      this.used.add(z);
    }
  }

  private get(key: string): number {
    this.touched.add(key);
    let z = this.zones.get(key);
    if (z === undefined) {
      while (this.used.has(this.next)) this.next++;
      z = this.next;
      if (z > 0xffff) throw new Error("conntrack zones exhausted");
      this.zones.set(key, z);
      this.used.add(z);
      this.fresh.push(z);
    }
    return z;
  }

  /** Releases the zones of owners not asked for since the previous sweep; returns those owners. */
  sweep(): string[] {
    const gone = [...this.zones.keys()].filter((k) => !this.touched.has(k));
    for (const k of gone) {
      const z = this.zones.get(k) as number;
      this.zones.delete(k);
      this.used.delete(z);
      if (z < this.next) this.next = z;
    }
    this.touched.clear();
    return gone;
  }

  /**
   * Gives `key` exactly `zone` (a router's requested SNAT zone, snat-ct-zone): an owner holding that
   * zone loses it and gets another when next asked for, as in ovn-controller.  Call before the pass's
   * zones are asked for.
   */
  require(key: string, zone: number): void {
    this.touched.add(key);
    const cur = this.zones.get(key);
    if (cur === zone) return;
    for (const [k, z] of this.zones) if (z === zone) this.zones.delete(k);
    if (cur !== undefined) {
      this.used.delete(cur);
      if (cur < this.next) this.next = cur;
    }
    this.zones.set(key, zone);
    this.used.add(zone);
    this.fresh.push(zone);
  }

  /** The SNAT zone a datapath asked for (snat-ct-zone), as require(). */
  requireSnatZone(datapath: string, zone: number): void {
    this.require(`${datapath}_snat`, zone);
  }

  /** Zones handed out afresh since the previous call (not restored ones). */
  takeFresh(): number[] {
    const f = this.fresh.filter((z) => this.used.has(z));
    this.fresh = [];
    return f;
  }

  ctZone(port: string): number {
    return this.get(port);
  }
  dnatZone(datapath: string): number {
    return this.get(`${datapath}_dnat`);
  }
  snatZone(datapath: string): number {
    return this.get(`${datapath}_snat`);
  }

  /** Every assignment, for persisting. */
  entries(): [string, number][] {
    return [...this.zones.entries()];
  }
}

/** ovn-controller keeps each zone in br-int's external_ids as `ct-zone-<owner>` = "<zone>". */
const ZONE_KEY = "ct-zone-";

/** Zones recorded in br-int's external_ids (by a previous run of ovnts or of ovn-controller). */
export function zonesFromExternalIds(ids: ReadonlyMap<string, string>): [string, number][] {
  const out: [string, number][] = [];
  for (const [k, v] of ids) {
    if (!k.startsWith(ZONE_KEY) || !/^\d+$/.test(v)) continue;
    const z = Number(v);
    if (z > 0 && z <= 0xffff) out.push([k.slice(ZONE_KEY.length), z]);
  }
  return out;
}

/** ct-zone-* keys of `ids` whose owner the allocator no longer has. */
export function zoneExternalIdsToRemove(zones: ZoneAllocator, ids: ReadonlyMap<string, string>): string[] {
  const have = new Set(zones.entries().map(([owner]) => `${ZONE_KEY}${owner}`));
  return [...ids.keys()].filter((k) => k.startsWith(ZONE_KEY) && !have.has(k));
}

/** The external_ids entries missing from or different in `ids` for the allocator's zones. */
export function zoneExternalIdsToWrite(
  zones: ZoneAllocator,
  ids: ReadonlyMap<string, string>,
): Map<string, string> {
  const out = new Map<string, string>();
  for (const [owner, z] of zones.entries()) {
    const k = `${ZONE_KEY}${owner}`;
    if (ids.get(k) !== String(z)) out.set(k, String(z));
  }
  return out;
}

/** The SNAT zones local routers ask for (snat-ct-zone), given before a pass asks for any zone. */
export function requireSnatZones(
  zones: ZoneAllocator,
  view: { readonly datapaths: readonly { readonly uuid: string; readonly snatCtZone?: number }[] },
  local: ReadonlySet<string>,
): void {
  for (const dp of view.datapaths)
    if (dp.snatCtZone !== undefined && local.has(dp.uuid)) zones.requireSnatZone(dp.uuid, dp.snatCtZone);
}
