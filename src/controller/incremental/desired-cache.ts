// The controller's desired flow table (agent/desired.ts desiredState) with a memory between passes:
// logical flows through LflowCache, each compiled flow converted to a FlowMod once, and the table's
// key made from per-flow hashes computed once per FlowMod instead of printing and sorting the whole
// table every pass.  Two tables with the same key are the same to the ofctrl diff (it tells flows
// apart by the same flowKey and flowValue texts the hashes are made of).  One DesiredCache lives as
// long as the agent; pure otherwise.
import type { FlowMod, GroupMod } from "../../openflow/model.js";
import type { Desired, DesiredInput } from "../agent/desired.js";
import type { ZoneAllocator } from "../agent/zones.js";
import type { Flow } from "../lflow/flow.js";
import { toFlowMod, toGroupMod } from "../lflow/to-model.js";
import { flowKey, flowValue } from "../ofctrl/diff.js";
import { physicalFlows } from "../physical/index.js";
import { LflowCache, type LflowCacheStats } from "./lflow-cache.js";

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

export class DesiredCache {
  readonly lflows = new LflowCache();
  private readonly mods = new WeakMap<Flow, FlowMod>();
  private readonly hashes = new WeakMap<FlowMod, readonly [number, number]>();
  /**
   * The physical flows' FlowMods of the last pass by the flow's full JSON text: physicalFlows makes new
   * objects every pass, and handing the same FlowMod back for an equal flow lets the key and the
   * ofctrl diff reuse what they remember about it.
   */
  private physical = new Map<string, FlowMod>();
  /** The last pass: its input and result, and the zones it asked for (kind, owner, zone). */
  private last:
    | { input: DesiredInput; desired: Desired; zoneCalls: readonly (readonly [ZoneKind, string, number])[] }
    | undefined;

  get stats(): LflowCacheStats {
    return this.lflows.stats;
  }

  private flowMod(f: Flow): FlowMod {
    let m = this.mods.get(f);
    if (m === undefined) {
      m = toFlowMod(f);
      this.mods.set(f, m);
    }
    return m;
  }

  private hash(m: FlowMod): readonly [number, number] {
    let h = this.hashes.get(m);
    if (h === undefined) {
      // The texts the ofctrl diff compares flows by (remembered per FlowMod), so each flow is printed once.
      h = hashPair(`${flowKey(m)}\n${flowValue(m)}`);
      this.hashes.set(m, h);
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
    const zoneCalls: [ZoneKind, string, number][] = [];
    const zone = (kind: ZoneKind, owner: string): number => {
      const z = askZone(input.zones, kind, owner);
      zoneCalls.push([kind, owner, z]);
      return z;
    };
    const lflows = this.lflows.compile(view, chassis);
    const phys = physicalFlows({
      chassis,
      view,
      localDatapaths: this.lflows.localDatapaths,
      vifPorts: input.vifPorts,
      tunnelPorts: input.tunnelPorts,
      localnetPorts: input.localnetPorts ?? new Map(),
      ctZone: (p) => zone("ct", p),
      dnatZone: (d) => zone("dnat", d),
      snatZone: (d) => zone("snat", d),
    });
    const flows: FlowMod[] = [];
    for (const f of lflows.flows) flows.push(this.flowMod(f));
    const physical = new Map<string, FlowMod>();
    for (const f of phys) {
      const sig = JSON.stringify(f, bigintJson);
      const m = this.physical.get(sig) ?? physical.get(sig) ?? toFlowMod(f);
      physical.set(sig, m);
      flows.push(m);
    }
    this.physical = physical;
    const groups: GroupMod[] = lflows.groups.map(toGroupMod);
    const groupLines = groups.map((g) => JSON.stringify(g, bigintJson)).sort();
    const key = `${groupLines.join("\n")}\n${multisetKey(flows.map((m) => this.hash(m)))}`;
    const desired: Desired = { flows, groups, errors: lflows.errors, key };
    this.last = { input, desired, zoneCalls };
    return desired;
  }
}
