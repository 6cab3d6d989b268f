import assert from "node:assert/strict";
import { test } from "node:test";
import { type FlowMod, field, type GroupMod, output, resubmit } from "../../openflow/model.js";
import { diffMessages, diffTables, flowTable } from "./diff.js";
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
