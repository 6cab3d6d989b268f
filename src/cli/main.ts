// Subcommand dispatch for bin/ovnts. Each subcommand module exports `run(argv): Promise<number|void>`
// and is loaded lazily so that a CLI call does not pay for the daemons' imports.
type Runner = (argv: string[]) => Promise<number | undefined>;

const subcommands: Record<string, { summary: string; load: () => Promise<Runner> }> = {
  nbctl: {
    summary: "manage the OVN Northbound database (drop-in for ovn-nbctl)",
    load: async () => (await import("./nbctl.js")).run,
  },
  sbctl: {
    summary: "manage the OVN Southbound database (drop-in for ovn-sbctl)",
    load: async () => (await import("./sbctl.js")).run,
  },
  trace: {
    summary: "trace a packet through the logical flows (like ovn-trace)",
    load: async () => (await import("./trace.js")).run,
  },
  northd: {
    summary: "translate OVN Northbound into Southbound (drop-in for ovn-northd)",
    load: async () => (await import("./northd.js")).run,
  },
  controller: {
    summary: "program Open vSwitch from the OVN Southbound (drop-in for ovn-controller)",
    load: async () => {
      // The controller's V8 flags before its ~200 modules load: node's module loader gets hot enough for
      // TurboFan while they load, and a flag set later cannot take back the code pages that touched
      // (src/controller/heap.ts).
      (await import("../controller/heap.js")).tuneControllerHeap(process.env);
      return (await import("./controller.js")).run;
    },
  },
  "ovsdb-server": {
    summary: "serve OVSDB databases (drop-in for ovsdb-server)",
    load: async () => (await import("./ovsdb-server.js")).run,
  },
  central: {
    summary: "serve the OVN Northbound and Southbound databases and run northd (like ovn-central)",
    load: async () => (await import("./central.js")).run,
  },
  chassis: {
    summary: "run an OVN hypervisor: database, ovs-vswitchd, controller (like ovn-host)",
    load: async () => (await import("./chassis.js")).run,
  },
  sandbox: {
    summary: "a private OVN deployment: central, a chassis, VMs in namespaces (Ctrl-C removes it)",
    load: async () => (await import("./sandbox.js")).run,
  },
  "ovsdb-client": {
    summary: "query and monitor an OVSDB server (drop-in for ovsdb-client)",
    load: async () => (await import("./ovsdb-client.js")).run,
  },
  "ovsdb-tool": {
    summary: "create, query and compact OVSDB database files (drop-in for ovsdb-tool)",
    load: async () => (await import("./ovsdb-tool.js")).run,
  },
};

function usage(): string {
  const lines = Object.entries(subcommands).map(([n, s]) => `  ${n.padEnd(14)} ${s.summary}`);
  return `usage: ovnts COMMAND [ARG...]\ncommands:\n${lines.join("\n")}\n`;
}

export async function main(argv: string[]): Promise<number | undefined> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === "--help" || cmd === "-h" || cmd === "help") {
    process.stdout.write(usage());
    return cmd === undefined ? 1 : 0;
  }
  const sub = subcommands[cmd];
  if (sub === undefined) {
    process.stderr.write(`ovnts: unknown command '${cmd}'\n${usage()}`);
    return 1;
  }
  return (await sub.load())(rest);
}
