// IPAM through the in-memory northd: allocation order, exclusions, router addresses, exhaustion,
// write-back to NB, and that a fresh full computation keeps what is in the NB (restarts).
import assert from "node:assert/strict";
import { test } from "node:test";
import { NorthdCore } from "./core.js";
import { MemNorthd, TEST_DEFAULTS } from "./test/mem-northd.js";

test("ipam: dynamic addresses allocated, written to NB, kept by a fresh computation", async () => {
  const n = await new MemNorthd([]).started();
  try {
    await n.change((txn) => {
      const rp = txn.insert("Logical_Router_Port", {
        name: "rp",
        mac: "00:00:00:00:ff:01",
        networks: ["10.0.0.2/29"],
      });
      txn.insert("Logical_Router", { name: "r", ports: [rp] });
      const pr = txn.insert("Logical_Switch_Port", {
        name: "pr",
        type: "router",
        addresses: ["router"],
        options: new Map([["router-port", "rp"]]),
      });
      const a = txn.insert("Logical_Switch_Port", { name: "a", addresses: ["dynamic"] });
      txn.insert("Logical_Switch", {
        name: "s",
        ports: [pr, a],
        otherConfig: new Map([
          ["subnet", "10.0.0.0/29"],
          ["exclude_ips", "10.0.0.3"],
          ["ipv6_prefix", "fd01::"],
        ]),
      });
      txn.insert("Logical_Switch", {
        name: "off",
        ports: [txn.insert("Logical_Switch_Port", { name: "z", addresses: ["dynamic"] })],
      });
    });
    const add = async (name: string, addr: string): Promise<void> => {
      await n.change((txn, idl) => {
        const s = idl.rows("Logical_Switch").find((r) => r.name === "s");
        assert.ok(s !== undefined);
        const p = txn.insert("Logical_Switch_Port", { name, addresses: [addr] });
        txn.update("Logical_Switch", s._uuid, { ports: [...s.ports, p] });
      });
    };
    await add("b", "00:00:00:00:00:08 dynamic");
    await add("c", "dynamic");
    await add("d", "dynamic");
    await n.sync();
    const nbDyn = (): Map<string, string | undefined> =>
      new Map(n.client.rows("Logical_Switch_Port").map((r) => [r.name, r.dynamicAddresses]));
    const want = new Map<string, string | undefined>([
      ["pr", undefined],
      // .1 is never handed out, .2 is the router's, .3 excluded.
      ["a", "0a:00:00:00:00:05 10.0.0.4 fd01::800:ff:fe00:5"],
      ["b", "00:00:00:00:00:08 10.0.0.5 fd01::200:ff:fe00:8"],
      ["c", "0a:00:00:00:00:07 10.0.0.6 fd01::800:ff:fe00:7"],
      // The /29 is full: a MAC from the bottom of the space, and the IPv6 from it.
      ["d", "0a:00:00:00:00:01 fd01::800:ff:fe00:1"],
      // No subnet, ipv6_prefix or mac_only: no IPAM.
      ["z", undefined],
    ]);
    assert.deepEqual(nbDyn(), want);
    const m = n.daemon.core.model;
    const c = m?.ports.get("c");
    assert.ok(c?.kind === "lsp");
    assert.deepEqual(
      c.addresses.map((x) => [x.macS, ...x.ipv4.map((i) => i.addrS)]),
      [["0a:00:00:00:00:07", "10.0.0.6"]],
    );
    // A fresh core (a restart) keeps every assignment, and the SB needs nothing more.
    const core = new NorthdCore({ builders: [], defaults: TEST_DEFAULTS });
    core.run(n.client, n.sbClient, n.sbClient.txn(), undefined);
    for (const [name, v] of want) {
      const p = core.model?.ports.get(name);
      assert.ok(p?.kind === "lsp");
      assert.equal(p.hasDynamic ? p.dynamicAddresses : undefined, v, name);
    }
    assert.deepEqual(n.pendingFullRecompute(), []);
    // Addresses no longer dynamic: dynamic_addresses cleared.
    await n.change((txn, idl) => {
      const a = idl.rows("Logical_Switch_Port").find((r) => r.name === "a");
      assert.ok(a !== undefined);
      txn.update("Logical_Switch_Port", a._uuid, { addresses: ["00:00:00:00:00:0a 10.0.0.4"] });
    });
    await n.sync();
    assert.equal(nbDyn().get("a"), undefined);
  } finally {
    n.stop();
  }
});

test("ipam: requested addresses honoured only when valid; other forms get nothing", async () => {
  const n = await new MemNorthd([]).started();
  try {
    // Uuids decide the allocation order: give the ports names that sort like their uuids.
    const ports: [string, string][] = [
      ["p1", "dynamic 10.0.1.0"], // the network address: refused
      ["p2", "dynamic 10.0.1.9"], // fine
      ["p3", "dynamic 10.0.2.5"], // outside the subnet: refused, MAC still from it
      ["p4", "dynamic"],
      ["p5", "dynamic 10.0.1.20"], // excluded: refused
      ["p6", "00:00:00:00:00:66 dynamic 10.0.1.30"], // not a form ovn-nb(5) lists
      ["p7", "dynamic fd02::7"], // outside ipv6_prefix's /64: EUI-64 instead
      ["p8", "dynamic fd01::8"],
    ];
    await n.change((txn) => {
      const rows = ports.map(([name, a]) => txn.insert("Logical_Switch_Port", { name, addresses: [a] }));
      txn.insert("Logical_Switch", {
        name: "s",
        ports: rows,
        otherConfig: new Map([
          ["subnet", "10.0.1.0/24"],
          ["exclude_ips", "10.0.1.20"],
          ["ipv6_prefix", "fd01::"],
        ]),
      });
    });
    await n.sync();
    const rows = n.client.rows("Logical_Switch_Port");
    const byUuid = [...rows].sort((a, b) => (a._uuid < b._uuid ? -1 : 1)).map((r) => r.name);
    const dyn = new Map(rows.map((r) => [r.name, r.dynamicAddresses]));
    assert.equal(dyn.get("p6"), undefined);
    assert.equal(dyn.get("p2")?.split(" ")[1], "10.0.1.9");
    assert.equal(dyn.get("p3")?.split(" ")[0], "0a:00:00:00:02:06");
    assert.match(dyn.get("p7") ?? "", /^0a:00:00:[0-9a-f:]+ 10\.0\.1\.\d+ fd01::800:ff:fe[0-9a-f:]+$/);
    assert.equal(dyn.get("p8")?.split(" ")[2], "fd01::8");
    // Ports whose request was refused get their IPv4 after those that asked for none, in uuid order.
    const ip = (p: string): string | undefined => dyn.get(p)?.split(" ")[1];
    const plain = byUuid.filter((p) => ["p4", "p7", "p8"].includes(p));
    const refused = byUuid.filter((p) => ["p1", "p3", "p5"].includes(p));
    assert.deepEqual([...plain, ...refused].map(ip), [
      "10.0.1.2",
      "10.0.1.3",
      "10.0.1.4",
      "10.0.1.5",
      "10.0.1.6",
      "10.0.1.7",
    ]);
  } finally {
    n.stop();
  }
});
