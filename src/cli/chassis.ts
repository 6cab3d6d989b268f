// `ovnts chassis`: one OVN hypervisor (the analogue of the ovn-host package): a private Open_vSwitch
// database served by ovnts, the real ovs-vswitchd (userspace datapath by default), and `ovnts controller`
// pointed at a Southbound database.  Runs in the foreground; Ctrl-C stops everything it started.
import { hostname } from "node:os";
import { join } from "node:path";
import { runDir } from "../daemon/paths.js";
import { chassisConfig, UNDERLAY_BRIDGE } from "../sandbox/chassis-config.js";
import { startChassis } from "../sandbox/chassis-run.js";
import { isRoot } from "../sandbox/host.js";
import { has, optValue, parseCommandLine } from "./options.js";

const OPTIONS = {
  "system-id": { arg: "required" },
  "ovn-remote": { arg: "required" },
  "encap-ip": { arg: "required" },
  "encap-type": { arg: "required" },
  "bridge-mappings": { arg: "required" },
  "run-dir": { arg: "required" },
  "data-dir": { arg: "required" },
  netns: { arg: "required" },
  datapath: { arg: "required" },
  underlay: { arg: "required" },
  help: {},
} as const;

const USAGE = `ovnts chassis: an OVN hypervisor (like ovn-host): a private Open_vSwitch database (ovnts),
ovs-vswitchd and ovnts controller, in the foreground; Ctrl-C stops all three.
usage: ovnts chassis [OPTIONS]
  --system-id=NAME        chassis name (default: the host name)
  --ovn-remote=REMOTE     Southbound database (default: $OVN_SB_DB or unix:$OVN_RUNDIR/ovnsb_db.sock)
  --encap-ip=IP           tunnel endpoint address of this chassis (default 127.0.0.1)
  --encap-type=TYPE       geneve (default), vxlan, or a comma-separated list
  --bridge-mappings=MAP   ovn-bridge-mappings, e.g. physnet1:br-phys
  --run-dir=DIR           sockets: db.sock, br-int.mgmt, *.ctl (default /var/run/ovnts/chassis-NAME)
  --data-dir=DIR          conf.db and logs (default: the run dir if given, else /var/lib/ovnts/chassis-NAME)
  --netns=NS              run ovs-vswitchd and the controller inside network namespace NS (it must exist)
  --datapath=TYPE         netdev (userspace, default: never touches the host's kernel datapath) or system
  --underlay=IFACE        move IFACE and its IPv4 addresses into bridge ${UNDERLAY_BRIDGE} so that the userspace
                          datapath can send Geneve packets through it (give --encap-ip one of its addresses)
Needs root (ovs-vswitchd makes tap devices). ovs-vswitchd and ovs-vsctl come from
  apt-get install openvswitch-switch
Prints "chassis NAME ready" once br-int exists.
`;

export async function run(argv: string[]): Promise<number | undefined> {
  const opts = parseCommandLine("chassis", argv, OPTIONS);
  if (typeof opts === "number") return opts;
  if (has(opts, "help")) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (!isRoot()) {
    process.stderr.write("chassis: needs root (ovs-vswitchd creates tap devices); run it with sudo\n");
    return 1;
  }
  const flag = (n: keyof typeof OPTIONS): string | undefined => optValue(opts, n);
  let cfg: ReturnType<typeof chassisConfig>;
  try {
    cfg = chassisConfig(
      {
        "system-id": flag("system-id"),
        "ovn-remote": flag("ovn-remote"),
        "encap-ip": flag("encap-ip"),
        "encap-type": flag("encap-type"),
        "bridge-mappings": flag("bridge-mappings"),
        "run-dir": flag("run-dir"),
        "data-dir": flag("data-dir"),
        netns: flag("netns"),
        datapath: flag("datapath"),
        underlay: flag("underlay"),
      },
      {
        hostname: hostname(),
        ovnRemote: process.env.OVN_SB_DB ?? `unix:${join(runDir(true), "ovnsb_db.sock")}`,
      },
    );
  } catch (e) {
    process.stderr.write(`chassis: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  process.stdout.write(`starting chassis ${cfg.systemId} (run dir ${cfg.runDir})\n`);
  let chassis: Awaited<ReturnType<typeof startChassis>>;
  try {
    chassis = await startChassis(cfg, (l) => process.stdout.write(`${l}\n`));
  } catch (e) {
    process.stderr.write(`chassis: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  process.stdout.write(
    `chassis ${cfg.systemId} ready\n  ovs-vsctl --db=${chassis.ovsDb} show\n  ovs-ofctl dump-flows unix:${join(cfg.runDir, "br-int.mgmt")}\n`,
  );
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write("stopping chassis\n");
    void chassis.stop().finally(() => process.exit(0));
  };
  for (const s of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(s, stop);
  // A daemon that dies takes the chassis down with it: a half-working hypervisor is worse than none.
  for (const ch of [chassis.children.db, chassis.children.vswitchd]) {
    void ch.exited.then((code) => {
      if (stopping) return;
      process.stderr.write(`chassis: ${ch.spec.name} exited (${code})\n${ch.tail()}\n`);
      stop();
    });
  }
  return await new Promise<number>(() => undefined);
}
