import assert from "node:assert/strict";
import { test } from "node:test";
import { isUuid } from "../../../base/uuid.js";
import type { Json } from "../../../jsonrpc/json.js";
import { type LogicalSwitch, ovnNbModel } from "../generated/ovn-nb.js";
import { asUuid, tableModel } from "../model.js";
import { conditionJson, placeholderUuid, TryAgainError, Txn, TxnError, whereJson } from "../txn.js";
import { plainUuidJson, valueJson } from "../values.js";

const U1 = asUuid<"Logical_Switch">("11111111-1111-1111-1111-111111111111");
const P1 = asUuid<"Logical_Switch_Port">("aaaaaaaa-0000-0000-0000-000000000001");

/** Replaces placeholder uuids by <0>, <1> ... in order of first appearance. */
function normalise(j: Json): Json {
  const seen = new Map<string, string>();
  const text = JSON.stringify(j).replace(/row[0-9a-f]{8}(_[0-9a-f]{4}){3}_[0-9a-f]{12}/g, (m) => {
    let n = seen.get(m);
    if (n === undefined) {
      n = `<${seen.size}>`;
      seen.set(m, n);
    }
    return n;
  });
  return JSON.parse(text);
}

const sw = (over: Partial<LogicalSwitch> = {}): LogicalSwitch => ({
  _uuid: U1,
  name: "sw0",
  ports: [P1],
  acls: [],
  qosRules: [],
  loadBalancer: [],
  loadBalancerGroup: [],
  dnsRecords: [],
  copp: undefined,
  otherConfig: new Map([["subnet", "10.0.0.0/24"]]),
  externalIds: new Map(),
  forwardingGroups: [],
  ...over,
});

test("values: each column kind to wire JSON, and type mistakes are caught", () => {
  const t = tableModel(ovnNbModel, "Logical_Switch");
  const c = (p: string) => t.byProp.get(p) ?? assert.fail(p);
  assert.equal(valueJson(c("name"), "x", plainUuidJson), "x");
  assert.deepEqual(valueJson(c("copp"), undefined, plainUuidJson), ["set", []]);
  assert.deepEqual(valueJson(c("ports"), [P1], plainUuidJson), ["set", [["uuid", P1]]]);
  assert.deepEqual(valueJson(c("ports"), P1, plainUuidJson), ["uuid", P1]);
  assert.deepEqual(valueJson(c("otherConfig"), new Map([["a", "b"]]), plainUuidJson), ["map", [["a", "b"]]]);
  assert.deepEqual(valueJson(c("otherConfig"), ["a"], plainUuidJson), ["set", ["a"]]);
  assert.throws(() => valueJson(c("name"), 3, plainUuidJson), /column name: expected a string, got 3/);
  assert.throws(() => valueJson(c("name"), undefined, plainUuidJson), /expected a value/);
  assert.throws(() => valueJson(c("otherConfig"), { a: "b" }, plainUuidJson), /expected a Map/);
  const lb = tableModel(ovnNbModel, "Logical_Switch_Port");
  assert.throws(
    () => valueJson(lb.byProp.get("tagRequest") ?? assert.fail(), 1.5, plainUuidJson),
    /an integer/,
  );
});

test("conditions: typed clauses to wire JSON; an empty monitor condition selects nothing", () => {
  const t = tableModel(ovnNbModel, "Logical_Switch");
  assert.deepEqual(
    whereJson(t, [
      ["name", "==", "sw0"],
      ["_uuid", "!=", U1],
      ["ports", "includes", P1],
    ]),
    [
      ["name", "==", "sw0"],
      ["_uuid", "!=", ["uuid", U1]],
      ["ports", "includes", ["uuid", P1]],
    ],
  );
  assert.deepEqual(conditionJson(t, [true, ["name", "==", "a"]]), [true, ["name", "==", "a"]]);
  assert.deepEqual(conditionJson(t, []), [false]);
  assert.equal(conditionJson(t, undefined), undefined);
});

test("txn: inserts get named uuids that other operations can reference", () => {
  const txn = new Txn(ovnNbModel);
  assert.equal(txn.isEmpty, true);
  const lsp = txn.insert("Logical_Switch_Port", { name: "lsp0", addresses: ["router"] });
  const ls = txn.insert("Logical_Switch", { name: "sw1", ports: [lsp] });
  txn.update("Logical_Switch", ls, { otherConfig: new Map([["k", "v"]]) }); // folded into the insert
  txn.update("Logical_Switch", U1, { name: "renamed" });
  txn.mutate("Logical_Switch", U1, "ports", "insert", [lsp]);
  txn.mutate("Logical_Switch", U1, "externalIds", "delete", ["gone"]);
  txn.delete("Logical_Switch_Port", P1);
  txn.comment("test");
  assert.equal(txn.isNew(lsp), true);
  assert.equal(txn.isNew(U1), false);
  assert.deepEqual(normalise(txn.params()), [
    "OVN_Northbound",
    {
      op: "insert",
      table: "Logical_Switch_Port",
      row: { name: "lsp0", addresses: ["set", ["router"]] },
      "uuid-name": "<0>",
    },
    {
      op: "insert",
      table: "Logical_Switch",
      row: { name: "sw1", ports: ["set", [["named-uuid", "<0>"]]], other_config: ["map", [["k", "v"]]] },
      "uuid-name": "<1>",
    },
    {
      op: "update",
      table: "Logical_Switch",
      where: [["_uuid", "==", ["uuid", U1]]],
      row: { name: "renamed" },
    },
    {
      op: "mutate",
      table: "Logical_Switch",
      where: [["_uuid", "==", ["uuid", U1]]],
      mutations: [
        ["ports", "insert", ["set", [["named-uuid", "<0>"]]]],
        ["external_ids", "delete", ["set", ["gone"]]],
      ],
    },
    { op: "delete", table: "Logical_Switch_Port", where: [["_uuid", "==", ["uuid", P1]]] },
    { op: "comment", comment: "test" },
  ]);

  const real1 = "99999999-0000-0000-0000-000000000001";
  const real2 = "99999999-0000-0000-0000-000000000002";
  const r = txn.result([
    { uuid: ["uuid", real1] },
    { uuid: ["uuid", real2] },
    { count: 1 },
    { count: 1 },
    { count: 1 },
    {},
  ]);
  assert.equal(r.uuid(lsp), real1);
  assert.equal(r.uuid(ls), real2);
  assert.equal(r.inserted.size, 2);
  assert.throws(() => r.uuid(U1), /not a row inserted/);
});

test("txn: unknown tables and columns are programming errors", () => {
  const txn = new Txn(ovnNbModel);
  assert.throws(() => txn.insert("Nope" as "ACL", {}), /no table Nope/);
  assert.throws(() => txn.update("Logical_Switch", U1, { nope: 1 } as never), /has no column nope/);
});

test("txn: verify is a wait with timeout 0 on the values read; its failure means try again", () => {
  const txn = new Txn(ovnNbModel);
  txn.verify("Logical_Switch", sw(), ["ports", "otherConfig"]);
  txn.update("Logical_Switch", U1, { ports: [] });
  assert.deepEqual(txn.operations()[0], {
    op: "wait",
    table: "Logical_Switch",
    timeout: 0,
    where: [["_uuid", "==", ["uuid", U1]]],
    columns: ["ports", "other_config"],
    until: "==",
    rows: [{ ports: ["set", [["uuid", P1]]], other_config: ["map", [["subnet", "10.0.0.0/24"]]] }],
  });
  assert.throws(
    () => txn.result([{ error: "timed out", details: '"where" clause test failed' }, null]),
    (e: unknown) => e instanceof TryAgainError && e.reason === "conflict",
  );
  // The row was deleted under us: the update matched nothing.
  assert.throws(
    () => txn.result([{}, { count: 0 }]),
    (e: unknown) => e instanceof TryAgainError && /no longer exists/.test(e.message),
  );
  // Verifying a row the same transaction inserts is pointless and skipped.
  const t2 = new Txn(ovnNbModel);
  const u = t2.insert("Logical_Switch", { name: "x" });
  t2.verify("Logical_Switch", sw({ _uuid: u }), ["name"]);
  assert.equal(t2.operations().length, 1);
});

test("txn: server errors become TxnError with the RFC 7047 tag", () => {
  const txn = new Txn(ovnNbModel);
  txn.insert("Logical_Switch", { name: "a" });
  assert.throws(
    () => txn.result([{ uuid: ["uuid", U1] }, { error: "referential integrity violation", details: "x" }]),
    (e: unknown) =>
      e instanceof TxnError && e.tag === "referential integrity violation" && e.opIndex === undefined,
  );
  assert.throws(
    () => txn.result([{ error: "constraint violation", details: "bad" }]),
    (e: unknown) => e instanceof TxnError && e.opIndex === 0 && e.message === "constraint violation: bad",
  );
  assert.throws(() => txn.result({ nope: 1 }), TxnError);
});

test("txn: select and verifyEmpty", () => {
  const txn = new Txn(ovnNbModel);
  txn.verifyEmpty("NB_Global");
  const g = txn.insert("NB_Global");
  txn.mutate("NB_Global", g, "nbCfg", "+=", 1);
  const ref = txn.select("NB_Global", [["_uuid", "==", g]], ["nbCfg"]);
  const ops = normalise(txn.operations());
  assert.deepEqual(ops, [
    { op: "wait", table: "NB_Global", timeout: 0, where: [], columns: [], until: "==", rows: [] },
    { op: "insert", table: "NB_Global", row: {}, "uuid-name": "<0>" },
    {
      op: "mutate",
      table: "NB_Global",
      where: [["_uuid", "==", ["named-uuid", "<0>"]]],
      mutations: [["nb_cfg", "+=", 1]],
    },
    {
      op: "select",
      table: "NB_Global",
      where: [["_uuid", "==", ["named-uuid", "<0>"]]],
      columns: ["nb_cfg"],
    },
  ]);
  const r = txn.result([{}, { uuid: ["uuid", U1] }, { count: 1 }, { rows: [{ nb_cfg: 1 }] }]);
  assert.deepEqual(r.rows(ref), [{ nb_cfg: 1 }]);
  assert.throws(
    () => txn.result([{ error: "timed out" }]),
    (e: unknown) => e instanceof TryAgainError && /no longer empty/.test(e.message),
  );
});

test("placeholderUuid: canonical uuids, all different", () => {
  const seen = new Set<string>();
  for (let i = 0; i < 10_000; i++) {
    const u = placeholderUuid();
    assert.ok(isUuid(u), u);
    seen.add(u);
  }
  assert.equal(seen.size, 10_000);
  const txn = new Txn(ovnNbModel);
  const a = txn.insert("Logical_Switch", { name: "a" });
  const b = txn.insert("Logical_Switch", { name: "b" });
  assert.notEqual(a, b);
  assert.ok(txn.isNew(a) && txn.isNew(b) && !txn.isNew(U1));
});
