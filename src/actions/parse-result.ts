// Actions that store a result in a field: `R = put_dhcp_opts(...)`, `R = put_dhcpv6_opts(...)`,
// `R = put_nd_ra_opts(...)`, `R = check_pkt_larger(L)`, `R = select(...)` and the argument-less checks
// such as `R = chk_lb_hairpin()`.

import { fail, type TokenStream } from "../expr/token-stream.js";
import type { Action, CheckActionName, OptionArg, OptionValue } from "./ast.js";
import { type DhcpOptionDef, ND_RA_OPTIONS, optionValueKind } from "./dhcp-options.js";
import { type ActionField, fieldWidth, formatFieldExplicit, requireNumericField } from "./fields.js";
import type { ActionParser } from "./parser.js";

type OptsName = "put_dhcp_opts" | "put_dhcpv6_opts" | "put_nd_ra_opts";

const OPTS_LABEL: Record<OptsName, string> = {
  put_dhcp_opts: "DHCPv4",
  put_dhcpv6_opts: "DHCPv6",
  put_nd_ra_opts: "IPv6 ND RA",
};

/** `R = put_dhcp_opts(name = value, ...)` and its DHCPv6 and ND RA siblings. */
export const parsePutOpts =
  (name: OptsName) =>
  (p: ActionParser, dst: ActionField): Action => {
    const ts: TokenStream = p.ts;
    requireNumericField(dst, 1);
    const catalogue =
      name === "put_dhcp_opts"
        ? p.ctx.dhcpv4Options
        : name === "put_dhcpv6_opts"
          ? p.ctx.dhcpv6Options
          : ND_RA_OPTIONS;
    const label = OPTS_LABEL[name];
    if (name === "put_nd_ra_opts") p.addPrereq("ip6");
    ts.expect("(");
    const options: OptionArg[] = [];
    while (!ts.match(")")) {
      const t = ts.token;
      const def = t.type === "id" ? catalogue.get(t.name) : undefined;
      if (def === undefined) ts.fail(`${label} option name`);
      ts.advance();
      ts.expect("=");
      const value = parseOptionValue(p);
      checkOptionType(label, def, value);
      options.push({ name: def.name, value });
      ts.match(",");
    }
    if (name === "put_dhcp_opts" && !options.some((o) => o.name === "offerip")) {
      fail("put_dhcp_opts requires offerip to be specified.");
    }
    if (name === "put_nd_ra_opts") validateNdRa(options);
    return { kind: "put_opts", name, dst: dst.spec, options };
  };

function parseOptionValue(p: ActionParser): OptionValue {
  const ts: TokenStream = p.ts;
  if (!ts.match("{")) return parseOptionConstant(p, null);
  const values: OptionValue[] = [];
  let type: "int" | "str" | null = null;
  do {
    const v = parseOptionConstant(p, type);
    type ??= v.kind === "int" ? "int" : "str";
    values.push(v);
    ts.match(",");
  } while (!ts.match("}"));
  return { kind: "set", values };
}

function parseOptionConstant(p: ActionParser, type: "int" | "str" | null): OptionValue {
  const ts: TokenStream = p.ts;
  const t = ts.token;
  let v: OptionValue;
  if (t.type === "string") v = { kind: "str", value: t.value };
  else if (t.type === "integer" || t.type === "masked-integer") v = { kind: "int", constant: t.constant };
  else if (t.type === "macro" && p.ctx.addressSets?.(t.name) === undefined)
    return ts.fail("address set name");
  else return ts.fail("constant");
  if (type !== null && v.kind !== type) ts.fail(type === "int" ? "integer" : "string");
  ts.advance();
  return v;
}

function checkOptionType(label: string, def: DhcpOptionDef, value: OptionValue): void {
  const want = optionValueKind(def.type);
  const leaves = value.kind === "set" ? value.values : [value];
  for (const v of leaves) {
    if (want === "numeric" && v.kind === "str") fail(`${label} option ${def.name} requires numeric value.`);
    if (want === "string" && v.kind === "int") fail(`${label} option ${def.name} requires string value.`);
  }
}

const RA_ADDR_MODES = ["slaac", "dhcpv6_stateful", "dhcpv6_stateless"];
const RA_PREFERENCES = ["HIGH", "MEDIUM", "LOW"];

function validateNdRa(options: readonly OptionArg[]): void {
  const invalid = (name: string): never => fail(`Invalid value for "${name}" option`);
  let addrMode: string | null = null;
  for (const o of options) {
    const v = o.value;
    switch (o.name) {
      case "addr_mode":
        if (v.kind !== "str" || !RA_ADDR_MODES.includes(v.value)) invalid(o.name);
        addrMode = v.kind === "str" ? v.value : null;
        break;
      case "slla":
        if (v.kind !== "int" || v.constant.format !== "ethernet" || v.constant.mask !== null) invalid(o.name);
        break;
      case "prefix":
        if (v.kind !== "int" || v.constant.format !== "ipv6" || v.constant.mask === null) invalid(o.name);
        break;
      case "mtu":
        if (v.kind !== "int" || v.constant.format !== "decimal" || v.constant.mask !== null) invalid(o.name);
        break;
      case "router_preference":
        if (v.kind !== "str" || !RA_PREFERENCES.includes(v.value)) invalid(o.name);
        break;
      default:
        break;
    }
  }
  if (!options.some((o) => o.name === "slla")) fail("slla option not present");
  if (addrMode !== "dhcpv6_stateful" && !options.some((o) => o.name === "prefix")) {
    fail("prefix option needs to be set when address mode is slaac/dhcpv6_stateless.");
  }
}

/** `R = name();` for the argument-less checks. */
export const parseCheck =
  (name: CheckActionName) =>
  (p: ActionParser, dst: ActionField): Action => {
    requireNumericField(dst, 1);
    if (name === "dns_lookup") p.addPrereq("udp");
    p.ts.expect("(");
    p.ts.expect(")");
    return { kind: "check", name, dst: dst.spec };
  };

/** `R = check_pkt_larger(L);` with L kept to 16 bits as OVN does. */
export function parseCheckPktLarger(p: ActionParser, dst: ActionField): Action {
  const ts: TokenStream = p.ts;
  requireNumericField(dst, 1);
  ts.expect("(");
  const n = p.decimal();
  // OVN gives up quietly on anything else, which then fails where the `;' was expected.
  if (n === null) ts.fail("`;'");
  ts.expect(")");
  return { kind: "check_pkt_larger", dst: dst.spec, length: Number(n & 0xffffn) };
}

/** `R = select(ID[=WEIGHT], ...);` with at least two members. */
export function parseSelect(p: ActionParser, dst: ActionField): Action {
  const ts: TokenStream = p.ts;
  const w = fieldWidth(dst.spec);
  if (w < 16) {
    fail(
      `cannot use ${w}-bit field ${formatFieldExplicit(dst.spec)} for "select", which requires at least 16 bits.`,
    );
  }
  p.checkNotLastTable("select");
  ts.expect("(");
  const members: { id: number; weight: number }[] = [];
  while (!ts.match(")")) {
    const id = p.ts.token;
    if (id.type !== "integer" || id.constant.format !== "decimal" || id.constant.value > 65535n)
      ts.fail("id");
    ts.advance();
    let weight = 100;
    if (ts.match("=")) {
      const wt = ts.token;
      if (wt.type !== "integer" || wt.constant.format !== "decimal" || wt.constant.value > 65535n)
        ts.fail("weight");
      ts.advance();
      weight = Number(wt.constant.value);
      if (weight === 0) ts.failWith("weight can't be 0");
    }
    members.push({ id: Number(id.constant.value), weight });
    ts.match(",");
  }
  if (members.length < 2) ts.fail("at least 2 group members");
  return { kind: "select", dst: dst.spec, members };
}
