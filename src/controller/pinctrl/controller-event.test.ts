// trigger_event's userdata as ovn-controller 23.03 installs it for a load balancer with no backends
// (NB_Global options:controller_event=true, lb0 = 10.0.0.200:80 tcp; `ovs-ofctl dump-flows br-int`),
// and the row it asks for.
import assert from "node:assert/strict";
import { test } from "node:test";
import { fromHex } from "../../packet/bytes.js";
import { handlePacketIn } from "./handle.js";
import { EMPTY_STATE } from "./types.js";
import { decodeUserdata } from "./userdata.js";

const EMPTY_LB =
  "00.00.00.0f.00.00.00.00.00.00.00.00.00.01.00.0d.31.30.2e.30.2e.30.2e.32.30.30.3a.38.30.00.02.00.03.74.63.70" +
  ".00.03.00.24.32.34.64.32.39.38.32.36.2d.64.33.39.32.2d.34.35.36.33.2d.38.62.65.66.2d.62.61.34.31.31.38.34" +
  ".66.61.30.61.35";

test("trigger_event empty_lb_backends: vip, protocol and load balancer into a Controller_Event write", () => {
  const a = decodeUserdata(fromHex(EMPTY_LB) ?? new Uint8Array());
  assert.ok(a.ok && a.value.kind === "event");
  const r = handlePacketIn(
    { packet: new Uint8Array(60), action: a.value, md: { datapath: 1, inport: 1, outport: 0, regs: [] } },
    { state: EMPTY_STATE, nowMs: 0 },
  );
  assert.equal(r.counter, "event-empty_lb_backends");
  assert.deepEqual(r.effects, [
    {
      kind: "sb-write",
      write: {
        table: "Controller_Event",
        eventType: "empty_lb_backends",
        info: new Map([
          ["vip", "10.0.0.200:80"],
          ["protocol", "tcp"],
          ["load_balancer", "24d29826-d392-4563-8bef-ba41184fa0a5"],
        ]),
      },
    },
  ]);
  // A cut field or another event type is dropped, not thrown.
  assert.equal(decodeUserdata((fromHex(EMPTY_LB) ?? new Uint8Array()).subarray(0, 20)).ok, false);
  const other = handlePacketIn(
    {
      packet: new Uint8Array(60),
      action: { kind: "event", eventType: 9, fields: [] },
      md: { datapath: 1, inport: 1, outport: 0, regs: [] },
    },
    { state: EMPTY_STATE, nowMs: 0 },
  );
  assert.equal(other.counter, "drop-event-type-9");
});
