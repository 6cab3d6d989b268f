// The OpenFlow 1.5 bytes of actions nested in controller userdata, against bytes the real
// ovn-controller 23.03 put in its flows (copied from `ovs-ofctl dump-flows br-int` in the corpus).

import assert from "node:assert/strict";
import { test } from "node:test";
import type { FlowAction } from "./flow.js";
import { encodeNestedActions, nxmHeader, oxmHeader } from "./wire.js";

const hex = (b: readonly number[]) => b.map((x) => x.toString(16).padStart(2, "0")).join(".");

test("set_field uses the OXM basic class, masked fields carry value and mask", () => {
  const a: FlowAction[] = [
    { kind: "set_field", field: "eth_src", value: 0x000000000001n, mask: null },
    { kind: "set_field", field: "reg10", value: 1n, mask: 1n },
  ];
  assert.equal(
    hex(encodeNestedActions(a)),
    "00.19.00.10.80.00.08.06.00.00.00.00.00.01.00.00.00.19.00.10.00.01.15.08.00.00.00.01.00.00.00.01",
  );
});

test("move is OFPAT_COPY_FIELD; registers use NXM headers", () => {
  const a: FlowAction[] = [
    {
      kind: "move",
      src: { field: "xxreg0", ofs: 64, nBits: 32 },
      dst: { field: "arp_spa", ofs: 0, nBits: 32 },
    },
  ];
  assert.equal(
    hex(encodeNestedActions(a)),
    "00.1c.00.18.00.20.00.40.00.00.00.00.00.01.de.10.80.00.2c.04.00.00.00.00",
  );
});

test("exchange through the stack and resubmit", () => {
  const eth = (field: "eth_src" | "eth_dst") => ({ field, ofs: 0, nBits: 48 });
  const a: FlowAction[] = [
    { kind: "push", src: eth("eth_src") },
    { kind: "pop", dst: eth("eth_src") },
    { kind: "resubmit", table: 37 },
  ];
  assert.equal(
    hex(encodeNestedActions(a)),
    [
      "ff.ff.00.18.00.00.23.20.00.1b.00.00.00.00.04.06.00.30.00.00.00.00.00.00",
      "ff.ff.00.18.00.00.23.20.00.1c.00.00.00.00.04.06.00.30.00.00.00.00.00.00",
      "ff.ff.00.10.00.00.23.20.00.0e.ff.f8.25.00.00.00",
    ].join("."),
  );
});

test("a nested controller action is NXAST_CONTROLLER2 with userdata and pause properties", () => {
  const a: FlowAction[] = [
    {
      kind: "controller",
      userdata: Uint8Array.from([0, 0, 0, 13, 0, 0, 0, 0, 5, 0x78]),
      pause: true,
      meterId: null,
    },
  ];
  assert.equal(
    hex(encodeNestedActions(a)),
    "ff.ff.00.28.00.00.23.20.00.25.00.00.00.00.00.00.00.03.00.0e.00.00.00.0d.00.00.00.00.05.78.00.00.00.04.00.04.00.00.00.00",
  );
});

test("headers: xregs have their own OXM class, NX-only fields fall back to NXM", () => {
  assert.equal(oxmHeader("xreg4", true).toString(16), "80010910");
  assert.equal(oxmHeader("nw_ttl").toString(16), "13a01");
  assert.equal(nxmHeader("reg14").toString(16), "11c04");
  assert.equal(nxmHeader("ip_src").toString(16), "e04");
});

test("actions with no nested encoding are refused", () => {
  assert.throws(() => encodeNestedActions([{ kind: "group", id: 1 }]), /cannot be encoded/);
});
