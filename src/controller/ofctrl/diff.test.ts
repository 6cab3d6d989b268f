import assert from "node:assert/strict";
import { test } from "node:test";
import type { MessageList } from "../../openflow/conn.js";
import { type FlowMod, field, type GroupMod, OFPTT_ALL, output, resubmit } from "../../openflow/model.js";
import { diffMessages, diffTables, flowKey, flowTable, flowValue } from "./diff.js";
import { InstalledTable } from "./installed.js";

function flow(
  table: number,
  priority: number,
  inPort: number,
  actions: FlowMod["actions"],
  cookie = 1n,
): FlowMod {
  return { command: "add", table, priority, cookie, match: [field("in_port", BigInt(inPort))], actions };
}
const group = (groupId: number, port: number): GroupMod => ({
  command: "add",
  type: "all",
  groupId,
  buckets: [{ actions: [output(port)] }],
});

test("diffTables: unchanged flows send nothing; removed, added, changed ones one message each", () => {
  const a = flow(0, 100, 1, [resubmit(8)]);
  const b = flow(0, 100, 2, [resubmit(8)]);
  const c = flow(8, 50, 1, [output(3)]);
  const installed = flowTable([a, b, c], [group(1, 1), group(2, 2)]);
  const changedActions = flow(8, 50, 1, [output(4)]);
  const newCookie = flow(0, 100, 1, [resubmit(8)], 7n);
  const added = flow(0, 100, 3, [resubmit(8)]);
  const desired = flowTable([newCookie, changedActions, added], [group(1, 9), group(3, 3)]);
  const d = diffTables(installed, desired);
  assert.deepEqual(
    d.deleteFlows.map((f) => [f.command, f.table, f.priority, f.match]),
    [["delete_strict", 0, 100, b.match]],
  );
  assert.deepEqual(d.addFlows, [added]);
  assert.deepEqual(d.modifyFlows, [
    { ...newCookie, command: "add" },
    { ...changedActions, command: "modify_strict" },
  ]);
  assert.deepEqual(
    d.addGroups.map((g) => g.groupId),
    [3],
  );
  assert.deepEqual(d.modifyGroups, [{ ...group(1, 9), command: "modify" }]);
  assert.deepEqual(
    d.deleteGroups.map((g) => [g.command, g.groupId]),
    [["delete", 2]],
  );
  // Groups are added before flows and deleted after them.
  const kinds = diffMessages(d).map((m) =>
    m.kind === "flow_mod"
      ? `f:${m.flowMod.command}`
      : m.kind === "group_mod"
        ? `g:${m.groupMod.command}`
        : m.kind,
  );
  assert.deepEqual(kinds, [
    "g:add",
    "g:modify",
    "f:delete_strict",
    "f:add",
    "f:add",
    "f:modify_strict",
    "g:delete",
  ]);
  assert.equal(diffMessages(diffTables(desired, desired)).length, 0);
});

test("InstalledTable: full replace until committed, after reset; diffs in between", () => {
  const t = new InstalledTable();
  const flows = [flow(0, 100, 1, [resubmit(8)]), flow(0, 100, 2, [resubmit(8)])];
  const p1 = t.plan(flows, []);
  assert.equal(p1.full, true);
  assert.equal(p1.messages.length, 4); // delete flows, delete groups, 2 adds
  assert.equal(t.plan(flows, []).full, true, "nothing is known until the bundle is committed");
  t.commit(p1);
  const p2 = t.plan([...flows, flow(0, 100, 3, [resubmit(8)])], []);
  assert.equal(p2.full, false);
  assert.equal(p2.messages.length, 1);
  assert.equal(t.plan(flows, []).messages.length, 0);
  t.reset();
  assert.equal(t.plan(flows, []).full, true);
});

test("InstalledTable: a full replace's messages are made when asked; its record when first needed", () => {
  let made = 0;
  // The desired flows in another form than FlowMod (as the agent's compiler flows): counted conversions.
  const t = new InstalledTable<{ f: FlowMod }>((x) => {
    made++;
    return x.f;
  });
  const flows = [1, 2, 3].map((p) => ({ f: flow(0, 100, p, [resubmit(8)]) }));
  const p1 = t.plan(flows, []);
  assert.equal(made, 0, "nothing converted by plan()");
  assert.equal(p1.messages.length, 5);
  const third = p1.messages.at(4);
  assert.ok(third?.kind === "flow_mod" && third.flowMod === flows[2]?.f);
  assert.equal(p1.messages.at(5), undefined);
  assert.equal(made, 1);
  t.commit(p1);
  assert.equal(t.known, true);
  assert.equal(made, 1, "the record is not made by commit()");
  t.settle();
  assert.equal(made, 4, "settle() keys every flow once");
  t.settle();
  const p2 = t.plan([...flows.slice(0, 2)], []);
  assert.equal(p2.full, false);
  assert.deepEqual(
    Array.from({ length: p2.messages.length }, (_, i) => p2.messages.at(i)?.kind),
    ["flow_mod"],
  );
  const del = p2.messages.at(0);
  assert.ok(del?.kind === "flow_mod" && del.flowMod.command === "delete_strict");
});

/** A switch's flow table as the bundle leaves it: flow_mods applied in order, by key. */
function applyToSwitch(sw: Map<string, FlowMod>, messages: MessageList): void {
  for (let i = 0; i < messages.length; i++) {
    const m = messages.at(i);
    if (m?.kind !== "flow_mod") continue;
    const f = m.flowMod;
    if (f.command === "delete" && f.table === OFPTT_ALL) sw.clear();
    else if (f.command === "add") sw.set(flowKey(f), f);
    else if (f.command === "delete_strict") {
      assert.ok(sw.has(flowKey(f)), "delete_strict of a flow the switch does not have");
      sw.delete(flowKey(f));
    } else if (f.command === "modify_strict") {
      const old = sw.get(flowKey(f));
      assert.ok(old !== undefined, "modify_strict of a flow the switch does not have");
      sw.set(flowKey(f), { ...old, actions: f.actions });
    } else assert.fail(`unexpected ${f.command}`);
  }
}

const switchText = (flows: Iterable<FlowMod>): string[] =>
  [...flows].map((f) => `${flowKey(f)} ${flowValue(f)}`).sort();

test("InstalledTable: over random changes (flows kept as objects, changed, added, removed, keys shared), the switch ends up with flowTable(desired)", () => {
  let seed = 12345;
  const r = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  let byChanges = 0;
  for (let run = 0; run < 20; run++) {
    const t = new InstalledTable();
    const sw = new Map<string, FlowMod>();
    let desired: FlowMod[] = [];
    let incremental = 0;
    for (let step = 0; step < 30; step++) {
      const next = desired.filter(() => r(10) !== 0); // drop some
      // New flows anywhere (the desired table keeps its order, new flows come in between).
      for (let i = r(4); i > 0; i--)
        next.splice(r(next.length + 1), 0, flow(r(3), 100, r(400), [output(r(5))], BigInt(1 + r(2))));
      // Now and then the same object twice, or a changed copy of a kept flow.
      const dup = next[r(next.length + 1)];
      if (dup !== undefined && r(4) === 0) next.push(dup);
      const i = r(next.length + 1);
      const f = next[i];
      if (f !== undefined && r(3) === 0) next[i] = { ...f, actions: [output(9)] };
      desired = next;
      const p = t.plan(desired, [group(1, r(3))]);
      if (!p.full) incremental++;
      if (r(8) === 0) continue; // a failed bundle: the switch unchanged, nothing committed
      applyToSwitch(sw, p.messages);
      t.commit(p);
      assert.deepEqual(
        switchText(sw.values()),
        switchText(flowTable(desired, []).flows.values()),
        `run ${run} step ${step}`,
      );
    }
    byChanges += incremental - t.wholeDiffs;
  }
  assert.ok(byChanges > 200, `only ${byChanges} plans went by the changed flows alone`);
});
