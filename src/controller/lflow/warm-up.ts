// Warming the flow compiler up before a controller's first real compile.
//
// A controller's start compiles and encodes ~10k flows once, with code V8 has never run: every function
// of the parser, normaliser, match and action compilers and the OpenFlow encoder is compiled to bytecode
// on its first call and its inline caches start empty, which makes the first compile ~20-30% dearer
// than the next (compile-bench.ts: cold vs warm).  Meanwhile the controller sits idle for most of the
// ~300 ms its Southbound server takes to answer the first monitor request and the condition change that
// brings the local logical flows.  Running a small corpus (warm-up-corpus.ts: one flow of each kind a
// switch and a router of the benchmark's topology have) through the same path in that idle time takes
// that cost off the start's critical path.
//
// Nothing is kept: the corpus is compiled with its own allocators and a compile run of its own (the
// memo is per run), and what is made is dropped, so the real compile's output cannot depend on it.
// In parts (warmUpPart), so that the caller can let I/O in between.

import { Writer } from "../../openflow/bytes.js";
import type { OfMessage } from "../../openflow/messages.js";
import { encodeMessageInto } from "../../openflow/msg-codec.js";
import { matchKey } from "../../openflow/text-match.js";
import { IdAllocators } from "./alloc.js";
import { compileLogicalFlows } from "./index.js";
import type { SbView } from "./sb.js";
import { toFlowMod, toGroupMod } from "./to-model.js";
import { WARM_UP_CHASSIS, warmUpView } from "./warm-up-corpus.js";

/** How many parts warmUpPart() takes (each a few ms cold). */
export const WARM_UP_PARTS = 8;

/**
 * Compiles part `part` (0 ≤ part < WARM_UP_PARTS) of a warm-up view (the corpus's, warmUpView) for its chassis, makes the
 * flows FlowMods, keys them (ofctrl's matchKey) and encodes them as bundle_adds, and drops the result.
 * Returns how many OpenFlow flows that was.
 */
export function warmUpPart(part: number, view: SbView, chassis = WARM_UP_CHASSIS): number {
  const per = Math.ceil(view.flows.length / WARM_UP_PARTS);
  const slice: SbView = { ...view, flows: view.flows.slice(part * per, (part + 1) * per) };
  const out = compileLogicalFlows(slice, chassis, new IdAllocators());
  const w = new Writer();
  let xid = 1;
  const add = (message: OfMessage): void =>
    encodeMessageInto(w, {
      kind: "bundle_add",
      xid: xid++,
      bundleId: 1,
      atomic: true,
      ordered: true,
      message,
    });
  for (const f of out.flows) {
    const flowMod = toFlowMod(f);
    matchKey(flowMod.match);
    add({ kind: "flow_mod", xid: 0, flowMod });
  }
  for (const g of out.groups) add({ kind: "group_mod", xid: 0, groupMod: toGroupMod(g) });
  return out.flows.length;
}

/** The warm-up as WARM_UP_PARTS steps over one corpus view (made now, dropped with the steps). */
export function warmUpSteps(): (() => number)[] {
  const view = warmUpView();
  return Array.from({ length: WARM_UP_PARTS }, (_, part) => () => warmUpPart(part, view));
}
