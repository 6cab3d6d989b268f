import assert from "node:assert/strict";
import { test } from "node:test";
import type { Flow } from "../lflow/flow.js";
import { FlowInterner } from "./intern.js";

test("FlowInterner: compiled flows keep their value; equal fields and common actions are shared", () => {
  const i = new FlowInterner();
  const flow = (table: number): Flow => ({
    table,
    priority: 100,
    cookie: 7n,
    match: [{ field: "metadata", value: 3n, mask: 0xffffffffffffffffn }],
    actions: [
      { kind: "set_field", field: "reg15", value: 2n, mask: null },
      { kind: "ct_clear" },
      { kind: "resubmit", table: 37 },
    ],
  });
  const a = flow(8);
  const b = flow(9);
  const ia = i.flow(a);
  const ib = i.flow(b);
  assert.deepEqual(ia, a);
  assert.deepEqual(ib, b);
  assert.equal(ia.match[0], ib.match[0]);
  assert.equal(ia.actions[0], ib.actions[0]);
  assert.equal(ia.actions[2], ib.actions[2]);
  assert.equal(ib.actions[1], b.actions[1], "other kinds are kept as they are");
  const masked = i.flow({ ...a, actions: [{ kind: "set_field", field: "reg15", value: 2n, mask: 3n }] });
  assert.notEqual(masked.actions[0], ia.actions[0]);
  assert.equal(ia.match, ib.match, "equal matches are one array");
  assert.notEqual(ia.actions, ib.actions, "a list with an action kept as it is stays apart");
  const common = (table: number) =>
    i.flow({
      ...a,
      actions: [
        { kind: "set_field", field: "reg15", value: 2n, mask: null },
        { kind: "resubmit", table },
      ],
    });
  assert.equal(common(37).actions, common(37).actions, "lists of common actions are one array");
  assert.notEqual(common(37).actions, common(38).actions);
  assert.deepEqual(common(38).actions, [
    { kind: "set_field", field: "reg15", value: 2n, mask: null },
    { kind: "resubmit", table: 38 },
  ]);
});
