// String atoms: a lone UTF-16 surrogate (no UTF-8 form) is refused, checked against a naive model on
// short and long strings (the short ones take a loop, the long ones a regular expression).
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { OvsdbError } from "../error.js";
import { atomFromJson } from "./atom.js";

const STRING = { type: "string" as const };

/** Whether `s` has a surrogate not part of a high-low pair. */
function hasLoneSurrogate(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
      else return true;
    } else if (c >= 0xdc00 && c <= 0xdfff) return true;
  }
  return false;
}

function accepted(s: string): boolean {
  try {
    atomFromJson(s, STRING as never, null);
    return true;
  } catch (e) {
    assert.ok(e instanceof OvsdbError);
    assert.match(e.message, /string is not valid UTF-8/);
    return false;
  }
}

test("string atoms: lone surrogates refused, pairs and everything else accepted", () => {
  assert.equal(accepted("sw0"), true);
  assert.equal(accepted("\ud83d\ude00"), true);
  assert.equal(accepted("a\ud83d"), false);
  assert.equal(accepted("\ude00b"), false);
  assert.equal(accepted(`${"x".repeat(40)}\ud800`), false);
  const unit = fc.oneof(
    fc.constantFrom("a", "é", "\ud83d", "\ude00", "\ud83d\ude00", "\uffff", "\ud7ff", "\ue000"),
    fc.string({ maxLength: 3 }),
  );
  fc.assert(
    fc.property(fc.array(unit, { maxLength: 30 }), (parts) => {
      const s = parts.join("");
      assert.equal(accepted(s), !hasLoneSurrogate(s), JSON.stringify(s));
    }),
    { numRuns: 2000 },
  );
});
