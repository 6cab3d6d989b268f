// Peer differential test of the logical switch pipeline: every scenario of the corpus runs through
// the real ovn-northd 23.03 and `ovnts northd` on the same NB; the ls_in_* / ls_out_* flows (stage,
// priority, match, actions, stage hint, io port, controller meter) must be identical, and every ls_*
// flow ovnts wrote must parse with src/expr and src/actions (as ovn-controller will parse it).
//
// DYNAMIC also checks IPAM (src/northd/ipam.ts): the flows name the addresses each northd allocated.
import assert from "node:assert/strict";
import { test } from "node:test";
import { type CorpusFlow, checkCorpus } from "../../../expr/corpus.js";
import {
  compareDumps,
  type Db,
  formatComparison,
  type Json,
  readDb,
  type Scenario,
  withBothNorthds,
} from "../../peer/harness.js";
import {
  DEPENDENCY_STEPS,
  DYNAMIC,
  FIP_NO_LOCALNET,
  LB_HC_REMOTE,
  STEPS,
  SWITCH_SCENARIOS,
} from "./scenarios.js";

const STAGES = { stages: ["ls_in_", "ls_out_"] };

function uuidOf(v: Json | undefined): string | undefined {
  return Array.isArray(v) && v[0] === "uuid" && typeof v[1] === "string" ? v[1] : undefined;
}

function set(v: Json | undefined): Json[] {
  return Array.isArray(v) && v[0] === "set" && Array.isArray(v[1]) ? v[1] : v === undefined ? [] : [v];
}

function stageName(f: Record<string, Json>): string {
  const ids = f.external_ids;
  const pairs =
    Array.isArray(ids) && ids[0] === "map" && Array.isArray(ids[1]) ? (ids[1] as [Json, Json][]) : [];
  return String(pairs.find(([k]) => k === "stage-name")?.[1] ?? "");
}

/** Parse failures among the ls_* flows of an SB, each flow in the context of its datapaths. */
function parseFailures(db: Db): string[] {
  const keyOf = new Map<string, number>();
  for (const d of db.get("Datapath_Binding") ?? []) {
    const u = uuidOf(d._uuid);
    if (u !== undefined && typeof d.tunnel_key === "number") keyOf.set(u, d.tunnel_key);
  }
  const groups = new Map<string, number[]>();
  for (const g of db.get("Logical_DP_Group") ?? []) {
    const u = uuidOf(g._uuid);
    if (u !== undefined)
      groups.set(
        u,
        set(g.datapaths).flatMap((d) => keyOf.get(uuidOf(d) ?? "") ?? []),
      );
  }
  const addressSets: Record<string, string[]> = {};
  for (const a of db.get("Address_Set") ?? []) addressSets[String(a.name)] = set(a.addresses).map(String);
  const portGroups: Record<string, string[]> = {};
  for (const p of db.get("Port_Group") ?? []) portGroups[String(p.name)] = set(p.ports).map(String);
  const flows: CorpusFlow[] = (db.get("Logical_Flow") ?? [])
    .filter((f) => stageName(f).startsWith("ls_"))
    .map((f) => ({
      pipeline: f.pipeline === "egress" ? "egress" : "ingress",
      table: Number(f.table_id),
      datapaths: [
        ...set(f.logical_datapath).flatMap((d) => keyOf.get(uuidOf(d) ?? "") ?? []),
        ...set(f.logical_dp_group).flatMap((g) => groups.get(uuidOf(g) ?? "") ?? []),
      ],
      match: String(f.match),
      actions: String(f.actions),
    }));
  const r = checkCorpus({ provenance: "ovnts switch flows", addressSets, portGroups, flows });
  return r.failures.map((x) => JSON.stringify(x));
}

/** name → dynamic_addresses of every Logical_Switch_Port of an NB. */
function dynamicAddresses(db: Db): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of db.get("Logical_Switch_Port") ?? [])
    out.set(String(p.name), set(p.dynamic_addresses).map(String).join(","));
  return out;
}

async function check(
  sc: Scenario,
  opts: { check?: boolean; nb?: boolean; sortSets?: boolean } = {},
): Promise<void> {
  const cmpOpts = { ...STAGES, ...(opts.sortSets === true ? { sortSets: true } : {}) };
  await withBothNorthds(sc, { ...cmpOpts, ...opts }, async (both) => {
    if (opts.nb === true) {
      const c = dynamicAddresses(await readDb(both.sandbox, both.nbC, "OVN_Northbound"));
      const ts = dynamicAddresses(await readDb(both.sandbox, both.nbTs, "OVN_Northbound"));
      assert.ok([...c.values()].filter((v) => v !== "").length >= 5, "ovn-northd allocated too little");
      assert.deepEqual(new Map([...ts].sort()), new Map([...c].sort()), "NB dynamic_addresses differ");
    }
    const { c, ts } = await both.dump(cmpOpts);
    const cmp = compareDumps(c, ts, cmpOpts);
    assert.ok(cmp.stages.size > 0, "no ls_* flows compared");
    assert.ok(cmp.equal, `ls_* flows differ from ovn-northd's (${sc.name}):\n${formatComparison(cmp)}`);
    const bad = parseFailures(await readDb(both.sandbox, both.sbTs, "OVN_Southbound"));
    assert.deepEqual(bad.slice(0, 10), [], `${bad.length} ls_* flows do not parse`);
  });
}

for (const sc of SWITCH_SCENARIOS)
  test(`switch pipeline identical to ovn-northd: ${sc.name ?? "?"}`, () => check(sc));

for (const sc of [STEPS, DEPENDENCY_STEPS, LB_HC_REMOTE])
  test(`switch pipeline identical to ovn-northd after incremental changes (recompute check on): ${sc.name ?? "?"}`, () =>
    check(sc, { check: true }));

test("switch pipeline identical to ovn-northd: dynamic addresses", () =>
  check(DYNAMIC, { check: true, nb: true }));

// The router MACs of ls_in_l2_lkup's ARP flood flow come in ovn-northd's hash order: sets compare sorted.
test("switch pipeline identical to ovn-northd: distributed floating IP, no localnet, NAT as steps", () =>
  check(FIP_NO_LOCALNET, { check: true, sortSets: true }));
