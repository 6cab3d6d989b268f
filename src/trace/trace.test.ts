// Unit tests of the tracer's pieces: Southbound rows to records, the one-shot fetch, microflow
// solving, bit-level packet state, and the JSON form.

import assert from "node:assert/strict";
import { test } from "node:test";
import { DEFAULT_CONTEXT } from "../expr/parser.js";
import { fetchTraceDb } from "./fetch.js";
import { FIXTURE_TABLES } from "./fixture.js";
import { formatJson } from "./format.js";
import { DbIndex } from "./index-db.js";
import { formatCtState, trace } from "./interp.js";
import { parseMicroflow } from "./microflow.js";
import { TRACE_TABLES, traceDbFromTables } from "./sb.js";
import { PacketState, spec } from "./state.js";

test("Southbound rows become records; datapath groups expand to their members", () => {
  const db = traceDbFromTables({
    ...FIXTURE_TABLES,
    Logical_DP_Group: {
      g1: {
        datapaths: [
          "set",
          [
            ["uuid", "dp-a"],
            ["uuid", "dp-b"],
          ],
        ],
      },
    },
    Logical_Flow: {
      f1: {
        logical_dp_group: ["uuid", "g1"],
        logical_datapath: ["set", []],
        pipeline: "egress",
        table_id: 3,
        priority: 7,
        match: "1",
        actions: "next;",
        external_ids: ["map", []],
      },
    },
  });
  assert.deepEqual(db.flows, [
    {
      uuid: "f1",
      pipeline: "egress",
      table: 3,
      priority: 7,
      match: "1",
      actions: "next;",
      datapaths: ["dp-a", "dp-b"],
      stageName: "",
      source: "",
    },
  ]);
  const sw0 = db.datapaths.find((d) => d.name === "sw0");
  assert.equal(sw0?.isRouter, false);
  assert.equal(db.datapaths.find((d) => d.name === "lr0")?.isRouter, true);
  assert.deepEqual(db.mcGroups[0]?.ports, ["lsp2", "lsp1"]);
  assert.equal(db.ports.find((p) => p.logicalPort === "sw0-lr0")?.options.peer, "lrp0");
});

test("the one-shot fetch selects every table in one transact", async () => {
  const calls: unknown[][] = [];
  const db = await fetchTraceDb(async (method, params) => {
    calls.push([method, ...params]);
    return TRACE_TABLES.map((t) =>
      t === "Datapath_Binding"
        ? { rows: [{ _uuid: ["uuid", "u1"], tunnel_key: 5, external_ids: ["map", [["name", "x"]]] }] }
        : { rows: [] },
    );
  });
  assert.equal(calls.length, 1);
  assert.equal(calls[0]?.[0], "transact");
  assert.equal(calls[0]?.[1], "OVN_Southbound");
  assert.equal(calls[0]?.length, 2 + TRACE_TABLES.length);
  assert.deepEqual(db.datapaths, [{ uuid: "u1", tunnelKey: 5, name: "x", name2: null, isRouter: false }]);
  await assert.rejects(
    fetchTraceDb(async () => TRACE_TABLES.map(() => ({ error: "unknown table", details: "no DNS" }))),
    /select Logical_Flow: unknown table \(no DNS\)/,
  );
});

test("a microflow is solved with its prerequisites", () => {
  const r = parseMicroflow('inport == "p" && tcp.dst == 80 && ip6', DEFAULT_CONTEXT);
  assert.ok(r.ok);
  assert.equal(r.packet.str("inport"), "p");
  assert.equal(r.packet.int("tcp.dst"), 80n);
  assert.equal(r.packet.int("ip.proto"), 6n);
  assert.equal(r.packet.int("eth.type"), 0x86ddn);
  const v4 = parseMicroflow("udp.src == 68", DEFAULT_CONTEXT);
  assert.ok(v4.ok);
  assert.equal(v4.packet.int("eth.type"), 0x800n, "the first alternative of ip4 || ip6");
  assert.deepEqual(parseMicroflow("eth.type == 0x800 && eth.type == 0x806", DEFAULT_CONTEXT), {
    ok: false,
    error: "microflow has no solution",
  });
  const sub = parseMicroflow("reg0[3..4] == 3 && eth.src[40]", DEFAULT_CONTEXT);
  assert.ok(sub.ok);
  assert.equal(sub.packet.int("xxreg0"), 3n << 99n);
  assert.equal(sub.packet.int("eth.src"), 1n << 40n);
});

test("packet state reads and writes subfields in their whole field", () => {
  const p = new PacketState();
  p.write({ symbol: "reg0", lo: 0, hi: 31, width: 32 }, 0x12345678n);
  p.write({ symbol: "reg1", lo: 8, hi: 15, width: 32 }, 0xabn);
  assert.equal(p.int("xxreg0"), (0x12345678n << 96n) | (0xabn << 72n));
  assert.equal(p.read({ symbol: "xreg0", lo: 0, hi: 63, width: 64 }), (0x12345678n << 32n) | (0xabn << 8n));
  p.write(spec("outport"), "lsp9");
  assert.equal(p.read(spec("outport")), "lsp9");
  p.write(spec("flags.loopback"), 1n);
  assert.equal(p.int("flags"), 1n);
  assert.equal(formatCtState(0b100011n), "new|est|trk");
});

test("the JSON form is the trace tree", () => {
  const index = new DbIndex(traceDbFromTables(FIXTURE_TABLES));
  const flow = 'inport == "lsp1" && eth.src == 00:00:00:00:00:01 && eth.dst == 00:00:00:00:00:02';
  const r = trace(index, "sw0", flow);
  assert.ok(r.ok);
  const j = JSON.parse(formatJson(flow, r.nodes)) as {
    microflow: string;
    trace: { kind: string; title: string }[];
  };
  assert.equal(j.microflow, flow);
  assert.equal(j.trace[0]?.title, 'ingress(dp="sw0", inport="lsp1")');
  assert.match(JSON.stringify(j), /"kind":"output","port":"lsp2","type":""/);
});

test("a flow that loops back is cut off", () => {
  const db = traceDbFromTables({
    ...FIXTURE_TABLES,
    Logical_Flow: {
      f1: {
        logical_datapath: ["uuid", "00000001-0000-4000-8000-000000000000"],
        pipeline: "ingress",
        table_id: 0,
        priority: 1,
        match: "1",
        actions: "reg0 = 1; next(pipeline=ingress, table=0);",
        external_ids: ["map", []],
      },
    },
  });
  const r = trace(new DbIndex(db), "sw0", 'inport == "lsp1"');
  assert.ok(r.ok);
  assert.match(JSON.stringify(r.nodes), /too many tables executed/);
});
