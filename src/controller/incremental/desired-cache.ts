// The controller's desired flow table (agent/desired.ts desiredState) with a memory between passes:
// logical flows through LflowCache, physical flows through PhysicalCache, and an equal flow made
// again as a new object replaced by the one handed out before, so an unchanged flow is the same Flow
// object pass after pass and ofctrl's InstalledTable finds what to send from the flows that changed
// (it makes the FlowMods it needs; none is kept here).  An unchanged input gives back the same Desired
// object.  The table's key (made from per-flow hashes; two tables with the same key are the same to
// the ofctrl diff) is made only when asked for.  One DesiredCache lives as long as the agent; pure
// otherwise.
import type { GroupMod } from "../../openflow/model.js";
import type { Desired, DesiredInput } from "../agent/desired.js";
import { requireSnatZones, type ZoneAllocator } from "../agent/zones.js";
import type { Flow, Group } from "../lflow/flow.js";
import { toFlowMod, toGroupMod } from "../lflow/to-model.js";
import { flowKeyText, flowValue } from "../ofctrl/diff.js";
import { LflowCache, type LflowCacheStats } from "./lflow-cache.js";
import { PhysicalCache } from "./physical-cache.js";
import { structEqual, structHash } from "./struct-key.js";

/** Two independent 32-bit hashes of a string (FNV-1a and a multiply-xorshift), as one pair. */
export function hashPair(s: string): readonly [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9e3779b9;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x85ebca6b);
    b ^= b >>> 13;
  }
  return [a >>> 0, b >>> 0];
}

/**
 * An order-independent key of a multiset of lines: their count and the sums (mod 2^32) of two hashes.
 * Equal tables always get equal keys; different ones collide with a chance around 2^-64, which only
 * delays an install until the next change.
 */
export function multisetKey(hashes: Iterable<readonly [number, number]>): string {
  let n = 0;
  let a = 0;
  let b = 0;
  for (const [x, y] of hashes) {
    n++;
    a = (a + x) >>> 0;
    b = (b + y) >>> 0;
  }
  return `${n}:${a.toString(16)}:${b.toString(16)}`;
}

type ZoneKind = "ct" | "dnat" | "snat";

function askZone(zones: ZoneAllocator, kind: ZoneKind, owner: string): number {
  return kind === "ct"
    ? zones.ctZone(owner)
    : kind === "dnat"
      ? zones.dnatZone(owner)
      : zones.snatZone(owner);
}

function sameMap<K, V>(a: ReadonlyMap<K, V>, b: ReadonlyMap<K, V>): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

const bigintJson = (_k: string, v: unknown): unknown => (typeof v === "bigint" ? `${v}n` : v);

/** `e` when it is a flow equal to `f`. */
function sameFlow(e: Flow | undefined, f: Flow): Flow | undefined {
  return e !== undefined && structEqual(e, f) ? e : undefined;
}

export class DesiredCache {
  readonly lflows = new LflowCache();
  /** The flow handed out for each flow object seen (itself, or an equal one handed out before). */
  private readonly canonical = new WeakMap<Flow, Flow>();
  private readonly hashes = new WeakMap<Flow, readonly [number, number]>();
  /** Physical flows with a memory: unchanged ones come back as the same objects. */
  private readonly physical = new PhysicalCache();
  /** The last pass: its input and result, and the zones it asked for (kind, owner, zone). */
  private last:
    | { input: DesiredInput; desired: Desired; zoneCalls: readonly (readonly [ZoneKind, string, number])[] }
    | undefined;

  /** The meters the logical flows were given ids for (by name). */
  meterList(): { id: number; name: string }[] {
    return this.lflows.meterList();
  }

  get stats(): LflowCacheStats {
    return this.lflows.stats;
  }

  /**
   * The flows handed out last pass that were new objects, by structHash (confirmed with structEqual):
   * some stages make new objects for unchanged flows every pass (mergeFlows gathers the conjunction()
   * actions of clause flows into a new flow), and handing back the same object for an equal flow spares
   * the ofctrl diff a delete and an add.
   */
  private fresh = new Map<number, Flow>();

  private canon(f: Flow, fresh: Map<number, Flow>): Flow {
    let c = this.canonical.get(f);
    if (c === undefined) {
      // Equal flows in one table become one object too (the ofctrl diff then sees one flow per key).
      const h = structHash(f);
      c = sameFlow(this.fresh.get(h), f) ?? sameFlow(fresh.get(h), f) ?? f;
      // The first flow with a hash keeps it (another, different one with the same hash -- a chance
      // around 2^-53 -- only goes without the memory).
      if (!fresh.has(h)) fresh.set(h, c);
      this.canonical.set(f, c);
    }
    return c;
  }

  /**
   * Forgets every compiled logical flow (ovn-controller's lflow-cache/flush): the next state() compiles
   * them all again, even for an unchanged input.  Ids, and the flows handed out (so an equal flow
   * comes back as the same object), are kept.
   */
  flushLflows(): void {
    this.lflows.clear();
    this.last = undefined;
  }

  /**
   * Forgets the flows remembered by structHash (kept for the next pass's flows that come as new
   * objects): after the first pass that is every flow, of which the next pass uses the few that are
   * made afresh every pass.  Called once the agent has settled; the next pass remembers only those few.
   * The compilers' interners (intern.ts) are emptied too.
   */
  trim(): void {
    this.fresh = new Map();
    this.lflows.trim();
    this.physical.trim();
  }

  /** One GroupMod per Group object (the compiler keeps its groups), so an unchanged group is the same. */
  private readonly groupMods = new WeakMap<Group, GroupMod>();

  private groupMod(g: Group): GroupMod {
    let m = this.groupMods.get(g);
    if (m === undefined) {
      m = toGroupMod(g);
      this.groupMods.set(g, m);
    }
    return m;
  }

  private hash(f: Flow): readonly [number, number] {
    let h = this.hashes.get(f);
    if (h === undefined) {
      // The texts the ofctrl diff compares flows by, so each flow is printed once.
      const m = toFlowMod(f);
      h = hashPair(`${flowKeyText(m)}\n${flowValue(m)}`);
      this.hashes.set(f, h);
    }
    return h;
  }

  /**
   * The last result again when nothing it was computed from changed: the same view object (an
   * SbViewMemo hands back the same view for the same contents), chassis, port maps and zones.  The
   * zones are asked for again, as the computation would, so that the allocator's sweep() keeps them.
   */
  private unchanged(input: DesiredInput): Desired | undefined {
    const l = this.last;
    if (l === undefined) return undefined;
    const i = l.input;
    if (
      i.view !== input.view ||
      i.chassis !== input.chassis ||
      i.zones !== input.zones ||
      !sameMap(i.vifPorts, input.vifPorts) ||
      !sameMap(i.tunnelPorts, input.tunnelPorts) ||
      !sameMap(i.localnetPorts ?? new Map(), input.localnetPorts ?? new Map())
    )
      return undefined;
    for (const [kind, owner, zone] of l.zoneCalls)
      if (askZone(input.zones, kind, owner) !== zone) return undefined;
    return l.desired;
  }

  /** What desiredState(input) gives (same flows and groups; ids kept stable across passes). */
  state(input: DesiredInput): Desired {
    const again = this.unchanged(input);
    if (again !== undefined) return again;
    const { view, chassis } = input;
    // Each owner's zone asked once per pass, however many flows load it (the answer cannot change
    // within a pass), and remembered once for unchanged().
    const zoneCalls: [ZoneKind, string, number][] = [];
    const asked: Record<ZoneKind, Map<string, number>> = { ct: new Map(), dnat: new Map(), snat: new Map() };
    const zone = (kind: ZoneKind, owner: string): number => {
      const hit = asked[kind].get(owner);
      if (hit !== undefined) return hit;
      const z = askZone(input.zones, kind, owner);
      asked[kind].set(owner, z);
      zoneCalls.push([kind, owner, z]);
      return z;
    };
    const lflows = this.lflows.compile(view, chassis);
    requireSnatZones(input.zones, view, this.lflows.localDatapaths);
    const phys = this.physical.flows({
      chassis,
      view,
      localDatapaths: this.lflows.localDatapaths,
      vifPorts: input.vifPorts,
      tunnelPorts: input.tunnelPorts,
      localnetPorts: input.localnetPorts ?? new Map(),
      ctZone: (p) => zone("ct", p),
      dnatZone: (d) => zone("dnat", d),
      snatZone: (d) => zone("snat", d),
      ...(view.lbHairpinUseCtMark === false && { lbHairpinUseCtMark: false }),
    });
    const flows: Flow[] = [];
    const fresh = new Map<number, Flow>();
    for (const f of lflows.flows) flows.push(this.canon(f, fresh));
    for (const f of phys) flows.push(this.canon(f, fresh));
    this.fresh = fresh;
    const groups: GroupMod[] = lflows.groups.map((g) => this.groupMod(g));
    // The key is made only when asked for: the agent tells an unchanged table by the Desired object
    // itself, and ofctrl's InstalledTable finds the difference from the flows that changed.
    let key: string | undefined;
    const keyOf = () => {
      const groupLines = groups.map((g) => JSON.stringify(g, bigintJson)).sort();
      return `${groupLines.join("\n")}\n${multisetKey(flows.map((m) => this.hash(m)))}`;
    };
    const desired: Desired = {
      flows,
      groups,
      errors: lflows.errors,
      get key() {
        key ??= keyOf();
        return key;
      },
    };
    this.last = { input, desired, zoneCalls };
    return desired;
  }
}
