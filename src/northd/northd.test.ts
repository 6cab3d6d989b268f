// northd end to end over the in-memory server: a sequence of NB changes handled incrementally (with the
// recompute check on), after each of which a fresh full recompute must find nothing left to write.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { OvnNbTables } from "../ovsdb/idl/generated/ovn-nb.js";
import type { Idl } from "../ovsdb/idl/idl.js";
import type { Txn } from "../ovsdb/idl/txn.js";
import { allBuilders } from "./builders.js";
import { probeBuilders } from "./lflow/probe-builders.js";
import { MemNorthd } from "./test/mem-northd.js";

type Step = [string, (txn: Txn<OvnNbTables>, idl: Idl<OvnNbTables>) => void];

const byName = <
  K extends
    | "Logical_Switch"
    | "Logical_Router"
    | "Logical_Switch_Port"
    | "Logical_Router_Port"
    | "Port_Group",
>(
  idl: Idl<OvnNbTables>,
  table: K,
  name: string,
): OvnNbTables[K] => {
  const r = idl.rows(table).find((x) => (x as { name: string }).name === name);
  if (r === undefined) throw new Error(`${table} ${name} not found`);
  return r;
};

function addPort(
  txn: Txn<OvnNbTables>,
  idl: Idl<OvnNbTables>,
  ls: string,
  name: string,
  addr: string[],
  extra = {},
) {
  const p = txn.insert("Logical_Switch_Port", { name, addresses: addr, ...extra });
  txn.mutate("Logical_Switch", byName(idl, "Logical_Switch", ls)._uuid, "ports", "insert", p);
  return p;
}

const STEPS: Step[] = [
  [
    "two switches",
    (txn) => {
      txn.insert("Logical_Switch", { name: "sw0" });
      txn.insert("Logical_Switch", { name: "sw1" });
    },
  ],
  [
    "ports",
    (txn, idl) => {
      addPort(txn, idl, "sw0", "p1", ["00:00:00:00:00:01 10.0.0.2"]);
      addPort(txn, idl, "sw0", "p2", ["00:00:00:00:00:02 10.0.0.3", "unknown"]);
      addPort(txn, idl, "sw1", "q1", ["00:00:00:00:01:01 10.1.0.2"]);
    },
  ],
  [
    "router with two ports, peered",
    (txn, idl) => {
      const a = txn.insert("Logical_Router_Port", {
        name: "r0-sw0",
        mac: "00:00:00:00:ff:01",
        networks: ["10.0.0.1/24"],
      });
      const b = txn.insert("Logical_Router_Port", {
        name: "r0-sw1",
        mac: "00:00:00:00:ff:02",
        networks: ["10.1.0.1/24"],
      });
      txn.insert("Logical_Router", { name: "r0", ports: [a, b] });
      addPort(txn, idl, "sw0", "sw0-r0", ["router"], {
        type: "router",
        options: new Map([["router-port", "r0-sw0"]]),
      });
      addPort(txn, idl, "sw1", "sw1-r0", ["router"], {
        type: "router",
        options: new Map([["router-port", "r0-sw1"]]),
      });
    },
  ],
  [
    "change a port's address (router flows on the peer change)",
    (txn, idl) => {
      txn.update("Logical_Switch_Port", byName(idl, "Logical_Switch_Port", "q1")._uuid, {
        addresses: ["00:00:00:00:01:01 10.1.0.9"],
      });
    },
  ],
  [
    "change a router port's networks (switch flows on the peer change)",
    (txn, idl) => {
      txn.update("Logical_Router_Port", byName(idl, "Logical_Router_Port", "r0-sw0")._uuid, {
        networks: ["10.0.0.254/24"],
      });
    },
  ],
  [
    "re-point a router-type switch port to another router port",
    (txn, idl) => {
      txn.update("Logical_Switch_Port", byName(idl, "Logical_Switch_Port", "sw1-r0")._uuid, {
        options: new Map([["router-port", "r0-sw0"]]),
      });
    },
  ],
  [
    "and back",
    (txn, idl) => {
      txn.update("Logical_Switch_Port", byName(idl, "Logical_Switch_Port", "sw1-r0")._uuid, {
        options: new Map([["router-port", "r0-sw1"]]),
      });
    },
  ],
  [
    "port group with an ACL",
    (txn, idl) => {
      const acl = txn.insert("ACL", {
        priority: 100,
        direction: "from-lport",
        match: "ip4",
        action: "allow-related",
      });
      txn.insert("Port_Group", {
        name: "pg1",
        ports: [
          byName(idl, "Logical_Switch_Port", "p1")._uuid,
          byName(idl, "Logical_Switch_Port", "q1")._uuid,
        ],
        acls: [acl],
      });
    },
  ],
  [
    "grow the port group",
    (txn, idl) => {
      txn.mutate(
        "Port_Group",
        byName(idl, "Port_Group", "pg1")._uuid,
        "ports",
        "insert",
        byName(idl, "Logical_Switch_Port", "p2")._uuid,
      );
    },
  ],
  [
    "a load balancer on sw0",
    (txn, idl) => {
      const lb = txn.insert("Load_Balancer", {
        name: "lb1",
        vips: new Map([["10.0.0.100:80", "10.0.0.2:8080"]]),
        protocol: "tcp",
      });
      txn.mutate("Logical_Switch", byName(idl, "Logical_Switch", "sw0")._uuid, "loadBalancer", "insert", lb);
    },
  ],
  [
    "a gateway port with NAT",
    (txn, idl) => {
      const gc = txn.insert("Gateway_Chassis", { name: "gw-hv1", chassisName: "hv1", priority: 10 });
      const p = txn.insert("Logical_Router_Port", {
        name: "r0-pub",
        mac: "00:00:00:00:ff:03",
        networks: ["172.16.0.1/24"],
        gatewayChassis: [gc],
      });
      const nat = txn.insert("NAT", { type: "snat", externalIp: "172.16.0.1", logicalIp: "10.0.0.0/24" });
      const r0 = byName(idl, "Logical_Router", "r0")._uuid;
      txn.mutate("Logical_Router", r0, "ports", "insert", p);
      txn.mutate("Logical_Router", r0, "nat", "insert", nat);
    },
  ],
  [
    "delete a port",
    (txn, idl) => {
      const p = byName(idl, "Logical_Switch_Port", "p2");
      txn.mutate("Logical_Switch", byName(idl, "Logical_Switch", "sw0")._uuid, "ports", "delete", p._uuid);
    },
  ],
  [
    "NB_Global options (full recompute)",
    (txn, idl) => {
      const g = idl.first("NB_Global");
      if (g !== undefined) txn.mutate("NB_Global", g._uuid, "options", "insert", new Map([["foo", "bar"]]));
    },
  ],
  [
    "delete the router",
    (txn, idl) => {
      txn.delete("Logical_Router", byName(idl, "Logical_Router", "r0")._uuid);
    },
  ],
  [
    "delete a switch",
    (txn, idl) => {
      txn.delete("Logical_Switch", byName(idl, "Logical_Switch", "sw1")._uuid);
    },
  ],
];

test("incremental runs equal a full recompute after every change (probe builders, check mode)", async () => {
  const n = await new MemNorthd(probeBuilders).started();
  try {
    for (const [what, build] of STEPS) {
      await n.change(build);
      assert.deepEqual(n.pendingFullRecompute(), [], `after "${what}" a full recompute still writes`);
    }
    const stats = n.daemon.showStats("lflow");
    assert.match(stats, /- compute: +([1-9][0-9]*)\n/, stats);
    assert.ok(n.sbClient.rows("Logical_Flow").length > 5);
  } finally {
    n.stop();
  }
});

test("the real stage builders: incremental equals a full recompute after every change", async () => {
  const n = await new MemNorthd(allBuilders()).started();
  try {
    for (const [what, build] of STEPS) {
      await n.change(build);
      const pending = n.pendingFullRecompute();
      assert.deepEqual(
        pending.slice(0, 5),
        [],
        `after "${what}" a full recompute still writes ${pending.length} operations`,
      );
    }
  } finally {
    n.stop();
  }
});

test("flows identical on several switches share one Logical_DP_Group", async () => {
  const n = await new MemNorthd(probeBuilders).started();
  try {
    await n.change((txn) => {
      for (const s of ["a", "b", "c"]) txn.insert("Logical_Switch", { name: s });
    });
    const flows = n.sbClient.rows("Logical_Flow").filter((f) => f.match === "eth.src[40]");
    assert.equal(flows.length, 1);
    const g = flows[0]?.logicalDpGroup;
    assert.ok(g !== undefined);
    assert.equal(n.sbClient.get("Logical_DP_Group", g)?.datapaths.length, 3);
  } finally {
    n.stop();
  }
});

test("own SB writes do not cause recomputes; an nb_cfg bump is handled incrementally", async () => {
  const n = await new MemNorthd(probeBuilders).started();
  try {
    await n.change((txn) => {
      txn.insert("Logical_Switch", { name: "x" });
    });
    const before = n.daemon.showStats("lflow", "recompute");
    for (let i = 0; i < 3; i++) await n.sync();
    assert.equal(n.daemon.showStats("lflow", "recompute"), before);
  } finally {
    n.stop();
  }
});

test("flows that differ only in their hint share one row, which keeps the smallest hint", async () => {
  const n = await new MemNorthd(allBuilders()).started();
  const hairpin = () =>
    n.sbClient
      .rows("Logical_Flow")
      .filter((f) => f.externalIds.get("stage-name") === "ls_in_nat_hairpin" && f.priority === 90);
  try {
    await n.change((txn) => {
      for (const s of ["a", "b", "c"]) {
        const lb = txn.insert("Load_Balancer", {
          name: `lb-${s}`,
          protocol: "tcp",
          vips: new Map([["10.0.0.250:80", "10.0.0.10:8080"]]),
        });
        txn.insert("Logical_Switch", { name: s, loadBalancer: [lb] });
      }
    });
    // Each switch's hairpin flow is hinted with the switch itself: one row for the three.
    const hints = () =>
      n.client
        .rows("Logical_Switch")
        .map((s) => s._uuid.slice(0, 8))
        .sort();
    let rows = hairpin();
    assert.equal(rows.length, 1);
    const g = rows[0]?.logicalDpGroup;
    assert.equal(g === undefined ? 0 : n.sbClient.get("Logical_DP_Group", g)?.datapaths.length, 3);
    assert.equal(rows[0]?.externalIds.get("stage-hint"), hints()[0]);
    // Without the switch whose hint it carried, the row takes the next one (incrementally).
    const first = n.client.rows("Logical_Switch").find((s) => s._uuid.startsWith(hints()[0] ?? "-"));
    await n.change((txn) => {
      if (first !== undefined) txn.delete("Logical_Switch", first._uuid);
    });
    rows = hairpin();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.externalIds.get("stage-hint"), hints()[0]);
    assert.deepEqual(n.pendingFullRecompute(), []);
  } finally {
    n.stop();
  }
});

test("a run that writes many flow rows is followed by one reclaim; small runs are not", async () => {
  let reclaims = 0;
  const n = await new MemNorthd(probeBuilders, true, undefined, {
    reclaim: () => {
      reclaims++;
    },
    reclaimAfterRows: 20,
  }).started();
  try {
    const first = reclaims;
    const before = n.sbClient.rows("Logical_Flow").length;
    await n.change((txn) => {
      txn.insert("Logical_Switch", { name: "big" });
    });
    await n.change((txn, idl) => {
      for (let i = 0; i < 10; i++)
        addPort(txn, idl, "big", `big-p${i}`, [`00:00:00:00:0b:0${i} 10.1.0.${i + 2}`]);
    });
    assert.ok(n.sbClient.rows("Logical_Flow").length >= before + 20);
    assert.equal(reclaims, first + 1);
    await n.change((txn, idl) => {
      addPort(txn, idl, "big", "lone", ["00:00:00:00:0c:01 10.1.0.99"]);
    });
    await n.sync();
    assert.equal(reclaims, first + 1);
  } finally {
    n.stop();
  }
});
