// Our encoder against Open vSwitch's own decoder: `ovs-ofctl ofp-print HEX` of what we encode must say
// what our printer says (every real ovn-controller flow and group in fixtures/text), and the other
// messages must decode to the values we put in.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { requireTools } from "../../../test/support/sandbox.js";
import { toHex } from "../bytes.js";
import type { OfMessage } from "../messages.js";
import { encodeMessage } from "../msg-codec.js";
import {
  flowTextToFlowMod,
  formatActions,
  formatGroup,
  formatMatch,
  parseFlow,
  parseGroup,
} from "../text.js";

const run = promisify(execFile);
const FIX = fileURLToPath(new URL("../../../../src/openflow/fixtures/text/", import.meta.url));

async function ofpPrint(m: OfMessage): Promise<string> {
  const { stdout } = await run("ovs-ofctl", ["ofp-print", toHex(encodeMessage(m))]);
  return stdout;
}

/** Runs `fn` over items with a few ovs-ofctl processes at a time. */
async function pool<T>(items: readonly T[], fn: (t: T) => Promise<void>, width = 8): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        const item = items[i];
        if (item !== undefined) await fn(item);
      }
    }),
  );
}

test("ovs-ofctl decodes our flow_mods of the real ovn-controller flows as we print them", async () => {
  requireTools("ovs-ofctl");
  const lines = readFileSync(`${FIX}ovn-controller-dump-flows.txt`, "utf8")
    .split("\n")
    .filter((l) => l !== "");
  await pool(lines, async (l) => {
    const p = parseFlow(l);
    assert.ok(p.ok, l);
    const out = await ofpPrint({ kind: "flow_mod", xid: 1, flowMod: flowTextToFlowMod(p.flow) });
    const m = /: ADD (?:table:\d+ )?(.*)$/m.exec(out);
    assert.ok(m !== null, out);
    // ofp-print puts cookie/timeouts/importance between match and actions; drop them.
    const theirs = (m[1] ?? "").replace(/ (cookie|idle|hard|importance):\S+/g, "").trim();
    const match = formatMatch(p.flow.match, p.flow.priority);
    assert.equal(theirs, `${match === "" ? "" : `${match} `}actions=${formatActions(p.flow.actions)}`, l);
  });
});

test("ovs-ofctl decodes our group_mods of the real ovn-controller groups as we print them", async () => {
  requireTools("ovs-ofctl");
  const lines = readFileSync(`${FIX}ovn-controller-dump-groups.txt`, "utf8")
    .split("\n")
    .filter((l) => l !== "");
  await pool(lines, async (l) => {
    const p = parseGroup(l);
    assert.ok(p.ok, l);
    const out = await ofpPrint({ kind: "group_mod", xid: 1, groupMod: { command: "add", ...p.group } });
    assert.equal(
      out
        .split("\n")
        .slice(1)
        .join("")
        .replace(/^\s*ADD /, " "),
      formatGroup(p.group),
    );
  });
});

test("ovs-ofctl decodes our other messages to the values we encoded", async () => {
  requireTools("ovs-ofctl");
  const cases: Array<[OfMessage, RegExp]> = [
    [{ kind: "hello", xid: 1, versions: [6] }, /OFPT_HELLO \(OF1\.5\).*\n version bitmap: 0x06/],
    [
      { kind: "set_packet_in_format", xid: 2, format: "nxt_packet_in2" },
      /NXT_SET_PACKET_IN_FORMAT.*format=nxt_packet_in2/,
    ],
    [{ kind: "set_controller_id", xid: 3, controllerId: 5 }, /NXT_SET_CONTROLLER_ID.*id=5/],
    [{ kind: "ct_flush_zone", xid: 4, zone: 7 }, /NXT_CT_FLUSH_ZONE.*zone_id=7/],
    [
      {
        kind: "tlv_table_mod",
        xid: 5,
        command: "add",
        mappings: [{ optClass: 0x102, optType: 0x80, optLen: 4, index: 0 }],
      },
      /NXT_TLV_TABLE_MOD[\s\S]*ADD mapping table:[\s\S]*0x102\s+0x80\s+4\s+tun_metadata0/,
    ],
    [
      { kind: "bundle_control", xid: 6, bundleId: 3, type: "open_request", atomic: true, ordered: true },
      /bundle_id=0x3 type=OPEN_REQUEST flags=atomic ordered/,
    ],
    [
      {
        kind: "meter_mod",
        xid: 7,
        meterMod: {
          command: "add",
          meterId: 3,
          flags: { kbps: true, burst: true },
          bands: [{ type: "drop", rate: 1000, burstSize: 100 }],
        },
      },
      /ADD meter=3 kbps burst bands=\s*type=drop rate=1000 burst_size=100/,
    ],
    [
      {
        kind: "packet_out",
        xid: 8,
        bufferId: 0xffffffff,
        match: [{ field: "in_port", value: 0xfffdn }],
        actions: [{ kind: "output", port: 2 }],
        data: new Uint8Array(14),
      },
      /OFPT_PACKET_OUT.*in_port=CONTROLLER actions=output:2 data_len=14/,
    ],
    [
      {
        kind: "resume",
        xid: 9,
        packet: new Uint8Array(14),
        metadata: [
          { field: "in_port", value: 1n },
          { field: "reg0", value: 5n },
        ],
        continuation: new Uint8Array(4),
      },
      /NXT_RESUME.*total_len=14 reg0=0x5,in_port=1/,
    ],
    [
      { kind: "set_config", xid: 10, flags: 0, missSendLen: 0xffff },
      /OFPT_SET_CONFIG.*frags=normal miss_send_len=65535/,
    ],
  ];
  for (const [m, want] of cases) assert.match(await ofpPrint(m), want, m.kind);
});
