import assert from "node:assert/strict";
import { test } from "node:test";
import { isUuid } from "../../base/uuid.js";
import { randomUuid } from "./uuid-gen.js";

test("randomUuid: canonical lowercase version-4 uuids, all distinct, across pool refills", () => {
  const seen = new Set<string>();
  const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  for (let i = 0; i < 2000; i++) {
    const u = randomUuid();
    assert.ok(isUuid(u) && V4.test(u), u);
    seen.add(u);
  }
  assert.equal(seen.size, 2000);
  // Every hex digit shows up in every free position over 2000 uuids (the table spells all 256 bytes).
  const digits = new Set([...seen].flatMap((u) => [...u.replaceAll("-", "")]));
  assert.equal(digits.size, 16);
});
