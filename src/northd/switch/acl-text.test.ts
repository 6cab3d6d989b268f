import assert from "node:assert/strict";
import { test } from "node:test";
import type * as nb from "../../ovsdb/idl/generated/ovn-nb.js";
import { aclFlows, aclLog, aclStage, rejectAction } from "./acl-text.js";

function acl(over: Partial<nb.Acl>): nb.Acl {
  return {
    _uuid: "00000000-0000-0000-0000-000000000001" as nb.Acl["_uuid"],
    name: undefined,
    priority: 100,
    direction: "from-lport",
    match: "ip4",
    action: "allow",
    log: false,
    severity: undefined,
    meter: undefined,
    label: 0,
    options: new Map(),
    externalIds: new Map(),
    ...over,
  };
}

const lines = (a: nb.Acl, stateful: boolean): string[] =>
  aclFlows(a, stateful).map((f) => `${f.stage} ${f.priority} (${f.match}) => ${f.actions}`);

test("ACL stage: direction and apply-after-lb", () => {
  assert.equal(aclStage(acl({})), "ls_in_acl");
  assert.equal(aclStage(acl({ direction: "to-lport" })), "ls_out_acl");
  assert.equal(aclStage(acl({ options: new Map([["apply-after-lb", "true"]]) })), "ls_in_acl_after_lb");
  assert.equal(
    aclStage(acl({ direction: "to-lport", options: new Map([["apply-after-lb", "true"]]) })),
    "ls_out_acl",
  );
});

test("log(): name, severity (default info), verdict, meter", () => {
  assert.equal(aclLog(acl({})), "");
  assert.equal(aclLog(acl({ log: true })), "log(severity=info, verdict=allow); ");
  assert.equal(
    aclLog(acl({ log: true, name: "n", severity: "alert", action: "reject", meter: "m" })),
    'log(name="n", severity=alert, verdict=reject, meter="m"); ',
  );
});

test("reject re-enters the other pipeline", () => {
  assert.match(rejectAction("ls_in_acl"), /next\(pipeline=egress,table=5\); \};$/);
  assert.match(rejectAction("ls_out_acl"), /next\(pipeline=ingress,table=25\); \};$/);
});

test("stateless switch: one flow per ACL, match untouched", () => {
  assert.deepEqual(lines(acl({ action: "allow-related" }), false), ["ls_in_acl 1100 (ip4) => next;"]);
  assert.deepEqual(lines(acl({ action: "drop", log: true }), false), [
    "ls_in_acl 1100 (ip4) => log(severity=info, verdict=drop); /* drop */",
  ]);
});

test("stateful switch: allow commits new connections; labels go to reg3", () => {
  assert.deepEqual(lines(acl({}), true), [
    "ls_in_acl 1100 (reg0[7] == 1 && (ip4)) => reg0[1] = 1; next;",
    "ls_in_acl 1100 (reg0[8] == 1 && (ip4)) => next;",
  ]);
  assert.deepEqual(lines(acl({ direction: "to-lport", label: 7 }), true), [
    "ls_out_acl 1100 (reg0[7] == 1 && (ip4)) => reg0[1] = 1; reg0[13] = 1; reg3 = 7; next;",
    "ls_out_acl 1100 (reg0[8] == 1 && (ip4)) => reg0[1] = 1; reg0[13] = 1; reg3 = 7; next;",
  ]);
  assert.deepEqual(lines(acl({ action: "allow-stateless", priority: 5 }), true), [
    "ls_in_acl 1005 (ip4) => next;",
  ]);
});

test("stateful switch: drop and reject also block established connections", () => {
  assert.deepEqual(lines(acl({ action: "drop" }), true), [
    "ls_in_acl 1100 (reg0[9] == 1 && (ip4)) => /* drop */",
    "ls_in_acl 1100 (reg0[10] == 1 && (ip4)) => ct_commit { ct_mark.blocked = 1; }; /* drop */",
  ]);
  const [a, b] = lines(acl({ action: "reject", match: "tcp || udp" }), true);
  assert.ok(a?.startsWith("ls_in_acl 1100 ((reg0[9] == 1) && tcp || udp) => reg0 = 0; reject {"), a);
  // Two spaces after the commit: what ovn-northd 23.03 writes.
  assert.ok(
    b?.startsWith(
      "ls_in_acl 1100 ((reg0[10] == 1) && tcp || udp) => ct_commit { ct_mark.blocked = 1; };  reg0 = 0;",
    ),
    b,
  );
});
