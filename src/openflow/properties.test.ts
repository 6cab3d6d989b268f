// Property tests of the codec and the text form:
// - decoding is total: random bytes, truncated and mutated real messages never make it throw, and
//   whatever decodes re-encodes and decodes to the same message;
// - random flows print → parse → print stably, and encode → decode → print gives the same text;
// - random matches given in any order print the same.

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { fromHex } from "./bytes.js";
import type { Action, FieldName, FlowMod, MatchField, Subfield } from "./model.js";
import { decodeMessage, encodeMessage } from "./msg-codec.js";
import { canonicalMatch } from "./oxm.js";
import { flowTextToFlowMod, formatFlow, formatMatch, parseActions, parseFlow, parseGroup } from "./text.js";

const DIR = fileURLToPath(new URL("../../../src/openflow/fixtures/wire/", import.meta.url));
const REAL: Uint8Array[] = readdirSync(DIR).flatMap((f) =>
  readFileSync(`${DIR}${f}`, "utf8")
    .split("\n")
    .filter((l) => l.startsWith("c2s ") || l.startsWith("s2c "))
    .map((l) => fromHex(l.slice(4)) ?? new Uint8Array()),
);

/** decode must not throw; if it succeeds, encode → decode must give the same message. */
function checkTotal(bytes: Uint8Array): void {
  const d = decodeMessage(bytes);
  if (!d.ok) return;
  let again: Uint8Array;
  try {
    again = encodeMessage(d.message);
  } catch (e) {
    // Only the size limit may stop re-encoding (a decoded message can grow: e.g. 32-bit ports).
    assert.ok(e instanceof RangeError, String(e));
    return;
  }
  const d2 = decodeMessage(again);
  assert.ok(d2.ok, d2.ok ? "" : d2.error);
  assert.deepEqual(d2.message, d.message);
}

test("decoding random bytes never throws", () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 0, maxLength: 200 }),
      fc.integer({ min: 0, max: 40 }),
      (body, type) => {
        const b = new Uint8Array(body.length + 8);
        b.set(body, 8);
        b[0] = 6;
        b[1] = type;
        b[2] = b.length >> 8;
        b[3] = b.length & 0xff;
        checkTotal(b);
        checkTotal(body);
      },
    ),
    { numRuns: 3000, seed: 7001 },
  );
});

test("truncated and mutated real messages never make decoding throw", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: REAL.length - 1 }),
      fc.integer({ min: 0, max: 2000 }),
      fc.integer({ min: 0, max: 255 }),
      fc.boolean(),
      (i, pos, byte, truncate) => {
        const real = REAL[i] ?? new Uint8Array();
        if (real.length === 0) return;
        const b = real.slice();
        const p = pos % b.length;
        if (truncate) {
          const t = b.slice(0, p);
          if (t.length >= 4) {
            t[2] = t.length >> 8;
            t[3] = t.length & 0xff;
          }
          checkTotal(t);
        } else {
          if (p >= 4) b[p] = byte;
          checkTotal(b);
        }
      },
    ),
    { numRuns: 5000, seed: 7002 },
  );
});

// ---- Random flows -------------------------------------------------------------------------------

const regIdx = fc.integer({ min: 0, max: 15 });
const u32 = fc.bigInt({ min: 0n, max: 0xffffffffn });
const mask32 = fc.constantFrom(0xffffffffn, 0x1n, 0xffn, 0xffff0000n, 0x80000000n, 0x3n);

const matchField: fc.Arbitrary<MatchField[]> = fc.oneof(
  fc
    .tuple(regIdx, u32, mask32)
    .map(([i, v, m]) => [
      m === 0xffffffffn
        ? { field: `reg${i}` as FieldName, value: v }
        : { field: `reg${i}` as FieldName, value: v & m, mask: m },
    ]),
  fc.bigInt({ min: 0n, max: 0xffffn }).map((v) => [{ field: "metadata" as FieldName, value: v }]),
  fc.integer({ min: 1, max: 0xfeff }).map((p) => [{ field: "in_port" as FieldName, value: BigInt(p) }]),
  fc.bigInt({ min: 0n, max: 0xffffffffffffn }).map((v) => [{ field: "eth_src" as FieldName, value: v }]),
  fc
    .bigInt({ min: 0n, max: 0xffffffffffffn })
    .map((v) => [{ field: "eth_dst" as FieldName, value: v & 0x010000000000n, mask: 0x010000000000n }]),
  fc.tuple(u32, fc.integer({ min: 1, max: 32 })).map(([v, len]) => {
    const m = ((1n << BigInt(len)) - 1n) << BigInt(32 - len);
    return [
      { field: "eth_type" as FieldName, value: 0x800n },
      m === 0xffffffffn
        ? { field: "ip_src" as FieldName, value: v }
        : { field: "ip_src" as FieldName, value: v & m, mask: m },
    ];
  }),
  fc.tuple(fc.constantFrom(6n, 17n), fc.integer({ min: 0, max: 65535 })).map(([proto, port]) => [
    { field: "eth_type" as FieldName, value: 0x800n },
    { field: "nw_proto" as FieldName, value: proto },
    { field: (proto === 6n ? "tcp_dst" : "udp_dst") as FieldName, value: BigInt(port) },
  ]),
  // Masks short of all eight flags: with all eight, ovs-ofctl text cannot tell 0xff from an exact match.
  // ct_state masks short of all eight flags: with all eight, the text cannot tell 0xff from exact.
  fc
    .tuple(fc.bigInt({ min: 0n, max: 0xffn }), fc.bigInt({ min: 1n, max: 0x7fn }))
    .map(([v, m]) => [{ field: "ct_state" as FieldName, value: v & m, mask: m }]),
  fc
    .tuple(u32, mask32)
    .map(([v, m]) => [
      m === 0xffffffffn
        ? { field: "ct_mark" as FieldName, value: v }
        : { field: "ct_mark" as FieldName, value: v & m, mask: m },
    ]),
  fc
    .bigInt({ min: 0n, max: (1n << 128n) - 1n })
    .map((v) => [{ field: "ct_label" as FieldName, value: v & 0xffn, mask: 0xffn }]),
  u32.map((v) => [{ field: "pkt_mark" as FieldName, value: v }]),
  fc.bigInt({ min: 0n, max: 0xffffffffffffffffn }).map((v) => [{ field: "tun_id" as FieldName, value: v }]),
  fc
    .integer({ min: 0, max: 4095 })
    .map((vid) => [{ field: "vlan_tci" as FieldName, value: 0x1000n | BigInt(vid), mask: 0x1fffn }]),
);

/** A match without two generators fighting over one field. */
const match: fc.Arbitrary<MatchField[]> = fc.array(matchField, { maxLength: 6 }).map((groups) => {
  const seen = new Set<string>();
  const out: MatchField[] = [];
  for (const g of groups) {
    if (g.some((m) => seen.has(m.field) || (m.field !== "eth_type" && seen.has(`${m.field}`)))) continue;
    if (g.some((m) => m.field === "eth_type") && seen.has("eth_type")) continue;
    for (const m of g) {
      seen.add(m.field);
      out.push(m);
    }
  }
  return out;
});

const reg = (i: number, ofs: number, nBits: number): Subfield => ({
  field: `reg${i}` as FieldName,
  ofs,
  nBits,
});
const regSub: fc.Arbitrary<Subfield> = fc
  .tuple(regIdx, fc.integer({ min: 0, max: 31 }), fc.integer({ min: 1, max: 32 }))
  .map(([i, ofs, n]) => reg(i, Math.min(ofs, 32 - n), n));

const leafAction: fc.Arbitrary<Action> = fc.oneof(
  fc
    .integer({ min: 0, max: 254 })
    .map((t): Action => ({ kind: "resubmit", port: 0xfff8, table: t, ct: false })),
  fc
    .tuple(regIdx, u32, mask32)
    .map(
      ([i, v, m]): Action =>
        m === 0xffffffffn
          ? { kind: "set_field", field: `reg${i}` as FieldName, value: v }
          : { kind: "set_field", field: `reg${i}` as FieldName, value: v & m, mask: m },
    ),
  fc.tuple(regSub, regIdx).map(([s, j]): Action => ({ kind: "move", src: s, dst: reg(j, s.ofs, s.nBits) })),
  fc.integer({ min: 1, max: 0xfeff }).map((p): Action => ({ kind: "output", port: p })),
  regSub.map((s): Action => ({ kind: "output_reg", src: { ...s, ofs: 0, nBits: 16 }, maxLen: 0xffff })),
  fc.tuple(fc.integer({ min: 0, max: 0xffff }), fc.boolean()).map(
    ([z, c]): Action => ({
      kind: "ct",
      commit: c,
      force: false,
      zone: z,
      table: c ? null : 9,
      alg: 0,
      nat: null,
      exec: c ? [{ kind: "set_field", field: "ct_mark", value: 1n, mask: 1n }] : [],
    }),
  ),
  fc.uint8Array({ minLength: 1, maxLength: 20 }).map(
    (u): Action => ({
      kind: "controller",
      maxLen: 0xffff,
      reason: "action",
      controllerId: 0,
      userdata: u,
      pause: u.length % 2 === 0,
      meterId: null,
    }),
  ),
  u32.map((g): Action => ({ kind: "group", id: Number(g) })),
  fc.constant<Action>({ kind: "dec_ttl", controllerIds: [] }),
  fc.constant<Action>({ kind: "ct_clear" }),
  fc.tuple(fc.integer({ min: 64, max: 9000 }), regIdx, fc.integer({ min: 0, max: 31 })).map(
    ([len, i, b]): Action => ({
      kind: "check_pkt_larger",
      len,
      dst: reg(i, b, 1),
    }),
  ),
);

/** Rarer action kinds, with their own argument shapes. */
const otherAction: fc.Arbitrary<Action> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom<"src" | "dst">("src", "dst"),
      u32,
      fc.integer({ min: 0, max: 3 }),
      fc.integer({ min: 1, max: 65535 }),
      fc.boolean(),
    )
    .map(
      ([kind, ip, span, port, withPorts]): Action => ({
        kind: "ct",
        commit: true,
        force: false,
        zone: reg(13, 0, 16),
        table: null,
        alg: 0,
        nat: {
          kind,
          addr: { v6: false, min: ip, max: ip + BigInt(span) > 0xffffffffn ? ip : ip + BigInt(span) },
          ports: withPorts ? { min: port, max: port } : null,
          persistent: span === 1,
          hash: false,
          random: span === 2,
        },
        exec: [],
      }),
    ),
  fc.uint8Array({ minLength: 0, maxLength: 14 }).map((b): Action => ({ kind: "note", bytes: b })),
  fc.tuple(fc.integer({ min: 1, max: 64 }), regIdx).map(
    ([links, i]): Action => ({
      kind: "multipath",
      fields: "symmetric_l4",
      basis: 50,
      algorithm: "hrw",
      maxLink: links - 1,
      arg: 0,
      dst: reg(i, 0, 8),
    }),
  ),
  fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 4 }).map(
    (members): Action => ({
      kind: "bundle",
      fields: "eth_src",
      basis: 0,
      algorithm: "active_backup",
      members,
      dst: null,
    }),
  ),
  fc.integer({ min: 1, max: 65535 }).map(
    (p): Action => ({
      kind: "sample",
      probability: p,
      collectorSetId: 1,
      obsDomainId: 2,
      obsPointId: 3,
      samplingPort: 0xffff,
      direction: "default",
    }),
  ),
  fc.tuple(regSub).map(([s]): Action => ({ kind: "push", src: s })),
  fc.tuple(regSub).map(([s]): Action => ({ kind: "pop", dst: s })),
  fc
    .tuple(fc.integer({ min: 0, max: 0xfffffff }), fc.integer({ min: 2, max: 8 }))
    .map(([id, n]): Action => ({ kind: "conjunction", id, k: 1 + (id % n), n })),
  fc.integer({ min: 0, max: 254 }).map(
    (t): Action => ({
      kind: "learn",
      table: t,
      idleTimeout: 10,
      hardTimeout: 0,
      finIdleTimeout: 0,
      finHardTimeout: 0,
      priority: 100,
      cookie: 0x1234n,
      sendFlowRem: false,
      deleteLearned: t % 2 === 0,
      limit: 0,
      resultDst: null,
      specs: [
        {
          kind: "match",
          dst: { field: "metadata", ofs: 0, nBits: 64 },
          src: { kind: "field", src: { field: "metadata", ofs: 0, nBits: 64 } },
        },
        {
          kind: "match",
          dst: { field: "eth_dst", ofs: 0, nBits: 48 },
          src: { kind: "field", src: { field: "eth_src", ofs: 0, nBits: 48 } },
        },
        { kind: "load", dst: reg(10, 7, 1), src: { kind: "imm", value: 1n, nBits: 1 } },
        { kind: "output", src: { field: "in_port", ofs: 0, nBits: 16 } },
      ],
    }),
  ),
  fc.integer({ min: 0, max: 255 }).map((ttl): Action => ({ kind: "set_ttl", ttl })),
  fc.constant<Action>({ kind: "dec_nw_ttl" }),
  fc.constant<Action>({ kind: "pop_vlan" }),
  fc.constant<Action>({ kind: "exit" }),
  fc.integer({ min: 0, max: 0xffffffff }).map((q): Action => ({ kind: "set_queue", queue: q })),
  fc.integer({ min: 1, max: 0xffff }).map((id): Action => ({ kind: "meter", id })),
);

const actions: fc.Arbitrary<Action[]> = fc.array(
  fc.oneof(
    { weight: 5, arbitrary: leafAction },
    { weight: 2, arbitrary: otherAction },
    {
      weight: 1,
      arbitrary: fc.array(leafAction, { maxLength: 3 }).map((a): Action => ({ kind: "clone", actions: a })),
    },
  ),
  { maxLength: 6 },
);

const flowMod: fc.Arbitrary<FlowMod> = fc
  .tuple(
    fc.integer({ min: 0, max: 254 }),
    fc.integer({ min: 0, max: 65535 }),
    fc.bigInt({ min: 0n, max: 0xffffffffn }),
    match,
    actions,
  )
  .map(([table, priority, cookie, m, a]) => ({
    command: "add",
    table,
    priority,
    cookie,
    match: m,
    actions: a,
  }));

test("random flows: print → parse → print is stable, and the wire round trip prints the same", () => {
  fc.assert(
    fc.property(flowMod, (fm) => {
      const text = formatFlow(fm);
      const p = parseFlow(text);
      assert.ok(p.ok, `${text}: ${p.ok ? "" : p.error}`);
      assert.equal(formatFlow(p.flow), text);
      const d = decodeMessage(encodeMessage({ kind: "flow_mod", xid: 7, flowMod: fm }));
      assert.ok(d.ok && d.message.kind === "flow_mod", d.ok ? d.message.kind : d.error);
      if (d.ok && d.message.kind === "flow_mod") assert.equal(formatFlow(d.message.flowMod), text);
      // Encoding the parsed text gives the same bytes as encoding the model.
      assert.deepEqual(
        encodeMessage({ kind: "flow_mod", xid: 7, flowMod: flowTextToFlowMod(p.flow) }),
        encodeMessage({
          kind: "flow_mod",
          xid: 7,
          flowMod: { ...fm, idleTimeout: 0, hardTimeout: 0, importance: 0, flags: {} },
        }),
      );
    }),
    { numRuns: 1500, seed: 7003 },
  );
});

test("random matches print the same in any order, and canonicalMatch is idempotent", () => {
  fc.assert(
    fc.property(match, fc.integer({ min: 0, max: 65535 }), (m, prio) => {
      const want = formatMatch(m, prio);
      assert.equal(formatMatch([...m].reverse(), prio), want);
      const c = canonicalMatch(m);
      assert.equal(formatMatch(c, prio), want);
      assert.deepEqual(canonicalMatch(c), c);
    }),
    { numRuns: 1500, seed: 7004 },
  );
});

test("the text parsers are total: random and mangled text gives ok or an error, never a throw", () => {
  const real = readFileSync(
    fileURLToPath(
      new URL("../../../src/openflow/fixtures/text/ovn-controller-dump-flows.txt", import.meta.url),
    ),
    "utf8",
  )
    .split("\n")
    .filter((l) => l !== "");
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: real.length - 1 }),
      fc.integer({ min: 0, max: 500 }),
      fc.integer({ min: 0, max: 30 }),
      fc.string({ maxLength: 8 }),
      (i, at, cut, junk) => {
        const l = real[i] ?? "";
        const p = at % (l.length + 1);
        const mangled = l.slice(0, p) + junk + l.slice(p + cut);
        for (const text of [mangled, junk, l.slice(0, p)]) {
          const r = parseFlow(text);
          if (r.ok) {
            // Whatever parses must print and parse again.
            assert.ok(parseFlow(formatFlow(r.flow)).ok, text);
          }
          parseGroup(text);
          parseActions(text);
        }
      },
    ),
    { numRuns: 4000, seed: 7005 },
  );
});
