import assert from "node:assert/strict";
import { test } from "node:test";
import type { FlowMod } from "../../openflow/model.js";
import type { Flow } from "../lflow/flow.js";
import { FlowInterner, FlowModInterner } from "./intern.js";

const mod = (over: Partial<FlowMod>): FlowMod => ({
  command: "add",
  table: 8,
  priority: 50,
  cookie: 0x1234n,
  match: [
    { field: "metadata", value: 1n },
    { field: "eth_dst", value: 0x010000000000n, mask: 0x010000000000n },
  ],
  actions: [
    { kind: "set_field", field: "reg15", value: 0x8000n },
    { kind: "resubmit", port: 0xfff8, table: 37, ct: false },
  ],
  ...over,
});

test("FlowModInterner: equal parts become one object, the FlowMod itself stays equal", () => {
  const i = new FlowModInterner();
  const a = mod({});
  const b = mod({ priority: 60, cookie: 0x99n });
  const ia = i.flowMod(a);
  const ib = i.flowMod(b);
  assert.deepEqual(ia, a);
  assert.deepEqual(ib, b);
  assert.notEqual(ia, ib);
  assert.equal(ia.match[0], ib.match[0]);
  assert.equal(ia.match[1], ib.match[1]);
  assert.equal(ia.actions, ib.actions, "equal action lists are one array");
  assert.equal(i.size, 2 + 2 + 1);
  i.clear();
  assert.equal(i.size, 0);
  assert.notEqual(i.flowMod(mod({})).match[0], ia.match[0], "a cleared interner starts afresh");
  assert.equal(i.flowMod(mod({})).match[0], i.flowMod(mod({})).match[0]);
});

test("FlowModInterner: values that only look alike stay apart", () => {
  const i = new FlowModInterner();
  const exact = i.flowMod(mod({ match: [{ field: "reg14", value: 5n }] }));
  const masked = i.flowMod(mod({ match: [{ field: "reg14", value: 5n, mask: 0xffffffffn }] }));
  assert.notEqual(exact.match[0], masked.match[0]);
  assert.equal("mask" in (exact.match[0] as object), false);
  const big = i.flowMod(mod({ actions: [{ kind: "set_field", field: "reg15", value: 1n }] }));
  const other = i.flowMod(mod({ actions: [{ kind: "set_field", field: "reg15", value: 2n }] }));
  assert.notEqual(big.actions[0], other.actions[0]);
  const note = (bytes: number[]) =>
    i.flowMod(mod({ actions: [{ kind: "note", bytes: Uint8Array.from(bytes) }] })).actions[0];
  assert.notEqual(note([1, 2]), note([1, 3]));
  assert.equal(note([1, 2]), note([1, 2]));
});

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
});
