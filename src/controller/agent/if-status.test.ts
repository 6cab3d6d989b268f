import assert from "node:assert/strict";
import { test } from "node:test";
import { installBeforeRows } from "./if-status.js";

const up = (names: string[]) => (n: string) => names.includes(n);

test("a pass waiting for rows installs what it has only to claim ports or report bound ones up", () => {
  // Ports to claim: claimed now, up once what is installed now is acknowledged.
  assert.equal(installBeforeRows({ claim: ["q0"], bound: [] }, up([])), true);
  // A bound port not up yet (e.g. bound before a restart, up cleared): reported up the same way.
  assert.equal(installBeforeRows({ claim: [], bound: ["p0", "p1"] }, up(["p0"])), true);
  // Everything bound is up and nothing to claim: wait for the rows (nothing to report).
  assert.equal(installBeforeRows({ claim: [], bound: ["p0", "p1"] }, up(["p0", "p1"])), false);
  assert.equal(installBeforeRows({ claim: [], bound: [] }, up([])), false);
});
