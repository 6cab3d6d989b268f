// The real ovs-vswitchd and ovs-vsctl on an Open_vSwitch database served by each implementation in
// OVNTS_PEER_IMPLS, with netdev-dummy ports: configuration flows down, status flows back up.
import assert from "node:assert/strict";
import { test } from "node:test";
import { lines, normalizeUuids, sortIndentedTree } from "../support/normalize.js";
import { fromHex } from "../support/pcap.js";
import {
  type Impl,
  implementations,
  injectPacket,
  ofctl,
  ofprotoTrace,
  readPcapFile,
  run,
  type Sandbox,
  startDbServer,
  startVswitchd,
  type Vswitchd,
  vsctl,
  waitForPackets,
  withSandbox,
} from "../support/sandbox.js";

async function startSwitch(sb: Sandbox, impl: Impl): Promise<Vswitchd> {
  const db = await startDbServer(sb, { impl, name: "ovs", schemas: ["vswitch"] });
  return startVswitchd(sb, { dbSock: db.sock, dummy: "override" });
}

/** br0 with dummy ports p1 and p2 (OpenFlow ports 1 and 2) that record what they send. */
async function addBridge(sb: Sandbox): Promise<void> {
  const port = (name: string, ofport: number): string[] => [
    "--",
    "add-port",
    "br0",
    name,
    "--",
    "set",
    "Interface",
    name,
    "type=dummy",
    `ofport_request=${ofport}`,
    `options:tx_pcap=${sb.path(`${name}.pcap`)}`,
  ];
  await vsctl(sb, "add-br", "br0", ...port("p1", 1), ...port("p2", 2));
}

/** A column's values for every row of a table, sorted. */
async function column(sb: Sandbox, table: string, col: string): Promise<string[]> {
  return lines(await vsctl(sb, "--bare", `--columns=${col}`, "list", table))
    .filter((l) => l !== "")
    .sort();
}

// An ARP request from 00:00:00:00:00:01 (10.0.0.1) for 10.0.0.2.
const ARP = "ffffffffffff000000000001080600010800060400010000000000010a0000010000000000000a000002";

for (const impl of implementations()) {
  test(`[${impl}] ovs-vsctl configures bridges and dummy ports; ovs-vswitchd reports back`, () =>
    withSandbox(async (sb) => {
      await startSwitch(sb, impl);
      await addBridge(sb);

      // `show` lists ports in hash order: compare it with siblings (and so attributes) sorted.
      const show = sortIndentedTree(normalizeUuids(await vsctl(sb, "show")).replaceAll(sb.dir, "SB"));
      assert.equal(
        show,
        [
          "<0>",
          "    Bridge br0",
          "        Port br0",
          "            Interface br0",
          "                type: internal",
          "        Port p1",
          "            Interface p1",
          '                options: {tx_pcap="SB/p1.pcap"}',
          "                type: dummy",
          "        Port p2",
          "            Interface p2",
          '                options: {tx_pcap="SB/p2.pcap"}',
          "                type: dummy",
        ].join("\n"),
      );
      assert.equal(await vsctl(sb, "list-br"), "br0\n");
      assert.equal(await vsctl(sb, "list-ports", "br0"), "p1\np2\n");
      assert.equal(await vsctl(sb, "iface-to-br", "p2"), "br0\n");

      // Columns only ovs-vswitchd writes: they arrive through the server.
      assert.equal(await vsctl(sb, "get", "Interface", "p1", "ofport"), "1\n");
      assert.equal(await vsctl(sb, "get", "Interface", "p2", "ofport"), "2\n");
      assert.equal(await vsctl(sb, "get", "Interface", "br0", "ofport"), "65534\n");
      assert.equal(await vsctl(sb, "get", "Interface", "p1", "link_state"), "up\n");
      assert.match(
        await vsctl(sb, "get", "Interface", "p1", "mac_in_use"),
        /^"([0-9a-f]{2}:){5}[0-9a-f]{2}"\n$/,
      );
      assert.match(await vsctl(sb, "get", "Bridge", "br0", "datapath_id"), /^"[0-9a-f]{16}"\n$/);
      assert.equal(
        await vsctl(sb, "get", "Open_vSwitch", ".", "datapath_types"),
        "[dummy, netdev, system]\n",
      );
      assert.match(
        await vsctl(sb, "get", "Open_vSwitch", ".", "iface_types"),
        /\bdummy\b.*\binternal\b.*\bpatch\b/,
      );
      const cfg = await vsctl(sb, "get", "Open_vSwitch", ".", "next_cfg", "cur_cfg");
      const [next, cur] = lines(cfg);
      assert.equal(cur, next, "vswitchd has applied the latest configuration");

      await vsctl(sb, "set", "Interface", "p1", "options:tx_pcap=/dev/null", "options:rxq_pcap=/dev/null");
      assert.equal(
        await vsctl(sb, "get", "Interface", "p1", "options"),
        '{rxq_pcap="/dev/null", tx_pcap="/dev/null"}\n',
      );

      // Port and Interface are not root tables: deleting a port or bridge collects them.
      await vsctl(sb, "del-port", "br0", "p2");
      assert.deepEqual(await column(sb, "Port", "name"), ["br0", "p1"]);
      assert.deepEqual(await column(sb, "Interface", "name"), ["br0", "p1"]);
      await vsctl(sb, "del-br", "br0");
      assert.deepEqual(await column(sb, "Bridge", "name"), []);
      assert.deepEqual(await column(sb, "Interface", "name"), []);
    }));

  test(`[${impl}] ovs-vsctl wait-until waits for what ovs-vswitchd writes, and times out otherwise`, () =>
    withSandbox(async (sb) => {
      await startSwitch(sb, impl);
      await addBridge(sb);
      const db = `--db=${sb.dbs.ovs ?? ""}`;
      const never = await run(
        "ovs-vsctl",
        [db, "--timeout=1", "wait-until", "Interface", "p1", "ofport=99"],
        { env: sb.env },
      );
      assert.notEqual(never.code, 0, "wait-until on a value that never comes must time out");

      // Started before the port exists; ofport is filled in by ovs-vswitchd, not by us.
      const waiting = run("ovs-vsctl", [db, "--timeout=5", "wait-until", "Interface", "p3", "ofport=3"], {
        env: sb.env,
      });
      await vsctl(
        sb,
        "--no-wait",
        "add-port",
        "br0",
        "p3",
        "--",
        "set",
        "Interface",
        "p3",
        "type=dummy",
        "ofport_request=3",
      );
      const r = await waiting;
      assert.equal(r.code, 0, r.stderr);
      assert.equal(await vsctl(sb, "get", "Interface", "p3", "ofport"), "3\n");
    }));

  test(`[${impl}] frames injected into a dummy port follow the OpenFlow table`, () =>
    withSandbox(async (sb) => {
      const vs = await startSwitch(sb, impl);
      await addBridge(sb);
      await ofctl(sb, "del-flows", "br0");
      await ofctl(sb, "add-flow", "br0", "in_port=1,actions=output:2");
      assert.deepEqual(lines(await ofctl(sb, "dump-flows", "br0", "--no-stats")), [
        " in_port=1 actions=output:2",
      ]);

      const t1 = await ofprotoTrace(vs, "br0", "in_port=1,dl_dst=ff:ff:ff:ff:ff:ff");
      assert.match(t1.text, /^ 0\. in_port=1, priority 32768\n {4}output:2$/m);
      assert.notEqual(t1.datapathActions, "drop");
      assert.equal((await ofprotoTrace(vs, "br0", "in_port=2")).datapathActions, "drop");

      await injectPacket(vs, "p1", ARP);
      const sent = await waitForPackets(sb.path("p2.pcap"), 1);
      assert.equal(sent.length, 1);
      assert.deepEqual(sent[0]?.data, fromHex(ARP));
      assert.equal(readPcapFile(sb.path("p1.pcap")).length, 0);
    }));
}
