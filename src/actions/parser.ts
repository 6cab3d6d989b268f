// Parser for logical-flow action lists (ovn-sb(5), Logical_Flow "actions") of OVN 23.03.
//
// parseActions() returns the actions and the prerequisites they add to the flow's match (fields used by
// the actions and the actions' own requirements, e.g. `ip` for ct_next).  Error texts are OVN's.
// Each family of actions is parsed in its own module; this one owns the action list, assignments and
// the dispatch tables from keyword to parser.

import { and, type Expr } from "../expr/ast.js";
import { ExprParser, parseExpr } from "../expr/parser.js";
import { type SymbolDef, type SymbolTable, symbolWidth } from "../expr/symbols.js";
import { fail, type Result, runParse, TokenStream } from "../expr/token-stream.js";
import type { Action, FieldSpec, KeywordActionName, NestedActionName } from "./ast.js";
import { type ActionContext, DEFAULT_ACTION_CONTEXT } from "./context.js";
import type { ActionField } from "./fields.js";
import { parseAssignment, parseDecTtl } from "./parse-assign.js";
import { parseCtCommit, parseCtLb, parseCtNat } from "./parse-ct.js";
import {
  parseGetFdb,
  parseGetMac,
  parseLookupFdb,
  parseLookupMac,
  parseLookupMacIp,
  parsePutFdb,
  parsePutMac,
} from "./parse-lookup.js";
import {
  parseBindVport,
  parseCommitEcmpNh,
  parseCommitLbAff,
  parseFwdGroup,
  parseHandleSvcCheck,
  parseLog,
  parseNext,
  parsePushPop,
  parseSample,
  parseSetMeter,
  parseSetQueue,
  parseTriggerEvent,
} from "./parse-misc.js";
import { parseCheck, parseCheckPktLarger, parsePutOpts, parseSelect } from "./parse-result.js";

export interface ParsedActions {
  readonly actions: readonly Action[];
  /** Conditions the actions require of the packet, to be ANDed with the match (a syntax tree). */
  readonly prereqs: Expr | null;
}

/** Parses a whole action list; the empty list (or just comments) means drop. */
export function parseActions(
  input: string,
  ctx: ActionContext = DEFAULT_ACTION_CONTEXT,
): Result<ParsedActions> {
  const ts = new TokenStream(input);
  return runParse(ts, () => {
    const p = new ActionParser(ts, ctx);
    const actions = p.parseList("end");
    // No actions at all means drop, and prints as `drop;`.
    return { actions: actions.length === 0 ? [{ kind: "drop" }] : actions, prereqs: p.prereqExpr() };
  });
}

type ActionParserFn = (p: ActionParser) => Action;

const NESTED: readonly NestedActionName[] = [
  "arp",
  "nd_ns",
  "nd_na",
  "nd_na_router",
  "icmp4",
  "icmp4_error",
  "icmp6",
  "icmp6_error",
  "tcp_reset",
  "sctp_abort",
  "reject",
  "clone",
];

/** What each nested action requires of the packet it rewrites. */
const NESTED_PREREQS: Record<NestedActionName, string | null> = {
  arp: "ip4",
  nd_ns: "ip6",
  nd_na: "nd_ns",
  nd_na_router: "nd_ns",
  icmp4: "ip4",
  icmp4_error: "ip4",
  icmp6: "ip6",
  icmp6_error: "ip6",
  tcp_reset: "tcp",
  sctp_abort: "sctp",
  reject: null,
  clone: null,
};

/** Keyword actions and what they require of the packet. */
const KEYWORD_PREREQS: Record<KeywordActionName, string | null> = {
  output: null,
  ct_next: "ip",
  ct_commit_nat: "ip",
  ct_clear: null,
  ct_snat_to_vip: null,
  igmp: null,
  handle_dhcpv6_reply: null,
  handle_bfd_msg: null,
};

/** Actions that continue to the next table on their own may not be used in the last one. */
const ADVANCING = new Set([
  "ct_next",
  "ct_commit_nat",
  "ct_lb",
  "ct_lb_mark",
  "ct_dnat",
  "ct_snat",
  "ct_dnat_in_czone",
  "ct_snat_in_czone",
]);

const keyword =
  (name: KeywordActionName): ActionParserFn =>
  (p) => {
    if (name === "handle_bfd_msg") {
      p.ts.expect("(");
      p.ts.expect(")");
    }
    if (ADVANCING.has(name)) p.checkNotLastTable(name);
    p.addPrereq(KEYWORD_PREREQS[name]);
    return { kind: "keyword", name };
  };

const nested =
  (name: NestedActionName): ActionParserFn =>
  (p) => {
    p.addPrereq(NESTED_PREREQS[name]);
    // An empty body drops the new packet, and prints as `{ drop; }`.
    const body = p.parseNested(p.scope);
    return { kind: "nested", name, nested: body.length === 0 ? [{ kind: "drop" }] : body };
  };

/** Actions introduced by a keyword. */
const KEYWORDS: Record<string, ActionParserFn> = {
  output: keyword("output"),
  ct_next: keyword("ct_next"),
  ct_commit_nat: keyword("ct_commit_nat"),
  ct_clear: keyword("ct_clear"),
  ct_snat_to_vip: keyword("ct_snat_to_vip"),
  igmp: keyword("igmp"),
  handle_dhcpv6_reply: keyword("handle_dhcpv6_reply"),
  handle_bfd_msg: keyword("handle_bfd_msg"),
  next: parseNext,
  ct_commit: parseCtCommit,
  ct_dnat: parseCtNat("ct_dnat"),
  ct_snat: parseCtNat("ct_snat"),
  ct_dnat_in_czone: parseCtNat("ct_dnat_in_czone"),
  ct_snat_in_czone: parseCtNat("ct_snat_in_czone"),
  ct_lb: parseCtLb(false),
  ct_lb_mark: parseCtLb(true),
  get_arp: parseGetMac("get_arp"),
  get_nd: parseGetMac("get_nd"),
  put_arp: parsePutMac("put_arp"),
  put_nd: parsePutMac("put_nd"),
  put_fdb: parsePutFdb,
  log: parseLog,
  set_queue: parseSetQueue,
  set_meter: parseSetMeter,
  trigger_event: parseTriggerEvent,
  bind_vport: parseBindVport,
  handle_svc_check: parseHandleSvcCheck,
  commit_ecmp_nh: parseCommitEcmpNh,
  commit_lb_aff: parseCommitLbAff,
  sample: parseSample,
  fwd_group: parseFwdGroup,
  push: parsePushPop("push"),
  pop: parsePushPop("pop"),
  ...Object.fromEntries(NESTED.map((n) => [n, nested(n)])),
};

/** Actions written `R = name(...)`, storing a result in field R. */
export type ResultParserFn = (p: ActionParser, dst: ActionField) => Action;

export const RESULT_ACTIONS: Record<string, ResultParserFn> = {
  lookup_arp: parseLookupMac("lookup_arp"),
  lookup_nd: parseLookupMac("lookup_nd"),
  lookup_arp_ip: parseLookupMacIp("lookup_arp_ip"),
  lookup_nd_ip: parseLookupMacIp("lookup_nd_ip"),
  lookup_fdb: parseLookupFdb,
  get_fdb: parseGetFdb,
  put_dhcp_opts: parsePutOpts("put_dhcp_opts"),
  put_dhcpv6_opts: parsePutOpts("put_dhcpv6_opts"),
  put_nd_ra_opts: parsePutOpts("put_nd_ra_opts"),
  dns_lookup: parseCheck("dns_lookup"),
  chk_lb_hairpin: parseCheck("chk_lb_hairpin"),
  chk_lb_hairpin_reply: parseCheck("chk_lb_hairpin_reply"),
  check_in_port_sec: parseCheck("check_in_port_sec"),
  check_out_port_sec: parseCheck("check_out_port_sec"),
  chk_ecmp_nh_mac: parseCheck("chk_ecmp_nh_mac"),
  chk_ecmp_nh: parseCheck("chk_ecmp_nh"),
  chk_lb_aff: parseCheck("chk_lb_aff"),
  check_pkt_larger: parseCheckPktLarger,
  select: parseSelect,
};

/** Prerequisite texts parsed, by symbol table: they name symbols only (never address sets or port
 *  groups), and parsing them again for every action list was a good part of parsing it. */
const parsedPrereqs = new WeakMap<SymbolTable, Map<string, Expr>>();

function parsedPrereq(text: string, ctx: ActionContext): Expr {
  let byText = parsedPrereqs.get(ctx.symbols);
  if (byText === undefined) {
    byText = new Map();
    parsedPrereqs.set(ctx.symbols, byText);
  }
  let e = byText.get(text);
  if (e === undefined) {
    const r = parseExpr(text, ctx);
    if (!r.ok) throw new Error(`bad prerequisite ${text}: ${r.error}`);
    e = r.value;
    byText.set(text, e);
  }
  return e;
}

/** Where assignments may write: anywhere but connection-tracking fields, or inside ct_commit { } only
 *  those. */
export type Scope = "normal" | "ct_commit";

export class ActionParser {
  readonly expr: ExprParser;
  private readonly prereqs: string[] = [];
  scope: Scope = "normal";

  constructor(
    readonly ts: TokenStream,
    readonly ctx: ActionContext,
  ) {
    this.expr = new ExprParser(ts, ctx);
  }

  /** Actions up to `end` (end of input or `}`), each followed by `;`.  A list that is just `drop;` (or
   *  empty) drops. */
  parseList(end: "end" | "}"): Action[] {
    const ts: TokenStream = this.ts;
    if (ts.is(end)) return [];
    if (ts.isId("drop") && ts.peek().type === ";") {
      ts.advance();
      ts.advance();
      if (!ts.is(end)) ts.fail(end === "end" ? "end of input" : "`}'");
      return [{ kind: "drop" }];
    }
    const out: Action[] = [];
    while (!ts.is(end)) {
      out.push(this.parseAction());
      ts.expect(";");
    }
    return out;
  }

  /** `{ actions }`, parsed with assignments limited to `scope`. */
  parseNested(scope: Scope): Action[] {
    const saved = this.scope;
    this.scope = scope;
    this.ts.expect("{");
    const actions = this.parseList("}");
    this.ts.expect("}");
    this.scope = saved;
    return actions;
  }

  private parseAction(): Action {
    const ts: TokenStream = this.ts;
    const t = ts.token;
    if (t.type !== "id") ts.fail();
    const next = ts.peek().type;
    if (t.name === "ip.ttl" && next === "--") return parseDecTtl(this);
    if (next === "=" || next === "<->" || next === "[") return parseAssignment(this);
    const f = KEYWORDS[t.name];
    if (f === undefined) ts.fail("action");
    ts.advance();
    return f(this);
  }

  /** A field argument: resolves it, records its prerequisites, and for an lvalue checks that it may
   *  be written here. */
  field(opts: { lvalue?: boolean } = {}): ActionField {
    const ts: TokenStream = this.ts;
    if (!ts.is("id")) ts.fail("field name");
    const f = this.expr.parseField();
    const def = f.def;
    if (def.kind === "predicate") fail(`Predicate symbol ${def.name} used where lvalue required.`);
    if (opts.lvalue === true) this.checkWritable(def);
    this.addSymbolPrereqs(def);
    const width = symbolWidth(def) ?? 0;
    const lo = f.ref.range?.lo ?? 0;
    const hi = f.ref.range?.hi ?? width - 1;
    const spec: FieldSpec = { symbol: def.name, lo, hi, width };
    return { spec, def };
  }

  checkWritable(def: SymbolDef): void {
    const rw = def.kind === "predicate" ? "ro" : def.rw;
    const ok = this.scope === "ct_commit" ? rw === "ct_commit" : rw === "rw";
    if (!ok) fail(`Field ${def.name} is not modifiable.`);
  }

  private addSymbolPrereqs(def: SymbolDef): void {
    let cur: SymbolDef | undefined = def;
    while (cur !== undefined) {
      if (cur.kind !== "predicate") this.addPrereq(cur.prereqs);
      cur = cur.kind === "subfield" ? this.ctx.symbols.lookup(cur.parent) : undefined;
    }
  }

  addPrereq(p: string | null): void {
    if (p !== null && !this.prereqs.includes(p)) this.prereqs.push(p);
  }

  /** The collected prerequisites as one expression. */
  prereqExpr(): Expr | null {
    const parts = this.prereqs.map((s) => parsedPrereq(s, this.ctx));
    if (parts.length === 0) return null;
    return parts.length === 1 ? (parts[0] as Expr) : and(parts);
  }

  checkNotLastTable(name: string): void {
    if (this.ctx.tableId >= this.ctx.nTables - 1) fail(`"${name}" action not allowed in last table.`);
  }

  /** Consumes a plain decimal integer if that is the current token. */
  decimal(): bigint | null {
    const t = this.ts.token;
    if (t.type !== "integer" || t.constant.format !== "decimal") return null;
    this.ts.advance();
    return t.constant.value;
  }

  /** Consumes a string if that is the current token. */
  string(): string | null {
    const t = this.ts.token;
    if (t.type !== "string") return null;
    this.ts.advance();
    return t.value;
  }
}
