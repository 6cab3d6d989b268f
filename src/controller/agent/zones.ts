// Conntrack zones: one per local logical port and two (DNAT, SNAT) per local datapath.  A zone, once
// given, stays with its owner for the life of the allocator, so recomputing flows never renumbers
// connections that are already tracked.  Zone 0 is the default zone and is never handed out.  Pure.

export class ZoneAllocator {
  private readonly zones = new Map<string, number>();
  private readonly used = new Set<number>();
  private next = 1;

  /** Zones known so far (e.g. read back from br-int's external_ids after a restart). */
  constructor(initial: Iterable<readonly [string, number]> = []) {
    for (const [k, z] of initial) {
      this.zones.set(k, z);
      this.used.add(z);
    }
  }

  private get(key: string): number {
    let z = this.zones.get(key);
    if (z === undefined) {
      while (this.used.has(this.next)) this.next++;
      z = this.next;
      if (z > 0xffff) throw new Error("conntrack zones exhausted");
      this.zones.set(key, z);
      this.used.add(z);
    }
    return z;
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
