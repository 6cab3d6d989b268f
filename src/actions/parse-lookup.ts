// MAC binding and FDB actions: get_arp/get_nd, put_arp/put_nd, lookup_arp/lookup_nd (and the _ip
// forms), get_fdb, put_fdb and lookup_fdb.  Their arguments are fields of fixed types and widths.

import type { TokenStream } from "../expr/token-stream.js";
import type { Action } from "./ast.js";
import { type ActionField, requireNumericField, requireStringField } from "./fields.js";
import type { ActionParser } from "./parser.js";

const ipWidth = (name: string): number => (name.endsWith("_nd") || name.endsWith("_nd_ip") ? 128 : 32);

function portArg(p: ActionParser): ActionField {
  const f = p.field();
  requireStringField(f);
  return f;
}

function numericArg(p: ActionParser, width: number): ActionField {
  const f = p.field();
  requireNumericField(f, width);
  return f;
}

/** The 1-bit destination of a lookup. */
function bitResult(dst: ActionField): void {
  requireNumericField(dst, 1);
}

/** `get_arp(P, A);` / `get_nd(P, A);` */
export const parseGetMac =
  (name: "get_arp" | "get_nd") =>
  (p: ActionParser): Action => {
    const ts: TokenStream = p.ts;
    ts.expect("(");
    const port = portArg(p);
    ts.expect(",");
    const ip = numericArg(p, ipWidth(name));
    ts.expect(")");
    return { kind: "get_mac", name, port: port.spec, ip: ip.spec };
  };

/** `put_arp(P, A, E);` / `put_nd(P, A, E);` */
export const parsePutMac =
  (name: "put_arp" | "put_nd") =>
  (p: ActionParser): Action => {
    const ts: TokenStream = p.ts;
    ts.expect("(");
    const port = portArg(p);
    ts.expect(",");
    const ip = numericArg(p, ipWidth(name));
    ts.expect(",");
    const mac = numericArg(p, 48);
    ts.expect(")");
    return { kind: "put_mac", name, port: port.spec, ip: ip.spec, mac: mac.spec };
  };

/** `R = lookup_arp(P, A, M);` / `R = lookup_nd(P, A, M);` */
export const parseLookupMac =
  (name: "lookup_arp" | "lookup_nd") =>
  (p: ActionParser, dst: ActionField): Action => {
    const ts: TokenStream = p.ts;
    bitResult(dst);
    ts.expect("(");
    const port = portArg(p);
    ts.expect(",");
    const ip = numericArg(p, ipWidth(name));
    ts.expect(",");
    const mac = numericArg(p, 48);
    ts.expect(")");
    return { kind: "lookup_mac", name, dst: dst.spec, port: port.spec, ip: ip.spec, mac: mac.spec };
  };

/** `R = lookup_arp_ip(P, A);` / `R = lookup_nd_ip(P, A);` */
export const parseLookupMacIp =
  (name: "lookup_arp_ip" | "lookup_nd_ip") =>
  (p: ActionParser, dst: ActionField): Action => {
    const ts: TokenStream = p.ts;
    bitResult(dst);
    ts.expect("(");
    const port = portArg(p);
    ts.expect(",");
    const ip = numericArg(p, ipWidth(name));
    ts.expect(")");
    return { kind: "lookup_mac_ip", name, dst: dst.spec, port: port.spec, ip: ip.spec };
  };

/** `P = get_fdb(A);` */
export function parseGetFdb(p: ActionParser, dst: ActionField): Action {
  const ts: TokenStream = p.ts;
  ts.expect("(");
  const mac = numericArg(p, 48);
  ts.expect(")");
  return { kind: "get_fdb", dst: dst.spec, mac: mac.spec };
}

/** `put_fdb(P, A);` */
export function parsePutFdb(p: ActionParser): Action {
  const ts: TokenStream = p.ts;
  ts.expect("(");
  const port = portArg(p);
  ts.expect(",");
  const mac = numericArg(p, 48);
  ts.expect(")");
  return { kind: "put_fdb", port: port.spec, mac: mac.spec };
}

/** `R = lookup_fdb(P, A);` */
export function parseLookupFdb(p: ActionParser, dst: ActionField): Action {
  const ts: TokenStream = p.ts;
  bitResult(dst);
  ts.expect("(");
  const port = portArg(p);
  ts.expect(",");
  const mac = numericArg(p, 48);
  ts.expect(")");
  return { kind: "lookup_fdb", dst: dst.spec, port: port.spec, mac: mac.spec };
}
