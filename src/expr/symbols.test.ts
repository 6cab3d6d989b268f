// Consistency of the symbol table: every subfield fits in its parent, every predicate expansion and
// prerequisite parses and annotates, and nothing refers to an unknown symbol.

import assert from "node:assert/strict";
import { test } from "node:test";
import { annotateExpr } from "./annotate.js";
import { parseExpr } from "./parser.js";
import { baseField, OVN_SYMBOLS, symbolWidth } from "./symbols.js";

test("subfields lie within their parents", () => {
  for (const d of OVN_SYMBOLS.all()) {
    if (d.kind !== "subfield") continue;
    const parent = OVN_SYMBOLS.lookup(d.parent);
    assert.ok(parent !== undefined, `${d.name}: no parent ${d.parent}`);
    const w = symbolWidth(parent);
    assert.ok(w !== null && d.hi < w && d.lo <= d.hi, `${d.name} outside ${d.parent}`);
    assert.equal(d.width, d.hi - d.lo + 1);
    const base = baseField(OVN_SYMBOLS, d);
    assert.ok(base !== null && base.hi - base.lo + 1 === d.width, d.name);
  }
});

test("predicate expansions and prerequisites parse and annotate", () => {
  for (const d of OVN_SYMBOLS.all()) {
    const texts = d.kind === "predicate" ? [d.expansion] : d.prereqs === null ? [] : [d.prereqs];
    for (const t of texts) {
      const r = parseExpr(t);
      assert.ok(r.ok, `${d.name}: ${t}: ${r.ok ? "" : r.error}`);
      annotateExpr(r.value);
    }
  }
});

test("registers overlay as in Open vSwitch", () => {
  const at = (name: string) => {
    const d = OVN_SYMBOLS.lookup(name);
    assert.ok(d !== undefined);
    const b = baseField(OVN_SYMBOLS, d);
    assert.ok(b !== null);
    return `${b.field.name}[${b.lo}..${b.hi}]`;
  };
  assert.equal(at("reg0"), "xxreg0[96..127]");
  assert.equal(at("reg3"), "xxreg0[0..31]");
  assert.equal(at("reg7"), "xxreg1[0..31]");
  assert.equal(at("reg8"), "xreg4[32..63]");
  assert.equal(at("xreg0"), "xxreg0[64..127]");
  assert.equal(at("xreg3"), "xxreg1[0..63]");
  assert.equal(at("ct.est"), "ct_state[1..1]");
  assert.equal(at("ct_label.ecmp_reply_eth"), "ct_label[32..79]");
  assert.equal(OVN_SYMBOLS.lookup("reg10"), undefined);
});
