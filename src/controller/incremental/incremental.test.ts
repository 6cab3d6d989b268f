// Incremental equals recompute: over every corpus scenario (the real northd's Southbound databases),
// the caches give what the from-scratch functions give — first on the captured database, then after
// changes of each kind a compile depends on (a port unbound, an address set and a port group changed,
// a flow's match changed, a flow deleted, a datapath group shrunk) — and they do reuse work.
import assert from "node:assert/strict";
import { test } from "node:test";
import { stableKey } from "../../expr/ast.js";
import { ovnSbModel } from "../../ovsdb/idl/generated/ovn-sb.js";
import { Replica } from "../../ovsdb/idl/replica.js";
import { desiredState } from "../agent/desired.js";
import { ZoneAllocator } from "../agent/zones.js";
import { compileLogicalFlows, type LflowOutput } from "../lflow/index.js";
import { readCorpus } from "../lflow/peer/diff-corpus.js";
import { SCENARIOS } from "../lflow/peer/scenarios.js";
import {
  type JsonRow,
  type JsonTables,
  type SbRowTables,
  SbViewMemo,
  sbViewFromRows,
  sbViewFromTables,
  withChassis,
} from "../lflow/sb.js";
import { DesiredCache } from "./desired-cache.js";
import { LflowCache } from "./lflow-cache.js";
import { RowTablesCache } from "./row-tables.js";

const CHASSIS = "hv1";

/** Flows as text with group ids replaced by the group's description (ids depend on history). */
function canonical(out: LflowOutput): string[] {
  const desc = new Map(out.groups.map((g) => [g.id, stableKey({ ...g, id: 0 })]));
  const lines = out.flows.map((f) =>
    JSON.stringify(
      { ...f, actions: f.actions.map((a) => (a.kind === "group" ? { ...a, id: desc.get(a.id) } : a)) },
      (_k, v) => (typeof v === "bigint" ? `${v}n` : v),
    ),
  );
  return lines.sort();
}

type Tables = Record<string, Record<string, JsonRow>>;

/** A copy of the tables sharing every row object, so that `edit` can replace a few. */
function shallowCopy(t: JsonTables): Tables {
  return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, { ...v }]));
}

const entries = (t: Tables, table: string): [string, JsonRow][] => Object.entries(t[table] ?? {});

/** The edits, each a function of a table copy; each one changes something some compile depends on. */
const EDITS: Record<string, (t: Tables) => boolean> = {
  "unbind a port": (t) => {
    const hit = entries(t, "Port_Binding").find(
      ([, r]) => Array.isArray(r.chassis) && r.chassis[0] === "uuid",
    );
    if (hit === undefined) return false;
    (t.Port_Binding as Tables[string])[hit[0]] = { ...hit[1], chassis: ["set", []] };
    return true;
  },
  "change an address set": (t) => {
    const hit = entries(t, "Address_Set")[0];
    if (hit === undefined) return false;
    (t.Address_Set as Tables[string])[hit[0]] = { ...hit[1], addresses: ["set", ["10.99.0.1", "10.99.0.2"]] };
    return true;
  },
  "empty a port group": (t) => {
    const hit = entries(t, "Port_Group")[0];
    if (hit === undefined) return false;
    (t.Port_Group as Tables[string])[hit[0]] = { ...hit[1], ports: ["set", []] };
    return true;
  },
  "change a match, delete a flow": (t) => {
    const flows = entries(t, "Logical_Flow");
    const a = flows.find(([, r]) => r.match === "1");
    const b = flows.at(-1);
    if (a === undefined || b === undefined || a[0] === b[0]) return false;
    (t.Logical_Flow as Tables[string])[a[0]] = { ...a[1], match: "ip4" };
    delete (t.Logical_Flow as Tables[string])[b[0]];
    return true;
  },
  "shrink a datapath group": (t) => {
    const hit = entries(t, "Logical_DP_Group").find(
      ([, r]) =>
        Array.isArray(r.datapaths) && r.datapaths[0] === "set" && (r.datapaths[1] as unknown[]).length > 1,
    );
    if (hit === undefined) return false;
    const members = (hit[1].datapaths as [string, unknown[]])[1];
    (t.Logical_DP_Group as Tables[string])[hit[0]] = { ...hit[1], datapaths: ["set", members.slice(1)] };
    return true;
  },
};

for (const sc of SCENARIOS) {
  test(`${sc.name}: LflowCache equals compileLogicalFlows, before and after each kind of change`, () => {
    const sb = readCorpus(sc.name).sb;
    const memo = new SbViewMemo();
    const cache = new LflowCache();
    const first = sbViewFromTables(sb, memo);
    assert.deepEqual(
      canonical(cache.compile(first, CHASSIS)),
      canonical(compileLogicalFlows(first, CHASSIS)),
    );
    assert.equal(cache.stats.reused, 0);
    const total = cache.stats.compiled;
    // The same rows again: everything reused.
    const again = cache.compile(sbViewFromTables(shallowCopy(sb), memo), CHASSIS);
    assert.deepEqual(cache.stats, { reused: total, compiled: 0 });
    assert.deepEqual(canonical(again), canonical(compileLogicalFlows(first, CHASSIS)));
    let applied = 0;
    let tables = shallowCopy(sb);
    for (const [name, edit] of Object.entries(EDITS)) {
      tables = shallowCopy(tables);
      if (!edit(tables)) continue;
      applied++;
      const view = sbViewFromTables(tables, memo);
      const got = canonical(cache.compile(view, CHASSIS));
      assert.deepEqual(got, canonical(compileLogicalFlows(view, CHASSIS)), `after "${name}"`);
      assert.ok(cache.stats.reused > 0, `after "${name}": nothing reused`);
    }
    assert.ok(applied >= 3, `only ${applied} edits applied`);
  });
}

test("DesiredCache: same flows and groups as desiredState; the key moves exactly when the table does", () => {
  const c = readCorpus("topology");
  const view = sbViewFromTables(c.sb);
  const vifPorts = new Map(
    c.interfaces.flatMap((i) => {
      const id = i.externalIds["iface-id"];
      return id === undefined ? [] : [[id, i.ofport] as const];
    }),
  );
  const input = { view, chassis: CHASSIS, vifPorts, tunnelPorts: new Map<string, number>() };
  const want = desiredState({ ...input, zones: new ZoneAllocator() });
  const cache = new DesiredCache();
  const zones = new ZoneAllocator();
  const got = cache.state({ ...input, zones });
  const text = (fs: readonly unknown[]) =>
    fs.map((f) => JSON.stringify(f, (_k, v) => (typeof v === "bigint" ? `${v}n` : v))).sort();
  assert.deepEqual(text(got.flows), text(want.flows));
  assert.deepEqual(text(got.groups), text(want.groups));
  assert.equal(cache.state({ ...input, zones }).key, got.key);
  const fewer = { ...input, vifPorts: new Map([...vifPorts].slice(1)) };
  assert.notEqual(cache.state({ ...fewer, zones }).key, got.key);
  assert.equal(cache.state({ ...input, zones }).key, got.key);
});

test("SbViewMemo: the same view object while nothing the view holds changed", () => {
  const sb = readCorpus("topology").sb;
  const memo = new SbViewMemo();
  const v1 = sbViewFromTables(sb, memo);
  assert.equal(sbViewFromTables(shallowCopy(sb), memo), v1);
  // Port_Binding.up is not part of the view: still the same view.
  const t = shallowCopy(sb);
  const [u, pb] = entries(t, "Port_Binding")[0] as [string, JsonRow];
  (t.Port_Binding as Tables[string])[u] = { ...pb, up: ["set", [true]] };
  assert.equal(sbViewFromTables(t, memo), v1);
  // A memo tells tables apart by identity (JsonRowsCache never changes a table it handed out): edit a copy.
  const t2 = shallowCopy(t);
  assert.ok(EDITS["change an address set"]?.(t2));
  const v2 = sbViewFromTables(t2, memo);
  assert.notEqual(v2, v1);
  assert.deepEqual(sbViewFromTables(t2), v2);
});

test("withChassis: a pass's claims ahead of the Southbound; the confirmed rows then give that same view", () => {
  const sb = readCorpus("topology").sb;
  const memo = new SbViewMemo();
  const v1 = sbViewFromTables(sb, memo);
  const [chUuid, ch] = entries(shallowCopy(sb), "Chassis")[0] as [string, JsonRow];
  const free = v1.ports.find((p) => p.type === "" && p.chassis === null);
  assert.ok(free !== undefined, "an unbound VIF port in the corpus");
  const ahead = withChassis(v1, new Map([[free.logicalPort, String(ch.name)]]), memo);
  assert.notEqual(ahead, v1);
  assert.equal(ahead.ports.find((p) => p.uuid === free.uuid)?.chassis, String(ch.name));
  assert.equal(withChassis(v1, new Map()), v1, "nothing ahead: the view itself");
  // The Southbound confirms the claim (and sets up, which the view leaves out).
  const t = shallowCopy(sb);
  const row = (t.Port_Binding as Tables[string])[free.uuid] as JsonRow;
  (t.Port_Binding as Tables[string])[free.uuid] = { ...row, chassis: ["uuid", chUuid], up: true };
  const confirmed = sbViewFromTables(t, memo);
  assert.equal(confirmed, ahead, "the same view object: nothing to compute again");
  assert.deepEqual(sbViewFromTables(t), confirmed);
});

test("DesiredCache: an unchanged input gives the last result and keeps its zones through sweep()", () => {
  const c = readCorpus("topology");
  const view = sbViewFromTables(c.sb);
  const vifPorts = new Map(
    c.interfaces.flatMap((i) => {
      const id = i.externalIds["iface-id"];
      return id === undefined ? [] : [[id, i.ofport] as const];
    }),
  );
  const zones = new ZoneAllocator();
  const cache = new DesiredCache();
  const input = { view, chassis: CHASSIS, vifPorts, tunnelPorts: new Map<string, number>(), zones };
  const d1 = cache.state(input);
  zones.sweep();
  const before = zones.entries();
  assert.ok(before.length > 0);
  assert.equal(cache.state({ ...input, vifPorts: new Map(vifPorts) }), d1);
  assert.deepEqual(zones.sweep(), [], "zones asked for again");
  assert.deepEqual(zones.entries(), before);
  assert.notEqual(cache.state({ ...input, vifPorts: new Map([...vifPorts].slice(1)) }), d1);
});

test("RowTablesCache: the IDL's rows by UUID; the same table object while no row of it changed", () => {
  const a = { _uuid: "u1", name: "as1", addresses: ["10.0.0.1"] };
  const b = { _uuid: "u2", name: "as2", addresses: [] as string[] };
  let rows = [a, b];
  const src = { rows: () => rows };
  const cache = new RowTablesCache();
  const t1 = cache.tables(src, ["Address_Set"]);
  assert.deepEqual(t1, { Address_Set: { u1: a, u2: b } });
  assert.equal(t1.Address_Set?.u1, a, "the row itself, not a copy");
  assert.equal(cache.tables(src, ["Address_Set"]).Address_Set, t1.Address_Set);
  assert.equal(cache.tables(src, ["Address_Set"], new Set()).Address_Set, t1.Address_Set);
  const b2 = { ...b, addresses: ["10.0.0.2"] };
  rows = [a, b2];
  assert.equal(cache.tables(src, ["Address_Set"], new Set()).Address_Set, t1.Address_Set, "not in changed");
  const t2 = cache.tables(src, ["Address_Set"], new Set(["Address_Set"]));
  assert.deepEqual(t2, { Address_Set: { u1: a, u2: b2 } });
  assert.notEqual(t2.Address_Set, t1.Address_Set);
  assert.deepEqual(sbViewFromRows(t2).addressSets, { as1: ["10.0.0.1"], as2: ["10.0.0.2"] });
});

/** The corpus's rows as the controller's IDL holds them: through the replica, as typed rows by UUID. */
function idlTables(sb: JsonTables): SbRowTables {
  const replica = new Replica(ovnSbModel as never);
  const initial = Object.fromEntries(
    Object.entries(sb).map(([t, rows]) => [
      t,
      Object.fromEntries(Object.entries(rows).map(([u, r]) => [u, { initial: r }])),
    ]),
  );
  replica.reset(initial as never, "update2");
  const out: Record<string, Record<string, object>> = {};
  for (const [name, t] of ovnSbModel.tables)
    out[name] = Object.fromEntries([...replica.rows(name)].map(([u, r]) => [u, r.typed(t)]));
  return out as SbRowTables;
}

for (const sc of SCENARIOS)
  test(`${sc.name}: the view of the IDL's typed rows compiles to what the view of the JSON rows does`, () => {
    const sb = readCorpus(sc.name).sb;
    const fromJson = sbViewFromTables(sb);
    const fromIdl = sbViewFromRows(idlTables(sb));
    assert.ok(fromJson.flows.length > 0);
    assert.equal(fromIdl.flows.length, fromJson.flows.length);
    assert.deepEqual(fromIdl.ports, fromJson.ports);
    assert.deepEqual(
      canonical(compileLogicalFlows(fromIdl, CHASSIS)),
      canonical(compileLogicalFlows(fromJson, CHASSIS)),
    );
  });
