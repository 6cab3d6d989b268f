// Golden tests for the logical-flow language: plain-text files under test/golden/expr/, one case per
// line, `input => expected`.  The file name says what is checked:
//   lexer*      the tokens, printed canonically (or the first lexical error)
//   parse*      the syntax tree printed back (or the parse error)
//   annotate*   the annotated expression as OVN prints it
//   normalize*  the simplified, normalised expression
//   templates*  the parse of the input after template substitution (^x = 5, ^ip = 10.0.0.1)
//   symbols*    a symbol's definition
//   actions*    the action list as OVN prints it (or the parse error)
//   prereqs*    the prerequisites an action list adds to the match
// Lines starting with `#` are comments; `% key=value ...` sets the action context (pipeline, table)
// for the lines after it.  Run with OVNTS_UPDATE_GOLDEN=1 to rewrite the expectations.

import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import type { Pipeline } from "../actions/ast.js";
import { actionContext } from "../actions/context.js";
import { parseActions } from "../actions/parser.js";
import { formatActions } from "../actions/printer.js";
import { annotateExpr } from "./annotate.js";
import { GOLDEN_PORT_GROUPS, GOLDEN_SETS } from "./golden-sets.js";
import { formatToken, tokenize } from "./lexer.js";
import { normalizeExpr } from "./normalize.js";
import { DEFAULT_CONTEXT, type ExprContext, parseExpr } from "./parser.js";
import { printExpr } from "./printer.js";
import { OVN_SYMBOLS } from "./symbols.js";
import { expandTemplates } from "./templates.js";

const GOLDEN_DIR = fileURLToPath(new URL("../../../test/golden/expr/", import.meta.url));

const exprCtx: ExprContext = {
  ...DEFAULT_CONTEXT,
  addressSets: (n) => GOLDEN_SETS[n],
  portGroups: (n) => GOLDEN_PORT_GROUPS[n],
};

type Mode = (input: string, opts: Record<string, string>) => string;

const withParse = (input: string, f: (e: ReturnType<typeof parseOk>) => string): string => {
  const r = parseExpr(input, exprCtx);
  return r.ok ? f(r.value) : `error: ${r.error}`;
};
const parseOk = (s: string) => {
  const r = parseExpr(s, exprCtx);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

function actionsCtx(opts: Record<string, string>) {
  return actionContext({
    ...exprCtx,
    pipeline: (opts.pipeline ?? "ingress") as Pipeline,
    tableId: Number(opts.table ?? "0"),
  });
}

function describeSymbol(name: string): string {
  const d = OVN_SYMBOLS.lookup(name);
  if (d === undefined) return "unknown";
  switch (d.kind) {
    case "field":
      return `field ${d.width}-bit ${d.level} ${d.rw} prereqs=${d.prereqs ?? "-"} ovs=${d.ovsField}`;
    case "string":
      return `string ${d.rw} prereqs=${d.prereqs ?? "-"} ovs=${d.ovsField}`;
    case "subfield":
      return `subfield ${d.parent}[${d.lo}..${d.hi}] ${d.rw} prereqs=${d.prereqs ?? "-"} ovs=${d.ovsField ?? "-"}`;
    case "predicate":
      return `predicate ${d.level} ${d.expansion}`;
    case "ovn-field":
      return `ovn-field ${d.width}-bit ${d.level} ${d.rw}`;
  }
}

const MODES: Record<string, Mode> = {
  lexer: (input) => {
    const toks = tokenize(input);
    const err = toks.find((t) => t.type === "error");
    if (err !== undefined && err.type === "error") return `error: ${err.message}`;
    return toks
      .filter((t) => t.type !== "end")
      .map(formatToken)
      .join(" ");
  },
  parse: (input) => withParse(input, (e) => printExpr(e)),
  annotate: (input) => withParse(input, (e) => printExpr(annotateExpr(e, exprCtx))),
  normalize: (input) => withParse(input, (e) => printExpr(normalizeExpr(annotateExpr(e, exprCtx)))),
  templates: (input) =>
    withParse(
      expandTemplates(
        input,
        new Map([
          ["x", "5"],
          ["ip", "10.0.0.1"],
        ]),
      ).text,
      (e) => printExpr(e),
    ),
  symbols: (input) => describeSymbol(input),
  actions: (input, opts) => {
    const ctx = actionsCtx(opts);
    const r = parseActions(input, ctx);
    return r.ok ? formatActions(r.value.actions, ctx) : `error: ${r.error}`;
  },
  prereqs: (input, opts) => {
    const r = parseActions(input, actionsCtx(opts));
    if (!r.ok) return `error: ${r.error}`;
    return r.value.prereqs === null ? "-" : printExpr(r.value.prereqs);
  },
};

function modeOf(file: string): Mode {
  const key = Object.keys(MODES).find((k) => file.startsWith(k));
  if (key === undefined) throw new Error(`no golden mode for ${file}`);
  return MODES[key] as Mode;
}

for (const file of readdirSync(GOLDEN_DIR)
  .filter((f) => f.endsWith(".txt"))
  .sort()) {
  test(`golden ${file}`, () => {
    const path = `${GOLDEN_DIR}${file}`;
    const mode = modeOf(file);
    const lines = readFileSync(path, "utf8").split("\n");
    const opts: Record<string, string> = {};
    const failures: string[] = [];
    const updated = lines.map((line, i) => {
      if (line.startsWith("%")) {
        for (const kv of line.slice(1).trim().split(/\s+/)) {
          const [k, v] = kv.split("=");
          if (k !== undefined && v !== undefined) opts[k] = v;
        }
        return line;
      }
      if (line.trim() === "" || line.startsWith("#")) return line;
      const sep = line.indexOf(" => ");
      const input = sep < 0 ? line : line.slice(0, sep);
      const expected = sep < 0 ? "" : line.slice(sep + 4);
      const got = mode(input, opts);
      if (got !== expected)
        failures.push(`${file}:${i + 1}: ${input}\n  expected: ${expected}\n  got:      ${got}`);
      return `${input} => ${got}`;
    });
    if (process.env.OVNTS_UPDATE_GOLDEN === "1") {
      writeFileSync(path, updated.join("\n"));
      return;
    }
    assert.equal(failures.length, 0, failures.join("\n"));
  });
}
