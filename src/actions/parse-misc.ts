// The remaining actions with arguments: next, log, set_queue, set_meter, trigger_event, bind_vport,
// handle_svc_check, commit_ecmp_nh, commit_lb_aff, sample, fwd_group, push and pop.

import { isUuid } from "../base/uuid.js";
import { tokenize } from "../expr/lexer.js";
import { fail, type TokenStream } from "../expr/token-stream.js";
import {
  type Action,
  type IpPort,
  L4_PROTOS,
  type L4Proto,
  LOG_SEVERITIES,
  LOG_VERDICTS,
  type LogSeverity,
  type LogVerdict,
  type Pipeline,
} from "./ast.js";
import { requireStringField } from "./fields.js";
import type { ActionParser } from "./parser.js";

/** `next;`, `next(N);`, `next(pipeline=P, table=N);` (keys in either order). */
export function parseNext(p: ActionParser): Action {
  const ts: TokenStream = p.ts;
  let pipeline: Pipeline = p.ctx.pipeline;
  let table = p.ctx.tableId + 1;
  if (ts.match("(")) {
    const n = p.decimal();
    if (n !== null) {
      table = Number(n);
    } else {
      do {
        if (ts.matchId("pipeline")) {
          ts.expect("=");
          if (ts.matchId("ingress")) pipeline = "ingress";
          else if (ts.matchId("egress")) pipeline = "egress";
          else ts.fail('"ingress" or "egress"');
        } else if (ts.matchId("table")) {
          ts.expect("=");
          const t = p.decimal();
          if (t === null) ts.fail("integer");
          table = Number(t);
        } else {
          ts.fail('"pipeline" or "table"');
        }
      } while (ts.match(","));
    }
    ts.expect(")");
  }
  if (table >= p.ctx.nTables) fail(`"next" action cannot advance beyond table ${p.ctx.nTables - 1}.`);
  return { kind: "next", pipeline, table };
}

const LOG_KEYS = ["name", "severity", "verdict", "meter"];

/** `log(name="...", severity=S, verdict=V, meter="...")`; the verdict is required. */
export function parseLog(p: ActionParser): Action {
  const ts: TokenStream = p.ts;
  let name: string | null = null;
  let severity: LogSeverity = "info";
  let verdict: LogVerdict | null = null;
  let meter: string | null = null;
  ts.expect("(");
  while (!ts.match(")")) {
    const k = ts.token;
    if (k.type !== "id" || ts.peek().type !== "=" || !LOG_KEYS.includes(k.name)) ts.fail();
    ts.advance();
    ts.advance();
    const t = ts.token;
    switch (k.name) {
      case "name":
        if (t.type !== "string") ts.fail("string");
        if (new TextEncoder().encode(t.value).length >= 64)
          ts.failWith("name must be shorter than 64 characters");
        name = t.value;
        break;
      case "severity":
        if (t.type !== "id") ts.fail("severity");
        if (!(LOG_SEVERITIES as readonly string[]).includes(t.name)) ts.failWith("unknown severity");
        severity = t.name as LogSeverity;
        break;
      case "verdict":
        if (t.type !== "id") ts.fail("verdict");
        if (!(LOG_VERDICTS as readonly string[]).includes(t.name)) ts.failWith("unknown verdict");
        verdict = t.name as LogVerdict;
        break;
      default:
        if (t.type !== "string") ts.fail("string");
        meter = t.value;
    }
    ts.advance();
    ts.match(",");
  }
  if (verdict === null) ts.fail("verdict");
  return { kind: "log", name, verdict, severity, meter };
}

/** `set_queue(N);` with 0 <= N <= 61440. */
export function parseSetQueue(p: ActionParser): Action {
  const ts: TokenStream = p.ts;
  ts.expect("(");
  const n = p.decimal();
  // OVN stops quietly at anything but a decimal, so the error shows where `;' was expected.
  if (n === null) ts.fail("`;'");
  if (n > 61440n) fail(`Queue ID ${n} for set_queue is not in valid range 0 to 61440.`);
  ts.expect(")");
  return { kind: "set_queue", queue: Number(n) };
}

/** `set_meter(RATE[, BURST]);` in kbps. */
export function parseSetMeter(p: ActionParser): Action {
  const ts: TokenStream = p.ts;
  ts.expect("(");
  const rate = lenientUint(p);
  if (rate === 0n) fail("Rate 0 for set_meter is not in valid.");
  const burst = ts.match(",") ? lenientUint(p) : 0n;
  ts.expect(")");
  return { kind: "set_meter", rate, burst };
}

/** A decimal, or 0 for any other number (consumed), as OVN's set_meter reads its arguments. */
function lenientUint(p: ActionParser): bigint {
  const t = p.ts.token;
  const n = p.decimal();
  if (n !== null) return n;
  if (t.type === "integer" || t.type === "masked-integer" || t.type === "error") p.ts.advance();
  return 0n;
}

const EMPTY_LB_OPTIONS = ["vip", "protocol", "load_balancer"];

/** `trigger_event(event = "empty_lb_backends", vip = "...", protocol = "...", load_balancer = "...")`. */
export function parseTriggerEvent(p: ActionParser): Action {
  const ts: TokenStream = p.ts;
  ts.expect("(");
  if (!ts.isId("event") || ts.peek().type !== "=") ts.failWith("Expecting 'event' option");
  ts.advance();
  ts.advance();
  const ev = ts.token;
  if (ev.type !== "string") ts.fail("string");
  if (ev.value !== "empty_lb_backends") ts.failWith("Unknown event '-1'");
  ts.advance();
  const options: [string, string][] = [];
  while (ts.match(",")) {
    const t = ts.token;
    if (t.type !== "id" || !EMPTY_LB_OPTIONS.includes(t.name)) ts.fail("empty_lb_backends option name");
    ts.advance();
    ts.expect("=");
    const v = p.string();
    if (v === null) ts.fail("string");
    checkEventOption(t.name, v);
    options.push([t.name, v]);
  }
  ts.expect(")");
  return { kind: "trigger_event", event: ev.value, options };
}

function checkEventOption(name: string, v: string): void {
  if (name === "vip" && parseIpPortString(v) === null) fail(`Invalid load balancer VIP '${v}'`);
  if (name === "protocol" && !(L4_PROTOS as readonly string[]).includes(v)) {
    fail(`Load balancer protocol '${v}' is not 'tcp', 'udp', or 'sctp'`);
  }
  if (name === "load_balancer" && !isUuid(v)) fail(`Load balancer '${v}' is not a UUID`);
}

/** "IP", "IPv4:PORT" or "[IPv6]:PORT" as in load balancer VIPs. */
export function parseIpPortString(s: string): IpPort | null {
  const toks = tokenize(s);
  const types = toks.map((t) => t.type).join(" ");
  const ipOf = (i: number): IpPort["ip"] | null => {
    const t = toks[i];
    return t !== undefined &&
      t.type === "integer" &&
      (t.constant.format === "ipv4" || t.constant.format === "ipv6")
      ? t.constant
      : null;
  };
  const portOf = (i: number): number | null => {
    const t = toks[i];
    return t !== undefined &&
      t.type === "integer" &&
      t.constant.format === "decimal" &&
      t.constant.value <= 65535n
      ? Number(t.constant.value)
      : null;
  };
  if (types === "integer end") {
    const ip = ipOf(0);
    return ip === null ? null : { ip, port: 0 };
  }
  if (types === "integer : integer end") {
    const ip = ipOf(0);
    const port = portOf(2);
    return ip === null || ip.format !== "ipv4" || port === null ? null : { ip, port };
  }
  if (types === "[ integer ] : integer end" || types === "[ integer ] end") {
    const ip = ipOf(1);
    const port = types.includes(":") ? portOf(4) : 0;
    return ip === null || ip.format !== "ipv6" || port === null ? null : { ip, port };
  }
  return null;
}

/** `bind_vport("VPORT", P);` */
export function parseBindVport(p: ActionParser): Action {
  const ts: TokenStream = p.ts;
  ts.expect("(");
  const vport = p.string();
  if (vport === null) ts.fail("port name string");
  ts.expect(",");
  const port = p.field();
  requireStringField(port);
  ts.expect(")");
  return { kind: "bind_vport", vport, port: port.spec };
}

/** `handle_svc_check(P);` */
export function parseHandleSvcCheck(p: ActionParser): Action {
  const ts: TokenStream = p.ts;
  ts.expect("(");
  const port = p.field();
  requireStringField(port);
  ts.expect(")");
  return { kind: "handle_svc_check", port: port.spec };
}

/** `true` or `false`, bare or (as OVN itself prints fwd_group's liveness) quoted. */
function parseBool(p: ActionParser): boolean {
  if (p.ts.matchId("true")) return true;
  if (p.ts.matchId("false")) return false;
  const t = p.ts.token;
  if (t.type === "string" && (t.value === "true" || t.value === "false")) {
    p.ts.advance();
    return t.value === "true";
  }
  return p.ts.fail("true or false");
}

function parseProto(p: ActionParser): L4Proto {
  const t = p.ts.token;
  if (t.type !== "id" || !(L4_PROTOS as readonly string[]).includes(t.name))
    p.ts.failWith("invalid protocol");
  p.ts.advance();
  return t.name as L4Proto;
}

/** `key =` for a parameter that must come next, else "invalid parameter". */
function expectKey(p: ActionParser, key: string): void {
  if (!p.ts.isId(key)) p.ts.failWith("invalid parameter");
  p.ts.advance();
  p.ts.expect("=");
}

/** `commit_ecmp_nh(ipv6 = BOOL, proto = PROTO);` */
export function parseCommitEcmpNh(p: ActionParser): Action {
  const ts: TokenStream = p.ts;
  ts.expect("(");
  expectKey(p, "ipv6");
  const ipv6 = parseBool(p);
  ts.expect(",");
  expectKey(p, "proto");
  const proto = parseProto(p);
  ts.expect(")");
  return { kind: "commit_ecmp_nh", ipv6, proto };
}

/** `commit_lb_aff(vip = "IP:PORT", backend = "IP:PORT", proto = PROTO, timeout = SECONDS);` */
export function parseCommitLbAff(p: ActionParser): Action {
  const ts: TokenStream = p.ts;
  const ipPort = (): IpPort => {
    const t = ts.token;
    const v = t.type === "string" ? parseIpPortString(t.value) : null;
    if (v === null) return ts.failWith("invalid parameter");
    ts.advance();
    return v;
  };
  ts.expect("(");
  // OVN requires a backend port, and notices a missing one only at the next parameter.
  expectKey(p, "vip");
  const vip = ipPort();
  ts.expect(",");
  expectKey(p, "backend");
  const backend = ipPort();
  ts.expect(",");
  if (backend.port === 0) ts.failWith("invalid parameter");
  expectKey(p, "proto");
  const proto = parseProto(p);
  ts.expect(",");
  expectKey(p, "timeout");
  const timeout = p.decimal();
  if (timeout === null || timeout > 0xffffffffn) return ts.failWith("invalid parameter");
  ts.expect(")");
  return { kind: "commit_lb_aff", vip, backend, proto, timeout: Number(timeout) };
}

const SAMPLE_KEYS = ["probability", "collector_set", "obs_domain", "obs_point"];

/** `sample(probability=N, collector_set=N, obs_domain=N, obs_point=N|$cookie)`. */
export function parseSample(p: ActionParser): Action {
  const ts: TokenStream = p.ts;
  let probability = 0;
  let collectorSet = 0;
  let obsDomain = 0;
  let obsPoint: number | "cookie" = 0;
  ts.expect("(");
  while (!ts.match(")")) {
    const key = ts.token;
    if (key.type !== "id" || ts.peek().type !== "=") ts.fail();
    if (!SAMPLE_KEYS.includes(key.name)) ts.failWith("unknown argument");
    ts.advance();
    ts.advance();
    const t = ts.token;
    const n = t.type === "integer" && t.constant.format === "decimal" ? t.constant.value : null;
    switch (key.name) {
      case "probability":
        if (n === null || n > 65535n) ts.fail("probability");
        probability = Number(n);
        break;
      case "collector_set":
        if (n === null || n > 0xffffffffn) ts.fail("collector_set");
        collectorSet = Number(n);
        break;
      case "obs_domain":
        if (n === null) ts.fail("obs_domain");
        if (n > 255n) ts.failWith("obs_domain must be 8-bit long");
        obsDomain = Number(n);
        break;
      default:
        // `$cookie` (as ovn-northd writes debug-drop samples): the flow's own cookie, known when encoded.
        if (t.type === "macro" && t.name === "cookie") obsPoint = "cookie";
        else if (n === null || n > 0xffffffffn) ts.failWith("malformed sample observation_point_id");
        else obsPoint = Number(n);
    }
    ts.advance();
    ts.match(",");
  }
  if (probability === 0) fail("probability must be greater than zero");
  return { kind: "sample", probability, collectorSet, obsDomain, obsPoint };
}

/** `fwd_group([liveness=BOOL,] childports="P1", "P2", ...);` */
export function parseFwdGroup(p: ActionParser): Action {
  const ts: TokenStream = p.ts;
  ts.expect("(");
  let liveness = false;
  if (ts.isId("liveness")) {
    ts.advance();
    ts.expect("=");
    liveness = parseBool(p);
    ts.expect(",");
  }
  if (!ts.isId("childports")) ts.fail("`;'");
  ts.advance();
  ts.expect("=");
  const ports: string[] = [];
  do {
    if (ports.length > 0 && ts.is(")")) break;
    const s = p.string();
    if (s === null) ts.fail("logical switch port");
    ports.push(s);
  } while (ts.match(","));
  ts.expect(")");
  return { kind: "fwd_group", liveness, ports };
}

/** `push(F);` / `pop(F);` (pop writes F). */
export const parsePushPop =
  (kind: "push" | "pop") =>
  (p: ActionParser): Action => {
    const ts: TokenStream = p.ts;
    ts.expect("(");
    const f = p.field({ lvalue: kind === "pop" });
    ts.expect(")");
    return kind === "push" ? { kind: "push", field: f.spec } : { kind: "pop", field: f.spec };
  };
