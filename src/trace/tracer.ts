// The state of one trace as it walks the logical pipelines: which table runs next, where the packet
// goes on `output` (egress pipeline, multicast group members, patch-port peers, out of OVN), and the
// sections the walk records.  The actions themselves are executed by exec.ts.
// As ovn-trace does, `next` continues at once (like an OpenFlow resubmit), so tables reached by it are
// recorded in the current pipeline section, and connection-tracking actions open a section of their
// own (`ct_next(ct_state=est|trk)`), since what follows depends on the state they report.

import type { Action, Pipeline } from "../actions/ast.js";
import { formatAction } from "../actions/printer.js";
import { evaluate } from "../expr/eval.js";
import { parseCtFlags } from "./ct-state.js";
import { EXEC, type Exec } from "./exec.js";
import type { DbIndex } from "./index-db.js";
import type { TraceOptions } from "./interp.js";
import { section, type TraceNode } from "./node.js";
import type { Datapath } from "./sb.js";
import { isDatapathMetadata, locate, PacketState, spec } from "./state.js";

/** Sections deeper than this are a loop in the logical topology. */
const MAX_DEPTH = 64;
/** Tables executed in one trace, and tables in progress at once, beyond which it is a loop. */
const MAX_STEPS = 100000;
const MAX_NESTING = 400;

/** Where an action list runs: its flow's datapath and table, and the list tables are recorded in. */
export interface Place {
  readonly dp: Datapath;
  readonly pipeline: Pipeline;
  readonly table: number;
  readonly tables: TraceNode[];
  readonly depth: number;
}

export class Tracer {
  private ctUsed = 0;
  private steps = 0;
  /** Tables entered and not yet finished (`next` recurses). */
  private nesting = 0;
  /** The load-balancer VIP the packet was sent away from, for ct_snat_to_vip. */
  lbVip: { readonly v6: boolean; readonly ip: bigint } | null = null;
  private readonly stack: bigint[] = [];

  constructor(
    readonly index: DbIndex,
    readonly opts: TraceOptions,
  ) {}

  dpName(dp: Datapath): string {
    // ovn-trace --no-friendly-names names a datapath by its Northbound row.
    if (this.opts.friendlyNames === false) return dp.nbUuid ?? dp.uuid;
    return dp.name2 ?? dp.name;
  }

  pipeline(dp: Datapath, pipeline: Pipeline, s: PacketState, out: TraceNode[], depth = 0): TraceNode[] {
    const ports =
      pipeline === "ingress"
        ? `inport="${s.str("inport")}"`
        : `inport="${s.str("inport")}", outport="${s.str("outport")}"`;
    const sec = section("pipeline", `${pipeline}(dp="${this.dpName(dp)}", ${ports})`);
    out.push(sec);
    if (depth > MAX_DEPTH) {
      sec.children.push({ kind: "comment", text: "*** loop detected" });
      return sec.children;
    }
    return sec.children;
  }

  runPipeline(dp: Datapath, pipeline: Pipeline, s: PacketState, out: TraceNode[], depth: number): void {
    const tables = this.pipeline(dp, pipeline, s, out, depth);
    if (depth > MAX_DEPTH) return;
    this.table({ dp, pipeline, table: 0, tables, depth }, s);
  }

  /** Runs the flow of `at.table` that matches, recording it in `at.tables`. */
  table(at: Place, s: PacketState): void {
    // Flows that go back to an earlier table (or patch ports in a circle) must not trace forever.
    if (++this.steps > MAX_STEPS || this.nesting >= MAX_NESTING) {
      at.tables.push({ kind: "error", text: "*** too many tables executed (loop?)" });
      return;
    }
    this.nesting++;
    try {
      this.runTable(at, s);
    } finally {
      this.nesting--;
    }
  }

  private runTable(at: Place, s: PacketState): void {
    for (const flow of this.index.flows(at.dp, at.pipeline, at.table)) {
      const c = this.index.compile(at.dp, flow);
      if (c.match === null || !evaluate(c.match, { fields: s.fields, isChassisResident: () => true }))
        continue;
      const node: TraceNode = { kind: "table", title: tableTitle(flow), children: [] };
      // Flows that only go on to the next table tell nothing; ovn-trace leaves them out.
      const trivial = flow.match === "1" && flow.actions === "next;";
      if (!trivial) at.tables.push(node);
      this.actions(c.actions, s, at, node.children);
      return;
    }
    at.tables.push({ kind: "comment", text: `no match (implicit drop) in ${at.pipeline} table ${at.table}` });
  }

  actions(list: readonly Action[], s: PacketState, at: Place, out: TraceNode[]): void {
    for (const a of list) {
      const text = `${formatAction(a, { pipeline: at.pipeline, tableId: at.table })};`;
      // The summary shows a `next` into the other pipeline only as that pipeline's section.
      if (a.kind === "next" && a.pipeline !== at.pipeline)
        out.push({ kind: "action", text, detailedOnly: true });
      else out.push({ kind: "action", text });
      (EXEC[a.kind] as Exec<Action["kind"]>)(this, a, s, at, out);
      if (a.kind === "drop") return;
    }
  }

  next(pipeline: Pipeline, table: number, s: PacketState, at: Place, tables: TraceNode[] = at.tables): void {
    this.table({ ...at, pipeline, table, tables }, s);
  }

  /** `output;` from an ingress pipeline: to the egress pipeline for one port or each group member. */
  outputFromIngress(s: PacketState, at: Place, out: TraceNode[]): void {
    let outport = s.str("outport");
    // A gateway port's chassis-redirect twin: the trace goes on through the distributed port (the
    // tracer behaves as if on the gateway chassis, where is_chassis_resident() holds).
    const port = this.index.port(outport);
    const distributed = port?.options["distributed-port"];
    if (port?.type === "chassisredirect" && distributed !== undefined) {
      out.push({
        kind: "comment",
        text: `Replacing type "chassisredirect" outport "${outport}" with distributed port "${distributed}".`,
        semicolon: true,
      });
      outport = distributed;
      s.fields.set("outport", outport);
    }
    const mc = this.index.mcGroup(at.dp, outport);
    if (mc === undefined) {
      this.egress(at.dp, s.clone(), out, at.depth + 1);
      return;
    }
    const sec = section("multicast", `multicast(dp="${this.dpName(at.dp)}", mcgroup="${outport}")`);
    out.push(sec);
    const members = mc.ports
      .map((n) => this.index.port(n))
      .filter((p) => p !== undefined)
      // ovn-trace visits the members in order of name.
      .sort((a, b) => (a.logicalPort < b.logicalPort ? -1 : a.logicalPort > b.logicalPort ? 1 : 0));
    for (const p of members) {
      const c = s.clone();
      c.fields.set("outport", p.logicalPort);
      this.egress(at.dp, c, sec.children, at.depth + 1);
    }
  }

  egress(dp: Datapath, s: PacketState, out: TraceNode[], depth: number): void {
    // Logical registers do not survive from the ingress to the egress pipeline; flags and ports do.
    for (const r of ["xxreg0", "xxreg1", "xreg4"]) s.fields.delete(r);
    if (s.str("inport") === s.str("outport") && s.getBits(locate(spec("flags.loopback"))) === 0n) {
      const tables = this.pipeline(dp, "egress", s, out, depth);
      tables.push({
        kind: "comment",
        text: "omitting output because inport == outport && !flags.loopback",
        semicolon: true,
      });
      return;
    }
    this.runPipeline(dp, "egress", s, out, depth);
  }

  /** `output;` from an egress pipeline: the packet leaves the datapath through the outport. */
  outputFromEgress(s: PacketState, at: Place, out: TraceNode[]): void {
    const name = s.str("outport");
    const port = this.index.port(name);
    if (port === undefined) {
      out.push({ kind: "comment", text: `unknown port "${name}"` });
      return;
    }
    out.push({ kind: "comment", text: `output to "${name}", type "${port.type}"`, semicolon: true });
    const peerName = port.options.peer;
    if ((port.type === "patch" || port.type === "l3gateway") && peerName !== undefined) {
      const peer = this.index.port(peerName);
      const peerDp = peer === undefined ? undefined : this.index.datapathByUuid(peer.datapath);
      if (peer === undefined || peerDp === undefined) return;
      this.runPipeline(peerDp, "ingress", enterDatapath(s, peer.logicalPort), out, at.depth + 1);
      return;
    }
    out.push({ kind: "output", port: name, type: port.type });
  }

  /** The ct_state the next connection-tracking action reports, and whether it is the default. */
  nextCtState(): { state: bigint; isDefault: boolean } {
    const given = this.opts.ct?.[this.ctUsed];
    this.ctUsed++;
    return { state: parseCtFlags(given ?? "est"), isDefault: given === undefined };
  }

  /** Opens the section a connection-tracking action continues the pipeline in. */
  ctSection(title: string, out: TraceNode[]): TraceNode[] {
    const sec = section("nested", title);
    out.push(sec);
    return sec.children;
  }

  push(v: bigint): void {
    this.stack.push(v);
  }

  pop(): bigint {
    return this.stack.pop() ?? 0n;
  }
}

function tableTitle(f: {
  table: number;
  stageName: string;
  source: string;
  match: string;
  priority: number;
  uuid: string;
}): string {
  const where = f.source === "" ? f.stageName : `${f.stageName} (${f.source})`;
  return `${String(f.table).padStart(2)}. ${where}: ${f.match}, priority ${f.priority}, uuid ${f.uuid.slice(0, 8)}`;
}

/** The packet as it enters a peer datapath: headers and connection state kept, registers cleared. */
function enterDatapath(s: PacketState, inport: string): PacketState {
  const n = new PacketState();
  for (const [k, v] of s.fields) if (!isDatapathMetadata(k)) n.fields.set(k, v);
  n.fields.set("inport", inport);
  return n;
}
