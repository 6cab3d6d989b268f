import assert from "node:assert/strict";
import { test } from "node:test";
import { ChangeAccumulator, Changes } from "../changes.js";
import {
  type LogicalSwitch,
  type LogicalSwitchPort,
  type OvnNbTables,
  ovnNbModel,
} from "../generated/ovn-nb.js";
import { tableModel } from "../model.js";
import { Replica, UpdateError } from "../replica.js";
import { columnKeys, MaintainedIndex } from "../row-index.js";

const U1 = "11111111-1111-1111-1111-111111111111";
const U2 = "22222222-2222-2222-2222-222222222222";
const P1 = "aaaaaaaa-0000-0000-0000-000000000001";
const P2 = "aaaaaaaa-0000-0000-0000-000000000002";

function ls(r: Replica, uuid: string): LogicalSwitch | undefined {
  return r.get("Logical_Switch", uuid)?.typed(tableModel(ovnNbModel, "Logical_Switch")) as
    | LogicalSwitch
    | undefined;
}

test("update2: initial rows become typed rows with defaults for absent columns", () => {
  const r = new Replica(ovnNbModel);
  const b = r.reset(
    {
      Logical_Switch: {
        [U1]: {
          initial: {
            name: "sw0",
            ports: [
              "set",
              [
                ["uuid", P2],
                ["uuid", P1],
              ],
            ],
            other_config: ["map", [["mcast_snoop", "true"]]],
          },
        },
      },
    },
    "update2",
  );
  const sw = ls(r, U1);
  assert.ok(sw !== undefined);
  assert.equal(sw._uuid, U1);
  assert.equal(sw.name, "sw0");
  assert.deepEqual(sw.ports, [P1, P2]); // sorted like datums
  assert.deepEqual(sw.otherConfig, new Map([["mcast_snoop", "true"]]));
  assert.deepEqual(sw.acls, []);
  assert.equal(sw.copp, undefined);
  assert.deepEqual([...(b.get("Logical_Switch")?.keys() ?? [])], [U1]);
});

test("update2: modify carries diffs for sets and maps, whole values for optional columns", () => {
  const r = new Replica(ovnNbModel);
  r.reset(
    {
      Logical_Switch: {
        [U1]: {
          initial: {
            name: "sw0",
            ports: ["uuid", P1],
            other_config: [
              "map",
              [
                ["a", "1"],
                ["b", "2"],
              ],
            ],
          },
        },
      },
    },
    "update2",
  );
  const before = r.get("Logical_Switch", U1);
  const batch = r.apply(
    {
      Logical_Switch: {
        [U1]: {
          modify: {
            ports: [
              "set",
              [
                ["uuid", P1],
                ["uuid", P2],
              ],
            ], // P1 removed, P2 added
            other_config: [
              "map",
              [
                ["a", "1"],
                ["b", "3"],
                ["c", "4"],
              ],
            ], // a removed, b changed, c added
            copp: ["uuid", U2],
          },
        },
      },
    },
    "update2",
  );
  const sw = ls(r, U1);
  assert.deepEqual(sw?.ports, [P2]);
  assert.deepEqual(
    sw?.otherConfig,
    new Map([
      ["b", "3"],
      ["c", "4"],
    ]),
  );
  assert.equal(sw?.copp, U2);
  const d = batch.get("Logical_Switch")?.get(U1);
  assert.equal(d?.old, before);
  assert.equal(d?.new, r.get("Logical_Switch", U1));

  const changes = new Changes<OvnNbTables>(ovnNbModel, batch, false);
  const m = changes.table("Logical_Switch").modified;
  assert.equal(m.length, 1);
  assert.deepEqual([...(m[0]?.columns ?? [])].sort(), ["copp", "otherConfig", "ports"]);
  assert.equal(m[0]?.old.copp, undefined);

  r.apply({ Logical_Switch: { [U1]: { modify: { copp: ["set", []] } } } }, "update2");
  assert.equal(ls(r, U1)?.copp, undefined);
  r.apply({ Logical_Switch: { [U1]: { delete: null } } }, "update2");
  assert.equal(ls(r, U1), undefined);
});

test("update (RFC 7047): new rows, modifications with full new values, deletions", () => {
  const r = new Replica(ovnNbModel);
  r.reset({ Logical_Switch: { [U1]: { new: { name: "a", ports: ["set", []] } } } }, "update");
  assert.equal(ls(r, U1)?.name, "a");
  const b = r.apply(
    {
      Logical_Switch: {
        [U1]: { old: { name: "a" }, new: { name: "b", ports: ["uuid", P1] } },
        [U2]: { new: { name: "c" } },
      },
    },
    "update",
  );
  assert.equal(ls(r, U1)?.name, "b");
  assert.deepEqual(ls(r, U1)?.ports, [P1]);
  assert.equal(ls(r, U2)?.name, "c");
  const ch = new Changes<OvnNbTables>(ovnNbModel, b, false).table("Logical_Switch");
  assert.deepEqual(
    ch.inserted.map((x) => x.name),
    ["c"],
  );
  assert.deepEqual([...(ch.modified[0]?.columns ?? [])].sort(), ["name", "ports"]);
  r.apply({ Logical_Switch: { [U2]: { old: { name: "c" } } } }, "update");
  assert.equal(ls(r, U2), undefined);
});

test("reset reports only the difference and keeps unchanged row versions", () => {
  const r = new Replica(ovnNbModel);
  r.reset(
    { Logical_Switch: { [U1]: { initial: { name: "a" } }, [U2]: { initial: { name: "b" } } } },
    "update2",
  );
  const keep = r.get("Logical_Switch", U1);
  const b = r.reset(
    {
      Logical_Switch: { [U1]: { initial: { name: "a" } }, [P1]: { initial: { name: "c" } } },
      Logical_Switch_Port: { [P2]: { initial: { name: "lsp" } } },
    },
    "update2",
  );
  assert.equal(r.get("Logical_Switch", U1), keep);
  const ch = new Changes<OvnNbTables>(ovnNbModel, b, true);
  assert.deepEqual(ch.tables().sort(), ["Logical_Switch", "Logical_Switch_Port"]);
  assert.deepEqual(
    ch.table("Logical_Switch").deleted.map((x) => x.name),
    ["b"],
  );
  assert.deepEqual(
    ch.table("Logical_Switch").inserted.map((x) => x.name),
    ["c"],
  );
  assert.equal(ch.table("Logical_Switch").modified.length, 0);
  assert.equal(ch.table("ACL").inserted.length, 0);
  assert.equal(ch.resync, true);
});

test("a malformed update leaves the replica unchanged", () => {
  const r = new Replica(ovnNbModel);
  r.reset({ Logical_Switch: { [U1]: { initial: { name: "a" } } } }, "update2");
  assert.throws(
    () =>
      r.apply(
        { Logical_Switch: { [U1]: { modify: { name: "b" } }, [U2]: { modify: { name: "x" } } } },
        "update2",
      ),
    UpdateError,
  );
  assert.equal(ls(r, U1)?.name, "a");
  assert.throws(() => r.apply({ Logical_Switch: { [U1]: { modify: { name: 7 } } } }, "update2"), UpdateError);
  assert.throws(() => r.apply({ Logical_Switch: { [U1]: { frob: {} } } }, "update2"), UpdateError);
});

test("values outside the model's enums are kept (a newer server), unknown columns ignored", () => {
  const r = new Replica(ovnNbModel);
  r.reset(
    { ACL: { [U1]: { initial: { action: "allow-future", priority: 5, new_column: "x" } } } },
    "update2",
  );
  const acl = r.get("ACL", U1)?.typed(tableModel(ovnNbModel, "ACL")) as unknown as {
    action: string;
    priority: number;
  };
  assert.equal(acl.action, "allow-future");
  assert.equal(acl.priority, 5);
});

test("change accumulator merges batches row by row", () => {
  const r = new Replica(ovnNbModel);
  const acc = new ChangeAccumulator<OvnNbTables>(ovnNbModel);
  r.reset({ Logical_Switch: { [U1]: { initial: { name: "a" } } } }, "update2");
  acc.take();
  acc.add(r.apply({ Logical_Switch: { [U2]: { insert: { name: "new" } } } }, "update2"), false);
  acc.add(r.apply({ Logical_Switch: { [U2]: { modify: { name: "newer" } } } }, "update2"), false);
  acc.add(r.apply({ Logical_Switch: { [U1]: { modify: { name: "b" } } } }, "update2"), false);
  acc.add(r.apply({ Logical_Switch: { [U1]: { modify: { name: "a" } } } }, "update2"), false);
  acc.add(r.apply({ Logical_Switch_Port: { [P1]: { insert: { name: "p" } } } }, "update2"), false);
  acc.add(r.apply({ Logical_Switch_Port: { [P1]: { delete: null } } }, "update2"), false);
  assert.equal(acc.pending, true);
  const ch = acc.take();
  assert.deepEqual(ch.tables(), ["Logical_Switch"]);
  const t = ch.table("Logical_Switch");
  assert.deepEqual(
    t.inserted.map((x) => x.name),
    ["newer"],
  );
  assert.equal(t.modified.length, 0, "a change and its undoing cancel out");
  assert.equal(ch.size, 1);
  assert.equal(acc.pending, false);
  assert.equal(acc.take().isEmpty, true);
});

test("indexes follow inserts, modifications and deletions, one key per set element", () => {
  const r = new Replica(ovnNbModel);
  const t = tableModel(ovnNbModel, "Logical_Switch_Port");
  const byName = new MaintainedIndex<LogicalSwitchPort, string>(t, (row) => [row.name]);
  const byAddr = new MaintainedIndex<LogicalSwitchPort, string>(
    t,
    (row) => columnKeys(row.addresses) as string[],
  );
  const feed = (b: ReturnType<Replica["apply"]>): void => {
    for (const d of b.get("Logical_Switch_Port")?.values() ?? []) {
      byName.update(d);
      byAddr.update(d);
    }
  };
  feed(
    r.reset(
      {
        Logical_Switch_Port: {
          [P1]: { initial: { name: "p1", addresses: ["set", ["00:00:00:00:00:01", "router"]] } },
          [P2]: { initial: { name: "p2", addresses: "router" } },
        },
      },
      "update2",
    ),
  );
  assert.equal(byName.first("p1")?._uuid, P1);
  assert.deepEqual(
    byAddr
      .get("router")
      .map((x) => x.name)
      .sort(),
    ["p1", "p2"],
  );
  feed(
    r.apply(
      {
        Logical_Switch_Port: {
          [P1]: { modify: { name: "renamed", addresses: ["set", ["00:00:00:00:00:01"]] } },
        },
      },
      "update2",
    ),
  );
  assert.equal(byName.has("p1"), false);
  assert.equal(byName.first("renamed")?.name, "renamed");
  assert.deepEqual(byAddr.get("00:00:00:00:00:01"), []);
  feed(r.apply({ Logical_Switch_Port: { [P2]: { delete: null } } }, "update2"));
  assert.deepEqual(
    byAddr.get("router").map((x) => x.name),
    ["renamed"],
  );
  assert.deepEqual([...byName.keys()], ["renamed"]);
  assert.equal(byAddr.size, 1);
});
