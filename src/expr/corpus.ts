// A corpus of logical flows as ovn-northd writes them, and the round-trip check run over it: every
// match and every action list must parse, print, and parse again to the same thing.  The corpus is
// collected from a real ovn-northd by the peer test (src/expr/peer/corpus.test.ts) and kept as a
// fixture so that the same check runs without the peers (src/expr/corpus.test.ts).

import type { Pipeline } from "../actions/ast.js";
import { actionContext } from "../actions/context.js";
import { parseActions } from "../actions/parser.js";
import { formatActions } from "../actions/printer.js";
import { annotateExpr } from "./annotate.js";
import { stableKey } from "./ast.js";
import { normalizeExpr } from "./normalize.js";
import { DEFAULT_CONTEXT, type ExprContext, parseExpr } from "./parser.js";
import { printExpr } from "./printer.js";

export interface CorpusFlow {
  readonly pipeline: Pipeline;
  readonly table: number;
  /** Tunnel keys of the datapaths the flow applies to (one, or a datapath group). */
  readonly datapaths: readonly number[];
  readonly match: string;
  readonly actions: string;
}

export interface LflowCorpus {
  /** How the corpus was collected. */
  readonly provenance: string;
  /** Southbound Address_Set: name to addresses. */
  readonly addressSets: Readonly<Record<string, readonly string[]>>;
  /** Southbound Port_Group: name (`<datapath key>_<group>`) to port names. */
  readonly portGroups: Readonly<Record<string, readonly string[]>>;
  readonly flows: readonly CorpusFlow[];
}

/** The lookups a controller would use for a flow: port groups are per datapath in the Southbound
 *  database, named after the datapath's tunnel key. */
export function flowContext(corpus: LflowCorpus, flow: CorpusFlow): ExprContext {
  return {
    ...DEFAULT_CONTEXT,
    addressSets: (n) => corpus.addressSets[n],
    portGroups: (n) => {
      for (const k of flow.datapaths) {
        const ports = corpus.portGroups[`${k}_${n}`];
        if (ports !== undefined) return ports;
      }
      return undefined;
    },
  };
}

export interface CorpusResult {
  readonly flows: number;
  readonly failures: readonly string[];
}

/** Parses, prints and re-parses every match and action list of the corpus. */
export function checkCorpus(corpus: LflowCorpus): CorpusResult {
  const failures: string[] = [];
  for (const flow of corpus.flows) {
    const where = `${flow.pipeline} table ${flow.table}`;
    const ctx = flowContext(corpus, flow);
    const m = parseExpr(flow.match, ctx);
    if (!m.ok) {
      failures.push(`${where}: match "${flow.match}": ${m.error}`);
    } else {
      const printed = printExpr(m.value);
      const again = parseExpr(printed, ctx);
      if (!again.ok) failures.push(`${where}: printed match "${printed}" does not parse: ${again.error}`);
      else if (stableKey(again.value) !== stableKey(m.value))
        failures.push(`${where}: match "${printed}" re-parses differently`);
      // The normalised form (unlike OVN's annotated form, which may test nominal fields with `!=`)
      // parses again, and normalises to itself.
      const normal = normalizeExpr(annotateExpr(m.value, ctx));
      const text = printExpr(normal);
      const reparsed = parseExpr(text, ctx);
      if (!reparsed.ok)
        failures.push(`${where}: normalised match "${text}" does not parse: ${reparsed.error}`);
      else if (stableKey(normalizeExpr(annotateExpr(reparsed.value, ctx))) !== stableKey(normal)) {
        failures.push(`${where}: normalised match "${text}" normalises differently`);
      }
    }
    const actx = actionContext({ ...ctx, pipeline: flow.pipeline, tableId: flow.table });
    const a = parseActions(flow.actions, actx);
    if (!a.ok) {
      failures.push(`${where}: actions "${flow.actions}": ${a.error}`);
      continue;
    }
    const printed = formatActions(a.value.actions, actx);
    const again = parseActions(printed, actx);
    if (!again.ok) {
      failures.push(`${where}: printed actions "${printed}" do not parse: ${again.error}`);
    } else if (stableKey(again.value.actions) !== stableKey(a.value.actions)) {
      failures.push(`${where}: actions "${printed}" re-parse differently`);
    } else if (formatActions(again.value.actions, actx) !== printed) {
      failures.push(`${where}: actions "${printed}" print differently the second time`);
    }
  }
  return { flows: corpus.flows.length, failures };
}
