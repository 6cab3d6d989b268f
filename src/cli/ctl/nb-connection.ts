// ovn-nbctl's remote connectivity and SSL commands (ovn-nbctl(8)): get-/set-/del-connection and
// get-/set-/del-ssl, all hanging off the NB_Global row.
import type { Datum } from "../../ovsdb/data/datum.js";
import type { ColumnModel } from "../../ovsdb/idl/model.js";
import type { CommandContext, CommandSpec } from "./command.js";
import type { CtlRow } from "./db.js";
import { col, one, setOf, str } from "./nb-switch.js";

/** Connection methods ovsdb-server knows; anything else is written but warned about, as ovn-nbctl does. */
const TARGET = /^(tcp|ssl|unix|ptcp|pssl|punix):/;

function global(ctx: CommandContext): CtlRow {
  const row = ctx.db.rows(ctx.db.table("NB_Global"))[0];
  if (row === undefined) throw new Error("NB_Global row missing");
  return row;
}

/** C's atoi: the leading number of `s`, 0 when there is none. */
function atoi(s: string): number {
  const m = /^\s*([+-]?[0-9]+)/.exec(s);
  return m === null ? 0 : Number(m[1]);
}

function setConnection(ctx: CommandContext): void {
  const g = global(ctx);
  const t = ctx.db.table("Connection");
  const probe = ctx.options.get("--inactivity-probe");
  const uuids: string[] = [];
  for (const target of ctx.args) {
    if (!TARGET.test(target))
      ctx.log = [...(ctx.log ?? []), `nbctl|WARN|target type "${target}" is possibly erroneous`];
    const values = new Map<ColumnModel, Datum>([[col(t, "target"), one(target)]]);
    if (probe !== undefined) values.set(col(t, "inactivity_probe"), one(atoi(probe)));
    uuids.push(ctx.db.insert(t, values).uuid);
  }
  // The old Connection rows are not roots: the server collects them once unreferenced.
  ctx.db.write(g, col(g.table, "connections"), setOf(uuids));
}

function getConnection(ctx: CommandContext): void {
  const t = ctx.db.table("Connection");
  const targets = global(ctx)
    .get("connections")
    .keys.map((u) => ctx.db.row(t, u as string))
    .filter((r): r is CtlRow => r !== undefined)
    .map((r) => str(r, "target"))
    .sort();
  for (const target of targets) ctx.out += `${target}\n`;
}

function setSsl(ctx: CommandContext): void {
  const [key, cert, ca, protocols, ciphers] = ctx.args as [string, string, string, string?, string?];
  const t = ctx.db.table("SSL");
  const values = new Map<ColumnModel, Datum>([
    [col(t, "private_key"), one(key)],
    [col(t, "certificate"), one(cert)],
    [col(t, "ca_cert"), one(ca)],
  ]);
  if (ctx.options.has("--bootstrap")) values.set(col(t, "bootstrap_ca_cert"), one(true));
  if (protocols !== undefined) values.set(col(t, "ssl_protocols"), one(protocols));
  if (ciphers !== undefined) values.set(col(t, "ssl_ciphers"), one(ciphers));
  const ssl = ctx.db.insert(t, values);
  const g = global(ctx);
  ctx.db.write(g, col(g.table, "ssl"), one(ssl.uuid));
}

function getSsl(ctx: CommandContext): void {
  const u = global(ctx).get("ssl").keys[0];
  const ssl = u === undefined ? undefined : ctx.db.row(ctx.db.table("SSL"), u as string);
  if (ssl === undefined) return;
  ctx.out += `Private key: ${str(ssl, "private_key")}\n`;
  ctx.out += `Certificate: ${str(ssl, "certificate")}\n`;
  ctx.out += `CA Certificate: ${str(ssl, "ca_cert")}\n`;
  ctx.out += `Bootstrap: ${ssl.get("bootstrap_ca_cert").keys[0] === true ? "true" : "false"}\n`;
}

function clear(column: "connections" | "ssl") {
  return (ctx: CommandContext): void => {
    const g = global(ctx);
    ctx.db.write(g, col(g.table, column), { keys: [] });
  };
}

export const CONNECTION_COMMANDS: readonly CommandSpec[] = [
  {
    name: "set-connection",
    minArgs: 1,
    maxArgs: Number.POSITIVE_INFINITY,
    options: ["--inactivity-probe="],
    run: setConnection,
  },
  { name: "get-connection", minArgs: 0, maxArgs: 0, options: [], readOnly: true, run: getConnection },
  { name: "del-connection", minArgs: 0, maxArgs: 0, options: [], run: clear("connections") },
  { name: "set-ssl", minArgs: 3, maxArgs: 5, options: ["--bootstrap"], run: setSsl },
  { name: "get-ssl", minArgs: 0, maxArgs: 0, options: [], readOnly: true, run: getSsl },
  { name: "del-ssl", minArgs: 0, maxArgs: 0, options: [], run: clear("ssl") },
];
