import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import fc from "fast-check";
import { encodeRecord, encodeRecords, LogCorruptError, RecordEncoder, readLog } from "./log.js";

const enc = new TextEncoder();
const dec = new TextDecoder();

// Provenance: the 4th record of a file made by `ovsdb-tool create f.db vswitch.ovsschema` and three
// `ovsdb-tool transact` calls (OVS 3.1.0); bytes copied from `tail -c` of the file.
const REAL_RECORD =
  'OVSDB JSON 154 75958a7913fdde149324594b6a6f88b8c2cb6673\n{"_date":1795530757835,"Open_vSwitch":{"cdfdcf8a-6bc1-4305-8dde-9e5db0e9cd10":{"external_ids":["map",[["b","22"]]],"ovs_version":"3.2"}},"_is_diff":true}\n';

const SAMPLE = [
  { name: "S", version: "1.0.0", tables: { T: { columns: { x: { type: "integer" } } } } },
  { _date: 1, T: { "00000000-0000-0000-0000-000000000001": { x: 1 } } },
  { _date: 2, _comment: "héllo 😀 \n", T: { "00000000-0000-0000-0000-000000000001": { x: 2 } } },
  { _date: 3, T: { "00000000-0000-0000-0000-000000000001": null } },
];

function offsetsOf(bytes: Uint8Array): number[] {
  const out: number[] = [];
  let at = 0;
  while (at < bytes.length) {
    out.push(at);
    const nl = bytes.indexOf(0x0a, at);
    const len = Number(dec.decode(bytes.subarray(at, nl)).split(" ")[2]);
    at = nl + 1 + len;
  }
  return out;
}

test("encodeRecord writes exactly the bytes ovsdb-tool wrote", () => {
  const body = REAL_RECORD.slice(REAL_RECORD.indexOf("\n") + 1);
  assert.equal(dec.decode(encodeRecord(JSON.parse(body))), REAL_RECORD);
});

test("readLog reads a real record", () => {
  const r = readLog(enc.encode(REAL_RECORD));
  assert.equal(r.tail, "clean");
  assert.equal(r.goodLength, enc.encode(REAL_RECORD).length);
  assert.deepEqual(r.records, [JSON.parse(REAL_RECORD.split("\n")[1] ?? "")]);
});

test("readLog: length counts UTF-8 bytes and the trailing LF", () => {
  const bytes = encodeRecord({ s: "é😀" });
  const text = dec.decode(bytes);
  assert.match(text, /^OVSDB JSON 15 [0-9a-f]{40}\n\{"s":"é😀"\}\n$/);
});

test("round trip of several records, and random JSON objects", () => {
  const bytes = encodeRecords(SAMPLE);
  assert.deepEqual(readLog(bytes), { records: SAMPLE, goodLength: bytes.length, tail: "clean" });
  fc.assert(
    fc.property(fc.array(fc.dictionary(fc.string(), fc.jsonValue()), { maxLength: 5 }), (objs) => {
      const clean = JSON.parse(JSON.stringify(objs)) as object[];
      const r = readLog(encodeRecords(clean));
      assert.deepEqual(r.records, clean);
      assert.equal(r.tail, "clean");
    }),
  );
});

test("a torn last record, cut at every byte, is reported torn at its start", () => {
  const bytes = encodeRecords(SAMPLE);
  const last = offsetsOf(bytes).at(-1) ?? 0;
  for (let cut = last + 1; cut < bytes.length; cut++) {
    const r = readLog(bytes.subarray(0, cut));
    assert.equal(r.tail, "torn", `cut at ${cut}`);
    assert.equal(r.goodLength, last);
    assert.deepEqual(r.records, SAMPLE.slice(0, -1));
    assert.ok(r.tornReason !== undefined && r.tornReason.length > 0);
  }
  assert.deepEqual(readLog(bytes.subarray(0, last)).tail, "clean");
});

test("garbage or zeros after the last record are a torn tail", () => {
  const bytes = encodeRecords(SAMPLE);
  for (const extra of [new Uint8Array(100), enc.encode("garbage"), enc.encode("OVSDB JSON 9999 ")]) {
    const all = new Uint8Array([...bytes, ...extra]);
    const r = readLog(all);
    assert.equal(r.tail, "torn");
    assert.equal(r.goodLength, bytes.length);
    assert.equal(r.records.length, SAMPLE.length);
  }
});

test("a complete last record with a bad checksum is torn", () => {
  const bytes = encodeRecords(SAMPLE);
  const last = offsetsOf(bytes).at(-1) ?? 0;
  const bad = bytes.slice();
  flip(bad, bad.length - 3);
  const r = readLog(bad);
  assert.equal(r.tail, "torn");
  assert.equal(r.goodLength, last);
  assert.match(r.tornReason ?? "", /have SHA-1 hash [0-9a-f]{40} but should have hash/);
});

test("a damaged byte anywhere in a middle record is an error naming that record's offset", () => {
  const bytes = encodeRecords(SAMPLE);
  const offs = offsetsOf(bytes);
  const start = offs[2] ?? 0;
  const end = offs[3] ?? 0;
  for (let i = start; i < end; i++) {
    const bad = bytes.slice();
    flip(bad, i);
    assert.throws(
      () => readLog(bad),
      (e: unknown) =>
        e instanceof LogCorruptError && e.offset === start && e.message.includes(`offset ${end}`),
      `byte ${i}`,
    );
  }
});

test("error messages mirror the C tools", () => {
  const bytes = encodeRecords(SAMPLE);
  const offs = offsetsOf(bytes);
  const start = offs[1] ?? 0;
  const bodyStart = bytes.indexOf(0x0a, start) + 1;
  const bad = bytes.slice();
  flip(bad, bodyStart + 2);
  assert.throws(
    () => readLog(bad),
    new RegExp(
      `^LogCorruptError: \\d+ bytes starting at offset ${bodyStart} have SHA-1 hash [0-9a-f]{40} but should have hash`,
    ),
  );
  const hdr = bytes.slice();
  hdr[start + 3] = "X".charCodeAt(0);
  assert.throws(() => readLog(hdr), new RegExp(`parse error at offset ${start} in header line "OVSXB JSON`));
});

test("a clustered database is refused", () => {
  assert.throws(
    () => readLog(enc.encode("OVSDB CLUSTER 2 0000000000000000000000000000000000000000\n{}")),
    /clustered/,
  );
});

test("readers tolerate LFs inside the JSON when length and hash agree (ovsdb(5))", () => {
  const body = enc.encode('{\n  "a": 1\n}\n');
  const hdr = enc.encode(`OVSDB JSON ${body.length} ${createHash("sha1").update(body).digest("hex")}\n`);
  const r = readLog(new Uint8Array([...hdr, ...body]));
  assert.deepEqual(r.records, [{ a: 1 }]);
});

test("a body that is not a JSON object, or not UTF-8, is a bad record", () => {
  for (const body of [enc.encode("[1]\n"), enc.encode("{x\n"), new Uint8Array([0x7b, 0xff, 0x7d, 0x0a])]) {
    const hdr = enc.encode(`OVSDB JSON ${body.length} ${createHash("sha1").update(body).digest("hex")}\n`);
    const r = readLog(new Uint8Array([...encodeRecord({ a: 1 }), ...hdr, ...body]));
    assert.equal(r.tail, "torn");
    assert.equal(r.records.length, 1);
  }
});

test("encodeRecord refuses strings the C reader would reject, accepts the rest", () => {
  assert.throws(() => encodeRecord({ s: "a\ud800b" }), /not valid Unicode/);
  assert.throws(() => encodeRecord(Object.fromEntries([["\udc00", 1]])), /not valid Unicode/);
  for (const s of ["\\ud800", "\\\\ud800", "😀", '\u0001\n"\\', "\u2028"]) {
    assert.deepEqual(readLog(encodeRecord({ s })).records, [{ s }]);
  }
  assert.throws(() => encodeRecord([1]), /must be a JSON object/);
});

test("a pluggable codec is used for parse, stringify and sha1", () => {
  let hashed = 0;
  const codec = {
    sha1: (b: Uint8Array) => {
      hashed++;
      return createHash("sha1").update(b).digest("hex");
    },
    stringify: (v: unknown) =>
      JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? `#${x}` : x)).replace(/"#(\d+)"/g, "$1"),
    parse: (t: string) =>
      JSON.parse(t.replace(/:(\d{16,})/g, ':"#$1"'), (_k, x) =>
        typeof x === "string" && x.startsWith("#") ? BigInt(x.slice(1)) : x,
      ),
  };
  const bytes = encodeRecord({ n: 9007199254740993n }, codec);
  assert.match(dec.decode(bytes), /\{"n":9007199254740993\}/);
  assert.deepEqual(readLog(bytes, codec).records, [{ n: 9007199254740993n }]);
  assert.equal(hashed, 2);
});

function flip(b: Uint8Array, i: number): void {
  b[i] = (b[i] ?? 0) ^ 0x01;
}

test("RecordEncoder: the same bytes as encodeRecord, record after record in its reused buffer, small and large", () => {
  const enc = new RecordEncoder();
  const records = [
    { _date: 1, T: { a: "x" } },
    { _date: 2, T: { b: "é€😀".repeat(500) } },
    { _date: 3 },
    { _date: 4, big: "y".repeat(70_000) },
    { _date: 5, T: { c: null } },
  ];
  for (const r of records) {
    const got = enc.encode(JSON.stringify(r)).slice();
    const nl = got.indexOf(0x0a);
    const body = got.subarray(nl + 1);
    const sha = createHash("sha1").update(body).digest("hex");
    assert.equal(new TextDecoder().decode(got.subarray(0, nl)), `OVSDB JSON ${body.length} ${sha}`);
    assert.deepEqual(got, encodeRecord(r));
    assert.deepEqual(readLog(got).records, [r]);
  }
});
