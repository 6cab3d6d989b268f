// Assignments: `dst = constant;`, `dst = src;`, `a <-> b;`, `R = function(...);` and `ip.ttl--;`.

import { fail, type TokenStream } from "../expr/token-stream.js";
import { constantWidth } from "../expr/values.js";
import type { Action, LoadValue } from "./ast.js";
import { type ActionField, fieldWidth } from "./fields.js";
import { type ActionParser, RESULT_ACTIONS } from "./parser.js";

export function parseDecTtl(p: ActionParser): Action {
  p.ts.advance();
  p.ts.advance();
  p.addPrereq("ip");
  return { kind: "dec_ttl" };
}

export function parseAssignment(p: ActionParser): Action {
  const ts: TokenStream = p.ts;
  const dst = p.field({ lvalue: true });
  if (ts.match("<->")) {
    const other = p.field({ lvalue: true });
    checkCompatible(dst, other, "exchange");
    return { kind: "exchange", a: dst.spec, b: other.spec };
  }
  if (!ts.match("=")) ts.fail("`=' or `<->'");
  const t = ts.token;
  if (t.type === "id" && ts.peek().type === "(") {
    const f = RESULT_ACTIONS[t.name];
    if (f !== undefined) {
      ts.advance();
      return f(p, dst);
    }
  }
  if (t.type === "id") {
    const src = p.field();
    checkCompatible(dst, src, "assign");
    return { kind: "move", dst: dst.spec, src: src.spec };
  }
  return { kind: "load", dst: dst.spec, value: parseLoadValue(p, dst) };
}

function parseLoadValue(p: ActionParser, dst: ActionField): LoadValue {
  const ts: TokenStream = p.ts;
  const t = ts.token;
  if (t.type === "macro" && p.ctx.addressSets?.(t.name) === undefined) ts.fail("address set name");
  if (t.type === "port-group" && p.ctx.portGroups?.(t.name) === undefined) ts.fail("port group name");
  if (t.type !== "string" && t.type !== "integer" && t.type !== "masked-integer") ts.fail("constant");
  ts.advance();
  const def = dst.def;
  const isString = def.kind === "string";
  if (t.type === "string") {
    if (!isString) fail(`Integer field ${def.name} is not compatible with string constant.`);
    return { kind: "str", value: t.value };
  }
  if (isString) fail(`String field ${def.name} is not compatible with integer constant.`);
  const w = constantWidth(t.constant);
  if (w > dst.spec.width)
    fail(`${w}-bit constant is not compatible with ${dst.spec.width}-bit field ${def.name}.`);
  return { kind: "int", constant: t.constant };
}

function checkCompatible(dst: ActionField, src: ActionField, op: "assign" | "exchange"): void {
  const type = (f: ActionField): string => (f.def.kind === "string" ? "string" : "integer");
  if (type(dst) !== type(src)) {
    if (op === "assign") {
      fail(`Can't assign ${type(src)} field (${src.def.name}) to ${type(dst)} field (${dst.def.name}).`);
    }
    fail(`Can't exchange ${type(dst)} field (${dst.def.name}) with ${type(src)} field (${src.def.name}).`);
  }
  if (type(dst) === "string") return;
  const dw = fieldWidth(dst.spec);
  const sw = fieldWidth(src.spec);
  if (dw !== sw) {
    if (op === "assign") fail(`Can't assign ${sw}-bit value to ${dw}-bit destination.`);
    fail(`Can't exchange ${dw}-bit field with ${sw}-bit field.`);
  }
}
