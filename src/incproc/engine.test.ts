import assert from "node:assert/strict";
import { test } from "node:test";
import { Engine, type EngineNode, type RunResult } from "./engine.js";

// A source → double → sum chain with a handler on one edge only.
function chain() {
  const log: string[] = [];
  const e = new Engine();
  let pending: number[] = [];
  const src = e.add({
    name: "src",
    data: { values: [] as number[], added: [] as number[] },
    run: (n): RunResult => {
      n.data.added = pending;
      n.data.values.push(...pending);
      pending = [];
      return n.data.added.length > 0 ? "updated" : "unchanged";
    },
  });
  const doubled = e.add(
    {
      name: "doubled",
      data: { values: [] as number[], added: [] as number[] },
      run: (n): RunResult => {
        log.push("doubled:recompute");
        n.data.values = n.input(src).values.map((v) => v * 2);
        n.data.added = n.data.values;
        return "updated";
      },
      clearTracked: (d) => {
        d.added = [];
      },
    },
    [
      [
        src,
        (n: EngineNode<{ values: number[]; added: number[] }>) => {
          log.push("doubled:handle");
          n.data.added = n.input(src).added.map((v) => v * 2);
          n.data.values.push(...n.data.added);
          return n.data.added.length > 0 ? "updated" : "unchanged";
        },
      ],
    ],
  );
  const sum = e.add(
    {
      name: "sum",
      data: { total: 0 },
      run: (n): RunResult => {
        log.push("sum:recompute");
        n.data.total = n.input(doubled).values.reduce((a, b) => a + b, 0);
        return "updated";
      },
    },
    [[doubled]],
  );
  return { e, log, sum, push: (...v: number[]) => pending.push(...v) };
}

test("first run recomputes everything", () => {
  const c = chain();
  c.push(1, 2);
  c.e.run({ forceRecompute: true });
  assert.equal(c.sum.data.total, 6);
  assert.deepEqual(c.log, ["doubled:recompute", "sum:recompute"]);
});

test("handled changes compute incrementally; unhandled edges recompute; nothing changed → nothing runs", () => {
  const c = chain();
  c.e.run({ forceRecompute: true });
  c.log.length = 0;
  c.push(5);
  const r = c.e.run();
  assert.deepEqual(r.computed, ["doubled"]);
  assert.deepEqual(r.recomputed, ["src", "sum"]);
  assert.equal(c.sum.data.total, 10);
  c.log.length = 0;
  c.e.run();
  assert.deepEqual(c.log, []);
  assert.equal(c.sum.data.total, 10);
});

test("incremental equals recompute over a sequence", () => {
  const inc = chain();
  const full = chain();
  inc.e.run({ forceRecompute: true });
  for (const batch of [[1], [2, 3], [], [4, 5, 6]]) {
    inc.push(...batch);
    full.push(...batch);
    inc.e.run();
    full.e.run({ forceRecompute: true });
    assert.equal(inc.sum.data.total, full.sum.data.total);
  }
});

test("recompute not allowed aborts the run and the rest of the nodes", () => {
  const c = chain();
  c.e.run({ forceRecompute: true });
  c.push(1);
  const r = c.e.run({ allowRecompute: false });
  assert.equal(r.aborted, true);
  assert.match(c.e.showStats("sum"), /- abort: +1\n/);
});

test("show-stats has the C layout", () => {
  const c = chain();
  c.e.run({ forceRecompute: true });
  assert.equal(
    c.e.showStats("sum"),
    "Node: sum\n- recompute:            1\n- compute:              0\n- abort:                0\n",
  );
  assert.equal(c.e.showStats("sum", "recompute"), "1\n");
  assert.throws(() => c.e.showStats("nope"), /Invalid node name/);
  c.e.clearStats();
  assert.match(c.e.showStats("sum"), /recompute: +0/);
});

test("inputs must be added first; names are unique", () => {
  const e = new Engine();
  const a = e.add({ name: "a", data: 0, run: () => "unchanged" });
  assert.throws(() => e.add({ name: "a", data: 0, run: () => "unchanged" }), /duplicate/);
  const other = new Engine().add({ name: "x", data: 0, run: () => "unchanged" });
  assert.throws(
    () => e.add({ name: "b", data: 0, run: () => "unchanged" }, [[other]]),
    /must be added first/,
  );
  assert.ok(a);
});
