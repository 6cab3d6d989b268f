// Column values printed in the --data formats, as ovsdb-client 3.1 printed the same values in `dump`.
import assert from "node:assert/strict";
import { test } from "node:test";
import { compareDatums, datumFromOJson, datumToOJson, datumToText } from "../../src/cli/ovsdb/datum-text.js";
import { type OJson, parseOvsJson, serializeOvsJson } from "../../src/cli/ovsdb/ovs-json.js";
import { parseColumnType } from "../../src/ovsdb/schema/parse.js";

function col(typeJson: string) {
  return parseColumnType(JSON.parse(typeJson), "test");
}

// [type, value as JSON, string form, bare form]
const CASES: [string, string, string, string][] = [
  ['"integer"', "-5", "-5", "-5"],
  ['"real"', "1.5", "1.5", "1.5"],
  ['"real"', "100", "100", "100"],
  ['"boolean"', "true", "true", "true"],
  ['"string"', '"hello world"', '"hello world"', "hello world"],
  ['"string"', '"x-y.z_1"', "x-y.z_1", "x-y.z_1"],
  ['"string"', '"true"', '"true"', "true"],
  ['"string"', '"True"', "True", "True"],
  [
    '"string"',
    '"01234567-89ab-cdef-0123-456789abcdef"',
    '"01234567-89ab-cdef-0123-456789abcdef"',
    "01234567-89ab-cdef-0123-456789abcdef",
  ],
  ['"string"', '""', '""', ""],
  [
    '"uuid"',
    '["uuid","01234567-89ab-cdef-0123-456789abcdef"]',
    "01234567-89ab-cdef-0123-456789abcdef",
    "01234567-89ab-cdef-0123-456789abcdef",
  ],
  ['{"key":"string","min":0}', '["set",[]]', "[]", ""],
  ['{"key":"string","min":0}', '"x"', "x", "x"],
  [
    '{"key":"string","min":0,"max":"unlimited"}',
    '["set",["b c","a","","123","1.5","-x","\\"q\\"","é\\n\\t\\u0001"]]',
    '["", "\\"q\\"", "-x", "1.5", "123", a, "b c", "é\\n\\t\\u0001"]',
    ' "q" -x 1.5 123 a b c é\n\t\u0001',
  ],
  [
    '{"key":"string","min":0,"max":"unlimited"}',
    '["set",["-",".","A","True","Z9","_","a b","a/b","a:b","e5","inf","nan","x1","é"]]',
    '["-", ".", A, True, Z9, _, "a b", "a/b", "a:b", e5, inf, nan, x1, "é"]',
    "- . A True Z9 _ a b a/b a:b e5 inf nan x1 é",
  ],
  ['{"key":"integer","min":0,"max":"unlimited"}', '["set",[3,1,2]]', "[1, 2, 3]", "1 2 3"],
  [
    '{"key":"real","min":0,"max":"unlimited"}',
    '["set",[0.1,1,1e300,1e-7,1.23456789012346e+17]]',
    "[1e-07, 0.1, 1, 1.23456789012346e+17, 1e+300]",
    "1e-07 0.1 1 1.23456789012346e+17 1e+300",
  ],
  [
    '{"key":"uuid","min":0,"max":"unlimited"}',
    '["uuid","6ca70944-4014-4872-ab69-b489580db7ed"]',
    "[6ca70944-4014-4872-ab69-b489580db7ed]",
    "6ca70944-4014-4872-ab69-b489580db7ed",
  ],
  [
    '{"key":"string","value":"string","min":0,"max":"unlimited"}',
    '["map",[["k","v"],["k 2","v 2"],["","0"]]]',
    '{""="0", k=v, "k 2"="v 2"}',
    "=0 k=v k 2=v 2",
  ],
  [
    '{"key":"integer","value":"real","min":0,"max":"unlimited"}',
    '["map",[[2,3],[1,2.5]]]',
    "{1=2.5, 2=3}",
    "1=2.5 2=3",
  ],
  ['{"key":"string","value":"string","min":0,"max":"unlimited"}', '["map",[]]', "{}", ""],
];

/** The JSON value written in a case. */
function value(text: string): OJson {
  return (parseOvsJson(`[${text}]`) as OJson[])[0] as OJson;
}

test("string and bare forms", () => {
  for (const [type, json, str, bare] of CASES) {
    const t = col(type);
    const d = datumFromOJson(value(json), t);
    assert.equal(datumToText(d, t), str, json);
    assert.equal(datumToText(d, t, true), bare, json);
  }
});

test("json form is the canonical RFC 7047 value", () => {
  const t = col('{"key":"integer","min":0,"max":"unlimited"}');
  assert.equal(serializeOvsJson(datumToOJson(datumFromOJson(value('["set",[3,1]]'), t), t)), '["set",[1,3]]');
  assert.equal(serializeOvsJson(datumToOJson(datumFromOJson(value('["set",[7]]'), t), t)), "7");
});

test("values sort by size first, then element by element (dump's row order)", () => {
  const t = col('{"key":"integer","min":0,"max":"unlimited"}');
  const d = (j: string) => datumFromOJson(value(j), t);
  const sorted = [d('["set",[1,2,3]]'), d('["set",[]]'), d('["set",[0,7]]'), d("5"), d('["set",[1,2]]')].sort(
    compareDatums,
  );
  assert.deepEqual(
    sorted.map((x) => datumToText(x, t)),
    ["[]", "[5]", "[0, 7]", "[1, 2]", "[1, 2, 3]"],
  );
});
