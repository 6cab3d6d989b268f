// physicalFlows (physical/index.ts) with a memory between passes: the flows of each port, multicast
// group, MAC binding, FDB entry and load balancer are made again only when something they read
// changed.  What an item's flows read is recorded while they are made — every lookup in the input's
// maps, sets and zone functions, in the view's index (view-index.ts) and every field of the view itself
// — with its answer; the item's flows are reused when the same item object (views keep unchanged rows'
// objects, lflow/sb.ts SbViewMemo) gets the same answers again.  A read the recorder cannot replay (a
// map iterated, its size) makes the item's flows be made afresh every pass.  The flows of an item made
// again that equal its old ones are the old objects, so later stages (desired-cache.ts) can tell them
// by identity.  Pure.

import type { Flow } from "../lflow/flow.js";
import type { SbPortBinding, SbView } from "../lflow/sb.js";
import { fdbFlows } from "../physical/fdb.js";
import {
  dgpLocalnetFlows,
  isLocalVif,
  lbHairpinFlows,
  macBindingFlows,
  multicastFlows,
  type PhysicalInput,
  portFlows,
  portSecurityFlows,
  staticFlows,
  tunnelInputFlows,
} from "../physical/index.js";
import { setViewIndex, type ViewIndex, viewIndex } from "../physical/view-index.js";
import { FlowInterner } from "./intern.js";
import { structKey } from "./struct-key.js";

/** What one recorded read asked. */
type Ask =
  | "vif.get"
  | "vif.has"
  | "tunnel.get"
  | "tunnel.has"
  | "localnet.get"
  | "localnet.has"
  | "local.has"
  | "ct"
  | "dnat"
  | "snat"
  | "dp.uuid"
  | "dp.key"
  | "port.name"
  | "port.dp"
  | "localnet.dp"
  | "view";

interface Dep {
  readonly ask: Ask;
  readonly key: unknown;
  readonly answer: unknown;
}

interface Entry {
  readonly deps: readonly Dep[] | undefined;
  readonly flows: readonly Flow[];
}

/** Equal answers: the same value, or arrays of the same items. */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The answer `input` (and its view's index) gives now to a recorded read. */
function askNow(input: PhysicalInput, index: ViewIndex, ask: Ask, key: unknown): unknown {
  const k = key as never;
  switch (ask) {
    case "vif.get":
      return input.vifPorts.get(k);
    case "vif.has":
      return input.vifPorts.has(k);
    case "tunnel.get":
      return input.tunnelPorts.get(k);
    case "tunnel.has":
      return input.tunnelPorts.has(k);
    case "localnet.get":
      return input.localnetPorts.get(k);
    case "localnet.has":
      return input.localnetPorts.has(k);
    case "local.has":
      return input.localDatapaths.has(k);
    case "ct":
      return input.ctZone(k);
    case "dnat":
      return input.dnatZone(k);
    case "snat":
      return input.snatZone(k);
    case "dp.uuid":
      return index.datapathByUuid.get(k);
    case "dp.key":
      return index.datapathByKey.get(k);
    case "port.name":
      return index.portByName.get(k);
    case "port.dp":
      return index.portsByDatapath.get(k);
    case "localnet.dp":
      return index.localnetsByDatapath.get(k);
    case "view":
      return input.view[key as keyof SbView];
  }
}

/** Collects the reads of one item's flows (one recorder serves every item of a pass in turn). */
class Recorder {
  deps: Dep[] = [];
  /** A read that cannot be replayed happened. */
  untracked = false;

  note(ask: Ask, key: unknown, answer: unknown): void {
    this.deps.push({ ask, key, answer });
  }
}

/** A map whose lookups are recorded; anything else it is asked makes the reader untracked. */
class RecordingMap<K, V> implements ReadonlyMap<K, V> {
  constructor(
    private readonly real: ReadonlyMap<K, V>,
    private readonly rec: Recorder,
    private readonly getAsk: Ask,
    private readonly hasAsk: Ask,
  ) {}
  get(k: K): V | undefined {
    const v = this.real.get(k);
    this.rec.note(this.getAsk, k, v);
    return v;
  }
  has(k: K): boolean {
    const v = this.real.has(k);
    this.rec.note(this.hasAsk, k, v);
    return v;
  }
  get size(): number {
    this.rec.untracked = true;
    return this.real.size;
  }
  forEach(f: (v: V, k: K, m: ReadonlyMap<K, V>) => void): void {
    this.rec.untracked = true;
    for (const [k, v] of this.real) f(v, k, this);
  }
  entries(): MapIterator<[K, V]> {
    this.rec.untracked = true;
    return this.real.entries();
  }
  keys(): MapIterator<K> {
    this.rec.untracked = true;
    return this.real.keys();
  }
  values(): MapIterator<V> {
    this.rec.untracked = true;
    return this.real.values();
  }
  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }
}

/** A set whose membership tests are recorded. */
class RecordingSet<T> implements ReadonlySet<T> {
  constructor(
    private readonly real: ReadonlySet<T>,
    private readonly rec: Recorder,
  ) {}
  has(x: T): boolean {
    const v = this.real.has(x);
    this.rec.note("local.has", x, v);
    return v;
  }
  get size(): number {
    this.rec.untracked = true;
    return this.real.size;
  }
  forEach(f: (v: T, v2: T, s: ReadonlySet<T>) => void): void {
    this.rec.untracked = true;
    for (const x of this.real) f(x, x, this);
  }
  entries(): SetIterator<[T, T]> {
    this.rec.untracked = true;
    return this.real.entries();
  }
  keys(): SetIterator<T> {
    this.rec.untracked = true;
    return this.real.keys();
  }
  values(): SetIterator<T> {
    this.rec.untracked = true;
    return this.real.values();
  }
  [Symbol.iterator](): SetIterator<T> {
    return this.values();
  }
}

type ItemKind = "port" | "portSecurity" | "multicast" | "macBinding" | "fdb" | "lb";

export class PhysicalCache {
  private readonly entries: Record<ItemKind, WeakMap<object, Entry>> = {
    port: new WeakMap(),
    portSecurity: new WeakMap(),
    multicast: new WeakMap(),
    macBinding: new WeakMap(),
    fdb: new WeakMap(),
    lb: new WeakMap(),
  };
  private chassis: string | undefined;
  /** input.lbHairpinUseCtMark (as a boolean) the "lb" entries were made with. */
  private hairpinCtMark = true;
  private statics: readonly Flow[] | undefined;
  /** Items whose flows were reused and made in the last call. */
  reused = 0;
  made = 0;

  /** The same flows, in the same order, as physicalFlows(input). */
  flows(input: PhysicalInput): Flow[] {
    if (input.chassis !== this.chassis) {
      for (const k of Object.keys(this.entries) as ItemKind[]) this.entries[k] = new WeakMap();
      this.chassis = input.chassis;
    }
    const ctMark = input.lbHairpinUseCtMark !== false;
    if (ctMark !== this.hairpinCtMark) {
      this.entries.lb = new WeakMap();
      this.hairpinCtMark = ctMark;
    }
    // Parts no flow uses any more stay interned; bounded (clearing only stops the sharing with new flows).
    if (this.parts.size > 50_000) this.parts.clear();
    this.reused = 0;
    this.made = 0;
    const index = viewIndex(input.view);
    const rec = new Recorder();
    const rIndex: ViewIndex = {
      datapathByUuid: new RecordingMap(index.datapathByUuid, rec, "dp.uuid", "dp.uuid"),
      datapathByKey: new RecordingMap(index.datapathByKey, rec, "dp.key", "dp.key"),
      portByName: new RecordingMap(index.portByName, rec, "port.name", "port.name"),
      portsByDatapath: new RecordingMap(index.portsByDatapath, rec, "port.dp", "port.dp"),
      localnetsByDatapath: new RecordingMap(index.localnetsByDatapath, rec, "localnet.dp", "localnet.dp"),
    };
    const record =
      <T>(ask: Ask, f: (k: T) => unknown) =>
      (k: T) => {
        const v = f(k);
        rec.note(ask, k, v);
        return v;
      };
    const base = {
      chassis: input.chassis,
      localDatapaths: new RecordingSet(input.localDatapaths, rec),
      vifPorts: new RecordingMap(input.vifPorts, rec, "vif.get", "vif.has"),
      tunnelPorts: new RecordingMap(input.tunnelPorts, rec, "tunnel.get", "tunnel.has"),
      localnetPorts: new RecordingMap(input.localnetPorts, rec, "localnet.get", "localnet.has"),
      ctZone: record("ct", (p: string) => input.ctZone(p)) as (p: string) => number | undefined,
      dnatZone: record("dnat", (d: string) => input.dnatZone(d)) as (d: string) => number,
      snatZone: record("snat", (d: string) => input.snatZone(d)) as (d: string) => number,
    };
    /** A recording input around a stand-in view of its own (caches keyed by the view then miss, so
     * every read of this item is seen). */
    const recordingInput = (): PhysicalInput => {
      const view = new Proxy(input.view, {
        get: (t, k) => {
          const v = t[k as keyof SbView];
          if (typeof k === "string") rec.note("view", k, v);
          else rec.untracked = true;
          return v;
        },
      });
      setViewIndex(view, rIndex);
      return { ...base, view };
    };
    const item = (kind: ItemKind, x: object, make: (i: PhysicalInput) => Flow[]): readonly Flow[] =>
      this.item(kind, x, input, index, rec, () => make(recordingInput()));

    const v = input.view;
    this.statics ??= staticFlows();
    const out: Flow[] = [...this.statics, ...tunnelInputFlows(input), ...dgpLocalnetFlows(input)];
    for (const p of v.ports) out.push(...item("port", p, (i) => portFlows(p, i)));
    for (const g of v.mcGroups) out.push(...item("multicast", g, (i) => multicastFlows(g, i)));
    for (const p of v.ports) out.push(...item("portSecurity", p, (i) => portSecurityFor(p, i)));
    for (const mb of v.macBindings) out.push(...item("macBinding", mb, (i) => macBindingFlows(mb, i)));
    for (const f of v.fdbs) out.push(...item("fdb", f, (i) => fdbFlows(f, i)));
    for (const lb of v.loadBalancers)
      if (lb.datapaths.some((d) => input.localDatapaths.has(d)))
        // A function of the load balancer and input.lbHairpinUseCtMark (the entries go when it changes).
        out.push(...this.item("lb", lb, input, index, rec, () => lbHairpinFlows(lb, ctMark)));
    return out;
  }

  private item(
    kind: ItemKind,
    x: object,
    input: PhysicalInput,
    index: ViewIndex,
    rec: Recorder,
    make: () => Flow[],
  ): readonly Flow[] {
    const map = this.entries[kind];
    const old = map.get(x);
    if (
      old?.deps !== undefined &&
      old.deps.every((d) => same(askNow(input, index, d.ask, d.key), d.answer))
    ) {
      this.reused++;
      return old.flows;
    }
    this.made++;
    rec.deps = [];
    rec.untracked = false;
    let flows: readonly Flow[] = make().map((f) => this.parts.flow(f));
    // Flows equal to the item's old ones stay the old objects.
    if (old !== undefined && old.flows.length > 0 && flows.length > 0) {
      const byKey = new Map(old.flows.map((f) => [structKey(f), f]));
      flows = flows.map((f) => byKey.get(structKey(f)) ?? f);
    }
    map.set(x, { deps: rec.untracked ? undefined : rec.deps, flows });
    return flows;
  }

  /** One object per distinct match field and common action of the items' flows (see intern.ts). */
  private readonly parts = new FlowInterner();

  /** Forgets the interned parts (see LflowCache.trim). */
  trim(): void {
    this.parts.clear();
  }
}

/** physicalFlows' port security part for one port. */
function portSecurityFor(p: SbPortBinding, input: PhysicalInput): Flow[] {
  const dp = viewIndex(input.view).datapathByUuid.get(p.datapath);
  return dp !== undefined && isLocalVif(p, input) ? portSecurityFlows(p, dp.tunnelKey) : [];
}
