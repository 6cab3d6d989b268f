// Compiled OpenFlow matches against direct evaluation of the logical match (STYLE habit 3): for the
// matches of every logical flow in the reference corpus and some written here, random packets built
// around the constants of the expression match the compiled flows (ordinary flows, or a conj_id flow
// plus one clause flow per clause) exactly when evaluate() says the expression holds.

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { annotateExpr } from "../../expr/annotate.js";
import type { Expr } from "../../expr/ast.js";
import { evaluate } from "../../expr/eval.js";
import { type ExprContext, parseExpr } from "../../expr/parser.js";
import { OVN_SYMBOLS, symbolWidth } from "../../expr/symbols.js";
import { allOnes } from "../../expr/values.js";
import { type CompiledMatch, exprToMatches, type MatchLookups, resolveChassisTerms } from "./matches.js";

const CORPUS = fileURLToPath(new URL("../../../../src/controller/lflow/peer/corpus/", import.meta.url));

/** A small deterministic generator (xorshift), so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

function randomBits(r: () => number, width: number): bigint {
  let v = 0n;
  for (let i = 0; i < width; i += 16) v = (v << 16n) | BigInt(Math.floor(r() * 65536));
  return v & allOnes(width);
}

function width(field: string): number {
  if (field === "inport" || field === "outport" || field === "metadata") return 32;
  const s = OVN_SYMBOLS.lookup(field);
  return s === undefined ? 32 : (symbolWidth(s) ?? 32);
}

/** Each field of an annotated expression with the masked constants it is compared with. */
function constants(e: Expr, out = new Map<string, { value: bigint; mask: bigint }[]>()) {
  switch (e.kind) {
    case "and":
    case "or":
      for (const a of e.args) constants(a, out);
      break;
    case "test": {
      const l = out.get(e.field) ?? [];
      l.push({ value: e.value, mask: e.mask });
      out.set(e.field, l);
      break;
    }
    case "set": {
      const l = out.get(e.field) ?? [];
      l.push(...e.values);
      out.set(e.field, l);
      break;
    }
    default:
      break;
  }
  return out;
}

function termHolds(fields: ReadonlyMap<string, bigint | string>, m: CompiledMatch): boolean {
  return m.terms.every((t) => {
    const v = fields.get(t.field);
    return ((typeof v === "bigint" ? v : 0n) & t.mask) === t.value;
  });
}

/** OpenFlow's verdict: an ordinary flow matches, or a conj_id flow whose every clause has a match. */
function flowsMatch(
  ms: readonly CompiledMatch[],
  nConjs: number,
  fields: ReadonlyMap<string, bigint | string>,
): boolean {
  const hits = ms.filter((m) => termHolds(fields, m));
  if (hits.some((m) => m.clauses.length === 0 && m.conjId === null)) return true;
  for (let id = 0; id < nConjs; id++) {
    if (!hits.some((m) => m.conjId === id)) continue;
    const clauses = ms.flatMap((m) => m.clauses.filter((c) => c.conj === id));
    const n = clauses[0]?.nClauses ?? 0;
    let all = true;
    for (let k = 1; k <= n; k++) {
      if (!hits.some((m) => m.clauses.some((c) => c.conj === id && c.clause === k))) all = false;
    }
    if (all) return true;
  }
  return false;
}

const PORTS: Record<string, number> = { p1: 1, p2: 2, p3: 3, "sw0-lr0": 4, _MC_flood: 0x8000 };
const lookups: MatchLookups = {
  portKey: (n) => PORTS[n] ?? (n.length % 3 === 0 ? undefined : 100 + n.length),
  isChassisResident: (p) => p.length % 2 === 0,
};
const ctx: ExprContext = {
  symbols: OVN_SYMBOLS,
  addressSets: (n) =>
    n.endsWith("ip6")
      ? ["fd00::1", "fd00:1::/64"]
      : n.startsWith("as") || n.endsWith("ip4")
        ? ["10.1.0.1", "10.1.0.2", "10.2.0.0/16"]
        : ["00:00:00:00:00:01"],
  portGroups: () => ["p1", "p2", "xyz"],
};

const HANDWRITTEN = [
  "outport == @pg && ip4.src == $as_x && tcp.dst == {80, 443}",
  "(ip4.src == {10.0.0.1, 10.0.0.2} && tcp.dst == {1, 2, 3}) || (ip4.dst == {10.0.0.3, 10.0.0.4} && udp.src == {5, 6})",
  "ip4.src == {10.0.0.1, 10.0.0.2} && ip4.dst == {10.0.0.1, 10.0.0.2} && tcp",
  "tcp.dst >= 1000 && tcp.dst <= 2000 && ip4.dst == 10.9.0.0/16",
  'inport == "p1" && eth.dst != ff:ff:ff:ff:ff:ff && reg0[3..5] != 5',
  'is_chassis_resident("ab") && !is_chassis_resident("abc") && ct.est && !ct.rpl',
  "ip6.mcast_flood || nd || (arp && arp.op == {1, 2} && arp.tpa == $as_y)",
  'inport == {"p1", "p2", "p3", "xyz"} && outport == {"p1", "p2"} && ip4.src == {1.1.1.1, 2.2.2.2}',
];

function corpusMatches(): string[] {
  const out = new Set<string>();
  for (const f of readdirSync(CORPUS).filter((n) => n.endsWith(".json"))) {
    const c = JSON.parse(readFileSync(`${CORPUS}${f}`, "utf8")) as {
      sb: { Logical_Flow: Record<string, { match: string }> };
    };
    for (const r of Object.values(c.sb.Logical_Flow)) out.add(r.match);
  }
  return [...out];
}

function check(matchText: string, seed: number, runs: number): void {
  const parsed = parseExpr(matchText, ctx);
  assert.ok(parsed.ok, `${matchText}: ${parsed.ok ? "" : parsed.error}`);
  const resolved = resolveChassisTerms(annotateExpr(parsed.value, ctx), lookups);
  const { matches, nConjs } = exprToMatches(resolved);
  const consts = constants(resolved);
  const r = rng(seed);
  for (let i = 0; i < runs; i++) {
    const fields = new Map<string, bigint | string>();
    for (const [f, cs] of consts) {
      const w = width(f);
      const c = cs[Math.floor(r() * cs.length)];
      const noise = randomBits(r, w);
      fields.set(f, c !== undefined && r() < 0.8 ? (c.value & c.mask) | (noise & ~c.mask) : noise);
    }
    const want = evaluate(resolved, { fields });
    assert.equal(flowsMatch(matches, nConjs, fields), want, `${matchText}\npacket ${[...fields].join(" ")}`);
  }
}

test("compiled matches agree with evaluate() on hand-written matches", () => {
  for (const [i, m] of HANDWRITTEN.entries()) check(m, 1000 + i, 400);
});

test("compiled matches agree with evaluate() on every corpus match", () => {
  const all = corpusMatches();
  assert.ok(all.length > 100, `corpus has ${all.length} matches`);
  for (const [i, m] of all.entries()) check(m, 7 + i, 60);
});

test("a match with two sets becomes a conjunctive match numbered by field name", () => {
  const parsed = parseExpr("tcp.dst == {80, 443} && outport == @pg && ip4.src == $as_x", ctx);
  assert.ok(parsed.ok);
  const { matches, nConjs } = exprToMatches(resolveChassisTerms(annotateExpr(parsed.value, ctx), lookups));
  assert.equal(nConjs, 1);
  const show = (m: CompiledMatch) =>
    `${m.terms.map((t) => `${t.field}=${t.value.toString(16)}/${t.mask.toString(16)}`).join(",")}` +
    (m.conjId !== null ? ` conj_id=${m.conjId}` : "") +
    m.clauses.map((c) => ` conjunction(${c.conj},${c.clause}/${c.nClauses})`).join("");
  const text = matches.map(show).sort();
  // ip4.src (clause 1: 3 addresses), outport (2: the port group's ports in the datapath), tcp.dst (3).
  assert.equal(text.filter((t) => t.includes(",1/3)")).length, 3);
  assert.equal(text.filter((t) => t.includes(",2/3)")).length, 2);
  assert.equal(text.filter((t) => t.includes(",3/3)")).length, 2);
  assert.deepEqual(
    text.filter((t) => t.includes("conj_id")),
    ["eth.type=800/ffff,ip.proto=6/ff conj_id=0"],
  );
});
