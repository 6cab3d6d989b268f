// Our flow parser and printer against ovs-ofctl's: for each line of fixtures/text/parse-flow-inputs.txt
// (every action kind, in the input forms ovs-ofctl accepts), `ovs-ofctl -O OpenFlow15 parse-flow LINE`
// prints the flow it will send; printing our parse of the same line must give the same text.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { requireTools } from "../../../test/support/sandbox.js";
import { formatFlow, parseFlow } from "../text.js";

const run = promisify(execFile);
const FILE = fileURLToPath(
  new URL("../../../../src/openflow/fixtures/text/parse-flow-inputs.txt", import.meta.url),
);

test("ovs-ofctl parse-flow and our parse → print agree on every action form", async () => {
  requireTools("ovs-ofctl");
  const inputs = readFileSync(FILE, "utf8")
    .split("\n")
    .filter((l) => l !== "");
  await Promise.all(
    inputs.map(async (line) => {
      const { stdout } = await run("ovs-ofctl", ["-O", "OpenFlow15", "parse-flow", line]);
      const theirs = /OFPT_FLOW_MOD \(OF1\.5\) \(xid=0x\w+\): ADD (.*)$/m.exec(stdout)?.[1];
      assert.ok(theirs !== undefined, `${line}: ${stdout}`);
      const p = parseFlow(line);
      assert.ok(p.ok, `${line}: ${p.ok ? "" : p.error}`);
      assert.equal(formatFlow(p.flow).trim(), theirs, line);
    }),
  );
});
