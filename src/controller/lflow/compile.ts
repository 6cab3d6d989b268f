// One Southbound logical flow to OpenFlow flows for this chassis (ovn-controller(8): "translates each
// logical flow into OpenFlow flows"): for every local datapath the flow applies to, the match is parsed
// with the datapath's address sets and port groups, the actions' prerequisites are added, ports and
// is_chassis_resident() are resolved, and each resulting OpenFlow match gets the datapath's metadata,
// the logical table's OpenFlow table, the flow's priority and a cookie made of the first 32 bits of the
// logical flow's UUID.  Pure: flows and groups come back as data.

import type { ActionContext } from "../../actions/context.js";
import { type ParsedActions, parseActions } from "../../actions/parser.js";
import { annotateExpr } from "../../expr/annotate.js";
import { andOf, type Expr, stableKey } from "../../expr/ast.js";
import { parseExpr } from "../../expr/parser.js";
import { OVN_SYMBOLS } from "../../expr/symbols.js";
import { allOnes } from "../../expr/values.js";
import type { FieldName } from "../../openflow/model.js";
import { type ActionEncodeContext, encodeActions, UnsupportedAction } from "./actions.js";
import type { ChassisContext, DatapathContext } from "./context.js";
import { asField, fieldByNxm } from "./fields.js";
import type { Flow, FlowAction, Group, MatchField } from "./flow.js";
import {
  type CompiledMatch,
  exprToMatches,
  type MatchResult,
  type MatchTerm,
  resolveChassisTerms,
} from "./matches.js";
import { CompileMemo } from "./memo.js";
import { outerPrereqs } from "./prereqs.js";
import type { SbLogicalFlow } from "./sb.js";
import { ofTable } from "./tables.js";

/** Allocation of the ids the compiled flows refer to; the caller keeps them stable across runs. */
export interface Allocators {
  /** First of `n` consecutive conjunction ids for (flow, datapath). */
  conjIds(flowUuid: string, datapathUuid: string, n: number): number;
  /** Id of a group with this description (equal descriptions share an id). */
  groupId(group: Omit<Group, "id">): number;
  /** Id of a meter by name. */
  meterId(name: string): number;
  /**
   * The local OVS Flow_Sample_Collector_Set ids (actions.ts ActionEncodeContext): a controller gives
   * NO_COLLECTOR_SETS, as ovn-controller 23.03 knows none at start, so its sample actions encode to
   * nothing; absent (tools, tests): every sample is encoded.
   */
  readonly collectorSetIds?: ReadonlySet<number>;
}

/** No collector set known (what ovn-controller 23.03 starts with). */
export const NO_COLLECTOR_SETS: ReadonlySet<number> = new Set();

export interface CompileResult {
  readonly flows: readonly Flow[];
  /** Problems with individual logical flows (parse errors, actions not supported); they are skipped. */
  readonly errors: readonly string[];
}

/** The cookie of the flows of a logical flow (or port binding): the first 32 bits of its UUID. */
export function uuidCookie(uuid: string): bigint {
  return BigInt(`0x${uuid.slice(0, 8)}`);
}

/** How a logical base field becomes OpenFlow match fields: one field, or a wide register's halves. */
type FieldPlan = { readonly field: FieldName } | { readonly first: number; readonly n: number };

const fieldPlans = new Map<string, FieldPlan>();

/** The OpenFlow field of a logical base field named in an annotated match (remembered: the symbol
 *  table is fixed, and this is asked for every term of every flow). */
function fieldPlan(logical: string): FieldPlan {
  const hit = fieldPlans.get(logical);
  if (hit !== undefined) return hit;
  let field: FieldName;
  if (logical === "metadata") field = "metadata";
  else {
    const sym = OVN_SYMBOLS.lookup(logical);
    if (sym === undefined || (sym.kind !== "field" && sym.kind !== "string"))
      throw new Error(`no field ${logical}`);
    field = fieldByNxm(sym.ovsField).name;
  }
  const wide = /^(xx?)reg(\d+)$/.exec(field);
  const n = wide?.[1] === "xx" ? 4 : 2;
  const plan: FieldPlan = wide === null ? { field } : { first: Number(wide[2]) * n, n };
  fieldPlans.set(logical, plan);
  return plan;
}

const ALL_32 = allOnes(32);
const ALL_64 = allOnes(64);

/** Appends the OpenFlow match fields of one term (see matchFields). */
function pushFields(out: MatchField[], t: MatchTerm): void {
  const plan = fieldPlan(t.field);
  if ("field" in plan) {
    out.push({ field: plan.field, value: t.value, mask: t.mask });
    return;
  }
  const { first, n } = plan;
  for (let i = 0; i < n; i++) {
    const shift = BigInt((n - 1 - i) * 32);
    const mask = (t.mask >> shift) & ALL_32;
    if (mask === 0n) continue;
    out.push({ field: asField(`reg${first + i}`), value: (t.value >> shift) & ALL_32, mask });
  }
}

/**
 * OpenFlow match fields for the compiled terms.  The 64- and 128-bit register views are split into the
 * 32-bit registers Open vSwitch keeps (and prints), registers with nothing matched left out.
 */
export function matchFields(terms: readonly MatchTerm[]): MatchField[] {
  const out: MatchField[] = [];
  for (let i = 0; i < terms.length; i++) {
    const t = terms[i] as MatchTerm;
    pushFields(out, t);
  }
  return out;
}

/** matchFields of `terms` (sorted by field) with the datapath's metadata term put in its place, as a
 *  stable sort by field would (without making the merged term list). */
function fieldsWithMetadata(terms: readonly MatchTerm[], metadata: bigint): MatchField[] {
  const out: MatchField[] = [];
  let placed = false;
  for (let i = 0; i < terms.length; i++) {
    const t = terms[i] as MatchTerm;
    if (!placed && t.field > "metadata") {
      out.push({ field: "metadata", value: metadata, mask: ALL_64 });
      placed = true;
    }
    pushFields(out, t);
  }
  if (!placed) out.push({ field: "metadata", value: metadata, mask: ALL_64 });
  return out;
}

function toFlow(
  m: CompiledMatch,
  metadata: bigint,
  base: { table: number; priority: number; cookie: bigint },
  conjBase: number,
  actions: readonly FlowAction[],
): Flow {
  const match = fieldsWithMetadata(m.terms, metadata);
  const { table, priority, cookie } = base;
  if (m.clauses.length > 0) {
    return {
      table,
      priority,
      cookie: 0n,
      match,
      actions: m.clauses.map((c) => ({
        kind: "conjunction",
        id: conjBase + c.conj,
        clause: c.clause,
        nClauses: c.nClauses,
      })),
    };
  }
  if (m.conjId !== null) match.push({ field: "conj_id", value: BigInt(conjBase + m.conjId), mask: ALL_32 });
  return { table, priority, cookie, match, actions };
}

/** An action list as parsed for one place in the pipeline, with the outer prerequisites it adds. */
interface ParsedFlowActions {
  readonly parsed: ParsedActions;
  readonly prereqs: Expr | null;
  /** Equal for equal prerequisites (part of the match memo's key). */
  readonly prereqKey: string;
}

const actionMemo = new CompileMemo<ParsedFlowActions>();
const matchMemo = new CompileMemo<MatchResult>();

/** Forgets the remembered parses and matches (memo.ts), e.g. once a large compile is over. */
export function clearCompileMemo(): void {
  actionMemo.clear();
  matchMemo.clear();
}

function parseFlowActions(lflow: SbLogicalFlow, dp: DatapathContext): ParsedFlowActions {
  const key = `${lflow.pipeline} ${lflow.table} ${lflow.actions}`;
  const { dhcpv4Options: v4, dhcpv6Options: v6 } = dp;
  // The DHCP option catalogue is made once per compile run (chassisContext) and shared by its datapaths.
  return actionMemo.get(v4, key, [v4, v6], dp, (rec) => {
    const ctx: ActionContext = { ...dp.actions(lflow.pipeline, lflow.table), ...rec.expr };
    const parsed = parseActions(lflow.actions, ctx);
    if (!parsed.ok) throw new ActionParseError(parsed.error);
    const whole = parsed.value.prereqs;
    const prereqs = whole === null ? null : outerPrereqs(lflow.actions, ctx, whole);
    return { parsed: parsed.value, prereqs, prereqKey: prereqs === null ? "" : stableKey(prereqs) };
  });
}

class ActionParseError extends Error {}

/** The OpenFlow matches of the flow's match and prerequisites, without the datapath's metadata. */
function flowMatches(lflow: SbLogicalFlow, a: ParsedFlowActions, dp: DatapathContext): MatchResult {
  return matchMemo.get(dp.dhcpv4Options, `${lflow.match}\n${a.prereqKey}`, [], dp, (rec) => {
    const parsedMatch = parseExpr(lflow.match, rec.expr);
    if (!parsedMatch.ok) throw new Error(`match: ${parsedMatch.error}`);
    const withPrereqs = a.prereqs === null ? parsedMatch.value : andOf([parsedMatch.value, a.prereqs]);
    return exprToMatches(resolveChassisTerms(annotateExpr(withPrereqs, rec.expr), rec));
  });
}

/** Compiles one logical flow for one datapath. */
export function compileForDatapath(lflow: SbLogicalFlow, dp: DatapathContext, alloc: Allocators): Flow[] {
  let a: ParsedFlowActions;
  try {
    a = parseFlowActions(lflow, dp);
  } catch (e) {
    if (!(e instanceof ActionParseError)) throw e;
    // A bad match is reported first, as when the match was parsed first.
    const parsedMatch = parseExpr(lflow.match, dp.expr);
    if (!parsedMatch.ok) throw new Error(`match: ${parsedMatch.error}`);
    throw new Error(`actions: ${e.message}`);
  }
  const metadata = BigInt(dp.datapath.tunnelKey);
  const compiled = flowMatches(lflow, a, dp);
  const nConjs = compiled.nConjs;
  const matches = compiled.matches;
  if (matches.length === 0) return [];
  const cookie = uuidCookie(lflow.uuid);
  const ectx: ActionEncodeContext = {
    pipeline: lflow.pipeline,
    table: lflow.table,
    isSwitch: !dp.datapath.isRouter,
    portKey: (n) => dp.portKey(n),
    dhcpv4Options: dp.dhcpv4Options,
    dhcpv6Options: dp.dhcpv6Options,
    groupId: (g) => alloc.groupId(g),
    meterId: (n) => alloc.meterId(n),
    controllerMeter: lflow.controllerMeter,
    cookie: Number(cookie),
    datapathKey: dp.datapath.tunnelKey,
    ...(alloc.collectorSetIds !== undefined && { collectorSetIds: alloc.collectorSetIds }),
  };
  const actions = encodeActions(a.parsed.actions, ectx);
  const conjBase = nConjs > 0 ? alloc.conjIds(lflow.uuid, dp.datapath.uuid, nConjs) : 0;
  const base = {
    table: ofTable(lflow.pipeline, lflow.table),
    priority: lflow.priority,
    cookie,
  };
  return matches.map((m) => toFlow(m, metadata, base, conjBase, actions));
}

/** Compiles one logical flow for every local datapath it applies to. */
export function compileLogicalFlow(
  lflow: SbLogicalFlow,
  ctx: ChassisContext,
  alloc: Allocators,
): CompileResult {
  // Port-specific flows (tags:in_out_port) only matter on chassis where the port is.
  if (lflow.inOutPort !== null && !ctx.portRelevant(lflow.inOutPort)) return { flows: [], errors: [] };
  const flows: Flow[] = [];
  const errors: string[] = [];
  for (const uuid of lflow.datapaths) {
    if (!ctx.localDatapaths.has(uuid)) continue;
    const dp = ctx.datapath(uuid);
    if (dp === undefined) continue;
    try {
      flows.push(...compileForDatapath(lflow, dp, alloc));
    } catch (e) {
      const why = e instanceof UnsupportedAction ? `unsupported action ${e.message}` : String(e);
      errors.push(`${lflow.uuid} (${lflow.pipeline} ${lflow.table} ${lflow.priority}): ${why}`);
    }
  }
  return { flows, errors };
}
