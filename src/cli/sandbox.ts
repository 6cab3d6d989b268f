// `ovnts sandbox`: a whole OVN deployment on this host to play with: central (NB, SB, northd), one
// chassis, N VMs (network namespaces) on a logical switch behind a gateway router with SNAT to an
// "outside" namespace, addresses by DHCP.  Ctrl-C removes everything it made.
import { readyText, startSandbox } from "../sandbox/sandbox-run.js";
import { has, optValue, parseCommandLine } from "./options.js";

const OPTIONS = {
  vms: { arg: "required" },
  name: { arg: "required" },
  dir: { arg: "required" },
  static: {},
  keep: {},
  help: {},
} as const;

const USAGE = `ovnts sandbox: a private OVN deployment in network namespaces, all ovnts but ovs-vswitchd
usage: ovnts sandbox [--vms=N] [--name=TAG] [--dir=DIR] [--static] [--keep]
  --vms=N      number of VMs (default 2): namespaces ovnts-TAG-vm1.. on logical switch ls0 (10.0.0.0/24)
  --name=TAG   unique part of every namespace name, ovnts-TAG-... (default: this process's pid)
  --dir=DIR    work directory for sockets, databases and logs (default: a new one under $TMPDIR)
  --static     give the VMs static addresses instead of DHCP (udhcpc)
  --keep       keep the work directory after Ctrl-C
Layout: VMs -- ls0 -- lr0 (gateway router on chassis hv1, SNAT 10.0.0.0/24 to 172.16.0.1) -- public
(172.16.0.0/24) -- outside host 172.16.0.10 in namespace ovnts-TAG-outside.  The chassis runs in
namespace ovnts-TAG-hv1; links live inside the namespaces only.  Prints "sandbox ready" when up.
Needs root, ip (iproute2), ovs-vswitchd and ovs-vsctl (openvswitch-switch), ethtool, udhcpc:
  apt-get install iproute2 openvswitch-switch ethtool udhcpc
`;

export async function run(argv: string[]): Promise<number | undefined> {
  const opts = parseCommandLine("sandbox", argv, OPTIONS);
  if (typeof opts === "number") return opts;
  if (has(opts, "help")) {
    process.stdout.write(USAGE);
    return 0;
  }
  const vms = Number(optValue(opts, "vms") ?? opts.positional[0] ?? "2");
  const say = (l: string): void => void process.stdout.write(`${l}\n`);
  // Ctrl-C during start-up must tear down too: remember it and act once start-up returns.
  let interrupted = false;
  const early = (): void => {
    interrupted = true;
  };
  for (const s of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(s, early);
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  try {
    sandbox = await startSandbox(
      {
        vms,
        tag: optValue(opts, "name") ?? String(process.pid),
        dir: optValue(opts, "dir"),
        staticAddresses: has(opts, "static"),
        keep: has(opts, "keep"),
      },
      say,
    );
  } catch (e) {
    process.stderr.write(`sandbox: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  for (const s of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.off(s, early);
  const stop = (): void => {
    say("stopping sandbox");
    void sandbox.teardown().then(
      () => {
        say("sandbox stopped");
        process.exit(0);
      },
      (e: unknown) => {
        process.stderr.write(`sandbox: teardown: ${String(e)}\n`);
        process.exit(1);
      },
    );
  };
  if (interrupted) {
    stop();
    return await new Promise<number>(() => undefined);
  }
  process.stdout.write(readyText(sandbox));
  say("sandbox ready");
  for (const s of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.once(s, stop);
  return await new Promise<number>(() => undefined);
}
