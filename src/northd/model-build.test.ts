// The model as the builders see it, built from a small NB through the in-memory server.
import assert from "node:assert/strict";
import { test } from "node:test";
import { MemNorthd } from "./test/mem-northd.js";

test("model: peers, gateway ports, port groups, ACLs via groups, load balancers via groups, keys", async () => {
  const n = await new MemNorthd([]).started();
  try {
    await n.change((txn) => {
      const gc = txn.insert("Gateway_Chassis", { name: "g", chassisName: "hv1", priority: 1 });
      const rp = txn.insert("Logical_Router_Port", {
        name: "rp",
        mac: "00:00:00:00:ff:01",
        networks: ["10.0.0.1/24", "fd00::1/64"],
      });
      const gp = txn.insert("Logical_Router_Port", {
        name: "gp",
        mac: "00:00:00:00:ff:02",
        networks: ["172.16.0.1/24"],
        gatewayChassis: [gc],
      });
      txn.insert("Logical_Router", {
        name: "r",
        ports: [rp, gp],
        options: new Map([["requested-tnl-key", "40"]]),
      });
      const p1 = txn.insert("Logical_Switch_Port", {
        name: "p1",
        addresses: ["00:00:00:00:00:01 10.0.0.2", "unknown"],
        portSecurity: ["00:00:00:00:00:01 10.0.0.2/24"],
      });
      const p2 = txn.insert("Logical_Switch_Port", {
        name: "p2",
        addresses: ["router"],
        type: "router",
        options: new Map([["router-port", "rp"]]),
      });
      const acl = txn.insert("ACL", {
        priority: 1,
        direction: "to-lport",
        match: "ip",
        action: "allow-related",
      });
      const lb = txn.insert("Load_Balancer", {
        name: "lb",
        vips: new Map([
          ["10.0.0.9:80", "10.0.0.2:80"],
          ["bad", "x"],
        ]),
      });
      const grp = txn.insert("Load_Balancer_Group", { name: "g", loadBalancer: [lb] });
      txn.insert("Logical_Switch", {
        name: "s",
        ports: [p1, p2],
        loadBalancerGroup: [grp],
        loadBalancer: [lb],
      });
      txn.insert("Port_Group", { name: "pg", ports: [p1], acls: [acl] });
    });
    const m = n.daemon.core.model;
    assert.ok(m !== undefined);
    const s = m.switches[0];
    const r = m.routers[0];
    assert.ok(s !== undefined && r !== undefined);
    assert.equal(r.key, 40);
    assert.equal(s.key, 1);
    const p1 = m.ports.get("p1");
    const p2 = m.ports.get("p2");
    const rp = m.ports.get("rp");
    assert.ok(p1?.kind === "lsp" && p2?.kind === "lsp" && rp?.kind === "lrp");
    assert.equal(p1.hasUnknown, true);
    assert.equal(p1.portSecurity[0]?.ipv4[0]?.plen, 24);
    assert.equal(p2.peer, rp);
    assert.equal(rp.peer, p2);
    assert.deepEqual(
      rp.networks.ipv6.map((x) => x.addrS),
      ["fd00::1", "fe80::200:ff:fe00:ff01"],
    );
    assert.deepEqual(
      r.l3dgwPorts.map((p) => p.name),
      ["gp"],
    );
    assert.equal(m.ports.get("cr-gp")?.kind, "cr");
    assert.deepEqual(
      s.routerPorts.map((p) => p.name),
      ["p2"],
    );
    assert.equal(s.loadBalancers.length, 1, "an LB both direct and via a group counts once");
    assert.deepEqual(
      s.loadBalancers[0]?.vips.map((v) => v.key),
      ["10.0.0.9:80"],
    );
    assert.equal(s.hasLbVip, true);
    assert.deepEqual(
      s.acls.map((a) => a.portGroup?.name),
      ["pg"],
    );
    assert.equal(s.hasStatefulAcl, true);
    assert.deepEqual(
      m.portGroups
        .get("pg")
        ?.byDatapath.get(s)
        ?.map((p) => p.name),
      ["p1"],
    );
    // The SB carries the same keys.
    const pb = n.sbClient.rows("Port_Binding").find((x) => x.logicalPort === "cr-gp");
    assert.equal(pb?.type, "chassisredirect");
  } finally {
    n.stop();
  }
});
