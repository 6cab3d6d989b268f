// The microflow ovn-trace is given: an expression whose only solution is the packet to trace
// (`inport == "lsp1" && eth.src == ... && tcp.dst == 80`).  We annotate it, which adds the prerequisites
// (`tcp.dst` brings `ip.proto == 6` and `eth.type == 0x800 || eth.type == 0x86dd`), and construct a
// packet satisfying it: equalities set bits, a disjunction takes its first alternative that can hold.

import type { Expr } from "../expr/ast.js";
import { evaluate } from "../expr/eval.js";
import { type ExprContext, parseAnnotated } from "../expr/index.js";
import { PacketState } from "./state.js";

export type MicroflowResult = { ok: true; packet: PacketState } | { ok: false; error: string };

export function parseMicroflow(text: string, ctx: ExprContext): MicroflowResult {
  const r = parseAnnotated(text, ctx);
  if (!r.ok) return { ok: false, error: r.error };
  const pkt = new PacketState();
  assign(r.value, pkt);
  if (!evaluate(r.value, pkt)) return { ok: false, error: "microflow has no solution" };
  return { ok: true, packet: pkt };
}

function assign(e: Expr, pkt: PacketState): void {
  switch (e.kind) {
    case "and": {
      // Plain constraints first, so that a disjunction picks an alternative consistent with them.
      for (const a of e.args) if (a.kind !== "or") assign(a, pkt);
      for (const a of e.args) if (a.kind === "or") assign(a, pkt);
      return;
    }
    case "test":
      if (e.relop === "==") {
        pkt.fields.set(e.field, (pkt.int(e.field) & ~e.mask) | (e.value & e.mask));
      }
      return;
    case "strtest":
      if (e.relop === "==") pkt.fields.set(e.field, e.value);
      return;
    case "or": {
      for (const alt of e.args) {
        if (evaluate(alt, pkt)) return;
      }
      for (const alt of e.args) {
        const trial = pkt.clone();
        assign(alt, trial);
        if (evaluate(alt, trial)) {
          for (const [k, v] of trial.fields) pkt.fields.set(k, v);
          return;
        }
      }
      return;
    }
    default:
      return;
  }
}
