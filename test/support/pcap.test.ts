import assert from "node:assert/strict";
import { test } from "node:test";
import { fromHex, parsePcap, toHex } from "./pcap.js";

/** A pcap file built field by field: header, then (sec, frac, data) records. */
function pcap(opts: {
  little: boolean;
  nano?: boolean;
  records: [number, number, string][];
  cut?: number;
}): Uint8Array {
  const parts: number[] = [];
  const u32 = (v: number): void => {
    const b = [v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
    parts.push(...(opts.little ? b.reverse() : b));
  };
  const u16 = (v: number): void => {
    const b = [v >>> 8, v & 0xff];
    parts.push(...(opts.little ? b.reverse() : b));
  };
  u32(opts.nano === true ? 0xa1b23c4d : 0xa1b2c3d4);
  u16(2);
  u16(4);
  u32(0);
  u32(0);
  u32(65535);
  u32(1);
  for (const [sec, frac, hex] of opts.records) {
    const data = fromHex(hex) ?? new Uint8Array();
    u32(sec);
    u32(frac);
    u32(data.length);
    u32(data.length);
    parts.push(...data);
  }
  const bytes = Uint8Array.from(parts);
  return opts.cut === undefined ? bytes : bytes.subarray(0, bytes.length - opts.cut);
}

test("parsePcap reads little- and big-endian microsecond files alike", () => {
  for (const little of [true, false]) {
    const r = parsePcap(
      pcap({
        little,
        records: [
          [10, 5, "ffffffffffff"],
          [11, 0, "0102"],
        ],
      }),
    );
    assert.ok(r.ok);
    assert.equal(r.linkType, 1);
    assert.equal(r.snapLen, 65535);
    assert.equal(r.truncated, false);
    assert.deepEqual(
      r.packets.map((p) => [p.timeUs, p.origLen, toHex(p.data)]),
      [
        [10_000_005n, 6, "ffffffffffff"],
        [11_000_000n, 2, "0102"],
      ],
    );
  }
});

test("parsePcap scales nanosecond timestamps to microseconds", () => {
  const r = parsePcap(pcap({ little: true, nano: true, records: [[1, 2_500, "00"]] }));
  assert.ok(r.ok);
  assert.equal(r.packets[0]?.timeUs, 1_000_002n);
});

test("parsePcap leaves out a record still being written and says so", () => {
  const r = parsePcap(
    pcap({
      little: true,
      records: [
        [1, 0, "aabb"],
        [2, 0, "ccddeeff"],
      ],
      cut: 2,
    }),
  );
  assert.ok(r.ok);
  assert.equal(r.truncated, true);
  assert.deepEqual(
    r.packets.map((p) => toHex(p.data)),
    ["aabb"],
  );
});

test("parsePcap returns errors for what is not a pcap file", () => {
  assert.deepEqual(parsePcap(new Uint8Array(3)), { ok: false, error: "pcap header needs 24 bytes, got 3" });
  assert.deepEqual(parsePcap(new Uint8Array(24)), { ok: false, error: "not a pcap file (magic 0x00000000)" });
});

test("hex helpers round-trip and reject odd input", () => {
  assert.equal(toHex(fromHex("00:ff 10.ab") ?? new Uint8Array()), "00ff10ab");
  assert.equal(fromHex("abc"), undefined);
  assert.equal(fromHex("zz"), undefined);
});
