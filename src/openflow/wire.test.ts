// The wire codec against real traffic (fixtures/wire, see its README):
// - every captured message decodes and re-encodes to the same bytes;
// - flows written as text encode to exactly the bytes ovs-ofctl sent for them;
// - the decoded dump-flows reply prints as ovs-ofctl printed it;
// - decoded messages carry the values ovs-ofctl showed (packet-in2, TLV map, groups, meters, errors).

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { fromHex, toHex } from "./bytes.js";
import { canonicalFlowMod } from "./canonical.js";
import type { OfMessage } from "./messages.js";
import { type FlowMod, load, resubmit, subfield } from "./model.js";
import { decodeMessage, encodeMessage, splitMessages } from "./msg-codec.js";
import type { WireContext } from "./oxm.js";
import {
  flowTextToFlowMod,
  formatFlow,
  formatGroup,
  formatMatch,
  formatMeter,
  meterTextToMeterMod,
  parseFlow,
  parseMeter,
} from "./text.js";

const DIR = fileURLToPath(new URL("../../../src/openflow/fixtures/", import.meta.url));
const SWITCH_CTX: WireContext = {
  tlvLengths: new Map([
    [0, 4],
    [1, 8],
  ]),
};

interface Captured {
  dir: "c2s" | "s2c";
  bytes: Uint8Array;
}

function capture(name: string): Captured[] {
  return readFileSync(`${DIR}wire/${name}.txt`, "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => {
      const [dir, hex] = l.split(" ");
      const bytes = fromHex(hex ?? "");
      assert.ok(bytes !== undefined && (dir === "c2s" || dir === "s2c"), l);
      return { dir, bytes };
    });
}

/** ovs-ofctl does not know the switch's TLV map; ovn-controller does (tun_metadata0 is 4 bytes). */
const OVN_CTX: WireContext = { tlvLengths: new Map([[0, 4]]) };
const ctxFor = (file: string, c: Captured): WireContext =>
  file === "session-ovn-controller" ? OVN_CTX : c.dir === "s2c" ? SWITCH_CTX : {};

function decode(c: Captured): OfMessage {
  return decodeFrom("", c);
}

function decodeFrom(file: string, c: Captured): OfMessage {
  const d = decodeMessage(c.bytes, ctxFor(file, c));
  assert.ok(d.ok, d.ok ? "" : `${d.error}: ${toHex(c.bytes).slice(0, 80)}`);
  return d.message;
}

test("every captured message decodes and re-encodes byte for byte", () => {
  let n = 0;
  for (const f of readdirSync(`${DIR}wire`)) {
    const name = f.replace(/\.txt$/, "");
    for (const c of capture(name)) {
      const m = decodeFrom(name, c);
      assert.notEqual(m.kind, "unknown", `${f}: ${toHex(c.bytes).slice(0, 40)}`);
      assert.equal(toHex(encodeMessage(m, ctxFor(name, c))), toHex(c.bytes), `${f} ${m.kind}`);
      n++;
    }
  }
  assert.ok(n > 150, `only ${n} messages`);
});

test("flows written as text encode to the bytes ovs-ofctl sent", () => {
  const flows = readFileSync(`${DIR}text/add-flows.txt`, "utf8")
    .split("\n")
    .filter((l) => l !== "");
  const adds = capture("flow-mod-bundle")
    .filter((c) => c.dir === "c2s")
    .map(decode)
    .filter((m) => m.kind === "bundle_add");
  assert.equal(adds.length, flows.length);
  flows.forEach((line, i) => {
    const p = parseFlow(line);
    assert.ok(p.ok, line);
    const sent = adds[i];
    assert.ok(sent !== undefined && sent.kind === "bundle_add");
    const ours = encodeMessage({
      kind: "flow_mod",
      xid: sent.message.xid,
      flowMod: flowTextToFlowMod(p.flow),
    });
    assert.equal(toHex(ours), toHex(encodeMessage(sent.message)), line);
  });
});

test("bundle: open, adds and commit carry atomic+ordered", () => {
  const ms = capture("flow-mod-bundle").map(decode);
  const controls = ms.filter((m) => m.kind === "bundle_control");
  assert.deepEqual(
    controls.map((m) => (m.kind === "bundle_control" ? `${m.type}:${m.atomic}:${m.ordered}` : "")),
    [
      "open_request:true:true",
      "open_reply:false:false",
      "commit_request:true:true",
      "commit_reply:false:false",
    ],
  );
});

test("the decoded dump-flows reply prints as ovs-ofctl printed it", () => {
  const reply = capture("dump-flows")
    .filter((c) => c.dir === "s2c")
    .map(decode)
    .find((m) => m.kind === "flow_stats_reply");
  assert.ok(reply !== undefined && reply.kind === "flow_stats_reply");
  const printed = reply.flows.map((f) =>
    formatFlow({
      table: f.tableId,
      priority: f.priority,
      cookie: f.cookie,
      match: f.match,
      actions: f.actions,
    }),
  );
  const want = readFileSync(`${DIR}text/add-flows.dump.txt`, "utf8")
    .split("\n")
    .filter((l) => l !== "");
  assert.deepEqual([...printed].sort(), [...want].sort());
  for (const f of reply.flows) assert.equal(f.packetCount, 0n);
});

test("dump-groups reply decodes to what ovs-ofctl printed", () => {
  const reply = capture("dump-groups")
    .filter((c) => c.dir === "s2c")
    .map(decode)
    .find((m) => m.kind === "group_desc_reply");
  assert.ok(reply !== undefined && reply.kind === "group_desc_reply");
  const want = readFileSync(`${DIR}text/add-groups.dump.txt`, "utf8")
    .split("\n")
    .filter((l) => l !== "");
  assert.deepEqual(reply.groups.map(formatGroup), want);
});

test("packet-in2 with continuation, and the resume that answers it", () => {
  const ms = capture("session-monitor").map(decode);
  const pin = ms.find((m) => m.kind === "packet_in2");
  assert.ok(pin !== undefined && pin.kind === "packet_in2");
  assert.equal(pin.packet.length, 42);
  assert.equal(pin.reason, "action");
  assert.equal(pin.tableId, 0);
  assert.deepEqual([...(pin.userdata ?? [])], [0, 0, 0, 1, 2]);
  assert.equal(formatMatch(pin.metadata ?? []), "reg0=0x5,in_port=3");
  assert.ok(pin.continuation !== undefined && pin.continuation.length > 0);
  const resume = ms.find((m) => m.kind === "resume");
  assert.ok(resume !== undefined && resume.kind === "resume");
  assert.deepEqual(resume.continuation, pin.continuation);
  assert.equal(resume.userdata, undefined);
  // Building the resume from the packet-in as a controller would gives ovs-ofctl's bytes.
  const { userdata: _u, kind: _k, ...rest } = pin;
  const ours = encodeMessage({ ...rest, kind: "resume", xid: resume.xid });
  assert.equal(toHex(ours), toHex(encodeMessage(resume)));
  const status = ms.filter((m) => m.kind === "port_status");
  assert.deepEqual(
    status.map((m) =>
      m.kind === "port_status" ? `${m.reason} ${m.desc.portNo} ${m.desc.name} ${m.desc.state}` : "",
    ),
    ["add 4 p2 0", "modify 4 p2 4"],
  );
  const fmt = ms.find((m) => m.kind === "set_packet_in_format");
  assert.ok(fmt !== undefined && fmt.kind === "set_packet_in_format" && fmt.format === "nxt_packet_in2");
});

test("TLV map, meters, packet-out and ct flush decode to their values", () => {
  const tlv = capture("tlv-table-dump")
    .map(decode)
    .find((m) => m.kind === "tlv_table_reply");
  assert.ok(tlv !== undefined && tlv.kind === "tlv_table_reply");
  assert.equal(tlv.maxOptionSpace, 256);
  assert.deepEqual(tlv.mappings, [
    { optClass: 0x102, optType: 0x80, optLen: 4, index: 0 },
    { optClass: 0xffff, optType: 1, optLen: 8, index: 1 },
  ]);
  const meter = capture("meter-mod")
    .map(decode)
    .find((m) => m.kind === "meter_mod");
  assert.ok(meter !== undefined && meter.kind === "meter_mod");
  assert.deepEqual(meter.meterMod, {
    command: "add",
    meterId: 1,
    flags: { pktps: true, burst: true, stats: true },
    bands: [{ type: "drop", rate: 100, burstSize: 50 }],
  });
  const po = capture("packet-out")
    .map(decode)
    .find((m) => m.kind === "packet_out");
  assert.ok(po !== undefined && po.kind === "packet_out");
  assert.equal(formatMatch(po.match), "in_port=LOCAL");
  assert.deepEqual(po.actions, [{ kind: "output", port: 3 }]);
  assert.equal(po.data.length, 34);
  const flush = capture("ct-flush-zone")
    .map(decode)
    .find((m) => m.kind === "ct_flush_zone");
  assert.ok(flush !== undefined && flush.kind === "ct_flush_zone" && flush.zone === 5);
});

test("errors decode to ovs-ofctl's names", () => {
  const cases: Array<[string, string]> = [
    ["0601000c0000000100020004", "OFPBAC_BAD_OUT_PORT"],
    ["0601000c00000001000c0002", "OFPMMFC_INVALID_METER"],
    ["06010010000000ffffff002500002320", "NXFMFC_INVALID_TLV_FIELD"],
    ["0601000c0000000100010003", "OFPBRC_BAD_VENDOR"],
  ];
  for (const [hex, name] of cases) {
    const d = decodeMessage(fromHex(hex) ?? new Uint8Array());
    assert.ok(d.ok && d.message.kind === "error", hex);
    if (d.ok && d.message.kind === "error") assert.equal(d.message.name, name);
  }
});

test("bad bytes give typed errors with the request's xid", () => {
  const cases: Array<[string, string]> = [
    ["0600", "OFPBRC_BAD_LEN"],
    ["06000010000000070001", "OFPBRC_BAD_LEN"],
    ["060e0010000000090000000000000000", "OFPBRC_BAD_LEN"],
    ["06040010000000030000232000000063", "OFPBRC_BAD_SUBTYPE"],
    ["0612001000000004007f000000000000", "OFPBRC_BAD_STAT"],
  ];
  for (const [hex, code] of cases) {
    const d = decodeMessage(fromHex(hex) ?? new Uint8Array());
    assert.equal(d.ok, false, hex);
    if (!d.ok) assert.equal(d.code, code, `${hex}: ${d.error}`);
  }
  const d = decodeMessage(fromHex("060e0010000000090000000000000000") ?? new Uint8Array());
  assert.ok(!d.ok && d.xid === 9);
});

test("splitMessages cuts a stream at message boundaries", () => {
  const a = fromHex("0602000800000001") ?? new Uint8Array();
  const b = fromHex("060300090000000201") ?? new Uint8Array();
  const stream = new Uint8Array([...a, ...b, 6, 2]);
  const r = splitMessages(stream);
  assert.equal(r.messages.length, 2);
  assert.deepEqual([...r.rest], [6, 2]);
  assert.ok(splitMessages(fromHex("0602000400000001") ?? new Uint8Array()).error !== undefined);
});

test("a FlowMod with every OVN action kind survives encode/decode", () => {
  const line =
    "table=8,priority=50,cookie=0x5,reg14=0x1,metadata=0x1,actions=" +
    "set_field:0x1/0x1->reg10,move:NXM_NX_REG14[]->NXM_NX_REG15[],push:NXM_NX_REG0[],pop:NXM_NX_REG0[]," +
    "controller(userdata=00.00.00.01,pause,meter_id=3),ct(commit,zone=NXM_NX_REG13[0..15],table=9,nat(src=10.0.0.1-10.0.0.9:100-200,random),exec(set_field:0x2/0x2->ct_mark))," +
    "ct_clear,group:3,dec_ttl(),check_pkt_larger(1500)->NXM_NX_REG0[6],clone(resubmit(,20)),note:01.02.03.04.05.06," +
    "learn(table=69,delete_learned,cookie=0x1,OXM_OF_METADATA[],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:0x1->NXM_NX_REG10[7])," +
    "meter:2,output:3,resubmit(,9)";
  const p = parseFlow(line);
  assert.ok(p.ok, p.ok ? "" : p.error);
  const fm = flowTextToFlowMod(p.flow);
  const d = decodeMessage(encodeMessage({ kind: "flow_mod", xid: 1, flowMod: fm }));
  assert.ok(d.ok && d.message.kind === "flow_mod");
  if (d.ok && d.message.kind === "flow_mod") {
    const back = d.message.flowMod;
    assert.equal(formatFlow(back), formatFlow(fm));
  }
});

test("canonicalFlowMod gives the switch's view: load → set_field, xreg → regs, strip_vlan → pop_vlan", () => {
  const fm: FlowMod = {
    command: "add",
    table: 1,
    priority: 10,
    cookie: 0n,
    match: [
      { field: "xreg7", value: 0x1_00000000n, mask: 0xffffffff_00000000n },
      { field: "eth_type", value: 0x800n },
    ],
    actions: [load(subfield("reg10", 7, 1), 1n), { kind: "strip_vlan" }, resubmit(2)],
  };
  const c = canonicalFlowMod(fm);
  assert.deepEqual(c.match, [
    { field: "reg14", value: 1n },
    { field: "eth_type", value: 0x800n },
  ]);
  assert.deepEqual(c.actions, [
    { kind: "set_field", field: "reg10", value: 0x80n, mask: 0x80n },
    { kind: "pop_vlan" },
    resubmit(2),
  ]);
  assert.equal(formatFlow(c), formatFlow(fm));
  assert.deepEqual(canonicalFlowMod(c), c);
});

test("dump-meters reply decodes and prints as ovs-ofctl printed it", () => {
  const reply = capture("dump-meters")
    .filter((c) => c.dir === "s2c")
    .map(decode)
    .find((m) => m.kind === "meter_config_reply");
  assert.ok(reply !== undefined && reply.kind === "meter_config_reply");
  assert.equal(
    reply.meters.map(formatMeter).join("\n\n"),
    "meter=1 pktps burst stats bands=\ntype=drop rate=100 burst_size=50\n\nmeter=2 kbps bands=\ntype=drop rate=1000",
  );
  // add-meter syntax → the meter_mod ovs-ofctl sent.
  const p = parseMeter("meter=1,pktps,burst,stats,band=type=drop,rate=100,burst_size=50");
  assert.ok(p.ok);
  const sent = capture("meter-mod")
    .map(decode)
    .find((m) => m.kind === "meter_mod");
  assert.ok(sent !== undefined && sent.kind === "meter_mod");
  assert.equal(
    toHex(encodeMessage({ kind: "meter_mod", xid: sent.xid, meterMod: meterTextToMeterMod(p.meter) })),
    toHex(encodeMessage(sent)),
  );
  const again = parseMeter(formatMeter(p.meter));
  assert.ok(again.ok);
  assert.deepEqual(again.meter, p.meter);
});

test("the real ovn-controller's session: its flow and group mods print as the switch dumped them", () => {
  const flows = new Map<string, FlowMod>();
  const groups: string[] = [];
  const kinds = new Set<string>();
  for (const c of capture("session-ovn-controller").filter((x) => x.dir === "c2s")) {
    let m: OfMessage = decodeFrom("session-ovn-controller", c);
    kinds.add(m.kind);
    if (m.kind === "bundle_add") m = m.message;
    if (m.kind === "group_mod" && m.groupMod.command === "add") groups.push(formatGroup(m.groupMod));
    if (m.kind !== "flow_mod") continue;
    const fm = m.flowMod;
    const key = `${fm.table}/${formatMatch(fm.match, fm.priority)}`;
    if (fm.command === "add") flows.set(key, fm);
    else if (fm.command === "delete" && fm.table === 0xff && fm.match.length === 0) flows.clear();
    else assert.fail(`unexpected ${fm.command} in the capture`);
  }
  for (const k of [
    "tlv_table_request",
    "tlv_table_mod",
    "set_packet_in_format",
    "bundle_control",
    "bundle_add",
    "ct_flush_zone",
    "meter_mod",
    "resume",
  ]) {
    assert.ok(kinds.has(k), `no ${k} from ovn-controller`);
  }
  const want = readFileSync(`${DIR}text/session-ovn-controller.dump-flows.txt`, "utf8")
    .split("\n")
    .filter((l) => l !== "");
  assert.equal(flows.size, want.length);
  assert.deepEqual([...flows.values()].map((f) => formatFlow(f)).sort(), want);
  const wantGroups = readFileSync(`${DIR}text/session-ovn-controller.dump-groups.txt`, "utf8")
    .split("\n")
    .filter((l) => l !== "");
  assert.deepEqual(groups, wantGroups);
});
