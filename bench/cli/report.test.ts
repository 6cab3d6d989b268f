import assert from "node:assert/strict";
import { test } from "node:test";
import { nbctlArgs } from "./main.js";
import { renderCliMarkdown } from "./report.js";

test("nbctlArgs: one ls-add then one lsp-add per port, joined by --", () => {
  assert.deepEqual(nbctlArgs("unix:/x.sock", 7, 2), [
    "--db=unix:/x.sock",
    "ls-add",
    "sw7",
    "--",
    "lsp-add",
    "sw7",
    "sw7-p0",
    "--",
    "lsp-add",
    "sw7",
    "sw7-p1",
  ]);
});

test("renderCliMarkdown: speed-ups against the base method and the target verdict", () => {
  const md = renderCliMarkdown(
    [
      { id: "ovn-nbctl", label: "C", ms: 5000, batches: 100, ports: 10000 },
      { id: "library", label: "lib", ms: 500, batches: 100, ports: 10000 },
    ],
    "ovn-nbctl",
  );
  assert.match(md, /\| C \| 10000 \| 100 \| 5\.00 \| 2000 \| 1\.00× \|/);
  assert.match(md, /\| lib \| 10000 \| 100 \| 0\.50 \| 20000 \| 10\.00× \|/);
  assert.match(md, /10\.00× — met\./);
  assert.match(
    renderCliMarkdown([{ id: "library", label: "lib", ms: 1, batches: 1, ports: 1 }], "ovn-nbctl"),
    /n\/a/,
  );
});
