// Property tests of the match language: random expressions over a handful of fields.
//  - printing a syntax tree and parsing the text gives the same tree;
//  - the simplified and normalised forms match exactly the packets the annotated form matches;
//  - the normalised form prints and parses back to an equivalent expression;
//  - relational operators are simplified correctly (exhaustively on a 4-bit field);
//  - address and number formats round-trip.

import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { annotateExpr } from "./annotate.js";
import { type Expr, stableKey } from "./ast.js";
import { evaluate, type Packet } from "./eval.js";
import { tokenize } from "./lexer.js";
import { normalizeExpr, simplifyExpr } from "./normalize.js";
import { DEFAULT_CONTEXT, type ExprContext, parseExpr } from "./parser.js";
import { printExpr } from "./printer.js";
import { formatIpv4, formatIpv6, formatMac, parseIpv4, parseIpv6, parseMac } from "./values.js";

const ctx: ExprContext = {
  ...DEFAULT_CONTEXT,
  addressSets: (n) => (n === "web" ? ["10.0.0.1", "10.1.0.0/16"] : undefined),
  portGroups: (n) => (n === "pg" ? ["a", "b"] : undefined),
};

const parseOk = (s: string): Expr => {
  const r = parseExpr(s, ctx);
  if (!r.ok) throw new Error(`${s}: ${r.error}`);
  return r.value;
};

// ---- Generating expressions -------------------------------------------------------------------------

/** Constants from small pools, so that random packets often hit them. */
const ip4Const = fc.constantFrom(
  "10.0.0.1",
  "10.1.2.3",
  "192.168.0.1",
  "10.0.0.0/8",
  "10.1.0.0/16",
  "0.0.0.0",
);
const portConst = fc.constantFrom("0", "22", "80", "443", "1024", "65535");
const nibble = fc.integer({ min: 0, max: 15 }).map(String);
const relop = fc.constantFrom("==", "!=", "<", "<=", ">", ">=");
const eqop = fc.constantFrom("==", "!=");

function setOf(c: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.array(c, { minLength: 1, maxLength: 3 }).map((xs) => `{${xs.join(", ")}}`);
}

/** A comparison valid whether or not it ends up under a `!`. */
const ordinalLeaf: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(fc.constantFrom("reg0[0..3]", "reg1[4..7]", "vlan.vid[0..3]"), relop, nibble)
    .map(([f, r, c]) => `${f} ${r} ${c}`),
  fc
    .tuple(fc.constantFrom("reg0[0..3]", "reg1[4..7]"), eqop, setOf(nibble))
    .map(([f, r, c]) => `${f} ${r} ${c}`),
  fc.tuple(fc.constantFrom("tcp.dst", "udp.src"), relop, portConst).map(([f, r, c]) => `${f} ${r} ${c}`),
  fc
    .tuple(
      fc.constantFrom("ip4.src", "ip4.dst"),
      eqop,
      fc.oneof(ip4Const, setOf(ip4Const), fc.constant("$web")),
    )
    .map(([f, r, c]) => `${f} ${r} ${c}`),
  fc.constantFrom(
    "ct.est",
    "ct.new",
    "ct.trk",
    "flags.loopback",
    "reg2[5]",
    "eth.mcast",
    "vlan.present",
    "ip.is_frag",
    "eth.bcast",
  ),
  fc.constantFrom("eth.dst == 01:00:00:00:00:00/01:00:00:00:00:00", "eth.dst != ff:ff:ff:ff:ff:ff", "0", "1"),
);

/** Nominal tests, only valid where the enclosing `!`s are even. */
const nominalLeaf: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("ip4", "ip6", "tcp", "udp", "arp", "ip", "icmp4"),
  fc.constantFrom('inport == "a"', 'inport == {"a", "b"}', "inport == @pg", 'outport == "b"'),
  fc.constantFrom("eth.type == 0x800", "ip.proto == 6", "ip.proto == {6, 17}", "ip.ttl == 1"),
);

const leaf = (positive: boolean): fc.Arbitrary<string> =>
  positive ? fc.oneof(ordinalLeaf, nominalLeaf) : ordinalLeaf;

function expr(depth: number, positive: boolean): fc.Arbitrary<string> {
  if (depth === 0) return leaf(positive);
  const sub = expr(depth - 1, positive);
  return fc.oneof(
    { weight: 2, arbitrary: leaf(positive) },
    fc.array(sub, { minLength: 2, maxLength: 3 }).map((xs) => `(${xs.join(" && ")})`),
    fc.array(sub, { minLength: 2, maxLength: 3 }).map((xs) => `(${xs.join(" || ")})`),
    expr(depth - 1, !positive).map((x) => `!(${x})`),
  );
}

const exprArb = expr(3, true);

// ---- Generating packets -----------------------------------------------------------------------------

const pick = <T>(xs: readonly T[]): fc.Arbitrary<T> => fc.constantFrom(...xs);
const bits = (n: number): fc.Arbitrary<bigint> => fc.bigInt({ min: 0n, max: (1n << BigInt(n)) - 1n });
const biased = (n: number, common: readonly bigint[]): fc.Arbitrary<bigint> =>
  fc.oneof(pick(common), bits(n));

const packetArb: fc.Arbitrary<Packet> = fc
  .record({
    xxreg0: bits(128),
    "eth.type": biased(16, [0x800n, 0x86ddn, 0x806n]),
    "ip.proto": biased(8, [6n, 17n, 1n]),
    "ip.ttl": biased(8, [1n, 64n]),
    "ip.frag": bits(2),
    "ip4.src": biased(32, [0x0a000001n, 0x0a010203n, 0xc0a80001n, 0x0a01ffffn, 0n]),
    "ip4.dst": biased(32, [0x0a000001n, 0x0a010203n, 0n]),
    "tcp.dst": biased(16, [0n, 22n, 80n, 443n, 1024n, 65535n]),
    "udp.src": biased(16, [80n, 1024n]),
    "eth.dst": biased(48, [0xffffffffffffn, 0x010000000000n, 0x505400000001n]),
    "vlan.tci": bits(16),
    ct_state: bits(8),
    flags: bits(32),
    inport: pick(["a", "b", "c"]),
    outport: pick(["a", "b"]),
  })
  .map((r) => ({ fields: new Map<string, bigint | string>(Object.entries(r)) }));

// ---- Properties -------------------------------------------------------------------------------------

test("print then parse gives back the same syntax tree", () => {
  fc.assert(
    fc.property(exprArb, (s) => {
      const t = parseOk(s);
      const again = parseOk(printExpr(t));
      assert.equal(stableKey(again), stableKey(t), `${s}\nprinted: ${printExpr(t)}`);
    }),
    { numRuns: 400 },
  );
});

test("simplified and normalised forms agree with the annotated form on random packets", () => {
  fc.assert(
    fc.property(exprArb, fc.array(packetArb, { minLength: 8, maxLength: 8 }), (s, packets) => {
      const annotated = annotateExpr(parseOk(s), ctx);
      const simplified = simplifyExpr(annotated);
      const normal = normalizeExpr(annotated);
      for (const p of packets) {
        const want = evaluate(annotated, p);
        assert.equal(evaluate(simplified, p), want, `simplify: ${s}`);
        assert.equal(evaluate(normal, p), want, `normalize: ${s}\n  normal: ${printExpr(normal)}`);
      }
    }),
    { numRuns: 300 },
  );
});

// The normalised text always parses; parsing it adds back the prerequisites of the fields it names,
// which can only restate what the expression already implies, so the meaning is unchanged (the form
// itself may differ: `!ip.frag[0]` alone comes back as `ip && !ip.frag[0]`).
test("the normalised form prints and parses back to an equivalent expression", () => {
  fc.assert(
    fc.property(exprArb, fc.array(packetArb, { minLength: 8, maxLength: 8 }), (s, packets) => {
      const normal = normalizeExpr(annotateExpr(parseOk(s), ctx));
      const text = printExpr(normal);
      const again = normalizeExpr(annotateExpr(parseOk(text), ctx));
      for (const p of packets)
        assert.equal(evaluate(again, p), evaluate(normal, p), `${s}\n  normal: ${text}`);
    }),
    { numRuns: 300 },
  );
});

test("relational tests of a 4-bit field simplify exactly (exhaustive)", () => {
  for (const op of ["==", "!=", "<", "<=", ">", ">="] as const) {
    for (let c = 0; c < 16; c++) {
      const e = annotateExpr(parseOk(`reg0[4..7] ${op} ${c}`));
      const s = simplifyExpr(e);
      const n = normalizeExpr(e);
      for (let x = 0; x < 16; x++) {
        // reg0[4..7] is xxreg0[100..103]; set other bits too, which must not matter.
        const p: Packet = { fields: new Map([["xxreg0", (BigInt(x) << 100n) | 0x5n]]) };
        const want = { "==": x === c, "!=": x !== c, "<": x < c, "<=": x <= c, ">": x > c, ">=": x >= c }[op];
        assert.equal(evaluate(s, p), want, `${op} ${c} at ${x}`);
        assert.equal(evaluate(n, p), want, `${op} ${c} at ${x} (normalised)`);
      }
    }
  }
});

/** parseIpv6 as first written (split, a regex and a bigint per group): the reference for the fast one. */
function naiveParseIpv6(s: string): bigint | null {
  if (s.length === 0) return null;
  const halves = s.split("::");
  if (halves.length > 2) return null;
  const parseGroups = (part: string, allowV4: boolean): bigint[] | null => {
    if (part === "") return [];
    const items = part.split(":");
    const out: bigint[] = [];
    for (let i = 0; i < items.length; i++) {
      const it = items[i] ?? "";
      if (allowV4 && i === items.length - 1 && it.includes(".")) {
        const v4 = parseIpv4(it);
        if (v4 === null) return null;
        out.push(v4 >> 16n, v4 & 0xffffn);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(it)) return null;
        out.push(BigInt(`0x${it}`));
      }
    }
    return out;
  };
  let groups: bigint[];
  if (halves.length === 1) {
    const g = parseGroups(s, true);
    if (g === null || g.length !== 8) return null;
    groups = g;
  } else {
    const head = parseGroups(halves[0] ?? "", false);
    const tail = parseGroups(halves[1] ?? "", true);
    if (head === null || tail === null || head.length + tail.length > 7) return null;
    groups = [...head, ...new Array<bigint>(8 - head.length - tail.length).fill(0n), ...tail];
  }
  return groups.reduce((acc, g) => (acc << 16n) | g, 0n);
}

test("parseIpv6 agrees with the straightforward parser on random text and on addresses", () => {
  const chars = fc.constantFrom(..."0123456789abcdefABCDEFgx:::...".split(""));
  fc.assert(
    fc.property(fc.array(chars, { maxLength: 48 }), (cs) => {
      const t = cs.join("");
      assert.equal(parseIpv6(t), naiveParseIpv6(t), t);
    }),
    { numRuns: 20000 },
  );
  // Near-valid forms: groups of 0-5 hex digits, one or two `::`, a dotted-quad tail.
  const group = fc.stringMatching(/^[0-9a-fA-F]{0,5}$/);
  fc.assert(
    fc.property(
      fc.array(group, { minLength: 1, maxLength: 9 }),
      fc.nat(9),
      fc.boolean(),
      fc.option(fc.tuple(bits(8), bits(8), bits(8), bits(8))),
      (gs, at, twice, quad) => {
        const parts = [...gs];
        if (at < parts.length) parts.splice(at, 0, "");
        if (twice) parts.splice(0, 0, "");
        let t = parts.join(":");
        if (quad !== null) t += `:${quad.join(".")}`;
        assert.equal(parseIpv6(t), naiveParseIpv6(t), t);
      },
    ),
    { numRuns: 20000 },
  );
  for (const t of [
    "::",
    "::1",
    "1::",
    "fe80::1",
    "::ffff:10.0.0.1",
    "1:2:3:4:5:6:7:8",
    "1:2:3:4:5:6:1.2.3.4",
  ])
    assert.equal(parseIpv6(t), naiveParseIpv6(t), t);
});

test("addresses format and parse back", () => {
  fc.assert(
    fc.property(bits(128), (v) => {
      assert.equal(parseIpv6(formatIpv6(v)), v);
    }),
  );
  fc.assert(
    fc.property(fc.array(fc.constantFrom(0n, 1n, 0xffffn), { minLength: 8, maxLength: 8 }), (groups) => {
      // Many zero groups exercise the `::` compression rules.
      const v = groups.reduce<bigint>((a, g) => (a << 16n) | g, 0n);
      assert.equal(parseIpv6(formatIpv6(v)), v);
    }),
  );
  fc.assert(
    fc.property(bits(32), (v) => {
      assert.equal(parseIpv4(formatIpv4(v)), v);
    }),
  );
  fc.assert(
    fc.property(bits(48), (v) => {
      assert.equal(parseMac(formatMac(v)), v);
    }),
  );
});

test("integers lex to their value in every format", () => {
  fc.assert(
    fc.property(bits(200), (v) => {
      const t = tokenize(`0x${v.toString(16)}`)[0];
      assert.ok(t !== undefined && t.type === "integer");
      assert.equal(t.constant.value, v);
    }),
  );
  fc.assert(
    fc.property(bits(64), (v) => {
      const t = tokenize(v.toString(10))[0];
      assert.ok(t !== undefined && t.type === "integer");
      assert.equal(t.constant.value, v);
    }),
  );
  fc.assert(
    fc.property(bits(128), fc.integer({ min: 0, max: 128 }), (v, plen) => {
      const t = tokenize(`${formatIpv6(v)}/${plen}`)[0];
      assert.ok(t !== undefined && t.type === "masked-integer", `${formatIpv6(v)}/${plen}`);
      const mask = plen === 0 ? 0n : ((1n << BigInt(plen)) - 1n) << BigInt(128 - plen);
      assert.equal(t.constant.mask, mask);
      assert.equal(t.constant.value, v & mask);
    }),
  );
});
