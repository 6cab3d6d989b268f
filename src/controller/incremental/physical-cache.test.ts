// Incremental equals recompute for a whole pass: over every corpus scenario, a seeded random sequence
// of changes (ports bound, unbound and claimed ahead of the Southbound, VIFs plugged, unplugged and
// moved, tunnels and localnet patches added and removed, multicast groups and MAC bindings edited,
// ports deleted) goes through the agent's memories (SbViewMemo + withChassis, PhysicalCache,
// DesiredCache) and through the from-scratch functions (sbViewFromTables, physicalFlows,
// desiredState); after every step both give the same physical flows in the same order, the same
// desired table, and the desired key moves exactly when that table does.
import assert from "node:assert/strict";
import { test } from "node:test";
import { type Desired, desiredState } from "../agent/desired.js";
import { ZoneAllocator } from "../agent/zones.js";
import { physicalInput, readCorpus } from "../lflow/peer/diff-corpus.js";
import { SCENARIOS } from "../lflow/peer/scenarios.js";
import { type JsonRow, type JsonTables, SbViewMemo, sbViewFromTables, withChassis } from "../lflow/sb.js";
import { physicalFlows } from "../physical/index.js";
import { DesiredCache } from "./desired-cache.js";
import { PhysicalCache } from "./physical-cache.js";
import { structKey } from "./struct-key.js";

const CHASSIS = "hv1";

type Tables = Record<string, Record<string, JsonRow>>;

/** A small deterministic generator (mulberry32), so that a failure names its seed. */
function rng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

interface State {
  tables: Tables;
  vifPorts: Map<string, number>;
  tunnelPorts: Map<string, number>;
  localnetPorts: Map<string, number>;
  /** Claims and releases ahead of the Southbound (withChassis). */
  ahead: Map<string, string | null>;
}

const pick = <T>(r: (n: number) => number, xs: readonly T[]): T | undefined => xs[r(xs.length)];

/** Replaces one table by a copy with `f` applied (tables handed to a memo are never changed). */
function edit(s: State, table: string, f: (t: Record<string, JsonRow>) => void): void {
  const copy = { ...(s.tables[table] ?? {}) };
  f(copy);
  s.tables = { ...s.tables, [table]: copy };
}

const rowsOf = (s: State, table: string): [string, JsonRow][] => Object.entries(s.tables[table] ?? {});

const CHANGES: readonly ((s: State, r: (n: number) => number) => void)[] = [
  // Bind a port here, elsewhere or nowhere.
  (s, r) => {
    const pb = pick(r, rowsOf(s, "Port_Binding"));
    const ch = pick(r, rowsOf(s, "Chassis"));
    if (pb === undefined) return;
    const chassis = ch === undefined || r(3) === 0 ? ["set", []] : ["uuid", ch[0]];
    edit(s, "Port_Binding", (t) => {
      t[pb[0]] = { ...pb[1], chassis };
    });
  },
  // Claim or release ahead of the Southbound.
  (s, r) => {
    const pb = pick(r, rowsOf(s, "Port_Binding"));
    if (pb !== undefined) s.ahead.set(String(pb[1].logical_port), r(2) === 0 ? CHASSIS : null);
  },
  // The Southbound catches up.
  (s) => {
    s.ahead.clear();
  },
  // ovn-northd turns the hairpin flows' ct_mark off or on (SB_Global options:lb_hairpin_use_ct_mark).
  (s, r) => {
    const g = rowsOf(s, "SB_Global")[0];
    const value = r(2) === 0 ? "false" : "true";
    edit(s, "SB_Global", (t) => {
      t[g?.[0] ?? "0b000000-0000-4000-8000-00000000beef"] = {
        ...(g?.[1] ?? {}),
        options: ["map", [["lb_hairpin_use_ct_mark", value]]],
      };
    });
  },
  // Plug a VIF for some port, unplug one, or move one to another ofport.
  (s, r) => {
    const pb = pick(r, rowsOf(s, "Port_Binding"));
    if (pb !== undefined) s.vifPorts = new Map([...s.vifPorts, [String(pb[1].logical_port), 100 + r(50)]]);
  },
  (s, r) => {
    const k = pick(r, [...s.vifPorts.keys()]);
    if (k === undefined) return;
    s.vifPorts = new Map(s.vifPorts);
    if (r(2) === 0) s.vifPorts.delete(k);
    else s.vifPorts.set(k, 200 + r(50));
  },
  // A tunnel to a chassis appears or goes.
  (s, r) => {
    const ch = pick(r, rowsOf(s, "Chassis"));
    if (ch === undefined) return;
    const name = String(ch[1].name);
    s.tunnelPorts = new Map(s.tunnelPorts);
    if (s.tunnelPorts.has(name)) s.tunnelPorts.delete(name);
    else s.tunnelPorts.set(name, 300 + r(20));
  },
  // A localnet patch port appears or goes.
  (s, r) => {
    const ln = pick(
      r,
      rowsOf(s, "Port_Binding").filter(([, p]) => p.type === "localnet"),
    );
    if (ln === undefined) return;
    const name = String(ln[1].logical_port);
    s.localnetPorts = new Map(s.localnetPorts);
    if (s.localnetPorts.has(name)) s.localnetPorts.delete(name);
    else s.localnetPorts.set(name, 400 + r(20));
  },
  // A multicast group loses a member.
  (s, r) => {
    const g = pick(r, rowsOf(s, "Multicast_Group"));
    const ports = g?.[1].ports;
    if (g === undefined || !Array.isArray(ports) || ports[0] !== "set") return;
    edit(s, "Multicast_Group", (t) => {
      t[g[0]] = { ...g[1], ports: ["set", (ports[1] as unknown[]).slice(1)] };
    });
  },
  // A MAC binding is learnt for a port.
  (s, r) => {
    const pb = pick(r, rowsOf(s, "Port_Binding"));
    if (pb === undefined) return;
    edit(s, "MAC_Binding", (t) => {
      t[`0000beef-0000-0000-0000-${String(r(1000)).padStart(12, "0")}`] = {
        logical_port: pb[1].logical_port,
        ip: `10.77.${r(256)}.${r(256)}`,
        mac: `0a:00:00:00:${(16 + r(200)).toString(16)}:01`,
        datapath: pb[1].datapath,
      } as JsonRow;
    });
  },
  // A port goes away.
  (s, r) => {
    const pb = pick(r, rowsOf(s, "Port_Binding"));
    if (pb === undefined) return;
    edit(s, "Port_Binding", (t) => {
      delete t[pb[0]];
    });
  },
];

const text = (fs: readonly unknown[]): string[] => fs.map(structKey).sort();

/** A desired table as text, group ids replaced by what the group is (ids depend on history). */
function tableText(d: Desired): string[] {
  const desc = new Map(d.groups.map((g) => [g.groupId, structKey({ ...g, groupId: 0 })]));
  return text(
    d.flows.map((f) => ({
      ...f,
      actions: f.actions.map((a) => (a.kind === "group" ? { ...a, id: desc.get(a.id) } : a)),
    })),
  );
}

for (const sc of SCENARIOS) {
  test(`${sc.name}: incremental physical flows and desired table equal the from-scratch ones over random changes`, () => {
    const c = readCorpus(sc.name);
    for (const seed of [1, 2]) {
      const r = rng(seed * 7919 + sc.name.length);
      const first = sbViewFromTables(c.sb);
      const base = physicalInput(c, first, CHASSIS);
      const s: State = {
        tables: { ...(c.sb as Tables) },
        vifPorts: new Map(base.vifPorts),
        tunnelPorts: new Map(base.tunnelPorts),
        localnetPorts: new Map(base.localnetPorts),
        ahead: new Map(),
      };
      const memo = new SbViewMemo();
      const physical = new PhysicalCache();
      const desired = new DesiredCache();
      const zones = new ZoneAllocator();
      let lastKey: string | undefined;
      let lastTable: string[] | undefined;
      let reused = 0;
      for (let step = 0; step < 12; step++) {
        const where = `${sc.name}, seed ${seed}, step ${step}`;
        if (step > 0) (CHANGES[r(CHANGES.length)] as (s: State, r: (n: number) => number) => void)(s, r);
        const view = withChassis(sbViewFromTables(s.tables as JsonTables, memo), s.ahead, memo);
        const fresh = withChassis(sbViewFromTables(s.tables as JsonTables), s.ahead);
        assert.deepEqual(view, fresh, `${where}: view`);
        const input = {
          chassis: CHASSIS,
          view,
          localDatapaths: desired.lflows.localDatapaths,
          vifPorts: s.vifPorts,
          tunnelPorts: s.tunnelPorts,
          localnetPorts: s.localnetPorts,
        };
        const got = desired.state({ ...input, zones });
        const want = desiredState({ ...input, view: fresh, zones });
        const table = tableText(got);
        assert.deepEqual(table, tableText(want), `${where}: desired flows`);
        assert.deepEqual(
          text(got.groups.map((g) => ({ ...g, groupId: 0 }))),
          text(want.groups.map((g) => ({ ...g, groupId: 0 }))),
          `${where}: groups`,
        );
        if (lastTable !== undefined)
          assert.equal(got.key === lastKey, structKey(table) === structKey(lastTable), `${where}: key`);
        lastKey = got.key;
        lastTable = table;
        // The physical flows alone, in order, against physicalFlows on the same zones.
        const zoneFns = {
          ctZone: (p: string) => zones.ctZone(p),
          dnatZone: (d: string) => zones.dnatZone(d),
          snatZone: (d: string) => zones.snatZone(d),
        };
        const pin = {
          ...input,
          localDatapaths: desired.lflows.localDatapaths,
          ...zoneFns,
          ...(view.lbHairpinUseCtMark === false && { lbHairpinUseCtMark: false }),
        };
        assert.deepEqual(
          physical.flows(pin).map(structKey),
          physicalFlows({ ...pin, view: fresh }).map(structKey),
          `${where}: physical flows`,
        );
        reused += physical.reused;
        zones.sweep();
      }
      assert.ok(reused > 0, `${sc.name}, seed ${seed}: the physical cache never reused anything`);
    }
  });
}
