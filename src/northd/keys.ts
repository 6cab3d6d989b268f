// Tunnel-key allocation for datapaths and logical ports, stable across recomputes and restarts: a key
// once given stays with its datapath (by NB uuid) or port (by name, on the same datapath) for as long as
// it exists; at start-up the keys already in the SB (Datapath_Binding, Port_Binding) are taken over.
// New keys are handed out like C northd: the next free key after the last one given, wrapping around;
// for datapaths the search starts from 1 again in every run (ovn-northd 23.03 rebuilds its datapaths on
// each change and allocates their keys afresh: after deletions, new datapaths get the lowest free keys);
// for a datapath's ports it starts after the highest key in use (KeyRegistry.beginPorts).

/**
 * Datapath tunnel keys (ovn-architecture(7), "Tunnel Encapsulations"): 1 .. 2^24-1 less the 2^16-1 keys
 * kept for global (transit) datapaths, the value C northd writes as options:max_tunid; with any VXLAN
 * chassis only 12 bits travel in the VNI: 1 .. 4095.
 */
export const DP_KEY_MAX = (1 << 24) - 1 - 0xffff;
export const DP_KEY_MAX_VXLAN = (1 << 12) - 1;
/** Logical port tunnel keys: 1 .. 32767 (32768 and up are multicast groups); with VXLAN, 11 bits. */
export const PORT_KEY_MAX = 32767;
export const PORT_KEY_MAX_VXLAN = (1 << 11) - 1;

/** A pool of keys 1..max with a moving allocation hint. */
export class KeySpace {
  private readonly used = new Set<number>();
  private hint = 0;

  /** The largest key handed out (lowered or raised when the encapsulation mode changes). */
  constructor(public max: number) {}

  has(key: number): boolean {
    return this.used.has(key);
  }

  /** Claims a specific key (a requested or inherited one); false when taken or out of range. */
  claim(key: number): boolean {
    if (key < 1 || key > this.max || this.used.has(key)) return false;
    this.used.add(key);
    return true;
  }

  /** The next free key after the hint; undefined when all are taken. */
  allocate(): number | undefined {
    for (let i = 1; i <= this.max; i++) {
      const k = ((this.hint + i - 1) % this.max) + 1;
      if (!this.used.has(k)) {
        this.used.add(k);
        this.hint = k;
        return k;
      }
    }
    return undefined;
  }

  clone(): KeySpace {
    const c = new KeySpace(this.max);
    for (const k of this.used) c.used.add(k);
    c.hint = this.hint;
    return c;
  }

  release(key: number): void {
    this.used.delete(key);
  }

  /** Starts the next allocations from the lowest free key again. */
  resetHint(): void {
    this.hint = 0;
  }

  /** Starts the next allocations after the highest key in use. */
  hintAfterMax(): void {
    let max = 0;
    for (const k of this.used) if (k > max) max = k;
    this.hint = max;
  }

  get size(): number {
    return this.used.size;
  }
}

/**
 * Who holds which key. `owner` strings identify the holder: a datapath's NB uuid, or for ports the
 * datapath uuid and port name.
 */
export class KeyRegistry {
  private readonly byOwner = new Map<string, number>();
  readonly space: KeySpace;

  constructor(max: number, space?: KeySpace) {
    this.space = space ?? new KeySpace(max);
  }

  /** An independent copy (for a check build that must not disturb the real allocation). */
  clone(): KeyRegistry {
    const c = new KeyRegistry(this.space.max, this.space.clone());
    for (const [o, k] of this.byOwner) c.byOwner.set(o, k);
    return c;
  }

  get(owner: string): number | undefined {
    return this.byOwner.get(owner);
  }

  /** Takes over a key seen in the SB, unless the owner has one or the key is taken. */
  adopt(owner: string, key: number): void {
    if (this.byOwner.has(owner)) return;
    if (this.space.claim(key)) this.byOwner.set(owner, key);
  }

  /** The owner's key: its current one, else `wanted` when free, else a new one. */
  keyFor(owner: string, wanted?: number): number | undefined {
    const have = this.byOwner.get(owner);
    if (have !== undefined && (wanted === undefined || wanted === have)) return have;
    if (wanted !== undefined && this.space.claim(wanted)) {
      if (have !== undefined) this.space.release(have);
      this.byOwner.set(owner, wanted);
      return wanted;
    }
    if (have !== undefined) return have;
    const k = this.space.allocate();
    if (k !== undefined) this.byOwner.set(owner, k);
    return k;
  }

  /**
   * Starts one datapath's port key assignment the way ovn-northd 23.03 does it in every run: keys of
   * ports that are gone are free again; requested keys are given first, also when another port (one
   * that did not request it) holds the key: that port gets a new key; and new keys continue after the
   * highest key in use. `requested` in NB order; when two ports request one key, the holder keeps it.
   */
  beginPorts(live: ReadonlySet<string>, requested: ReadonlyMap<string, number>): void {
    this.retain(live);
    for (const [owner, key] of requested) {
      if (this.byOwner.get(owner) === key) continue;
      const holder = this.holderOf(key);
      if (holder === undefined) {
        this.keyFor(owner, key);
        continue;
      }
      if (requested.get(holder) === key) continue;
      this.byOwner.delete(holder);
      const had = this.byOwner.get(owner);
      if (had !== undefined) this.space.release(had);
      this.byOwner.set(owner, key);
    }
    this.space.hintAfterMax();
  }

  private holderOf(key: number): string | undefined {
    if (!this.space.has(key)) return undefined;
    for (const [o, k] of this.byOwner) if (k === key) return o;
    return undefined;
  }

  /** Releases the keys of every owner not in `live`. */
  retain(live: ReadonlySet<string>): void {
    for (const [owner, key] of this.byOwner) {
      if (!live.has(owner)) {
        this.byOwner.delete(owner);
        this.space.release(key);
      }
    }
  }

  owners(): IterableIterator<string> {
    return this.byOwner.keys();
  }
}

/** The key registries northd keeps for its lifetime: one for datapaths, one per datapath for ports. */
export class TunnelKeys {
  datapaths = new KeyRegistry(DP_KEY_MAX);
  private readonly ports = new Map<string, KeyRegistry>();
  private vxlan = false;

  clone(): TunnelKeys {
    const c = new TunnelKeys();
    c.vxlan = this.vxlan;
    c.datapaths = this.datapaths.clone();
    for (const [d, r] of this.ports) c.ports.set(d, r.clone());
    return c;
  }

  /** Whether some chassis tunnels with VXLAN: new keys then come from the 12-bit (ports: 11-bit) ranges. */
  setVxlanMode(on: boolean): void {
    if (on === this.vxlan) return;
    this.vxlan = on;
    this.datapaths.space.max = on ? DP_KEY_MAX_VXLAN : DP_KEY_MAX;
    for (const r of this.ports.values()) r.space.max = this.portKeyMax;
  }

  get vxlanMode(): boolean {
    return this.vxlan;
  }

  private get portKeyMax(): number {
    return this.vxlan ? PORT_KEY_MAX_VXLAN : PORT_KEY_MAX;
  }

  /** The port key registry of a datapath (by NB uuid). */
  portsOf(dpUuid: string): KeyRegistry {
    let r = this.ports.get(dpUuid);
    if (r === undefined) {
      r = new KeyRegistry(this.portKeyMax);
      this.ports.set(dpUuid, r);
    }
    return r;
  }

  /** Forgets the port registries of datapaths not in `live`. */
  retainDatapaths(live: ReadonlySet<string>): void {
    this.datapaths.retain(live);
    for (const dp of [...this.ports.keys()]) if (!live.has(dp)) this.ports.delete(dp);
  }
}
