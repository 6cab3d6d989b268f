// ovn-sbctl `lflow-list [DATAPATH] [LFLOW...]` (alias `dump-flows`): the logical flows grouped per datapath
// and pipeline, and `count-flows [DATAPATH]`: their numbers per table; in the layouts observed from the
// real ovn-sbctl 23.03. Pure.
import type { CommandContext, CommandSpec } from "./command.js";
import { CtlError } from "./datum-text.js";
import type { CtlRow } from "./db.js";

/** The value at `key` of a string→string map column, or "". */
function mapGet(row: CtlRow, column: string, key: string): string {
  const d = row.get(column);
  const i = d.keys.indexOf(key);
  return i < 0 || d.values === undefined ? "" : String(d.values[i]);
}

function num(row: CtlRow, column: string): number {
  return Number(row.get(column).keys[0] ?? 0);
}

function first(row: CtlRow, column: string): string {
  return String(row.get(column).keys[0] ?? "");
}

/** A datapath named by uuid, uuid prefix or its external_ids:name; undefined if none matches. */
function findDatapath(dps: readonly CtlRow[], id: string): CtlRow | undefined {
  return (
    dps.find((d) => d.uuid === id.toLowerCase()) ??
    dps.find((d) => mapGet(d, "external_ids", "name") === id) ??
    (/^[0-9a-fA-F-]+$/.test(id) ? dps.find((d) => d.uuid.startsWith(id.toLowerCase())) : undefined)
  );
}

/** An lflow argument: a uuid prefix, optionally "0x"-prefixed as --uuid prints it. */
function lflowPrefix(arg: string): string {
  const p = arg.replace(/^0x/i, "").toLowerCase();
  if (!/^[0-9a-f][0-9a-f-]*$/.test(p)) throw new CtlError(`${arg} is not a UUID or the beginning of a UUID`);
  return p;
}

interface Entry {
  readonly dp: CtlRow;
  readonly flow: CtlRow;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareEntries(x: Entry, y: Entry): number {
  const dn = cmp(mapGet(x.dp, "external_ids", "name"), mapGet(y.dp, "external_ids", "name"));
  if (dn !== 0) return dn;
  const du = cmp(x.dp.uuid, y.dp.uuid);
  if (du !== 0) return du;
  // ingress before egress
  const pp = cmp(first(y.flow, "pipeline"), first(x.flow, "pipeline"));
  if (pp !== 0) return pp;
  const t = num(x.flow, "table_id") - num(y.flow, "table_id");
  if (t !== 0) return t;
  const p = num(y.flow, "priority") - num(x.flow, "priority");
  if (p !== 0) return p;
  const m = cmp(first(x.flow, "match"), first(y.flow, "match"));
  if (m !== 0) return m;
  return cmp(first(x.flow, "actions"), first(y.flow, "actions"));
}

/** The flows of every datapath (or only `only`), one entry per datapath a flow applies to, sorted. */
function collectEntries(ctx: CommandContext, only: CtlRow | undefined, prefixes: readonly string[]): Entry[] {
  const dpTable = ctx.db.table("Datapath_Binding");
  const groups = ctx.db.table("Logical_DP_Group");
  const entries: Entry[] = [];
  for (const flow of ctx.db.rows(ctx.db.table("Logical_Flow"))) {
    if (prefixes.length > 0 && !prefixes.some((p) => flow.uuid.startsWith(p))) continue;
    const dpIds = [...flow.get("logical_datapath").keys];
    for (const g of flow.get("logical_dp_group").keys) {
      const gr = ctx.db.row(groups, g as string);
      if (gr !== undefined) dpIds.push(...gr.get("datapaths").keys);
    }
    for (const id of dpIds) {
      const dp = ctx.db.row(dpTable, id as string);
      if (dp === undefined || (only !== undefined && dp.uuid !== only.uuid)) continue;
      entries.push({ dp, flow });
    }
  }
  return entries.sort(compareEntries);
}

/** `Datapath: "NAME" (UUID)`, the name always quoted (unlike an ovsdb string atom). */
function datapathTitle(dp: CtlRow): string {
  return `${JSON.stringify(mapGet(dp, "external_ids", "name"))} (${dp.uuid})`;
}

function lflowList(ctx: CommandContext): void {
  const dps = ctx.db.rows(ctx.db.table("Datapath_Binding"));
  let args = ctx.args;
  let only: CtlRow | undefined;
  if (args.length > 0) {
    only = findDatapath(dps, args[0] as string);
    if (only !== undefined) args = args.slice(1);
  }
  const entries = collectEntries(ctx, only, args.map(lflowPrefix));
  const withUuid = ctx.options.has("--uuid");
  let last: Entry | undefined;
  for (const e of entries) {
    const pipeline = first(e.flow, "pipeline");
    if (last === undefined || last.dp.uuid !== e.dp.uuid || first(last.flow, "pipeline") !== pipeline) {
      ctx.out += `Datapath: ${datapathTitle(e.dp)}  Pipeline: ${pipeline}\n`;
    }
    last = e;
    const table = `table=${String(num(e.flow, "table_id")).padEnd(2)}`;
    const stage = mapGet(e.flow, "external_ids", "stage-name").padEnd(19);
    const prio = String(num(e.flow, "priority")).padEnd(5);
    const uuid = withUuid ? `uuid=0x${e.flow.uuid.slice(0, 8)}, ` : "";
    ctx.out += `  ${uuid}${table}(${stage}), priority=${prio}, match=(${first(e.flow, "match")}), action=(${first(e.flow, "actions")})\n`;
  }
}

/**
 * `count-flows [DATAPATH]`: the number of logical flows per table, per datapath and pipeline, and the
 * totals; a datapath that does not exist counts nothing.
 */
function countFlows(ctx: CommandContext): void {
  const arg = ctx.args[0];
  const only =
    arg === undefined ? undefined : findDatapath(ctx.db.rows(ctx.db.table("Datapath_Binding")), arg);
  const entries = arg !== undefined && only === undefined ? [] : collectEntries(ctx, only, []);
  let i = 0;
  while (i < entries.length) {
    const head = entries[i] as Entry;
    const pipeline = first(head.flow, "pipeline");
    ctx.out += `Datapath: ${datapathTitle(head.dp)}  Pipeline: ${pipeline}\n`;
    let inBlock = 0;
    while (i < entries.length) {
      const e = entries[i] as Entry;
      if (e.dp.uuid !== head.dp.uuid || first(e.flow, "pipeline") !== pipeline) break;
      const table = num(e.flow, "table_id");
      const stage = mapGet(e.flow, "external_ids", "stage-name");
      let n = 0;
      while (i < entries.length) {
        const f = entries[i] as Entry;
        if (
          f.dp.uuid !== head.dp.uuid ||
          first(f.flow, "pipeline") !== pipeline ||
          num(f.flow, "table_id") !== table
        )
          break;
        n++;
        i++;
      }
      inBlock += n;
      ctx.out += `  table=${String(table).padEnd(2)}(${stage.padEnd(19)}) lflows=${n}\n`;
    }
    ctx.out += `Total number of logical flows in the datapath ${datapathTitle(head.dp)} Pipeline: ${pipeline} = ${inBlock}\n\n`;
  }
  ctx.out += `Total number of logical flows = ${entries.length}\n`;
}

const SPEC = {
  minArgs: 0,
  maxArgs: Number.MAX_SAFE_INTEGER,
  options: ["--uuid"],
  readOnly: true,
  run: lflowList,
};

export const SB_LFLOW_COMMANDS: readonly CommandSpec[] = [
  { name: "lflow-list", ...SPEC },
  { name: "dump-flows", ...SPEC },
  { name: "count-flows", minArgs: 0, maxArgs: 1, options: [], readOnly: true, run: countFlows },
];
