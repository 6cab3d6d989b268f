// One Southbound logical flow to OpenFlow flows for this chassis (ovn-controller(8): "translates each
// logical flow into OpenFlow flows"): for every local datapath the flow applies to, the match is parsed
// with the datapath's address sets and port groups, the actions' prerequisites are added, ports and
// is_chassis_resident() are resolved, and each resulting OpenFlow match gets the datapath's metadata,
// the logical table's OpenFlow table, the flow's priority and a cookie made of the first 32 bits of the
// logical flow's UUID.  Pure: flows and groups come back as data.

import { parseActions } from "../../actions/parser.js";
import { annotateExpr } from "../../expr/annotate.js";
import { andOf } from "../../expr/ast.js";
import { parseExpr } from "../../expr/parser.js";
import { OVN_SYMBOLS } from "../../expr/symbols.js";
import { allOnes } from "../../expr/values.js";
import type { FieldName } from "../../openflow/model.js";
import { type ActionEncodeContext, encodeActions, UnsupportedAction } from "./actions.js";
import type { ChassisContext, DatapathContext } from "./context.js";
import { asField, fieldByNxm } from "./fields.js";
import type { Flow, FlowAction, Group, MatchField } from "./flow.js";
import { type CompiledMatch, exprToMatches, type MatchTerm, resolveChassisTerms } from "./matches.js";
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
}

export interface CompileResult {
  readonly flows: readonly Flow[];
  /** Problems with individual logical flows (parse errors, actions not supported); they are skipped. */
  readonly errors: readonly string[];
}

/** The cookie of the flows of a logical flow (or port binding): the first 32 bits of its UUID. */
export function uuidCookie(uuid: string): bigint {
  return BigInt(`0x${uuid.slice(0, 8)}`);
}

/** The OpenFlow field of a logical base field named in an annotated match. */
function ovsFieldOf(logical: string): FieldName {
  if (logical === "metadata") return "metadata";
  const sym = OVN_SYMBOLS.lookup(logical);
  if (sym === undefined || (sym.kind !== "field" && sym.kind !== "string"))
    throw new Error(`no field ${logical}`);
  return fieldByNxm(sym.ovsField).name;
}

/**
 * OpenFlow match fields for the compiled terms.  The 64- and 128-bit register views are split into the
 * 32-bit registers Open vSwitch keeps (and prints), registers with nothing matched left out.
 */
export function matchFields(terms: readonly MatchTerm[]): MatchField[] {
  const out: MatchField[] = [];
  for (const t of terms) {
    const field = ovsFieldOf(t.field);
    const wide = /^(xx?)reg(\d+)$/.exec(field);
    if (wide === null) {
      out.push({ field, value: t.value, mask: t.mask });
      continue;
    }
    const n = wide[1] === "xx" ? 4 : 2;
    const first = Number(wide[2]) * n;
    for (let i = 0; i < n; i++) {
      const shift = BigInt((n - 1 - i) * 32);
      const mask = (t.mask >> shift) & allOnes(32);
      if (mask === 0n) continue;
      out.push({ field: asField(`reg${first + i}`), value: (t.value >> shift) & allOnes(32), mask });
    }
  }
  return out;
}

function toFlow(
  m: CompiledMatch,
  base: { table: number; priority: number; cookie: bigint },
  conjBase: number,
  actions: readonly FlowAction[],
): Flow {
  const match = matchFields(m.terms);
  if (m.clauses.length > 0) {
    return {
      ...base,
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
  if (m.conjId !== null) {
    return {
      ...base,
      match: [...match, { field: "conj_id", value: BigInt(conjBase + m.conjId), mask: allOnes(32) }],
      actions,
    };
  }
  return { ...base, match, actions };
}

/** Compiles one logical flow for one datapath. */
export function compileForDatapath(lflow: SbLogicalFlow, dp: DatapathContext, alloc: Allocators): Flow[] {
  const actx = dp.actions(lflow.pipeline, lflow.table);
  const parsedMatch = parseExpr(lflow.match, dp.expr);
  if (!parsedMatch.ok) throw new Error(`match: ${parsedMatch.error}`);
  const parsedActions = parseActions(lflow.actions, actx);
  if (!parsedActions.ok) throw new Error(`actions: ${parsedActions.error}`);
  const prereqs = parsedActions.value.prereqs === null ? null : outerPrereqs(lflow.actions, actx);
  const withPrereqs = prereqs === null ? parsedMatch.value : andOf([parsedMatch.value, prereqs]);
  const resolved = resolveChassisTerms(annotateExpr(withPrereqs, dp.expr), dp);
  const metadata: MatchTerm = { field: "metadata", value: BigInt(dp.datapath.tunnelKey), mask: allOnes(64) };
  const { matches, nConjs } = exprToMatches(resolved, [metadata]);
  if (matches.length === 0) return [];
  const ectx: ActionEncodeContext = {
    pipeline: lflow.pipeline,
    table: lflow.table,
    isSwitch: !dp.datapath.isRouter,
    portKey: (n) => dp.portKey(n),
    dhcpv4Options: actx.dhcpv4Options,
    dhcpv6Options: actx.dhcpv6Options,
    groupId: (g) => alloc.groupId(g),
    meterId: (n) => alloc.meterId(n),
    controllerMeter: lflow.controllerMeter,
  };
  const actions = encodeActions(parsedActions.value.actions, ectx);
  const conjBase = nConjs > 0 ? alloc.conjIds(lflow.uuid, dp.datapath.uuid, nConjs) : 0;
  const base = {
    table: ofTable(lflow.pipeline, lflow.table),
    priority: lflow.priority,
    cookie: uuidCookie(lflow.uuid),
  };
  return matches.map((m) => toFlow(m, base, conjBase, actions));
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
