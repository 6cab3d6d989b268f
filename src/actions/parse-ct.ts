// Connection-tracking actions with arguments: ct_commit, ct_dnat/ct_snat (and their _in_czone
// variants), ct_lb and ct_lb_mark.

import type { TokenStream } from "../expr/token-stream.js";
import type { IntConstant } from "../expr/values.js";
import { allOnes } from "../expr/values.js";
import type { Action, IpPort, NatActionName } from "./ast.js";
import type { ActionParser } from "./parser.js";

/** `ct_commit;`, `ct_commit { ct_mark = ...; };` or the older `ct_commit(ct_mark=..., ct_label=...)`. */
export function parseCtCommit(p: ActionParser): Action {
  const ts: TokenStream = p.ts;
  p.addPrereq("ip");
  if (ts.is("{")) return { kind: "ct_commit", nested: p.parseNested("ct_commit") };
  if (!ts.match("(")) return { kind: "ct_commit", nested: [] };
  let mark: { value: bigint; mask: bigint | null } | null = null;
  let label: { value: bigint; mask: bigint | null } | null = null;
  while (!ts.match(")")) {
    const key = ts.token;
    if (key.type === "id" && (key.name === "ct_mark" || key.name === "ct_label") && ts.peek().type === "=") {
      ts.advance();
      ts.advance();
      const v = ts.token;
      if (v.type !== "integer" && v.type !== "masked-integer") ts.fail("integer");
      ts.advance();
      const all = allOnes(key.name === "ct_mark" ? 32 : 128);
      const c = {
        value: v.constant.value & all,
        mask: v.constant.mask === null ? null : v.constant.mask & all,
      };
      if (key.name === "ct_mark") mark = c;
      else label = c;
    } else {
      ts.fail();
    }
    ts.match(",");
  }
  return { kind: "ct_commit_v1", mark, label };
}

/** An unmasked IPv4 or IPv6 constant, or null. */
function ipConstant(p: ActionParser, allowV4 = true): IntConstant | null {
  const t = p.ts.token;
  if (t.type !== "integer") return null;
  const f = t.constant.format;
  if (f !== "ipv6" && !(allowV4 && f === "ipv4")) return null;
  p.ts.advance();
  return t.constant;
}

/** `ct_dnat;`, `ct_dnat(IP);`, `ct_dnat(IP, PORT);` or `ct_dnat(IP, LOW-HIGH);` (and the others). */
export const parseCtNat =
  (name: NatActionName) =>
  (p: ActionParser): Action => {
    const ts: TokenStream = p.ts;
    p.checkNotLastTable(name);
    p.addPrereq("ip");
    if (!ts.match("(")) return { kind: "ct_nat", name, ip: null, ports: null };
    const ip = ipConstant(p);
    if (ip === null) ts.fail("IPv4 or IPv6 address");
    let ports: { lo: number; hi: number | null } | null = null;
    if (ts.match(",")) {
      const lo = portNumber(p);
      if (lo === 0) ts.failWith("range can't be 0");
      ts.advance();
      let hi: number | null = null;
      if (ts.match("-")) {
        const h = portNumber(p);
        if (h <= lo) ts.failWith("range high should be greater than range low");
        ts.advance();
        hi = h;
      }
      ports = { lo, hi };
    }
    ts.expect(")");
    return { kind: "ct_nat", name, ip, ports };
  };

/** The current token as a port of a port range (not consumed); OVN keeps the low 16 bits. */
function portNumber(p: ActionParser): number {
  const t = p.ts.token;
  if (t.type !== "integer" || t.constant.format !== "decimal") p.ts.fail("Integer for port range");
  return Number(t.constant.value & 0xffffn);
}

/** `ct_lb;` or `ct_lb(backends=IP[:PORT],...[; hash_fields="..."][; skip_snat|force_snat]);`. */
export const parseCtLb =
  (mark: boolean) =>
  (p: ActionParser): Action => {
    const ts: TokenStream = p.ts;
    p.checkNotLastTable(mark ? "ct_lb_mark" : "ct_lb");
    p.addPrereq("ip");
    const none: Action = { kind: "ct_lb", mark, backends: [], hashFields: null, flag: null };
    if (!ts.match("(")) return none;
    if (ts.match(")")) return none;
    if (!ts.isId("backends") || ts.peek().type !== "=") ts.fail("backends");
    ts.advance();
    ts.advance();
    const backends: IpPort[] = [];
    while (!ts.is(")") && !ts.is(";")) {
      backends.push(parseBackend(p));
      ts.match(",");
    }
    let hashFields: string | null = null;
    let flag: "skip_snat" | "force_snat" | null = null;
    if (ts.match(";")) {
      if (ts.isId("hash_fields") && ts.peek().type === "=") {
        ts.advance();
        ts.advance();
        const s = p.string();
        if (s === null) ts.failWith("invalid hash_fields");
        hashFields = s;
        // OVN skips a comma after the hash fields but then wants another `;'.
        if (ts.match(",")) ts.fail("`;'");
        if (ts.match(";")) flag = ctFlag(p);
      } else {
        flag = ctFlag(p);
      }
      if (ts.match(";")) ts.fail("`;'");
    }
    ts.expect(")");
    return { kind: "ct_lb", mark, backends, hashFields, flag };
  };

function ctFlag(p: ActionParser): "skip_snat" | "force_snat" {
  if (p.ts.matchId("skip_snat")) return "skip_snat";
  if (p.ts.matchId("force_snat")) return "force_snat";
  return p.ts.fail("`;'");
}

/** `IP`, `IPv4:PORT`, `[IPv6]` or `[IPv6]:PORT`. */
function parseBackend(p: ActionParser): IpPort {
  const ts: TokenStream = p.ts;
  let ip: IntConstant | null;
  let portAllowed: boolean;
  if (ts.match("[")) {
    ip = ipConstant(p, false);
    if (ip === null) ts.fail("IPv6 address");
    ts.expect("]");
    portAllowed = true;
  } else {
    ip = ipConstant(p);
    if (ip === null) ts.fail("IP address");
    portAllowed = ip.format === "ipv4";
  }
  let port = 0;
  if (portAllowed && ts.match(":")) {
    const t = ts.token;
    if (t.type !== "integer" || t.constant.format !== "decimal" || t.constant.value > 65535n)
      ts.fail("port number");
    ts.advance();
    port = Number(t.constant.value);
  }
  return { ip, port };
}
