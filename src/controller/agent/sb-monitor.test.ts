import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { test } from "node:test";
import type { OvnSbTables } from "../../ovsdb/idl/generated/ovn-sb.js";
import { ovnSbModel } from "../../ovsdb/idl/generated/ovn-sb.js";
import type { Idl } from "../../ovsdb/idl/idl.js";
import { tableModel } from "../../ovsdb/idl/model.js";
import { planMonitor } from "../../ovsdb/idl/monitor-request.js";
import { conditionJson } from "../../ovsdb/idl/txn.js";
import { localDatapaths } from "../lflow/index.js";
import { CORPUS_DIR, readCorpus } from "../lflow/peer/diff-corpus.js";
import { type JsonTables, sbViewFromTables } from "../lflow/sb.js";
import { localConfig } from "./config.js";
import { desiredState } from "./desired.js";
import { guessLocalDatapaths } from "./local-guess.js";
import {
  CONDITIONED_TABLES,
  conditionKey,
  onlyAddsIfaces,
  SB_MONITOR,
  type SbConditions,
  SbConditionTracker,
  type SbMonitorInput,
  sbConditions,
} from "./sb-monitor.js";
import { ZoneAllocator } from "./zones.js";

const DP1 = "11111111-1111-1111-1111-111111111111";
const DP2 = "22222222-2222-2222-2222-222222222222";
const G1 = "99999999-9999-9999-9999-999999999999";
const ME = "cccccccc-cccc-cccc-cccc-cccccccccccc";

const input: SbMonitorInput = {
  monitorAll: false,
  chassisName: "hv2",
  chassisUuid: ME,
  ifaceIds: ["vm2", "vm1"],
  localDatapaths: [
    { uuid: DP2, tunnelKey: 2 },
    { uuid: DP1, tunnelKey: 1 },
  ],
  dpGroups: [G1],
};

test("ovn-monitor-all, and its chassis-specific form, read from external_ids", () => {
  const ids = (...kv: [string, string][]) => new Map([["system-id", "hv2"], ...kv]);
  assert.equal(localConfig(ids(), []).monitorAll, false, "default: conditional");
  assert.equal(localConfig(ids(["ovn-monitor-all", "true"]), []).monitorAll, true);
  assert.equal(
    localConfig(ids(["ovn-monitor-all", "true"], ["ovn-monitor-all-hv2", "false"]), []).monitorAll,
    false,
  );
  assert.equal(localConfig(ids(["ovn-monitor-all-hv2", "true"]), []).monitorAll, true);
  assert.equal(localConfig(ids(["ovn-monitor-all-hv1", "true"]), []).monitorAll, false, "another chassis's");
});

test("ovn-monitor-all=true: every row of every conditioned table", () => {
  const c = sbConditions({ ...input, monitorAll: true });
  for (const t of CONDITIONED_TABLES) assert.equal(c[t], undefined, t);
  assert.equal(conditionKey(c.Port_Binding), "all");
});

test("conditions name the local datapaths, groups, VIFs and this chassis", () => {
  const c = sbConditions(input);
  const text = (t: (typeof CONDITIONED_TABLES)[number]) => conditionKey(c[t]);
  assert.equal(
    text("Logical_Flow"),
    JSON.stringify([
      ["logicalDatapath", "==", DP1],
      ["logicalDatapath", "==", DP2],
      ["logicalDpGroup", "==", G1],
    ]),
  );
  assert.equal(text("Logical_DP_Group"), "all", "replicated whole: the groups are known with the datapaths");
  assert.equal(
    text("FDB"),
    JSON.stringify([
      ["dpKey", "==", 1],
      ["dpKey", "==", 2],
    ]),
  );
  assert.equal(
    text("Load_Balancer"),
    JSON.stringify([
      ["datapaths", "includes", DP1],
      ["datapaths", "includes", DP2],
      ["datapathGroup", "==", G1],
    ]),
  );
  for (const t of ["Multicast_Group", "MAC_Binding", "Static_MAC_Binding", "IP_Multicast"] as const)
    assert.equal(
      text(t),
      JSON.stringify([
        ["datapath", "==", DP1],
        ["datapath", "==", DP2],
      ]),
      t,
    );
  assert.deepEqual(JSON.parse(text("Port_Binding")), [
    ["type", "==", "patch"],
    ["type", "==", "chassisredirect"],
    ["type", "==", "external"],
    ["options", "includes", [["l3gateway-chassis", "hv2"]]],
    ["options", "includes", [["l2gateway-chassis", "hv2"]]],
    ["chassis", "==", ME],
    ["requestedChassis", "==", ME],
    ["additionalChassis", "includes", ME],
    ["logicalPort", "==", "vm1"],
    ["parentPort", "==", "vm1"],
    ["logicalPort", "==", "vm2"],
    ["parentPort", "==", "vm2"],
    ["datapath", "==", DP1],
    ["datapath", "==", DP2],
  ]);
});

test("before the chassis is registered and with nothing local: no chassis clauses, no datapath rows", () => {
  const c = sbConditions({
    ...input,
    chassisUuid: undefined,
    localDatapaths: [],
    dpGroups: [],
    ifaceIds: [],
  });
  assert.deepEqual(c.Logical_Flow, []);
  assert.deepEqual(c.DNS, []);
  const columns = (c.Port_Binding ?? []).map((x) => (Array.isArray(x) ? x[0] : x));
  assert.deepEqual(columns, ["type", "type", "type", "options", "options"]);
});

test("the same state in another order gives the same conditions", () => {
  const a = sbConditions(input);
  const b = sbConditions({
    ...input,
    ifaceIds: ["vm1", "vm2", "vm1"],
    localDatapaths: [...input.localDatapaths].reverse(),
  });
  for (const t of CONDITIONED_TABLES) assert.equal(conditionKey(a[t]), conditionKey(b[t]), t);
});

/** An IDL stand-in whose setCondition replies only when told to. */
function fakeIdl() {
  const calls: { table: string; key: string; ack: () => void }[] = [];
  const idl = {
    setCondition(table: string, cond: readonly unknown[] | undefined): Promise<void> {
      return new Promise((resolve) => calls.push({ table, key: conditionKey(cond), ack: resolve }));
    },
  };
  return { idl: idl as unknown as Idl<OvnSbTables>, calls };
}

const tick = () => new Promise((r) => setImmediate(r));

test("tracker: the replica is trusted only when nothing changed and every change was acknowledged", async () => {
  const { idl, calls } = fakeIdl();
  let acks = 0;
  const tr = new SbConditionTracker(idl, () => acks++);
  const c = sbConditions(input);
  assert.equal(tr.apply(c), false, "first conditions must be sent");
  assert.equal(calls.length, CONDITIONED_TABLES.length);
  assert.equal(tr.apply(c), false, "unchanged, but still on their way");
  assert.equal(calls.length, CONDITIONED_TABLES.length, "nothing sent twice");
  assert.ok(tr.pending);
  for (const call of calls.slice(0, -1)) call.ack();
  await tick();
  assert.equal(tr.apply(c), false, "one still on its way");
  calls.at(-1)?.ack();
  await tick();
  assert.equal(acks, CONDITIONED_TABLES.length, "each acknowledgement schedules a pass");
  assert.equal(tr.apply(c), true);
  // A new local datapath changes only the tables that depend on it.
  const more = sbConditions({
    ...input,
    localDatapaths: [...input.localDatapaths, { uuid: "33333333-3333-3333-3333-333333333333", tunnelKey: 3 }],
  });
  const before = calls.length;
  assert.equal(tr.apply(more), false);
  assert.deepEqual(
    calls.slice(before).map((x) => x.table),
    CONDITIONED_TABLES.filter((t) => conditionKey(more[t]) !== conditionKey(c[t])),
  );
  for (const call of calls.slice(before)) call.ack();
  await tick();
  assert.equal(tr.apply(more), true);
});

test("tracker: a plugged VIF's clauses are asked for without waiting, and only at flush()", async () => {
  const { idl, calls } = fakeIdl();
  const tr = new SbConditionTracker(idl, () => {});
  const c = sbConditions(input);
  tr.apply(c);
  for (const call of calls) call.ack();
  await tick();
  assert.equal(tr.apply(c), true);
  const plugged = sbConditions({ ...input, ifaceIds: [...input.ifaceIds, "vm-new"] });
  const before = calls.length;
  assert.equal(tr.apply(plugged), true, "the replica still holds every row of the local datapaths");
  assert.equal(calls.length, before, "held back until the pass has sent its writes");
  tr.flush();
  assert.deepEqual(
    calls.slice(before).map((x) => x.table),
    ["Port_Binding"],
  );
  assert.equal(tr.apply(plugged), true, "not on the list of changes to wait for");
  // Unplugging (clauses removed) and a new local datapath are waited for.
  assert.equal(tr.apply(c), false);
  assert.equal(onlyAddsIfaces("Port_Binding", c.Port_Binding, plugged.Port_Binding), true);
  assert.equal(onlyAddsIfaces("Port_Binding", plugged.Port_Binding, c.Port_Binding), false);
  assert.equal(onlyAddsIfaces("Logical_Flow", c.Logical_Flow, plugged.Logical_Flow), false);
  const moreDp = sbConditions({
    ...input,
    localDatapaths: [...input.localDatapaths, { uuid: "33333333-3333-3333-3333-333333333333", tunnelKey: 3 }],
  });
  assert.equal(onlyAddsIfaces("Port_Binding", c.Port_Binding, moreDp.Port_Binding), false);
});

// ---- the conditions keep every row the flows need ---------------------------------------------------

/** A datum's atoms (a set's elements, a map's [key, value] pairs as text), from RFC 7047 JSON. */
function atoms(v: unknown): string[] {
  if (Array.isArray(v) && v[0] === "set") return (v[1] as unknown[]).flatMap(atoms);
  if (Array.isArray(v) && v[0] === "map") return (v[1] as unknown[]).map((p) => JSON.stringify(p));
  return [JSON.stringify(v)];
}

/** Whether a row matches a monitor condition (any clause), for the clause forms sbConditions uses. */
function matches(row: Record<string, unknown>, cond: readonly unknown[] | undefined): boolean {
  if (cond === undefined) return true;
  return cond.some((clause) => {
    if (typeof clause === "boolean") return clause;
    const [col, fn, value] = clause as [string, string, unknown];
    const have = atoms(row[col]);
    const want = atoms(value);
    if (fn === "==") return have.length === want.length && want.every((a) => have.includes(a));
    if (fn === "includes") return want.every((a) => have.includes(a));
    throw new Error(`clause function ${fn} not evaluated here`);
  });
}

/** What a server would send under `conds`: the conditioned tables filtered, every other table whole. */
function replicate(full: JsonTables, conds: SbConditions): JsonTables {
  const out: Record<string, Record<string, Record<string, unknown>>> = { ...full } as never;
  for (const t of CONDITIONED_TABLES) {
    const json = conditionJson(tableModel(ovnSbModel, t), conds[t]);
    out[t] = Object.fromEntries(
      Object.entries((full[t] ?? {}) as Record<string, Record<string, unknown>>).filter(([, r]) =>
        matches(r, json),
      ),
    );
  }
  return out;
}

/** The agent's loop over the corpus: conditions from the replica, until they no longer change. */
function conditionalReplica(full: JsonTables, chassis: string, ifaceIds: string[]): JsonTables {
  const chassisUuid = Object.entries(full.Chassis ?? {}).find(([, r]) => r.name === chassis)?.[0];
  let conds = sbConditions({
    ...input,
    chassisName: chassis,
    chassisUuid: undefined,
    ifaceIds,
    localDatapaths: [],
    dpGroups: [],
  });
  for (let round = 0; round < 5; round++) {
    const replica = replicate(full, conds);
    const view = sbViewFromTables(replica);
    const local = localDatapaths(view, chassis);
    const next = sbConditions({
      monitorAll: false,
      chassisName: chassis,
      chassisUuid,
      ifaceIds,
      localDatapaths: view.datapaths.filter((d) => local.has(d.uuid)),
      dpGroups: Object.entries(replica.Logical_DP_Group ?? {})
        .filter(([, g]) => atoms(g.datapaths).some((d) => local.has(JSON.parse(d)[1])))
        .map(([u]) => u),
    });
    if (CONDITIONED_TABLES.every((t) => conditionKey(next[t]) === conditionKey(conds[t]))) return replica;
    conds = next;
  }
  throw new Error("conditions did not settle in 5 rounds");
}

test("on every captured scenario, the conditional replica gives the flows the whole database gives", () => {
  for (const name of readdirSync(CORPUS_DIR).filter((f) => f.endsWith(".json"))) {
    const c = readCorpus(name.replace(/\.json$/, ""));
    const vifPorts = new Map<string, number>();
    for (const i of c.interfaces) {
      const id = i.externalIds["iface-id"];
      if (id !== undefined) vifPorts.set(id, i.ofport);
    }
    const desired = (sb: JsonTables) =>
      desiredState({
        view: sbViewFromTables(sb),
        chassis: "hv1",
        vifPorts,
        tunnelPorts: new Map(),
        zones: new ZoneAllocator(),
      });
    const part = conditionalReplica(c.sb, "hv1", [...vifPorts.keys()]);
    const whole = desired(c.sb);
    const cond = desired(part);
    assert.ok(whole.flows.length > 0, name);
    assert.equal(cond.flows.length, whole.flows.length, `${name}: flow count`);
    assert.equal(cond.key, whole.key, `${name}: same flows`);
    // A chassis with nothing bound replicates no logical flow at all.
    const none = conditionalReplica(c.sb, "nobody", []);
    assert.equal(Object.keys(none.Logical_Flow ?? {}).length, 0, name);
  }
});

// ---- one round at start: the local datapaths guessed from the first reply's rows --------------------

/** The typed rows local-guess.ts reads, from a corpus table's RFC 7047 JSON (only the columns it reads). */
function typedRows(rows: Record<string, Record<string, unknown>> | undefined): Map<string, never> {
  const one = (v: unknown): string | undefined => {
    if (Array.isArray(v) && v[0] === "uuid") return v[1] as string;
    if (Array.isArray(v) && v[0] === "set") return one((v[1] as unknown[])[0]);
    return v === undefined ? undefined : (v as string);
  };
  const uuids = (v: unknown): string[] =>
    Array.isArray(v) && v[0] === "set"
      ? (v[1] as unknown[]).map((x) => one(x) as string)
      : [one(v) as string];
  const map = (v: unknown): Map<string, string> => new Map((v as [string, [string, string][]])[1]);
  const out = new Map<string, never>();
  for (const [uuid, r] of Object.entries(rows ?? {}))
    out.set(uuid, {
      _uuid: uuid,
      logicalPort: r.logical_port,
      type: r.type,
      options: r.options === undefined ? undefined : map(r.options),
      datapath: one(r.datapath),
      parentPort: one(r.parent_port),
      tag: one(r.tag),
      chassis: one(r.chassis),
      virtualParent: one(r.virtual_parent),
      haChassisGroup: one(r.ha_chassis_group),
      haChassis: r.ha_chassis === undefined ? undefined : uuids(r.ha_chassis),
      priority: r.priority,
    } as never);
  return out;
}

test("on every captured scenario, the local datapaths guessed from the first reply are the settled ones", () => {
  for (const name of readdirSync(CORPUS_DIR).filter((f) => f.endsWith(".json"))) {
    const c = readCorpus(name.replace(/\.json$/, ""));
    const ifaceIds = c.interfaces.flatMap((i) => i.externalIds["iface-id"] ?? []);
    const chassisUuid = Object.entries(c.sb.Chassis ?? {}).find(([, r]) => r.name === "hv1")?.[0];
    // What the first monitor request (nothing known yet) brings.
    const first = replicate(
      c.sb,
      sbConditions({
        ...input,
        chassisName: "hv1",
        chassisUuid: undefined,
        ifaceIds,
        localDatapaths: [],
        dpGroups: [],
      }),
    );
    const ha = typedRows(first.HA_Chassis_Group);
    const hac = typedRows(first.HA_Chassis);
    const guess = guessLocalDatapaths({
      ports: typedRows(first.Port_Binding).values(),
      haGroups: (u) => ha.get(u),
      haChassis: (u) => hac.get(u),
      ifaceIds: new Set(ifaceIds),
      chassisName: "hv1",
      chassisUuid,
    });
    const settled = localDatapaths(sbViewFromTables(conditionalReplica(c.sb, "hv1", ifaceIds)), "hv1");
    assert.deepEqual([...guess].sort(), [...settled].sort(), name);
    assert.ok(guess.size > 0, name);
  }
});

test("SB_MONITOR: every Southbound table and column but Logical_Flow's external_ids", () => {
  const plan = planMonitor(ovnSbModel, SB_MONITOR, undefined);
  assert.deepEqual([...plan.columns.keys()].sort(), [...ovnSbModel.tables.keys()].sort());
  for (const [name, t] of ovnSbModel.tables) {
    const want = t.columns.map((c) => c.name).filter((c) => name !== "Logical_Flow" || c !== "external_ids");
    assert.deepEqual(plan.columns.get(name), want, name);
  }
  assert.ok(plan.columns.get("Logical_Flow")?.includes("match"));
});
