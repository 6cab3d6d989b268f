// The logical-flow compiler of `ovnts controller`: Southbound logical flows to the OpenFlow flows and
// groups of br-int, as pure functions over an SbView.

import { IdAllocators } from "./alloc.js";
import { type Allocators, compileLogicalFlow } from "./compile.js";
import { chassisContext } from "./context.js";
import type { Flow, Group } from "./flow.js";
import type { SbView } from "./sb.js";

export { IdAllocators } from "./alloc.js";
export {
  type Allocators,
  type CompileResult,
  compileForDatapath,
  compileLogicalFlow,
  matchFields,
  uuidCookie,
} from "./compile.js";
export { type ChassisContext, chassisContext, type DatapathContext, localDatapaths } from "./context.js";
export * from "./flow.js";
export {
  type CompiledMatch,
  exprToMatches,
  type MatchLookups,
  type MatchTerm,
  resolveChassisTerms,
} from "./matches.js";
export * from "./sb.js";
export { LOG_REG, OFTABLE, ofTable } from "./tables.js";
export { toFlowMod, toGroupMod, toModelAction } from "./to-model.js";

export interface LflowOutput {
  readonly flows: readonly Flow[];
  readonly groups: readonly Group[];
  readonly errors: readonly string[];
}

// Flows are not changed once made; the incremental compiler hands the same ones in pass after pass.
const matchKeys = new WeakMap<Flow, string>();

function matchKey(f: Flow): string {
  let k = matchKeys.get(f);
  if (k === undefined) {
    k = `${f.table}/${f.priority}/${f.match
      .map((m) => `${m.field}=${m.value.toString(16)}/${m.mask.toString(16)}`)
      .sort()
      .join(",")}`;
    matchKeys.set(f, k);
  }
  return k;
}

/**
 * Flows with the same table, priority and match are one OpenFlow flow: clause flows of different
 * conjunctive matches gather their conjunction() actions; otherwise the first one stays.
 */
export function mergeFlows(flows: readonly Flow[]): Flow[] {
  const out = new Map<string, Flow>();
  for (const f of flows) {
    const k = matchKey(f);
    const prev = out.get(k);
    if (prev === undefined) {
      out.set(k, f);
      continue;
    }
    const conjOnly = (x: Flow) => x.actions.length > 0 && x.actions.every((a) => a.kind === "conjunction");
    if (conjOnly(prev) && conjOnly(f)) out.set(k, { ...prev, actions: [...prev.actions, ...f.actions] });
  }
  return [...out.values()];
}

/** Every logical flow of the view compiled for `chassis`. */
export function compileLogicalFlows(
  view: SbView,
  chassis: string,
  alloc: Allocators & { groupList(): Group[] } = new IdAllocators(),
): LflowOutput {
  const ctx = chassisContext(view, chassis);
  const flows: Flow[] = [];
  const errors: string[] = [];
  for (const lf of view.flows) {
    const r = compileLogicalFlow(lf, ctx, alloc);
    flows.push(...r.flows);
    errors.push(...r.errors);
  }
  return { flows: mergeFlows(flows), groups: alloc.groupList(), errors };
}
