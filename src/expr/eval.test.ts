// The naive evaluator on hand-written packets, and template expansion's bookkeeping.

import assert from "node:assert/strict";
import { test } from "node:test";
import { annotateExpr } from "./annotate.js";
import { evaluate, type Packet } from "./eval.js";
import { parseExpr } from "./parser.js";
import { expandTemplates } from "./templates.js";

function matches(s: string, p: Packet): boolean {
  const r = parseExpr(s);
  if (!r.ok) throw new Error(r.error);
  return evaluate(annotateExpr(r.value), p);
}

const tcp80: Packet = {
  fields: new Map<string, bigint | string>([
    ["eth.type", 0x800n],
    ["ip.proto", 6n],
    ["ip4.src", 0x0a000001n],
    ["tcp.dst", 80n],
    ["inport", "lp1"],
    ["xxreg0", 5n << 96n],
  ]),
  isChassisResident: (port) => port === "lp1",
};

test("matches follow fields, subfields, predicates and prerequisites", () => {
  assert.equal(matches("tcp.dst == 80", tcp80), true);
  assert.equal(matches("udp.dst == 80", tcp80), false);
  assert.equal(matches("ip4.src == 10.0.0.0/8 && tcp", tcp80), true);
  assert.equal(matches("ip6", tcp80), false);
  assert.equal(matches('inport == {"lp1", "lp2"}', tcp80), true);
  assert.equal(matches("reg0 == 5 && reg1 == 0", tcp80), true);
  assert.equal(matches("reg0[0..3] > 4 && reg0[2]", tcp80), true);
  assert.equal(matches("!(tcp.dst == 80)", tcp80), false);
  // A field absent from the packet reads as zero.
  assert.equal(matches("eth.dst == 00:00:00:00:00:00", tcp80), true);
  assert.equal(matches('is_chassis_resident("lp1") && !is_chassis_resident("lp2")', tcp80), true);
});

test("template expansion reports the variables used", () => {
  const r = expandTemplates("ip4.dst == ^vip && tcp.dst == ^port", new Map([["vip", "10.0.0.1"]]));
  // As in OVN, the space before a reference goes with it.
  assert.equal(r.text, "ip4.dst ==10.0.0.1 && tcp.dst ==port");
  assert.deepEqual([...r.used].sort(), ["port", "vip"]);
});
