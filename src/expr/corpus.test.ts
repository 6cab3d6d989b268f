// The corpus of logical flows collected from the real ovn-northd (test/golden/expr/lflow-corpus.json,
// refreshed by src/expr/peer/corpus.test.ts): every match and action list parses, prints and parses
// again identically, and normalises to a form that parses and normalises to itself.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { checkCorpus, type LflowCorpus } from "./corpus.js";

const FIXTURE = new URL("../../../test/golden/expr/lflow-corpus.json", import.meta.url);

test("every flow of the ovn-northd corpus round-trips", () => {
  const corpus = JSON.parse(readFileSync(FIXTURE, "utf8")) as LflowCorpus;
  assert.ok(corpus.flows.length > 400);
  const r = checkCorpus(corpus);
  assert.equal(r.flows, corpus.flows.length);
  assert.deepEqual(r.failures, []);
});
