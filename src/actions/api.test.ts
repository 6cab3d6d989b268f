// The action library's interface beyond printing: prerequisites as an expression, the context a list
// is parsed in, and the option catalogues.

import assert from "node:assert/strict";
import { test } from "node:test";
import { annotateExpr } from "../expr/annotate.js";
import { evaluate } from "../expr/eval.js";
import { printExpr } from "../expr/printer.js";
import { actionContext } from "./context.js";
import { DEFAULT_DHCPV4_OPTIONS } from "./dhcp-options.js";
import { parseActions } from "./parser.js";
import { formatActions } from "./printer.js";

test("prerequisites combine the fields and actions used", () => {
  const r = parseActions("tcp.dst = 80; ct_next;");
  assert.ok(r.ok);
  assert.ok(r.value.prereqs !== null);
  assert.equal(printExpr(r.value.prereqs), "tcp && ip");
  const p = annotateExpr(r.value.prereqs);
  const pkt = (ethType: bigint, proto: bigint) => ({
    fields: new Map([
      ["eth.type", ethType],
      ["ip.proto", proto],
    ]),
  });
  assert.equal(evaluate(p, pkt(0x800n, 6n)), true);
  assert.equal(evaluate(p, pkt(0x800n, 17n)), false);
  assert.equal(evaluate(p, pkt(0x806n, 6n)), false);
});

test("next is resolved against the flow's place in the pipeline", () => {
  const ctx = actionContext({ pipeline: "egress", tableId: 7 });
  const r = parseActions("next; next(pipeline=ingress, table=3);", ctx);
  assert.ok(r.ok);
  assert.deepEqual(r.value.actions, [
    { kind: "next", pipeline: "egress", table: 8 },
    { kind: "next", pipeline: "ingress", table: 3 },
  ]);
  assert.equal(formatActions(r.value.actions, ctx), "next; next(pipeline=ingress, table=3);");
  // Printed for a flow elsewhere, the same actions must say where they go.
  assert.equal(
    formatActions(r.value.actions, { pipeline: "ingress", tableId: 0 }),
    "next(pipeline=egress, table=8); next(3);",
  );
});

test("the DHCP catalogue can be replaced by what the Southbound database holds", () => {
  const s = "reg0[0] = put_dhcp_opts(offerip = 10.0.0.2, foo = 1);";
  const r = parseActions(s);
  assert.ok(!r.ok);
  assert.equal(r.error, "Syntax error at `foo' expecting DHCPv4 option name.");
  const opts = new Map(DEFAULT_DHCPV4_OPTIONS);
  opts.set("foo", { name: "foo", code: 250, type: "uint8" });
  const r2 = parseActions(s, actionContext({ dhcpv4Options: opts }));
  assert.ok(r2.ok);
});

test("address sets and port groups come from the context", () => {
  const ctx = actionContext({ addressSets: (n) => (n === "a" ? ["10.0.0.1"] : undefined) });
  const r = parseActions("reg0 = $a;", ctx);
  assert.ok(!r.ok);
  assert.equal(r.error, "Syntax error at `$a' expecting constant.");
  const r2 = parseActions("reg0 = $b;", ctx);
  assert.ok(!r2.ok);
  assert.equal(r2.error, "Syntax error at `$b' expecting address set name.");
});
