// pinctrl's RARP activation (activation-strategy=rarp) from the packet-in to the Southbound write.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { MatchField, PacketIn2 } from "../../openflow/index.js";
import { fromHex } from "../../packet/bytes.js";
import { capture } from "../../packet/fixtures/captures.js";
import { handlePacketIn } from "../pinctrl/handle.js";
import { EMPTY_STATE } from "../pinctrl/types.js";
import { packetInFromMessage } from "./packet-in.js";
import { planSbWrites } from "./sb-writes.js";

const hex = (s: string): Uint8Array => fromHex(s) ?? new Uint8Array();

/** A packet-in on datapath 1 from port 1. */
function packetIn2(userdata: string, packet: string): PacketIn2 {
  const metadata: MatchField[] = [
    { field: "in_port", value: 3n },
    { field: "metadata", value: 1n },
    { field: "reg14", value: 1n },
  ];
  return {
    kind: "packet_in2",
    packet: hex(capture(packet).hex),
    reason: "action",
    tableId: 0,
    cookie: 0x1234n,
    metadata,
    userdata: hex(userdata),
  };
}

test("RARP activation (activation-strategy=rarp): opcode 26 → this chassis appended to additional-chassis-activated", () => {
  // The userdata of ovn-controller 23.03's physical flow: the bare header of opcode 26.
  const d = packetInFromMessage(packetIn2("00.00.00.1a.00.00.00.00", "req_udp_router"));
  assert.ok(d.ok);
  assert.equal(d.value.action.kind, "activation_strategy_rarp");
  const state = { ...EMPTY_STATE, portNames: new Map([["1:1", "vm1"]]) };
  const r = handlePacketIn(d.value, { state, nowMs: 0 });
  // No packet goes out: the RARP goes on through the pipeline by itself.
  assert.deepEqual(r, {
    counter: "activation_strategy_rarp",
    effects: [{ kind: "sb-write", write: { table: "Port_Binding", logicalPort: "vm1", activated: true } }],
  });
  assert.equal(
    handlePacketIn(d.value, { state: EMPTY_STATE, nowMs: 0 }).counter,
    "drop-activation_strategy_rarp-unknown-port",
  );
  const act = (logicalPort: string) => ({ table: "Port_Binding", logicalPort, activated: true }) as const;
  const ctx = {
    macBindings: [],
    fdbs: [],
    datapathByKey: new Map<number, string>(),
    virtualPorts: [],
    chassis: "ch2-uuid",
    chassisName: "hv2",
    events: [],
    nextEventSeq: 1,
    activations: new Map([
      ["fresh", { uuid: "u1", activated: undefined }],
      ["other", { uuid: "u2", activated: "hv3" }],
      ["done", { uuid: "u3", activated: "hv3,hv2" }],
    ]),
  };
  assert.deepEqual(planSbWrites([act("fresh"), act("other"), act("done"), act("gone"), act("fresh")], ctx), [
    // (in the order of each port's last write)
    { op: "activate-port", uuid: "u2", value: "hv3,hv2" },
    { op: "activate-port", uuid: "u1", value: "hv2" },
  ]);
  // A virtual port's binding and an activation of the same port are separate writes.
  assert.equal(
    planSbWrites([act("fresh"), { table: "Port_Binding", logicalPort: "fresh", virtualParent: "p" }], ctx)
      .length,
    1,
  );
});
