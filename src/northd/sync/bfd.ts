// BFD sessions (ovn-nb(5) BFD, ovn-sb(5) BFD), as observed from ovn-northd 23.03: one SB row per NB row
// (keyed by logical_port and dst_ip) that ovn-controller runs the session from, and a status both
// sides agree on:
//   - an NB row without a status counts as admin_down;
//   - when the two differ and neither is admin_down, the SB's (what the controller saw) wins and is
//     written to the NB; otherwise the NB's (what the operator asked) goes to the SB;
//   - a session a static route uses (the route's bfd row, with dst_ip equal to its nexthop) is never
//     admin_down: it is started ("down"); one no route uses goes admin_down;
//   - such a route is installed only while its session is not down.
// New SB rows get the lowest free UDP source port from 49152 (RFC 5881 §4), a random nonzero
// discriminator, and min_tx/min_rx/detect_mult from the NB row or 1000/1000/5; external_ids and
// options stay in the NB. SB rows of no NB row are deleted.
import type * as nb from "../../ovsdb/idl/generated/ovn-nb.js";
import type { OvnSbTables } from "../../ovsdb/idl/generated/ovn-sb.js";
import type { Uuid } from "../../ovsdb/idl/model.js";
import type { Txn } from "../../ovsdb/idl/txn.js";
import type { NorthdModel } from "../model.js";

type Status = "admin_down" | "down" | "init" | "up";

const SRC_PORT_MIN = 49152;
const SRC_PORT_MAX = 65535;
const DEFAULT_MIN_TX = 1000;
const DEFAULT_MIN_RX = 1000;
const DEFAULT_DETECT_MULT = 5;

const keyOf = (logicalPort: string, dstIp: string): string => `${logicalPort}\u0000${dstIp}`;

/** The NB BFD rows some static route watches its nexthop with. */
function usedSessions(model: NorthdModel): Set<string> {
  const used = new Set<string>();
  for (const lr of model.routers)
    for (const r of lr.staticRoutes) {
      if (r.bfd === undefined) continue;
      const b = model.nb.get("BFD", r.bfd);
      if (b !== undefined && b.dstIp === r.nexthop) used.add(b._uuid);
    }
  return used;
}

/** The status a session settles on (see the header), from the NB row, the SB row and its use. */
function settledStatus(n: nb.Bfd, sb: OvnSbTables["BFD"] | undefined, used: boolean): Status {
  const asked: Status = n.status ?? "admin_down";
  let s = asked;
  if (sb !== undefined && sb.status !== asked && asked !== "admin_down" && sb.status !== "admin_down")
    s = sb.status;
  if (used && s === "admin_down") return "down";
  if (!used && s !== "admin_down") return "admin_down";
  return s;
}

export interface BfdPlan {
  /** Settled status by NB BFD uuid. */
  readonly status: ReadonlyMap<string, Status>;
}

const plans = new WeakMap<NorthdModel, BfdPlan>();

/** The settled status of every NB BFD row (cached per model). */
export function bfdPlan(model: NorthdModel): BfdPlan {
  let p = plans.get(model);
  if (p !== undefined) return p;
  const sbByKey = new Map<string, OvnSbTables["BFD"]>();
  for (const r of model.sb.rows("BFD")) sbByKey.set(keyOf(r.logicalPort, r.dstIp), r);
  const used = usedSessions(model);
  const status = new Map<string, Status>();
  for (const n of model.nb.rows("BFD"))
    status.set(n._uuid, settledStatus(n, sbByKey.get(keyOf(n.logicalPort, n.dstIp)), used.has(n._uuid)));
  p = { status };
  plans.set(model, p);
  return p;
}

/** Whether a static route's flows are installed: without BFD always, with it while not down. */
export function bfdAllowsRoute(r: nb.LogicalRouterStaticRoute, model: NorthdModel): boolean {
  if (r.bfd === undefined) return true;
  const b = model.nb.get("BFD", r.bfd);
  if (b === undefined || b.dstIp !== r.nexthop) return true;
  return bfdPlan(model).status.get(b._uuid) !== "down";
}

/** NB BFD status writes: rows whose settled status differs from what the NB has. */
export function bfdNbStatusUpdates(model: NorthdModel): [Uuid<"BFD">, Status][] {
  const out: [Uuid<"BFD">, Status][] = [];
  const { status } = bfdPlan(model);
  for (const n of model.nb.rows("BFD")) {
    const s = status.get(n._uuid);
    if (s !== undefined && s !== n.status) out.push([n._uuid, s]);
  }
  return out;
}

/** A random discriminator, 1 .. 2^32-1 (the caller's source: tests pass a fixed one). */
export type RandomU32 = () => number;

const defaultRandom: RandomU32 = () => 1 + Math.floor(Math.random() * 0xfffffffe);

/** SB BFD from the NB rows and the settled statuses. */
export function syncBfd(txn: Txn<OvnSbTables>, model: NorthdModel, random: RandomU32 = defaultRandom): void {
  const { status } = bfdPlan(model);
  const want = new Map<string, nb.Bfd>();
  for (const n of model.nb.rows("BFD")) {
    const k = keyOf(n.logicalPort, n.dstIp);
    if (!want.has(k)) want.set(k, n);
  }
  const usedPorts = new Set<number>();
  const have = new Set<string>();
  for (const r of model.sb.rows("BFD")) {
    const k = keyOf(r.logicalPort, r.dstIp);
    const n = want.get(k);
    if (n === undefined || have.has(k)) {
      txn.delete("BFD", r._uuid);
      continue;
    }
    have.add(k);
    usedPorts.add(r.srcPort);
    const conf = confOf(n, status.get(n._uuid) ?? "admin_down");
    const diff: Record<string, unknown> = {};
    if (r.status !== conf.status) diff.status = conf.status;
    if (r.minTx !== conf.minTx) diff.minTx = conf.minTx;
    if (r.minRx !== conf.minRx) diff.minRx = conf.minRx;
    if (r.detectMult !== conf.detectMult) diff.detectMult = conf.detectMult;
    if (Object.keys(diff).length > 0) txn.update("BFD", r._uuid, diff);
  }
  let next = SRC_PORT_MIN;
  for (const [k, n] of want) {
    if (have.has(k)) continue;
    while (next <= SRC_PORT_MAX && usedPorts.has(next)) next++;
    if (next > SRC_PORT_MAX) break;
    usedPorts.add(next);
    txn.insert("BFD", {
      logicalPort: n.logicalPort,
      dstIp: n.dstIp,
      srcPort: next,
      disc: random(),
      ...confOf(n, status.get(n._uuid) ?? "admin_down"),
    });
  }
}

function confOf(
  n: nb.Bfd,
  status: Status,
): { status: Status; minTx: number; minRx: number; detectMult: number } {
  return {
    status,
    minTx: n.minTx ?? DEFAULT_MIN_TX,
    minRx: n.minRx ?? DEFAULT_MIN_RX,
    detectMult: n.detectMult ?? DEFAULT_DETECT_MULT,
  };
}
