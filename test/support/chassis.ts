// Several simulated chassis on one machine, the way OVN's own test suite builds them (ovn-macros.at:
// ovn_start, net_add, sim_add, ovn_attach): central Northbound/Southbound servers and northd; one
// "physical network" (bridge n1 in a separate ovs-vswitchd called main) and, per chassis, its own
// Open_vSwitch database, an ovs-vswitchd with `--enable-dummy=system` (dummy NICs, but real userspace
// Geneve tunnelling between the chassis) and a controller.  Each chassis's br-phys is plugged into n1
// through a pair of netdev-dummy stream sockets and carries the encapsulation address 192.168.0.N
// (netdev-dummy/ip4addr + ovs/route/add + tnl/neigh/set), so nothing touches the host network.
//
// A *stack* says which implementation runs each OVN part; the scenario matrix runs one topology per stack:
//   ref        C ovsdb-server, C ovn-northd,   C ovn-controller   (where expectations are checked)
//   northd     C ovsdb-server, ovnts northd,   C ovn-controller
//   controller C ovsdb-server, C ovn-northd,   ovnts controller
//   all        ovnts ovsdb-server (NB, SB and each chassis's Open_vSwitch), ovnts northd, ovnts controller
import { type DbServer, startDbServer } from "./dbserver.js";
import { runOk } from "./exec.js";
import type { Impl } from "./impl.js";
import { type Controller, nbctl, type OvnDaemon, sbctl, startController, startNorthd } from "./ovn.js";
import { injectPacket, readPcapFile } from "./packets.js";
import type { PcapPacket } from "./pcap.js";
import type { Sandbox } from "./sandbox.js";
import { startVswitchd, type Vswitchd, vsctlAt } from "./vswitchd.js";
import { waitUntil } from "./wait.js";

export type StackName = "ref" | "northd" | "controller" | "all";

export interface StackSpec {
  readonly db: Impl;
  readonly northd: Impl;
  readonly controller: Impl;
}

export const STACKS: Record<StackName, StackSpec> = {
  ref: { db: "c", northd: "c", controller: "c" },
  northd: { db: "c", northd: "ovnts", controller: "c" },
  controller: { db: "c", northd: "c", controller: "ovnts" },
  all: { db: "ovnts", northd: "ovnts", controller: "ovnts" },
};

export const STACKS_ENV = "OVNTS_SCENARIO_STACKS";

/** How long a daemon may take to come up: generous, as the suite shares two cores with everything else. */
const READY_MS = 60_000;

/** The stacks named in OVNTS_SCENARIO_STACKS (comma list, default all four); unknown names throw. */
export function scenarioStacks(env: Readonly<Record<string, string | undefined>> = process.env): StackName[] {
  const raw = env[STACKS_ENV];
  if (raw === undefined || raw.trim() === "") return ["ref", "northd", "controller", "all"];
  const out: StackName[] = [];
  for (const part of raw.split(",")) {
    const name = part.trim();
    if (name === "") continue;
    if (!(name in STACKS))
      throw new Error(`${STACKS_ENV}: unknown stack '${name}' (expected ${Object.keys(STACKS).join(", ")})`);
    if (!out.includes(name as StackName)) out.push(name as StackName);
  }
  if (out.length === 0) throw new Error(`${STACKS_ENV}: no stack named in '${raw}'`);
  return out;
}

export interface VifOptions {
  /** OpenFlow port number to ask for (ofport-request). */
  ofport?: number;
  /** Interface name (default hvN-LPORT). */
  name?: string;
}

/** A VIF on a chassis: a netdev-dummy interface in br-int bound to a logical port. */
export interface Vif {
  readonly hv: Hv;
  readonly name: string;
  readonly lport: string;
  /** Everything the port sent towards the VM. */
  readonly txPcap: string;
  /** The frame arrives on the port as if the VM sent it. */
  inject(frame: string | Uint8Array): Promise<void>;
  /** Frames the port has sent so far. */
  sent(): PcapPacket[];
}

export interface Hv {
  readonly name: string;
  /** 1-based. */
  readonly index: number;
  readonly encapIp: string;
  readonly box: Sandbox;
  readonly ovs: DbServer;
  readonly vswitchd: Vswitchd;
  readonly controller: Controller;
  vsctl(...args: string[]): Promise<string>;
  /** ovs-appctl against this chassis's ovs-vswitchd. */
  appctl(...args: string[]): Promise<string>;
  /** ovs-ofctl in this chassis's run directory (a bridge name such as br-int means this chassis's). */
  ofctl(...args: string[]): Promise<string>;
  addVif(lport: string, opts?: VifOptions): Promise<Vif>;
}

export interface Stack {
  readonly name: StackName;
  readonly spec: StackSpec;
  readonly box: Sandbox;
  readonly nb: DbServer;
  readonly sb: DbServer;
  readonly northd: OvnDaemon;
  readonly hv: readonly Hv[];
  /** The physical network's switch: its ovs-vswitchd (bridge n1). */
  readonly net: Vswitchd;
  nbctl(...args: string[]): Promise<string>;
  sbctl(...args: string[]): Promise<string>;
  /** `ovn-nbctl --wait=hv sync`: returns once every chassis has caught up with the Northbound. */
  syncHv(): Promise<void>;
}

export interface StackOptions {
  /** Number of chassis (default 1), named hv1 … hvN with encap IPs 192.168.0.1 … */
  chassis?: number;
  /** external_ids:ovn-bridge-mappings for every chassis, e.g. "phys:br-phys". */
  bridgeMappings?: string;
}

/** Starts NB/SB, northd, the physical network and N chassis with the stack's implementations. */
export async function startStack(box: Sandbox, name: StackName, opts: StackOptions = {}): Promise<Stack> {
  const spec = STACKS[name];
  const [nb, sb] = await Promise.all([
    startDbServer(box, { impl: spec.db, name: "nb", schemas: ["ovn-nb"], readyTimeoutMs: READY_MS }),
    startDbServer(box, { impl: spec.db, name: "sb", schemas: ["ovn-sb"], readyTimeoutMs: READY_MS }),
  ]);
  await nbctl(box, "init");
  await sbctl(box, "init");
  const [northd, net] = await Promise.all([
    startNorthd(box, { impl: spec.northd, readyTimeoutMs: READY_MS }),
    startNetwork(box),
  ]);
  const count = opts.chassis ?? 1;
  const hv = await Promise.all(
    Array.from({ length: count }, (_, i) => startHv(box, spec, net, i + 1, opts.bridgeMappings)),
  );
  await populateNeighbours(hv);
  // Every chassis sees every other chassis's tunnel before the scenario starts.
  await Promise.all(hv.map((h) => waitTunnels(h, count - 1)));
  const stack: Stack = {
    name,
    spec,
    box,
    nb,
    sb,
    northd,
    hv,
    net: net.vswitchd,
    nbctl: (...a) => ctl(box, "ovn-nbctl", nb.remote, a),
    sbctl: (...a) => ctl(box, "ovn-sbctl", sb.remote, a),
    syncHv: async () => {
      await ctl(box, "ovn-nbctl", nb.remote, ["--wait=hv", "sync"]);
    },
  };
  return stack;
}

interface Network {
  readonly box: Sandbox;
  readonly vswitchd: Vswitchd;
}

/** The "main" switch of OVN's net_add: one ovs-vswitchd whose bridge n1 joins all chassis. */
async function startNetwork(box: Sandbox): Promise<Network> {
  const main = box.child("main");
  const db = await startDbServer(main, {
    impl: "c",
    name: "ovs",
    schemas: ["vswitch"],
    readyTimeoutMs: READY_MS,
  });
  const vswitchd = await startVswitchd(main, {
    dbSock: db.sock,
    dummy: "system",
    name: "vswitchd",
    readyTimeoutMs: READY_MS,
  });
  await vsctlAt(main, db.remote, "add-br", "n1");
  return { box: main, vswitchd };
}

async function startHv(
  box: Sandbox,
  spec: StackSpec,
  net: Network,
  index: number,
  bridgeMappings: string | undefined,
): Promise<Hv> {
  const name = `hv${index}`;
  const hbox = box.child(name);
  const encapIp = `192.168.0.${index}`;
  const ovs = await startDbServer(hbox, {
    impl: spec.db,
    name: "ovs",
    schemas: ["vswitch"],
    readyTimeoutMs: READY_MS,
  });
  const vswitchd = await startVswitchd(hbox, {
    dbSock: ovs.sock,
    dummy: "system",
    name: "vswitchd",
    readyTimeoutMs: READY_MS,
  });
  const vsctl = (...a: string[]) => vsctlAt(hbox, ovs.remote, ...a);
  // net_attach: a socket pair between n1 (listening side) and br-phys.
  const port = `${name}_br-phys`;
  const sock = net.box.path(`${port}.sock`);
  await vsctlAt(
    net.box,
    net.vswitchd.db,
    "add-port",
    "n1",
    port,
    "--",
    "set",
    "Interface",
    port,
    `options:pstream=punix:${sock}`,
  );
  await vsctl(
    "add-br",
    "br-phys",
    "--",
    "add-port",
    "br-phys",
    "br-phys_n1",
    "--",
    "set",
    "Interface",
    "br-phys_n1",
    `options:stream=unix:${sock}`,
    `options:tx_pcap=${hbox.path("br-phys_n1-tx.pcap")}`,
    `options:rxq_pcap=${hbox.path("br-phys_n1-rx.pcap")}`,
  );
  // ovn_attach: the encapsulation address lives on br-phys, and the tunnel route points there.
  await vswitchd.appctl("netdev-dummy/ip4addr", "br-phys", `${encapIp}/24`);
  await vswitchd.appctl("ovs/route/add", `${encapIp}/24`, "br-phys");
  await vsctl(
    "--may-exist",
    "add-br",
    "br-int",
    "--",
    "set",
    "Bridge",
    "br-int",
    "fail-mode=secure",
    "other-config:disable-in-band=true",
  );
  const controller = await startController(hbox, {
    ovsDb: ovs.sock,
    sbDb: box.dbs.sb as string,
    systemId: name,
    impl: spec.controller,
    externalIds: {
      hostname: name,
      "ovn-encap-ip": encapIp,
      ...(bridgeMappings !== undefined ? { "ovn-bridge-mappings": bridgeMappings } : {}),
    },
    readyTimeoutMs: READY_MS,
  });
  const hv: Hv = {
    name,
    index,
    encapIp,
    box: hbox,
    ovs,
    vswitchd,
    controller,
    vsctl,
    appctl: (...a) => vswitchd.appctl(...a),
    ofctl: (...a) => ofctlAt(hbox, a),
    addVif: (lport, o = {}) => addVif(hv, lport, o),
  };
  return hv;
}

/**
 * ovn-nbctl / ovn-sbctl with a one-minute --timeout (a later --timeout in `args` wins): `--wait=hv`
 * waits for every chassis, which takes long on a loaded machine.
 */
function ctl(box: Sandbox, tool: string, db: string, args: readonly string[]): Promise<string> {
  return runOk(tool, [`--db=${db}`, `--timeout=${READY_MS / 1000}`, ...args], {
    env: box.env,
    timeoutMs: READY_MS + 30_000,
  });
}

function ofctlAt(box: Sandbox, args: string[]): Promise<string> {
  return runOk("ovs-ofctl", args, { env: box.env, timeoutMs: 15_000 });
}

/** OVN_POPULATE_ARP: every chassis knows every other chassis's br-phys MAC for its encap IP. */
async function populateNeighbours(hvs: readonly Hv[]): Promise<void> {
  const macs = await Promise.all(
    hvs.map(async (h) =>
      (await h.vsctl("get", "Interface", "br-phys", "mac_in_use")).trim().replace(/"/g, ""),
    ),
  );
  for (const h of hvs)
    for (const [i, other] of hvs.entries())
      if (other !== h) await h.appctl("tnl/neigh/set", "br-phys", other.encapIp, macs[i] as string);
}

/** Waits until br-int holds a tunnel port (with an OpenFlow port number) to each of `n` other chassis. */
async function waitTunnels(hv: Hv, n: number): Promise<void> {
  if (n === 0) return;
  await waitUntil(
    async () => {
      const out = await hv.vsctl("--bare", "--columns=ofport", "find", "Interface", "type=geneve");
      return out.split("\n").filter((l) => /^\d+$/.test(l.trim()) && Number(l) > 0).length >= n;
    },
    READY_MS,
    { what: `${hv.name}: tunnels to ${n} chassis`, unless: () => hv.controller.daemon.assertRunning() },
  );
}

async function addVif(hv: Hv, lport: string, o: VifOptions): Promise<Vif> {
  const name = o.name ?? `${hv.name}-${lport}`;
  const txPcap = hv.box.path(`${name}-tx.pcap`);
  await hv.vsctl(
    "add-port",
    "br-int",
    name,
    "--",
    "set",
    "Interface",
    name,
    `external_ids:iface-id=${lport}`,
    `options:tx_pcap=${txPcap}`,
    `options:rxq_pcap=${hv.box.path(`${name}-rx.pcap`)}`,
    ...(o.ofport !== undefined ? [`ofport_request=${o.ofport}`] : []),
  );
  return {
    hv,
    name,
    lport,
    txPcap,
    inject: (frame) => injectPacket(hv.vswitchd, name, frame),
    sent: () => readPcapFile(txPcap),
  };
}
