// `ovnts trace`: a drop-in for ovn-trace.
//   ovnts trace [--db=REMOTE] [--detailed|--summary|--minimal|--all|--json] [--ct=FLAGS]...
//               [--lb-dst=IP[:PORT]] [--select-id=ID] [DATAPATH] MICROFLOW
// Reads the Southbound database once over OVSDB and prints the trace in the forms asked for.

import { runDir } from "../daemon/paths.js";
import { parseIpv4, parseIpv6 } from "../expr/values.js";
import type { Json } from "../jsonrpc/json.js";
import { connectJsonRpc } from "../jsonrpc/transport/index.js";
import { DbIndex, fetchTraceDb, renderTrace } from "../trace/index.js";
import { has, optValue, optValues, parseCommandLine } from "./options.js";

const OPTIONS = {
  db: { arg: "required" },
  detailed: {},
  summary: {},
  minimal: {},
  all: {},
  json: {},
  ct: { arg: "required", multiple: true },
  "lb-dst": { arg: "required" },
  "select-id": { arg: "required" },
  "friendly-names": {},
  "no-friendly-names": {},
  help: {},
} as const;

const USAGE = `ovnts trace: OVN logical network tracer (like ovn-trace)
usage: ovnts trace [OPTIONS] [DATAPATH] MICROFLOW
  --db=DATABASE      Southbound database (default $OVN_SB_DB or unix:$OVN_RUNDIR/ovnsb_db.sock)
  --detailed         table-by-table output (default)
  --summary          nested summary of the actions
  --minimal          only what changes the packet and where it goes
  --all              all three forms
  --json             the trace as JSON (ovnts extension)
  --ct=FLAGS         ct_state reported by successive ct_next actions (default trk,est)
  --lb-dst=IP[:PORT] backend chosen by ct_lb
  --select-id=ID     member chosen by select
`;

function parseLbDst(s: string): { ip: bigint; port: number } | null {
  const v6 = /^\[(.*)\](?::(\d+))?$/.exec(s);
  if (v6 !== null) {
    const ip = parseIpv6(v6[1] ?? "");
    return ip === null ? null : { ip, port: Number(v6[2] ?? 0) };
  }
  const [host, port] = s.split(":");
  const ip4 = parseIpv4(host ?? "");
  if (ip4 !== null) return { ip: ip4, port: Number(port ?? 0) };
  const ip6 = parseIpv6(s);
  return ip6 === null ? null : { ip: ip6, port: 0 };
}

export async function run(argv: string[]): Promise<number | undefined> {
  const opts = parseCommandLine("ovn-trace", argv, OPTIONS);
  if (typeof opts === "number") return opts;
  if (has(opts, "help")) {
    process.stdout.write(USAGE);
    return 0;
  }
  const pos = opts.positional;
  if (pos.length < 1 || pos.length > 2) {
    process.stderr.write("ovn-trace: exactly two non-option arguments are required\n");
    return 1;
  }
  const remote = optValue(opts, "db") ?? process.env.OVN_SB_DB ?? `unix:${runDir(true)}/ovnsb_db.sock`;
  let index: DbIndex;
  try {
    const conn = await connectJsonRpc(remote);
    try {
      index = new DbIndex(await fetchTraceDb((m, p) => conn.request(m, p as Json[])));
    } finally {
      conn.close();
    }
  } catch (e) {
    process.stderr.write(`ovn-trace: ${remote}: database connection failed (${(e as Error).message})\n`);
    return 1;
  }
  const microflow = pos[pos.length - 1] ?? "";
  let dpName = pos.length === 2 ? (pos[0] ?? "") : "";
  if (pos.length === 1) {
    // Without a datapath, ovn-trace takes the datapath of the microflow's inport.
    const m = /inport\s*==\s*"([^"]*)"/.exec(microflow);
    const port = m === null ? undefined : index.port(m[1] ?? "");
    const dp = port === undefined ? undefined : index.datapathByUuid(port.datapath);
    if (dp === undefined) {
      process.stderr.write("ovn-trace: microflow must specify a known inport when no datapath is given\n");
      return 1;
    }
    dpName = dp.uuid;
  }
  const lbDst = optValue(opts, "lb-dst");
  const selectId = optValue(opts, "select-id");
  const all = has(opts, "all");
  const forms = (["detailed", "summary", "minimal", "json"] as const).filter(
    (f) => has(opts, f) || (all && f !== "json"),
  );
  const text = renderTrace(index, dpName, microflow, forms, {
    ct: optValues(opts, "ct"),
    lbDst: lbDst === undefined ? null : parseLbDst(lbDst),
    selectId: selectId === undefined ? null : Number(selectId),
    friendlyNames: !has(opts, "no-friendly-names"),
  });
  process.stdout.write(text);
  return 0;
}
