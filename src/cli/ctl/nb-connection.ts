// The remote connectivity and SSL commands of ovn-nbctl(8) and ovn-sbctl(8): get-/set-/del-connection and
// get-/set-/del-ssl, hanging off the NB_Global or SB_Global row. The Southbound's Connection rows also
// carry RBAC's role and read_only: ovn-sbctl's set-connection takes "role=ROLE", "read-only" and
// "read-write" words among its targets, each applying to the targets after it.
import type { Datum } from "../../ovsdb/data/datum.js";
import type { ColumnModel } from "../../ovsdb/idl/model.js";
import type { CommandContext, CommandSpec } from "./command.js";
import type { CtlRow } from "./db.js";
import { col, one, setOf, str } from "./nb-switch.js";

/** Connection methods ovsdb-server knows; anything else is written but warned about, as ovn-nbctl does. */
const TARGET = /^(tcp|ssl|unix|ptcp|pssl|punix):/;

/** Which database's commands: the global table, the log's module, whether Connection rows have roles. */
interface Flavour {
  readonly global: "NB_Global" | "SB_Global";
  readonly program: "nbctl" | "sbctl";
  readonly roles: boolean;
}

function global(ctx: CommandContext, f: Flavour): CtlRow {
  const row = ctx.db.rows(ctx.db.table(f.global))[0];
  if (row === undefined) throw new Error(`${f.global} row missing`);
  return row;
}

/** C's atoi: the leading number of `s`, 0 when there is none. */
function atoi(s: string): number {
  const m = /^\s*([+-]?[0-9]+)/.exec(s);
  return m === null ? 0 : Number(m[1]);
}

function setConnection(f: Flavour) {
  return (ctx: CommandContext): void => {
    const g = global(ctx, f);
    const t = ctx.db.table("Connection");
    const probe = ctx.options.get("--inactivity-probe");
    const uuids: string[] = [];
    let readOnly = false;
    let role = "";
    for (const target of ctx.args) {
      if (f.roles && (target === "read-only" || target === "read-write")) {
        readOnly = target === "read-only";
        continue;
      }
      if (f.roles && target.startsWith("role=")) {
        role = target.slice(5);
        continue;
      }
      if (!TARGET.test(target))
        ctx.log = [...(ctx.log ?? []), `${f.program}|WARN|target type "${target}" is possibly erroneous`];
      const values = new Map<ColumnModel, Datum>([[col(t, "target"), one(target)]]);
      if (f.roles) {
        values.set(col(t, "read_only"), one(readOnly));
        values.set(col(t, "role"), one(role));
      }
      if (probe !== undefined) values.set(col(t, "inactivity_probe"), one(atoi(probe)));
      uuids.push(ctx.db.insert(t, values).uuid);
    }
    // The old Connection rows are not roots: the server collects them once unreferenced.
    ctx.db.write(g, col(g.table, "connections"), setOf(uuids));
  };
}

function getConnection(f: Flavour) {
  return (ctx: CommandContext): void => {
    const t = ctx.db.table("Connection");
    const lines = global(ctx, f)
      .get("connections")
      .keys.map((u) => ctx.db.row(t, u as string))
      .filter((r): r is CtlRow => r !== undefined)
      .map((r) =>
        f.roles
          ? `${r.get("read_only").keys[0] === true ? "read-only" : "read-write"} role="${str(r, "role")}" ${str(r, "target")}`
          : str(r, "target"),
      );
    for (const line of [...new Set(lines)].sort()) ctx.out += `${line}\n`;
  };
}

function setSsl(f: Flavour) {
  return (ctx: CommandContext): void => {
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
    const g = global(ctx, f);
    ctx.db.write(g, col(g.table, "ssl"), one(ssl.uuid));
  };
}

function getSsl(f: Flavour) {
  return (ctx: CommandContext): void => {
    const u = global(ctx, f).get("ssl").keys[0];
    const ssl = u === undefined ? undefined : ctx.db.row(ctx.db.table("SSL"), u as string);
    if (ssl === undefined) return;
    ctx.out += `Private key: ${str(ssl, "private_key")}\n`;
    ctx.out += `Certificate: ${str(ssl, "certificate")}\n`;
    ctx.out += `CA Certificate: ${str(ssl, "ca_cert")}\n`;
    ctx.out += `Bootstrap: ${ssl.get("bootstrap_ca_cert").keys[0] === true ? "true" : "false"}\n`;
  };
}

function clear(f: Flavour, column: "connections" | "ssl") {
  return (ctx: CommandContext): void => {
    const g = global(ctx, f);
    ctx.db.write(g, col(g.table, column), { keys: [] });
  };
}

function connectionCommands(f: Flavour): readonly CommandSpec[] {
  return [
    {
      name: "set-connection",
      minArgs: 1,
      maxArgs: Number.POSITIVE_INFINITY,
      options: ["--inactivity-probe="],
      run: setConnection(f),
    },
    { name: "get-connection", minArgs: 0, maxArgs: 0, options: [], readOnly: true, run: getConnection(f) },
    { name: "del-connection", minArgs: 0, maxArgs: 0, options: [], run: clear(f, "connections") },
    { name: "set-ssl", minArgs: 3, maxArgs: 5, options: ["--bootstrap"], run: setSsl(f) },
    { name: "get-ssl", minArgs: 0, maxArgs: 0, options: [], readOnly: true, run: getSsl(f) },
    { name: "del-ssl", minArgs: 0, maxArgs: 0, options: [], run: clear(f, "ssl") },
  ];
}

export const CONNECTION_COMMANDS = connectionCommands({
  global: "NB_Global",
  program: "nbctl",
  roles: false,
});
export const SB_CONNECTION_COMMANDS = connectionCommands({
  global: "SB_Global",
  program: "sbctl",
  roles: true,
});
