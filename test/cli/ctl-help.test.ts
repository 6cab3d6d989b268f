// `nbctl`/`sbctl` answer --help and --version like ovn-nbctl/ovn-sbctl, without touching a database.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { ovntsBin } from "../support/paths.js";

function ovnts(...args: string[]): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [ovntsBin(), ...args], {
    encoding: "utf8",
    env: { ...process.env, OVN_NB_DB: "unix:/nonexistent", OVN_SB_DB: "unix:/nonexistent" },
  });
  return { status: r.status, out: r.stdout };
}

for (const [tool, program, schema] of [
  ["nbctl", "ovn-nbctl", /^DB Schema \d+\.\d+\.\d+$/m],
  ["sbctl", "ovn-sbctl", /^DB Schema \d+\.\d+\.\d+$/m],
] as const) {
  test(`${tool} --help lists the commands and options, exit 0`, () => {
    const r = ovnts(tool, "--help");
    assert.equal(r.status, 0);
    assert.match(r.out, new RegExp(`^usage: ${program} \\[OPTIONS\\] COMMAND`, "m"));
    assert.match(r.out, /^ {2}(\[.*\] )?list$/m);
    assert.match(r.out, /--db=DATABASE/);
  });
  test(`${tool} --version names the program and the schema version`, () => {
    const r = ovnts(tool, "-V");
    assert.equal(r.status, 0);
    assert.match(r.out, new RegExp(`^${program} \\(ovnts\\) 23\\.03`));
    assert.match(r.out, schema);
  });
}

test("nbctl --help lists ovn-nbctl's own commands too", () => {
  const r = ovnts("nbctl", "--help");
  for (const c of ["ls-add", "lsp-add", "lr-nat-add", "lb-add", "acl-add"])
    assert.match(r.out, new RegExp(` ${c}$`, "m"));
});
