// What parsing an action list depends on besides its text: the symbols and sets of a match, where the
// flow sits in the pipeline (for `next`), and the DHCP option catalogues.

import { DEFAULT_CONTEXT, type ExprContext } from "../expr/parser.js";
import type { Pipeline } from "./ast.js";
import { DEFAULT_DHCPV4_OPTIONS, DEFAULT_DHCPV6_OPTIONS, type DhcpOptionDef } from "./dhcp-options.js";

export interface ActionContext extends ExprContext {
  /** Pipeline of the flow the actions belong to. */
  readonly pipeline: Pipeline;
  /** Table of the flow; `next;` goes to the one after it. */
  readonly tableId: number;
  /** Number of logical tables in a pipeline; `next` cannot go past the last. */
  readonly nTables: number;
  readonly dhcpv4Options: ReadonlyMap<string, DhcpOptionDef>;
  readonly dhcpv6Options: ReadonlyMap<string, DhcpOptionDef>;
}

/** OVN 23.03 logical pipelines have 29 tables (0..28) as far as actions are concerned. */
export const LOG_PIPELINE_LEN = 29;

export const DEFAULT_ACTION_CONTEXT: ActionContext = {
  ...DEFAULT_CONTEXT,
  pipeline: "ingress",
  tableId: 0,
  nTables: LOG_PIPELINE_LEN,
  dhcpv4Options: DEFAULT_DHCPV4_OPTIONS,
  dhcpv6Options: DEFAULT_DHCPV6_OPTIONS,
};

/** The default context with some fields replaced. */
export function actionContext(overrides: Partial<ActionContext> = {}): ActionContext {
  return { ...DEFAULT_ACTION_CONTEXT, ...overrides };
}
