// Captures what the real ovn-controller 23.03 installs for a scenario: real ovsdb-servers (NB, SB and
// the local Open_vSwitch database), real ovn-northd, real ovs-vswitchd with dummy datapaths and the real
// ovn-controller as chassis hv1.  The scenario's VIFs are plugged into br-int with their iface-ids, and
// once `ovn-nbctl --wait=hv sync` returns, every Southbound table and br-int's flows and groups are read.
//
// Run as a script to refresh the corpus:  node dist/src/controller/lflow/peer/capture.js [NAME...]

import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  nbctl,
  ofctl,
  runOk,
  type Sandbox,
  startController,
  startDbServer,
  startNorthd,
  startVswitchd,
  vsctl,
  waitUntil,
  withSandbox,
} from "../../../../test/support/sandbox.js";
import { SCENARIOS, type Scenario } from "./scenarios.js";

/** Rows of each Southbound table by UUID, as a `select` returns them. */
export type SbDump = Record<string, Record<string, Record<string, unknown>>>;

export interface Capture {
  readonly scenario: string;
  readonly sb: SbDump;
  /** `ovs-ofctl -O OpenFlow15 dump-flows br-int` */
  readonly flows: string;
  /** `ovs-ofctl -O OpenFlow15 dump-groups br-int` */
  readonly groups: string;
  /** OpenFlow port number of each VIF interface. */
  readonly ofports: Record<string, number>;
  /** Every interface: name, ofport and external_ids (tunnels carry ovn-chassis-id, localnet patch
   *  ports ovn-localnet-port). */
  readonly interfaces: { name: string; ofport: number; externalIds: Record<string, string> }[];
}

export const CORPUS_DIR = fileURLToPath(
  new URL("../../../../../src/controller/lflow/peer/corpus/", import.meta.url),
);

/** Every row of every table of the Southbound database. */
export async function dumpSb(box: Sandbox): Promise<SbDump> {
  const remote = box.dbs.sb as string;
  const schema = JSON.parse(
    await runOk("ovsdb-client", ["get-schema", remote, "OVN_Southbound"], { env: box.env }),
  ) as {
    tables: Record<string, unknown>;
  };
  const tables = Object.keys(schema.tables).sort();
  const ops = tables.map((table) => ({ op: "select", table, where: [] }));
  const reply = JSON.parse(
    await runOk("ovsdb-client", ["transact", remote, JSON.stringify(["OVN_Southbound", ...ops])], {
      env: box.env,
    }),
  ) as { rows: Record<string, unknown>[] }[];
  const out: SbDump = {};
  tables.forEach((t, i) => {
    const byUuid: Record<string, Record<string, unknown>> = {};
    for (const row of reply[i]?.rows ?? []) {
      const u = row._uuid as [string, string];
      const { _uuid, _version, ...rest } = row;
      byUuid[u[1]] = rest;
    }
    out[t] = byUuid;
  });
  return out;
}

/** Starts the real stack in `box` with the scenario applied; returns once hv1 has caught up. */
export async function runRealScenario(box: Sandbox, sc: Scenario): Promise<void> {
  await startDbServer(box, { impl: "c", name: "nb", schemas: ["ovn-nb"] });
  await startDbServer(box, { impl: "c", name: "sb", schemas: ["ovn-sb"] });
  const ovs = await startDbServer(box, { impl: "c", name: "ovs", schemas: ["vswitch"] });
  await startVswitchd(box, { dbSock: ovs.sock, dummy: "override" });
  await startNorthd(box);
  for (const c of sc.nbctl) await nbctl(box, ...c);
  await nbctl(box, "--wait=sb", "sync");
  await runSbctl(box, sc.sbctl ?? []);
  for (const br of sc.bridges ?? []) await vsctl(box, "add-br", br);
  await startController(box, {
    ovsDb: ovs.sock,
    ...(sc.externalIds !== undefined ? { externalIds: { ...sc.externalIds } } : {}),
  });
  await waitUntil(async () => (await vsctl(box, "--no-wait", "list-br")).includes("br-int"), 15_000, {
    what: "br-int",
  });
  for (const v of sc.vifs) {
    await vsctl(
      box,
      "add-port",
      "br-int",
      v.iface,
      "--",
      "set",
      "Interface",
      v.iface,
      `external_ids:iface-id=${v.lport}`,
    );
  }
  await waitUntil(
    async () => {
      const up = await runOk(
        "ovn-sbctl",
        [`--db=${box.dbs.sb}`, "--bare", "--columns=logical_port,up", "list", "Port_Binding"],
        { env: box.env },
      );
      const isUp = new Set<string>();
      const lines = up.split("\n").map((l) => l.trim());
      for (let i = 0; i + 1 < lines.length; i++) if (lines[i + 1] === "true") isUp.add(lines[i] as string);
      return sc.vifs.every((v) => v.neverUp === true || isUp.has(v.lport));
    },
    20_000,
    { what: "ports up" },
  );
  await runSbctl(box, sc.sbctlAfter ?? []);
  await nbctl(box, "--wait=hv", "sync");
}

/** ovn-sbctl lines; {dp:NAME}, {ch:NAME} and {pb:NAME} stand for the UUID of a datapath, chassis or
 *  port binding. */
async function runSbctl(box: Sandbox, lines: readonly (readonly string[])[]): Promise<void> {
  const sbctl = (...args: string[]) => runOk("ovn-sbctl", [`--db=${box.dbs.sb}`, ...args], { env: box.env });
  const tables: Record<string, [string, string]> = {
    dp: ["Datapath_Binding", "external_ids:name"],
    ch: ["Chassis", "name"],
    pb: ["Port_Binding", "logical_port"],
  };
  for (const c of lines) {
    const args: string[] = [];
    for (const a of c) {
      const m = /\{(dp|ch|pb):([^}]+)\}/.exec(a);
      const t = m === null ? undefined : tables[m[1] as string];
      if (m === null || t === undefined) {
        args.push(a);
        continue;
      }
      const uuid = (await sbctl("--bare", "--columns=_uuid", "find", t[0], `${t[1]}=${m[2]}`)).trim();
      args.push(a.replace(m[0], uuid));
    }
    await sbctl(...args);
  }
}

/**
 * br-int's flows once they stop changing: the controller may still be reacting to the last port it
 * saw (a localport never reports "up"), so the dump is repeated until two in a row, 300 ms apart, agree
 * (150 ms was not enough on a loaded 2-core machine: a multicast group's flows came in after it).
 */
async function settledFlows(box: Sandbox): Promise<string> {
  const dump = () => ofctl(box, "-O", "OpenFlow15", "--no-stats", "dump-flows", "br-int");
  let last = await dump();
  for (let i = 0; i < 20; i++) {
    await new Promise((r) => setTimeout(r, 300));
    const next = await dump();
    if (next === last) return next;
    last = next;
  }
  return last;
}

export async function capture(sc: Scenario): Promise<Capture> {
  return withSandbox(async (box) => {
    await runRealScenario(box, sc);
    // The Southbound rows and the flows must describe the same moment: read the rows between two
    // settled dumps and start over if the flows moved meanwhile.
    let flows = await settledFlows(box);
    let sb = await dumpSb(box);
    for (let i = 0; i < 5; i++) {
      const again = await settledFlows(box);
      if (again === flows) break;
      flows = again;
      sb = await dumpSb(box);
    }
    const groups = await ofctl(box, "-O", "OpenFlow15", "dump-groups", "br-int");
    const ofports: Record<string, number> = {};
    for (const v of sc.vifs)
      ofports[v.iface] = Number((await vsctl(box, "get", "Interface", v.iface, "ofport")).trim());
    const ifaces = JSON.parse(
      await vsctl(box, "--format=json", "--columns=name,ofport,external_ids", "list", "Interface"),
    ) as { data: [string, number, ["map", [string, string][]]][] };
    const interfaces = ifaces.data.map(([name, ofport, ids]) => ({
      name,
      ofport,
      externalIds: Object.fromEntries(ids[1]),
    }));
    interfaces.sort((a, b) => (a.name < b.name ? -1 : 1));
    return { scenario: sc.name, sb, flows, groups, ofports, interfaces };
  });
}

async function main(names: string[]): Promise<void> {
  for (const sc of SCENARIOS.filter((s) => names.length === 0 || names.includes(s.name))) {
    const c = await capture(sc);
    writeFileSync(`${CORPUS_DIR}${sc.name}.json`, `${JSON.stringify(c, null, 1)}\n`);
    process.stdout.write(`${sc.name}: ${c.flows.split("\n").length} flow lines\n`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`${String(e)}\n`);
    process.exit(1);
  });
}
