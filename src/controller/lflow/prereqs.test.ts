import assert from "node:assert/strict";
import { test } from "node:test";
import { actionContext } from "../../actions/context.js";
import { printExpr } from "../../expr/printer.js";
import { outerPrereqs, stripNestedBodies } from "./prereqs.js";

test("nested bodies are emptied, other braces and strings kept", () => {
  const cases: [string, string][] = [
    ["icmp4 { icmp4.type = 3; next; };", "icmp4 {};"],
    [
      "ct_commit { ct_mark.blocked = 1; }; reject { outport <-> inport; next(pipeline=egress,table=5); };",
      "ct_commit {}; reject {};",
    ],
    [
      "reg0[3] = put_dhcp_opts(dns_server = {8.8.8.8, 8.8.4.4}); next;",
      "reg0[3] = put_dhcp_opts(dns_server = {8.8.8.8, 8.8.4.4}); next;",
    ],
    ['log(name="a{b}"); clone { outport = "x{"; output; }; next;', 'log(name="a{b}"); clone {}; next;'],
    ["arp { nd_ns { output; }; };", "arp {};"],
  ];
  for (const [input, want] of cases) assert.equal(stripNestedBodies(input), want, input);
});

test("the prerequisites of nested actions' fields do not reach the match", () => {
  const p = outerPrereqs("icmp4 { icmp4.type = 3; tcp.dst = 1; next; };", actionContext());
  assert.ok(p !== null);
  // Only icmp4's own requirement (ip4), not icmp4.type's or tcp.dst's.
  assert.equal(printExpr(p), "ip4");
});
