// OfConnection against the real ovs-vswitchd (dummy datapath):
// - the real ovn-controller's flows (fixtures/text) installed in one atomic bundle read back through
//   `ovs-ofctl dump-flows` exactly as our printer writes them, and through our own flow stats;
// - a Geneve option mapped with NXT_TLV_TABLE_MOD shows in `ovs-ofctl dump-tlv-map`;
// - packet_out puts a frame on a port; a paused controller action reaches us as NXT_PACKET_IN2 and
//   NXT_RESUME sends the packet on its way;
// - errors come back as OfError with the switch's error name.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import {
  injectPacket,
  ofctl,
  readPcapFile,
  type Sandbox,
  startDbServer,
  startVswitchd,
  type Vswitchd,
  vsctl,
  waitForPackets,
  withSandbox,
} from "../../../test/support/sandbox.js";
import { fromHex, toHex } from "../bytes.js";
import { bridgeMgmtPath, OfConnection, OfError } from "../conn.js";
import type { OfMessage, OfMessageBody } from "../messages.js";
import type { FlowMod } from "../model.js";
import { flowTextToFlowMod, formatFlow, formatMatch, parseFlow } from "../text.js";

const FIX = fileURLToPath(new URL("../../../../src/openflow/fixtures/text/", import.meta.url));

async function startBridge(sb: Sandbox): Promise<Vswitchd> {
  const db = await startDbServer(sb, { impl: "c", name: "ovs", schemas: ["vswitch"] });
  const vs = await startVswitchd(sb, { dbSock: db.sock, dummy: "override" });
  const port = (name: string, ofport: number): string[] => [
    "--",
    "add-port",
    "br-int",
    name,
    "--",
    "set",
    "Interface",
    name,
    "type=dummy",
    `ofport_request=${ofport}`,
    `options:tx_pcap=${sb.path(`${name}.pcap`)}`,
  ];
  await vsctl(
    sb,
    "add-br",
    "br-int",
    "--",
    "set",
    "bridge",
    "br-int",
    "fail-mode=secure",
    ...port("p1", 1),
    ...port("p2", 2),
  );
  return vs;
}

const dumpFlows = async (sb: Sandbox): Promise<string[]> =>
  (await ofctl(sb, "-O", "OpenFlow15", "--no-stats", "dump-flows", "br-int"))
    .split("\n")
    .filter((l) => l.startsWith(" "))
    .sort();

test("a bundle of the real ovn-controller's flows reads back identically", () =>
  withSandbox(async (sb) => {
    await startBridge(sb);
    const conn = await OfConnection.connect(bridgeMgmtPath(sb.dir, "br-int"), {
      wire: { tlvLengths: new Map([[0, 4]]) },
    });
    try {
      // ovn-controller maps the Geneve option it uses to tun_metadata0 before any flow mentions it.
      await conn.transact([
        {
          kind: "tlv_table_mod",
          command: "add",
          mappings: [{ optClass: 0x102, optType: 0x80, optLen: 4, index: 0 }],
        },
      ]);
      const flows: FlowMod[] = [];
      const seen = new Set<string>();
      const groups = new Set<number>();
      const meters = new Set<number>();
      for (const l of readFileSync(`${FIX}ovn-controller-dump-flows.txt`, "utf8").split("\n")) {
        if (l === "") continue;
        const p = parseFlow(l);
        assert.ok(p.ok, l);
        // Lines from different scenarios may share table, priority and match: keep the first.
        const key = `${p.flow.table}/${formatMatch(p.flow.match, p.flow.priority)}`;
        if (seen.has(key)) continue;
        seen.add(key);
        flows.push(flowTextToFlowMod(p.flow));
        for (const m of l.matchAll(/group:(\d+)/g)) groups.add(Number(m[1]));
        for (const m of l.matchAll(/meter(?:_id=|:)(\d+)/g)) meters.add(Number(m[1]));
      }
      await conn.transact([
        ...[...groups].map(
          (g): OfMessageBody => ({
            kind: "group_mod",
            groupMod: { command: "add", type: "all", groupId: g, buckets: [] },
          }),
        ),
        ...[...meters].map(
          (m): OfMessageBody => ({
            kind: "meter_mod",
            meterMod: {
              command: "add",
              meterId: m,
              flags: { pktps: true },
              bands: [{ type: "drop", rate: 100, burstSize: 0 }],
            },
          }),
        ),
      ]);
      await conn.bundle(flows.map((flowMod) => ({ kind: "flow_mod", flowMod })));
      const want = flows.map((f) => formatFlow(f)).sort();
      assert.ok(want.length > 300);
      assert.deepEqual(await dumpFlows(sb), want);
      // The same flows through our own flow stats request.
      const parts = await conn.multipart({
        kind: "flow_stats_request",
        tableId: 0xff,
        outPort: 0xffff,
        outGroup: 0xffffffff,
        cookie: 0n,
        cookieMask: 0n,
        match: [],
      });
      const ours = parts
        .flatMap((p) => (p.kind === "flow_stats_reply" ? p.flows : []))
        .map((f) => formatFlow({ ...f, table: f.tableId }));
      assert.deepEqual(ours.sort(), want);

      // An atomic bundle with one bad flow changes nothing and names the bad flow's error.
      const bad = parseFlow("table=1,priority=1,actions=group:4242");
      const good = parseFlow("table=1,priority=2,actions=drop");
      assert.ok(bad.ok && good.ok);
      await assert.rejects(
        conn.bundle([
          { kind: "flow_mod", flowMod: flowTextToFlowMod(good.flow) },
          { kind: "flow_mod", flowMod: flowTextToFlowMod(bad.flow) },
        ]),
        (e: unknown) => e instanceof OfError && e.reply.name === "OFPBAC_BAD_OUT_GROUP",
      );
      assert.deepEqual(await dumpFlows(sb), want);
    } finally {
      conn.close();
    }
  }));

test("TLV map, echo, features, packet_out, packet-in2 and resume", () =>
  withSandbox(async (sb) => {
    const vs = await startBridge(sb);
    const async: OfMessage[] = [];
    const conn = await OfConnection.connect(`unix:${bridgeMgmtPath(sb.dir, "br-int")}`, {
      onMessage: (m) => async.push(m),
    });
    try {
      await conn.transact([
        {
          kind: "tlv_table_mod",
          command: "add",
          mappings: [{ optClass: 0x102, optType: 0x80, optLen: 4, index: 0 }],
        },
      ]);
      assert.match(
        await ofctl(sb, "-O", "OpenFlow15", "dump-tlv-map", "br-int"),
        /0x102\s+0x80\s+4\s+tun_metadata0/,
      );
      const tlv = await conn.request({ kind: "tlv_table_request" });
      assert.ok(tlv.kind === "tlv_table_reply");
      assert.deepEqual(tlv.mappings, [{ optClass: 0x102, optType: 0x80, optLen: 4, index: 0 }]);

      const echo = await conn.request({ kind: "echo_request", data: Uint8Array.of(1, 2, 3) });
      assert.ok(echo.kind === "echo_reply");
      assert.deepEqual([...echo.data], [1, 2, 3]);
      const features = await conn.request({ kind: "features_request" });
      assert.ok(features.kind === "features_reply" && features.nTables === 254);

      // packet_out: a UDP frame from "controller" out of p2.
      const frame =
        "000000000002000000000001080045000020000100004011f8c80a0000010a0000020035003500080000deadbeef";
      const frameBytes = fromHex(frame) ?? new Uint8Array();
      await conn.transact([
        {
          kind: "packet_out",
          bufferId: 0xffffffff,
          match: [{ field: "in_port", value: 0xfffdn }],
          actions: [{ kind: "output", port: 2 }],
          data: frameBytes,
        },
      ]);
      const sent = await waitForPackets(sb.path("p2.pcap"), 1);
      assert.equal(toHex(sent[0]?.data ?? new Uint8Array()), frame);

      // A paused controller action: packet-in2 with userdata and a continuation; resume → out of p2.
      // A management-socket connection gets no packet-ins until it asks (as ovs-ofctl monitor does).
      conn.send({ kind: "set_config", flags: 0, missSendLen: 0xffff });
      conn.send({ kind: "set_packet_in_format", format: "nxt_packet_in2" });
      const flow = parseFlow(
        "table=0,priority=10,in_port=1,udp,actions=set_field:0x5->reg0,controller(userdata=00.00.00.01.02,pause),output:2",
      );
      assert.ok(flow.ok);
      await conn.transact([{ kind: "flow_mod", flowMod: flowTextToFlowMod(flow.flow) }]);
      await injectPacket(vs, "p1", frame);
      const deadline = Date.now() + 5000;
      while (!async.some((m) => m.kind === "packet_in2") && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      const pin = async.find((m) => m.kind === "packet_in2");
      assert.ok(pin !== undefined && pin.kind === "packet_in2", "no packet-in2");
      assert.equal(toHex(pin.packet), frame);
      assert.deepEqual([...(pin.userdata ?? [])], [0, 0, 0, 1, 2]);
      assert.equal(formatMatch(pin.metadata ?? []), "reg0=0x5,in_port=1");
      assert.ok(pin.continuation !== undefined);
      assert.equal(readPcapFile(sb.path("p2.pcap")).length, 1, "paused: nothing sent yet");
      const { userdata: _u, kind: _k, xid: _x, ...rest } = pin;
      await conn.transact([{ ...rest, kind: "resume" }]);
      const after = await waitForPackets(sb.path("p2.pcap"), 2);
      assert.equal(toHex(after[1]?.data ?? new Uint8Array()), frame);

      // ct_flush_zone is accepted; a bad request fails with the switch's error name.
      await conn.transact([{ kind: "ct_flush_zone", zone: 5 }]);
      await assert.rejects(
        conn.transact([
          {
            kind: "flow_mod",
            flowMod: {
              command: "add",
              table: 0,
              priority: 1,
              cookie: 0n,
              match: [],
              actions: [{ kind: "meter", id: 77 }],
            },
          },
        ]),
        (e: unknown) => e instanceof OfError && e.reply.name === "OFPMMFC_INVALID_METER",
      );
    } finally {
      conn.close();
    }
  }));
