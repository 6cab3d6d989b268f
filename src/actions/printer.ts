// Printing action lists the way OVN 23.03 formats them (as ovn-trace shows a flow's actions): one
// formatter per action kind, so a new kind does not compile until it can be printed.  Where OVN's own
// text would not parse again (strings printed without escaping, a masked zero printed as `0`), we print
// something that does.

import { formatConstant, formatHex, formatIntValue, quoteString } from "../expr/values.js";
import type { Action, ActionKind, IpPort, OptionValue, Pipeline } from "./ast.js";
import { formatField } from "./fields.js";

/** Where the actions' flow is, so that `next` prints relative to it. */
export interface FormatContext {
  readonly pipeline: Pipeline;
  readonly tableId: number;
}

const DEFAULT_FORMAT: FormatContext = { pipeline: "ingress", tableId: 0 };

type Formatters = { [K in ActionKind]: (a: Extract<Action, { kind: K }>, ctx: FormatContext) => string };

/** Prints a list of actions, each followed by `;`; the empty list prints as `drop;`. */
export function formatActions(actions: readonly Action[], ctx: FormatContext = DEFAULT_FORMAT): string {
  if (actions.length === 0) return "drop;";
  return actions.map((a) => `${formatAction(a, ctx)};`).join(" ");
}

export function formatAction(a: Action, ctx: FormatContext = DEFAULT_FORMAT): string {
  return (FORMATTERS[a.kind] as (a: Action, ctx: FormatContext) => string)(a, ctx);
}

const nestedBlock = (actions: readonly Action[], ctx: FormatContext): string =>
  `{ ${formatActions(actions, ctx)} }`;

function formatIpPort(b: IpPort, bracketV6: boolean): string {
  const ip = formatIntValue(b.ip.value, b.ip.format);
  if (b.port === 0) return ip;
  return b.ip.format === "ipv6" && bracketV6 ? `[${ip}]:${b.port}` : `${ip}:${b.port}`;
}

function formatOptionValue(v: OptionValue): string {
  switch (v.kind) {
    case "int":
      return formatConstant(v.constant);
    case "str":
      return quoteString(v.value);
    case "set":
      return `{${v.values.map(formatOptionValue).join(", ")}}`;
  }
}

/** ct_commit(ct_mark=...) values: hex, zero as `0`, except a masked zero (see the file comment). */
function formatCtValue(c: { value: bigint; mask: bigint | null }): string {
  if (c.mask === null) return formatHex(c.value);
  if (c.value === 0n && c.mask === 0n) return "0/0";
  if (c.value === 0n || c.mask === 0n) return `0x${c.value.toString(16)}/0x${c.mask.toString(16)}`;
  return `${formatHex(c.value)}/${formatHex(c.mask)}`;
}

const FORMATTERS: Formatters = {
  keyword: (a) => (a.name === "handle_bfd_msg" ? "handle_bfd_msg()" : a.name),
  drop: () => "drop",
  next: (a, ctx) => {
    if (a.pipeline !== ctx.pipeline) return `next(pipeline=${a.pipeline}, table=${a.table})`;
    return a.table === ctx.tableId + 1 ? "next" : `next(${a.table})`;
  },
  load: (a) =>
    `${formatField(a.dst)} = ${a.value.kind === "int" ? formatConstant(a.value.constant) : quoteString(a.value.value)}`,
  move: (a) => `${formatField(a.dst)} = ${formatField(a.src)}`,
  exchange: (a) => `${formatField(a.a)} <-> ${formatField(a.b)}`,
  dec_ttl: () => "ip.ttl--",
  ct_commit: (a, ctx) => (a.nested.length === 0 ? "ct_commit" : `ct_commit ${nestedBlock(a.nested, ctx)}`),
  ct_commit_v1: (a) => {
    const parts: string[] = [];
    if (a.mark !== null) parts.push(`ct_mark=${formatCtValue(a.mark)}`);
    if (a.label !== null) parts.push(`ct_label=${formatCtValue(a.label)}`);
    return parts.length === 0 ? "ct_commit" : `ct_commit(${parts.join(", ")})`;
  },
  ct_nat: (a) => {
    if (a.ip === null) return a.name;
    const ip = formatIntValue(a.ip.value, a.ip.format);
    if (a.ports === null) return `${a.name}(${ip})`;
    const range = a.ports.hi === null ? `${a.ports.lo}` : `${a.ports.lo}-${a.ports.hi}`;
    return `${a.name}(${ip},${range})`;
  },
  ct_lb: (a) => {
    const name = a.mark ? "ct_lb_mark" : "ct_lb";
    if (a.backends.length === 0) return name;
    let s = `${name}(backends=${a.backends.map((b) => formatIpPort(b, true)).join(",")}`;
    if (a.hashFields !== null) s += `; hash_fields=${quoteString(a.hashFields)}`;
    if (a.flag !== null) s += `; ${a.flag}`;
    return `${s})`;
  },
  nested: (a, ctx) => `${a.name} ${nestedBlock(a.nested, ctx)}`,
  get_mac: (a) => `${a.name}(${formatField(a.port)}, ${formatField(a.ip)})`,
  put_mac: (a) => `${a.name}(${formatField(a.port)}, ${formatField(a.ip)}, ${formatField(a.mac)})`,
  lookup_mac: (a) =>
    `${formatField(a.dst)} = ${a.name}(${formatField(a.port)}, ${formatField(a.ip)}, ${formatField(a.mac)})`,
  lookup_mac_ip: (a) => `${formatField(a.dst)} = ${a.name}(${formatField(a.port)}, ${formatField(a.ip)})`,
  get_fdb: (a) => `${formatField(a.dst)} = get_fdb(${formatField(a.mac)})`,
  put_fdb: (a) => `put_fdb(${formatField(a.port)}, ${formatField(a.mac)})`,
  lookup_fdb: (a) => `${formatField(a.dst)} = lookup_fdb(${formatField(a.port)}, ${formatField(a.mac)})`,
  put_opts: (a) =>
    `${formatField(a.dst)} = ${a.name}(${a.options.map((o) => `${o.name} = ${formatOptionValue(o.value)}`).join(", ")})`,
  check: (a) => `${formatField(a.dst)} = ${a.name}()`,
  check_pkt_larger: (a) => `${formatField(a.dst)} = check_pkt_larger(${a.length})`,
  log: (a) => {
    const parts: string[] = [];
    if (a.name !== null) parts.push(`name=${quoteString(a.name)}`);
    parts.push(`verdict=${a.verdict}`, `severity=${a.severity}`);
    if (a.meter !== null) parts.push(`meter=${quoteString(a.meter)}`);
    return `log(${parts.join(", ")})`;
  },
  set_queue: (a) => `set_queue(${a.queue})`,
  set_meter: (a) => (a.burst === 0n ? `set_meter(${a.rate})` : `set_meter(${a.rate}, ${a.burst})`),
  trigger_event: (a) =>
    `trigger_event(${[["event", a.event] as const, ...a.options].map(([k, v]) => `${k} = ${quoteString(v)}`).join(", ")})`,
  bind_vport: (a) => `bind_vport(${quoteString(a.vport)}, ${formatField(a.port)})`,
  handle_svc_check: (a) => `handle_svc_check(${formatField(a.port)})`,
  commit_ecmp_nh: (a) => `commit_ecmp_nh(ipv6 = ${a.ipv6 ? "true" : "false"}, proto = ${a.proto})`,
  commit_lb_aff: (a) =>
    `commit_lb_aff(vip = ${quoteString(formatIpPort(a.vip, true))}, backend = ${quoteString(formatIpPort(a.backend, true))}, proto = ${a.proto}, timeout = ${a.timeout})`,
  sample: (a) =>
    `sample(probability=${a.probability},collector_set=${a.collectorSet},obs_domain=${a.obsDomain},obs_point=${a.obsPoint === "cookie" ? "$cookie" : a.obsPoint})`,
  fwd_group: (a) =>
    `fwd_group(${a.liveness ? 'liveness="true", ' : ""}childports=${a.ports.map(quoteString).join(", ")})`,
  select: (a) => `${formatField(a.dst)} = select(${a.members.map((m) => `${m.id}=${m.weight}`).join(", ")})`,
  push: (a) => `push(${formatField(a.field)})`,
  pop: (a) => `pop(${formatField(a.field)})`,
};
