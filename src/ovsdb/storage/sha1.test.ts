import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import fc from "fast-check";
import { sha1Hex } from "./sha1.js";

const enc = new TextEncoder();

test("sha1: FIPS 180 test vectors", () => {
  assert.equal(sha1Hex(new Uint8Array()), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  assert.equal(sha1Hex(enc.encode("abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
  assert.equal(
    sha1Hex(enc.encode("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
    "84983e441c3bd26ebaae4aa1f95129e5e54670f1",
  );
  assert.equal(sha1Hex(new Uint8Array(1_000_000).fill(0x61)), "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
});

test("sha1: agrees with node:crypto at every length around the block boundaries", () => {
  for (let n = 0; n < 200; n++) {
    const b = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff);
    assert.equal(sha1Hex(b), createHash("sha1").update(b).digest("hex"), `length ${n}`);
  }
});

test("sha1: agrees with node:crypto on random input", () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 2000 }),
      (b) => sha1Hex(b) === createHash("sha1").update(b).digest("hex"),
    ),
  );
});
