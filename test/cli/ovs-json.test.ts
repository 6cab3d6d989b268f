// The OVS JSON reader and writer against outputs captured from ovsdb-client 3.1 (`ovsdb-client transact
// TEXT` prints the parse error for invalid TEXT; `ovsdb-client --pretty transact` the pretty form).
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { formatReal } from "../../src/cli/ovsdb/cformat.js";
import { type OJson, OReal, parseOvsJson, serializeOvsJson } from "../../src/cli/ovsdb/ovs-json.js";

// input => error, as printed by the C tool after `"INPUT": `.
const ERRORS = `
[1,] => line 0, column 3, byte 3: syntax error expecting value
{"a" 1} => line 0, column 6, byte 6: syntax error parsing object expecting ':'
[1 2] => line 0, column 4, byte 4: syntax error expecting ']' or ','
tru => line 0, column 3, byte 3: invalid keyword 'tru'
"abc => line 0, column 4, byte 4: unexpected end of input in quoted string
[01] => line 0, column 3, byte 3: leading zeros not allowed
[1.] => line 0, column 3, byte 3: decimal point must be followed by digit
[-] => line 0, column 2, byte 2: '-' must be followed by digit
[1e] => line 0, column 3, byte 3: exponent must contain at least one digit
["\\x"] => line 0, column 4, byte 4: bad escape \\x
[] x => line 0, column 4, byte 4: invalid keyword 'x'
[1e400] => line 0, column 6, byte 6: number outside valid range
["\\u00"] => line 0, column 6, byte 6: quoted string ends within \\u escape
[nul] => line 0, column 4, byte 4: invalid keyword 'nul'
["\\ud800"] => line 0, column 8, byte 8: malformed escaped surrogate pair
[[[[[[ => line 0, column 6, byte 6: unexpected end of input
[] 1 => line 0, column 4, byte 4: trailing garbage at end of input
[]] => line 0, column 2, byte 2: trailing garbage at end of input
[] [] => line 0, column 3, byte 3: trailing garbage at end of input
{"a":1}} => line 0, column 7, byte 7: trailing garbage at end of input
["é" x] => line 0, column 7, byte 7: invalid keyword 'x'
{ => line 0, column 1, byte 1: unexpected end of input
{"a":} => line 0, column 5, byte 5: syntax error expecting value
{1:2} => line 0, column 2, byte 2: syntax error parsing object expecting string
["\\u0000"] => line 0, column 8, byte 8: null bytes not supported in quoted strings
[+1] => line 0, column 1, byte 1: invalid character '+'
[.5] => line 0, column 1, byte 1: invalid character '.'
{"a":1,} => line 0, column 7, byte 7: syntax error parsing object expecting string
[true false] => line 0, column 11, byte 11: syntax error expecting ']' or ','
[1,,2] => line 0, column 3, byte 3: syntax error expecting value
"abc" => line 0, column 4, byte 4: syntax error at beginning of input
5 => line 0, column 1, byte 1: syntax error at beginning of input
[1-2] => line 0, column 4, byte 4: syntax error in number
[1x] => line 0, column 3, byte 3: invalid keyword 'x'
[truex] => line 0, column 6, byte 6: invalid keyword 'truex'
[true1] => line 0, column 6, byte 6: syntax error expecting ']' or ','
[:: => line 0, column 1, byte 1: syntax error expecting value
{"a":1 "b"} => line 0, column 9, byte 9: syntax error expecting '}' or ','
[1.5.5] => line 0, column 6, byte 6: syntax error in number
[--1] => line 0, column 4, byte 4: '-' must be followed by digit
[-01] => line 0, column 4, byte 4: leading zeros not allowed
["\\ud800\\u0041"] => line 0, column 14, byte 14: second half of escaped surrogate pair is not trailing surrogate
["\\uZZZZ"] => line 0, column 8, byte 8: malformed \\u escape
[1 => line 0, column 3, byte 3: unexpected end of input
{"a" => line 0, column 4, byte 4: unexpected end of input
[ë] => line 0, column 1, byte 1: invalid character U+00c3
`;

test("parse errors carry the C parser's message and position", () => {
  for (const line of ERRORS.trim().split("\n")) {
    const [input, expected] = line.split(" => ") as [string, string];
    assert.throws(() => parseOvsJson(input), { message: expected }, input);
  }
  assert.throws(() => parseOvsJson(""), { message: "line 0, column 0, byte 0: empty input stream" });
  assert.throws(() => parseOvsJson("   "), { message: "line 0, column 3, byte 3: empty input stream" });
  assert.throws(() => parseOvsJson("[\n1,\n]"), {
    message: "line 2, column 0, byte 5: syntax error expecting value",
  });
  assert.throws(() => parseOvsJson(`${"[".repeat(1001)}${"]".repeat(1001)}`), {
    message: "line 0, column 1000, byte 1000: input exceeds maximum nesting depth 1000",
  });
  assert.ok(Array.isArray(parseOvsJson(`${"[".repeat(1000)}${"]".repeat(1000)}`)));
  assert.throws(() => parseOvsJson('["a\tb"]'), {
    message: "line 0, column 3, byte 3: U+0009 must be escaped in quoted string",
  });
});

test("numbers: integral values within 64 bits are integers, however written", () => {
  const cases: [string, OJson][] = [
    ["[1.5e2]", [150]],
    ["[1E5]", [100000]],
    ["[0.1e1]", [1]],
    ["[1.0]", [1]],
    ["[-0]", [0]],
    ["[1.25]", [1.25]],
    ["[1e-400]", [0]],
    ["[9223372036854775807]", [9223372036854775807n]],
    ["[-9223372036854775808]", [-9223372036854775808n]],
    ["[1.23456789012346e+17]", [123456789012346000n]],
    ["[99999999999999999999]", [1e20]],
  ];
  for (const [text, want] of cases) assert.deepEqual(parseOvsJson(text), want, text);
});

test("serialisation: reals with 15 significant digits, integers exact, escapes as the C library", () => {
  const v: OJson = [
    0.30000000000000004,
    1e-7,
    1e300,
    123456789012345678n,
    100,
    new OReal(1e17),
    2.5,
    'q\u007f/\\"\b\f\r\u001f😀',
  ];
  assert.equal(
    serializeOvsJson(v),
    '[0.3,1e-07,1e+300,123456789012345678,100,1e+17,2.5,"q\u007f/\\\\\\"\\b\\f\\r\\u001f😀"]',
  );
});

test("pretty output puts closing brackets after the last member", () => {
  const v = parseOvsJson('[{"rows":[{"name":"sw0","_uuid":["uuid","b6fc"],"ports":["set",[]]}]}]');
  assert.equal(
    serializeOvsJson(v, { sort: true, pretty: true }),
    `[
  {
    "rows": [
      {
        "_uuid": [
          "uuid",
          "b6fc"],
        "name": "sw0",
        "ports": [
          "set",
          []]}]}]`,
  );
});

test("C's %.15g", () => {
  const cases: [number, string][] = [
    [0, "0"],
    [1, "1"],
    [-2.5, "-2.5"],
    [0.1, "0.1"],
    [1e-5, "1e-05"],
    [0.0001, "0.0001"],
    [123456789012345, "123456789012345"],
    [1234567890123456, "1.23456789012346e+15"],
    [1e21, "1e+21"],
    [Math.PI, "3.14159265358979"],
    [1 / 3, "0.333333333333333"],
  ];
  for (const [x, want] of cases) assert.equal(formatReal(x), want, String(x));
});

test("print then parse gives the same value", () => {
  const json = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: "small" },
      fc.constantFrom<OJson>(null, true, false),
      fc.string(),
      fc.integer(),
      fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).filter((b) => b < -(2n ** 53n) || b > 2n ** 53n),
      fc.array(tie("value"), { maxLength: 4 }),
      fc.dictionary(fc.string(), tie("value"), { maxKeys: 4 }),
    ),
  })).value as fc.Arbitrary<OJson>;
  fc.assert(
    fc.property(fc.array(json, { maxLength: 4 }), fc.boolean(), (v, pretty) => {
      const text = serializeOvsJson(v, { pretty });
      assert.equal(serializeOvsJson(parseOvsJson(text), { pretty }), text);
    }),
  );
});
