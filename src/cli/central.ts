// `ovnts central`: the OVN central node — the Northbound and Southbound databases, served like the
// ovn-central package does (same socket paths, so ovn-nbctl/ovn-sbctl work without options), and northd
// translating between them in the same process (--no-northd to run one elsewhere).
//   ovnts central [--data-dir=DIR] [--run-dir=DIR] [--nb-remote=R]... [--sb-remote=R]... [--no-tcp]
//                 [--no-northd] [--private-key=KEY --certificate=CERT --ca-cert=CA]
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { logger } from "../base/log.js";
import { loadSchemaJson } from "../base/schemas.js";
import {
  cleanUpDaemon,
  DAEMON_OPTIONS,
  maybeDetach,
  notifyReady,
  onTermination,
  setUpDaemon,
} from "../daemon/daemon.js";
import { runDir } from "../daemon/paths.js";
import { type EmbeddedNorthd, startEmbeddedNorthd } from "../sandbox/embedded-northd.js";
import { has, optValue, optValues, parseCommandLine } from "./options.js";
import { type ServedDatabases, serveDatabases } from "./ovsdb-server.js";

const log = logger("central");

const OPTIONS = {
  ...DAEMON_OPTIONS,
  "data-dir": { arg: "required" },
  "run-dir": { arg: "required" },
  "nb-remote": { arg: "required", multiple: true },
  "sb-remote": { arg: "required", multiple: true },
  "no-tcp": {},
  "no-northd": {},
  "private-key": { arg: "required" },
  certificate: { arg: "required" },
  "ca-cert": { arg: "required" },
} as const;

const USAGE = `ovnts central: the OVN Northbound and Southbound databases and northd (like ovn-central)
usage: ovnts central [OPTIONS]
  --data-dir=DIR     database files (default $OVN_DBDIR or /var/lib/ovnts), created on first start
  --run-dir=DIR      sockets (default $OVN_RUNDIR or /var/run/ovn)
  --nb-remote=R      extra Northbound remote (default ptcp:6641 besides punix:RUNDIR/ovnnb_db.sock)
  --sb-remote=R      extra Southbound remote (default ptcp:6642 besides punix:RUNDIR/ovnsb_db.sock)
  --no-tcp           do not listen on TCP
  --no-northd        serve the databases only (run ovn-northd or "ovnts northd" yourself)
  --private-key=KEY --certificate=CERT --ca-cert=CA
                     TLS for pssl: remotes (e.g. --sb-remote=pssl:6642)
  --log-file[=FILE] --pidfile[=FILE] -v[SPEC]
`;

export async function run(argv: string[]): Promise<number | undefined> {
  const opts = parseCommandLine("central", argv, OPTIONS);
  if (typeof opts === "number") return opts;
  if (has(opts, "help")) {
    process.stdout.write(USAGE);
    return 0;
  }
  const detached = await maybeDetach(argv);
  if (detached !== undefined) return detached;
  const dataDir = optValue(opts, "data-dir") ?? process.env.OVN_DBDIR ?? "/var/lib/ovnts";
  const rdir = optValue(opts, "run-dir") ?? runDir(true);
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(rdir, { recursive: true });
  const files = setUpDaemon("ovnts-central", opts, true);
  const tcp = !has(opts, "no-tcp");
  const ssl =
    optValue(opts, "private-key") !== undefined
      ? {
          privateKey: optValue(opts, "private-key") as string,
          certificate: optValue(opts, "certificate") as string,
          caCert: optValue(opts, "ca-cert") as string,
        }
      : undefined;
  const parts = [
    { db: "nb", schema: "ovn-nb" as const, port: 6641, extra: optValues(opts, "nb-remote") },
    { db: "sb", schema: "ovn-sb" as const, port: 6642, extra: optValues(opts, "sb-remote") },
  ];
  const served: ServedDatabases[] = [];
  let northd: EmbeddedNorthd | undefined;
  const stopAll = async () => {
    if (northd !== undefined) await northd.stop();
    for (const s of served) await s.stop();
    cleanUpDaemon(files);
  };
  try {
    for (const p of parts) {
      const dbFile = join(dataDir, `ovn${p.db}_db.db`);
      const remotes = [
        `punix:${join(rdir, `ovn${p.db}_db.sock`)}`,
        ...(tcp ? [`ptcp:${p.port}`] : []),
        ...p.extra,
      ];
      const s = await serveDatabases({
        dbFiles: [dbFile],
        createFrom: new Map([[dbFile, loadSchemaJson(p.schema)]]),
        remotes,
        unixctlPath: join(rdir, `ovn${p.db}_db.ctl`),
        ...(ssl !== undefined ? { ssl } : {}),
        onExit: () => void stopAll().finally(() => process.exit(0)),
      });
      served.push(s);
      const name = p.db === "nb" ? "Northbound" : "Southbound";
      process.stdout.write(`${name} database ${dbFile}\n  listening on ${s.remotes.bound().join(", ")}\n`);
    }
    if (!has(opts, "no-northd")) {
      northd = await startEmbeddedNorthd({
        nbRemote: `unix:${join(rdir, "ovnnb_db.sock")}`,
        sbRemote: `unix:${join(rdir, "ovnsb_db.sock")}`,
        unixctlPath: join(rdir, "ovn-northd.ctl"),
      });
      process.stdout.write(`northd running (ovs-appctl -t ${join(rdir, "ovn-northd.ctl")} status)\n`);
    }
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    log.err(msg);
    process.stderr.write(`central: ${msg}\n`);
    await stopAll();
    return 1;
  }
  process.stdout.write("OVN central is up; press Ctrl-C to stop.\n");
  onTermination(async () => {
    process.stdout.write("stopping\n");
    await stopAll();
  });
  notifyReady();
  return await new Promise<number>(() => undefined);
}
