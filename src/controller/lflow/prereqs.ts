// The prerequisites a logical flow's actions add to its match.
//
// src/actions reports one prerequisite expression for a whole action list, including what the actions
// nested in arp { }, icmp4 { }, ct_commit { } ... require.  Those inner requirements concern the packet
// the nested actions build, not the packet that matched, and ovn-controller does not add them to the
// match (`icmp4 { icmp4.type = 3; ... }` on an `ip4` flow does not make the flow match only ICMP).  So
// the outer prerequisites are taken from the action list with the bodies of nested actions emptied.

import type { ActionContext } from "../../actions/context.js";
import { parseActions } from "../../actions/parser.js";
import type { Expr } from "../../expr/ast.js";

/** Actions whose `{ ... }` is a list of actions for another packet (or for the connection). */
const NESTED = new Set([
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
  "ct_commit",
]);

/** The action text with every nested action's body removed (`icmp4 { ... };` → `icmp4 {};`). */
export function stripNestedBodies(actions: string): string {
  let out = "";
  let i = 0;
  while (i < actions.length) {
    const ch = actions[i] as string;
    if (ch === '"') {
      const end = skipString(actions, i);
      out += actions.slice(i, end);
      i = end;
      continue;
    }
    if (ch === "{") {
      const word = /([A-Za-z_][A-Za-z_0-9]*)\s*$/.exec(out)?.[1];
      if (word !== undefined && NESTED.has(word)) {
        const end = matchingBrace(actions, i);
        out += "{}";
        i = end + 1;
        continue;
      }
    }
    out += ch;
    i++;
  }
  return out;
}

function skipString(s: string, start: number): number {
  let i = start + 1;
  while (i < s.length && s[i] !== '"') i += s[i] === "\\" ? 2 : 1;
  return Math.min(i + 1, s.length);
}

function matchingBrace(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const ch = s[i];
    if (ch === '"') {
      i = skipString(s, i) - 1;
      continue;
    }
    if (ch === "{") depth++;
    else if (ch === "}" && --depth === 0) return i;
  }
  return s.length - 1;
}

/**
 * The prerequisites of the actions at their outermost level, or null.  `whole`: the prerequisites of
 * the whole list when already parsed, the answer when no action has a body to strip (most lists: the
 * second parse is then left out).
 */
export function outerPrereqs(actions: string, ctx: ActionContext, whole?: Expr | null): Expr | null {
  if (whole !== undefined && !actions.includes("{")) return whole;
  const r = parseActions(stripNestedBodies(actions), ctx);
  return r.ok ? r.value.prereqs : null;
}
