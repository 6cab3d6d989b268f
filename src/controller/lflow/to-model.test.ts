// The bridge to src/openflow's model: every flow compiled for the corpus converts, and the model's
// printer reproduces the real controller's lines (corpus.test.ts); here the conversions themselves.

import assert from "node:assert/strict";
import { test } from "node:test";
import { formatFlow } from "../../openflow/text.js";
import { IdAllocators } from "./alloc.js";
import type { Flow } from "./flow.js";
import { mergeFlows } from "./index.js";
import { toFlowMod, toGroupMod } from "./to-model.js";

const base = { table: 46, priority: 2002, cookie: 0n };

test("conjunction clause numbers and exact matches convert to the model's form", () => {
  const f: Flow = {
    ...base,
    match: [
      { field: "reg15", value: 1n, mask: 0xffffffffn },
      { field: "reg0", value: 0x80n, mask: 0x80n },
    ],
    actions: [{ kind: "conjunction", id: 7, clause: 2, nClauses: 3 }],
  };
  const m = toFlowMod(f);
  assert.deepEqual(m.match, [
    { field: "reg15", value: 1n },
    { field: "reg0", value: 0x80n, mask: 0x80n },
  ]);
  assert.deepEqual(m.actions, [{ kind: "conjunction", id: 7, k: 2, n: 3 }]);
  assert.equal(formatFlow(m), " table=46, priority=2002,reg0=0x80/0x80,reg15=0x1 actions=conjunction(7,2/3)");
});

test("ct with a bare nat and with an address", () => {
  const zone = { field: "reg13", ofs: 0, nBits: 16 } as const;
  const nat = { ipMax: null, portMax: null, random: false, persistent: false, hash: false };
  const f: Flow = {
    ...base,
    match: [],
    actions: [
      {
        kind: "ct",
        commit: false,
        force: false,
        table: 15,
        zone,
        nat: { kind: "none", ipMin: null, portMin: null, ...nat },
        exec: [],
      },
      {
        kind: "ct",
        commit: true,
        force: false,
        table: 21,
        zone,
        nat: { kind: "dst", ipMin: { v6: false, value: 0x0a000001n }, portMin: 8080, ...nat },
        exec: [{ kind: "set_field", field: "ct_mark", value: 2n, mask: 2n }],
      },
    ],
  };
  assert.equal(
    formatFlow(toFlowMod(f)),
    " table=46, priority=2002 actions=ct(table=15,zone=NXM_NX_REG13[0..15],nat),ct(commit,table=21,zone=NXM_NX_REG13[0..15],nat(dst=10.0.0.1:8080),exec(set_field:0x2/0x2->ct_mark))",
  );
});

test("groups: ids, bucket ids, weights and the selection method", () => {
  const alloc = new IdAllocators();
  const g = {
    type: "select" as const,
    selectionMethod: "dp_hash" as const,
    selectionParam: null,
    fields: [],
    buckets: [],
  };
  const a = alloc.groupId({ ...g, buckets: [{ weight: 100, actions: [{ kind: "resubmit", table: 21 }] }] });
  const b = alloc.groupId({ ...g, buckets: [{ weight: 100, actions: [{ kind: "resubmit", table: 21 }] }] });
  const c = alloc.groupId({ ...g, buckets: [{ weight: null, actions: [] }] });
  assert.deepEqual([a, b, c], [1, 1, 2]);
  const [g1] = alloc.groupList();
  assert.ok(g1 !== undefined);
  const mod = toGroupMod(g1);
  assert.equal(mod.groupId, 1);
  assert.equal(mod.selectionMethod, "dp_hash");
  assert.deepEqual(mod.buckets[0]?.bucketId, 0);
  assert.deepEqual(mod.buckets[0]?.weight, 100);
});

test("conjunction ids start at the flow's cookie and never collide", () => {
  const alloc = new IdAllocators();
  const u = "0000000a-0000-0000-0000-000000000000";
  assert.equal(alloc.conjIds(u, "dp1", 2), 10);
  assert.equal(alloc.conjIds(u, "dp1", 2), 10);
  assert.equal(alloc.conjIds(u, "dp2", 1), 12);
});

test("clause flows with the same match gather their conjunctions; other duplicates keep the first", () => {
  const m = [{ field: "reg15", value: 1n, mask: 0xffffffffn }] as const;
  const merged = mergeFlows([
    { ...base, match: m, actions: [{ kind: "conjunction", id: 1, clause: 1, nClauses: 2 }] },
    { ...base, match: m, actions: [{ kind: "conjunction", id: 2, clause: 2, nClauses: 2 }] },
    { ...base, priority: 1, match: m, actions: [{ kind: "resubmit", table: 9 }] },
    { ...base, priority: 1, match: m, actions: [] },
  ]);
  assert.equal(merged.length, 2);
  assert.deepEqual(
    merged[0]?.actions.map((a) => (a.kind === "conjunction" ? a.id : -1)),
    [1, 2],
  );
  assert.deepEqual(merged[1]?.actions, [{ kind: "resubmit", table: 9 }]);
});

test("mergeFlows: a match is the same in any field order; values, masks, wide values and repeats count", () => {
  const f = (field: "reg15" | "metadata" | "ipv6_dst", value: bigint, mask = 0xffffffffn) =>
    ({ field, value, mask }) as const;
  const v6 = (hi: bigint) => f("ipv6_dst", hi << 64n, ((1n << 64n) - 1n) << 64n);
  const flows = [
    { ...base, match: [f("reg15", 1n), f("metadata", 2n)], actions: [{ kind: "resubmit", table: 1 }] },
    { ...base, match: [f("metadata", 2n), f("reg15", 1n)], actions: [{ kind: "resubmit", table: 2 }] },
    { ...base, match: [f("reg15", 1n, 0xffn), f("metadata", 2n)], actions: [] },
    { ...base, match: [f("reg15", 1n), f("metadata", 3n)], actions: [] },
    // Same low 64 bits, different prefixes: different matches.
    { ...base, match: [v6(0x20010db8n)], actions: [] },
    { ...base, match: [v6(0x20010db9n)], actions: [] },
    { ...base, match: [v6(0x20010db9n)], actions: [{ kind: "resubmit", table: 3 }] },
    // A field twice is not the same as two different fields.
    { ...base, match: [f("reg15", 1n), f("reg15", 1n), f("metadata", 2n)], actions: [] },
    { ...base, match: [f("reg15", 1n), f("metadata", 2n), f("metadata", 2n)], actions: [] },
  ] as const;
  const merged = mergeFlows(flows);
  assert.deepEqual(
    merged.map((m) => flows.indexOf(m as (typeof flows)[number])),
    [0, 2, 3, 4, 5, 7, 8],
  );
});
