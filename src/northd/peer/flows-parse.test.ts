// Every logical flow ovnts northd writes parses with src/expr and src/actions (and prints back to
// something that parses the same), with the SB's address sets and port groups — what ovn-controller
// will do with it. The real northd's SB on the same NB is checked too, as a control.
import assert from "node:assert/strict";
import { test } from "node:test";
import { type CorpusFlow, checkCorpus, type LflowCorpus } from "../../expr/corpus.js";
import { type Db, type Json, readDb, withBothNorthds } from "./harness.js";
import { BASIC, PORT_TYPES } from "./scenarios.js";

function uuidOf(v: Json | undefined): string | undefined {
  return Array.isArray(v) && v[0] === "uuid" && typeof v[1] === "string" ? v[1] : undefined;
}

function set(v: Json | undefined): Json[] {
  return Array.isArray(v) && v[0] === "set" && Array.isArray(v[1]) ? v[1] : v === undefined ? [] : [v];
}

/** The SB as the corpus checker wants it. */
export function corpusOf(db: Db, provenance: string): LflowCorpus {
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
  const flows: CorpusFlow[] = (db.get("Logical_Flow") ?? []).map((f) => ({
    pipeline: f.pipeline === "egress" ? "egress" : "ingress",
    table: Number(f.table_id),
    datapaths: [
      ...set(f.logical_datapath).flatMap((d) => keyOf.get(uuidOf(d) ?? "") ?? []),
      ...set(f.logical_dp_group).flatMap((g) => groups.get(uuidOf(g) ?? "") ?? []),
    ],
    match: String(f.match),
    actions: String(f.actions),
  }));
  return { provenance, addressSets, portGroups, flows };
}

for (const sc of [BASIC, PORT_TYPES]) {
  test(`every flow written parses: ${sc.name ?? ""}`, async () => {
    await withBothNorthds(sc, {}, async (both) => {
      const sb = both.sandbox;
      const ts = checkCorpus(corpusOf(await readDb(sb, both.sbTs, "OVN_Southbound"), "ovnts"));
      assert.deepEqual(ts.failures.slice(0, 20), [], `${ts.failures.length} of ${ts.flows} ovnts flows fail`);
      const c = checkCorpus(corpusOf(await readDb(sb, both.sbC, "OVN_Southbound"), "c"));
      assert.ok(c.flows > 100);
    });
  });
}
