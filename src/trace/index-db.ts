// Lookups over a TraceDb: datapaths by name, ports by name, multicast groups, and each datapath's
// pipeline tables with their flows parsed once (match and actions, in the datapath's name context).

import type { Action, Pipeline } from "../actions/ast.js";
import { actionContext } from "../actions/context.js";
import { parseActions } from "../actions/parser.js";
import { annotateExpr } from "../expr/annotate.js";
import type { Expr } from "../expr/ast.js";
import { DEFAULT_CONTEXT, type ExprContext, parseExpr } from "../expr/parser.js";
import type { Datapath, LogicalFlow, MulticastGroup, PortBinding, TraceDb } from "./sb.js";

export interface CompiledFlow {
  readonly flow: LogicalFlow;
  /** Match and action prerequisites, annotated; null when the flow does not parse (never matches). */
  readonly match: Expr | null;
  readonly actions: readonly Action[];
  readonly error: string | null;
}

export class DbIndex {
  private readonly dpByKey = new Map<string, Datapath>();
  private readonly portByName = new Map<string, PortBinding>();
  private readonly mcByKey = new Map<string, MulticastGroup>();
  private readonly flowsByKey = new Map<string, LogicalFlow[]>();
  private readonly compiled = new Map<string, CompiledFlow>();

  constructor(readonly db: TraceDb) {
    for (const dp of db.datapaths) {
      this.dpByKey.set(dp.uuid, dp);
      this.dpByKey.set(String(dp.tunnelKey), dp);
      if (dp.name2 !== null) this.dpByKey.set(dp.name2, dp);
      this.dpByKey.set(dp.name, dp);
    }
    for (const p of db.ports) this.portByName.set(p.logicalPort, p);
    for (const g of db.mcGroups) this.mcByKey.set(`${g.datapath}/${g.name}`, g);
    for (const f of db.flows) {
      for (const dp of f.datapaths) {
        const k = tableKey(dp, f.pipeline, f.table);
        const list = this.flowsByKey.get(k) ?? [];
        list.push(f);
        this.flowsByKey.set(k, list);
      }
    }
    // Highest priority first.  Among flows of equal priority that both match, ovn-trace takes the one
    // its database replica lists first: rows are kept in a hash table indexed by the low bits of the
    // UUID's first 32 bits, so that is the order we reproduce (table size as for `flows` rows).
    const mask = hashMask(db.flows.length);
    const bucket = (f: LogicalFlow) => Number.parseInt(f.uuid.slice(0, 8), 16) & mask;
    for (const list of this.flowsByKey.values()) {
      list.sort(
        (a, b) =>
          b.priority - a.priority ||
          bucket(a) - bucket(b) ||
          (a.uuid < b.uuid ? -1 : a.uuid > b.uuid ? 1 : 0),
      );
    }
  }

  /** A datapath by name, friendly name, UUID or tunnel key, as ovn-trace accepts. */
  datapath(name: string): Datapath | undefined {
    return this.dpByKey.get(name);
  }

  datapathByUuid(uuid: string): Datapath | undefined {
    return this.dpByKey.get(uuid);
  }

  /** A gateway router (bound to one chassis) is recognised by its l3gateway ports. */
  isGatewayRouter(dp: Datapath): boolean {
    return this.db.ports.some((p) => p.datapath === dp.uuid && p.type === "l3gateway");
  }

  port(name: string): PortBinding | undefined {
    return this.portByName.get(name);
  }

  mcGroup(dp: Datapath, name: string): MulticastGroup | undefined {
    return this.mcByKey.get(`${dp.uuid}/${name}`);
  }

  flows(dp: Datapath, pipeline: Pipeline, table: number): readonly LogicalFlow[] {
    return this.flowsByKey.get(tableKey(dp.uuid, pipeline, table)) ?? [];
  }

  /** The name context of a datapath: address sets are global, port groups per datapath. */
  exprContext(dp: Datapath): ExprContext {
    return {
      ...DEFAULT_CONTEXT,
      addressSets: (n) => this.db.addressSets[n],
      portGroups: (n) => this.db.portGroups[`${dp.tunnelKey}_${n}`] ?? this.db.portGroups[n],
    };
  }

  compile(dp: Datapath, flow: LogicalFlow): CompiledFlow {
    const key = `${dp.uuid}/${flow.uuid}`;
    const hit = this.compiled.get(key);
    if (hit !== undefined) return hit;
    const ectx = this.exprContext(dp);
    const actx = actionContext({ ...ectx, pipeline: flow.pipeline, tableId: flow.table });
    const m = parseExpr(flow.match, ectx);
    const a = parseActions(flow.actions, actx);
    let c: CompiledFlow;
    if (!m.ok) c = { flow, match: null, actions: [], error: m.error };
    else if (!a.ok) c = { flow, match: null, actions: [], error: a.error };
    else {
      // The actions' prerequisites are not added: parseActions also reports those of fields assigned
      // inside nested actions (`arp { arp.op = 1; }` requires `arp` of the outer packet), which would
      // make such flows never match.  The flows northd writes satisfy their own prerequisites.
      c = { flow, match: annotateExpr(m.value, ectx), actions: a.value.actions, error: null };
    }
    this.compiled.set(key, c);
    return c;
  }
}

/** The bucket mask of a hash table holding `n` rows that doubles when it averages two per bucket. */
function hashMask(n: number): number {
  let buckets = 1;
  while (n > 2 * buckets) buckets *= 2;
  return buckets - 1;
}

function tableKey(dp: string, pipeline: Pipeline, table: number): string {
  return `${dp}/${pipeline}/${table}`;
}
