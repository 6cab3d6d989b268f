// The logical-flow compiler of `ovnts controller`: Southbound logical flows to the OpenFlow flows and
// groups of br-int, as pure functions over an SbView.

import { IdAllocators } from "./alloc.js";
import { type Allocators, compileLogicalFlow } from "./compile.js";
import { chassisContext } from "./context.js";
import type { Flow, Group, MatchField } from "./flow.js";
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

// Flows are grouped by a hash of table, priority and match, and compared exactly within a group: no
// text key per flow (printing every field's BigInt was most of this function's time at start-up).

/** A small number per field name, for the hash. */
const fieldIds = new Map<string, number>();

function fieldId(name: string): number {
  let id = fieldIds.get(name);
  if (id === undefined) {
    id = fieldIds.size + 1;
    fieldIds.set(name, id);
  }
  return id;
}

const LOW_32 = 0xffffffffn;

/** Low 32 bits of a value, mixed with its higher words when it has them (IPv6 prefixes differ there). */
function valueHash(v: bigint): number {
  let h = Number(v & LOW_32);
  for (let rest = v >> 32n; rest > 0n; rest >>= 32n) h = Math.imul(h ^ Number(rest & LOW_32), 0x01000193);
  return h;
}

// Flows are not changed once made, and the incremental compiler hands the same ones in pass after pass
// (all of them, for every change): their hashes are remembered.
const matchHashes = new WeakMap<Flow, number>();

/** Equal for flows with the same table, priority and match (fields in any order). */
function matchHash(f: Flow): number {
  let h = matchHashes.get(f);
  if (h === undefined) {
    h = computeMatchHash(f);
    matchHashes.set(f, h);
  }
  return h;
}

function computeMatchHash(f: Flow): number {
  let sum = 0;
  for (let i = 0; i < f.match.length; i++) {
    const m = f.match[i] as MatchField;
    // Summed: independent of the fields' order, as the match is.
    const x = Math.imul(fieldId(m.field), 0x9e3779b1) ^ Math.imul(valueHash(m.value) | 0, 0x85ebca6b);
    sum = (sum + (x ^ (x >>> 15))) | 0;
  }
  return (Math.imul(f.table * 0x10000 + f.priority, 0x2545f491) ^ sum ^ (f.match.length << 27)) | 0;
}

/** Whether two flows have the same table, priority and match (each field of one matched by one of the
 *  other's, in any order). */
function sameMatch(a: Flow, b: Flow): boolean {
  const n = a.match.length;
  if (a.table !== b.table || a.priority !== b.priority || b.match.length !== n) return false;
  const used: boolean[] = new Array<boolean>(n).fill(false);
  for (let i = 0; i < a.match.length; i++) {
    const x = a.match[i] as MatchField;
    let found = false;
    for (let j = 0; j < n; j++) {
      const y = b.match[j] as MatchField;
      if (!used[j] && x.field === y.field && x.value === y.value && x.mask === y.mask) {
        used[j] = true;
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

const conjOnly = (x: Flow): boolean =>
  x.actions.length > 0 && x.actions.every((a) => a.kind === "conjunction");

/**
 * Flows with the same table, priority and match are one OpenFlow flow: clause flows of different
 * conjunctive matches gather their conjunction() actions; otherwise the first one stays.
 */
export function mergeFlows(flows: readonly Flow[]): Flow[] {
  const out: Flow[] = [];
  // By hash: the position in `out` of the first flow with it, or of each when several differ.
  const byHash = new Map<number, number | number[]>();
  for (let k = 0; k < flows.length; k++) {
    const f = flows[k] as Flow;
    const h = matchHash(f);
    const at = byHash.get(h);
    let same: number | undefined;
    if (at !== undefined) {
      for (const i of typeof at === "number" ? [at] : at) {
        if (sameMatch(out[i] as Flow, f)) {
          same = i;
          break;
        }
      }
    }
    if (same === undefined) {
      out.push(f);
      if (at === undefined) byHash.set(h, out.length - 1);
      else if (typeof at === "number") byHash.set(h, [at, out.length - 1]);
      else at.push(out.length - 1);
      continue;
    }
    const prev = out[same] as Flow;
    if (conjOnly(prev) && conjOnly(f)) out[same] = { ...prev, actions: [...prev.actions, ...f.actions] };
  }
  return out;
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
