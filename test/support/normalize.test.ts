import assert from "node:assert/strict";
import { test } from "node:test";
import { lines, normalizeTimes, normalizeUuids, sortIndentedTree, UuidNames } from "./normalize.js";

const A = "98bfba18-8fc0-4f84-ac72-c261c2409896";
const B = "6a324781-c1f2-4757-ae9c-743e5c422d58";

test("uuids are named in order of first appearance, consistently", () => {
  assert.equal(normalizeUuids(`${B} ${A} ${B}`), "<0> <1> <0>");
});

test("UuidNames keeps names across texts, pads to keep tables aligned, and maps short forms", () => {
  const u = new UuidNames();
  assert.equal(u.apply(`x ${A}`), "x <0>");
  assert.equal(u.apply(`${B}|${A}|`, { keepWidth: true }), `<1>${" ".repeat(33)}|<0>${" ".repeat(33)}|`);
  assert.equal(
    u.apply('row "sw0" (98bfba18) and (6a324781) and (deadbeef)', { short: true }),
    'row "sw0" (<0>) and (<1>) and (<?>)',
  );
});

test("timestamps in log and vlog forms become <time>", () => {
  assert.equal(normalizeTimes("record 1: 2026-11-24 14:37:29.176 x"), "record 1: <time> x");
  assert.equal(normalizeTimes("2026-11-24T14:40:04Z|00001|"), "<time>|00001|");
});

test("lines drops trailing blank lines and trailing spaces", () => {
  assert.deepEqual(lines("a  \nb\n\n\n"), ["a", "b"]);
  assert.deepEqual(lines(""), []);
});

test("sortIndentedTree orders siblings at every depth and keeps children with their parent", () => {
  const show = [
    "uuid",
    "    Bridge b",
    "        Port z",
    "            Interface z",
    "        Port a",
    "            Interface a",
    "                type: internal",
    "    Bridge a",
  ].join("\n");
  assert.equal(
    sortIndentedTree(show),
    [
      "uuid",
      "    Bridge a",
      "    Bridge b",
      "        Port a",
      "            Interface a",
      "                type: internal",
      "        Port z",
      "            Interface z",
    ].join("\n"),
  );
});
