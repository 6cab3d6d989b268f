// The ofproto/trace differential's runner (issue 7), shared by the test files over its topology lists
// (oftrace.test.ts: the scenario matrix's; oftrace-features.test.ts: feature-dense ones).  Each topology is
// built on the `ref` stack (C ovn-controller) and on the `controller` stack (ovnts
// controller, C databases and northd) side by side.  For packets generated per VIF with a seeded PRNG,
// `ovs-appctl ofproto/trace br-int in_port=VIF,FLOW` on its chassis must give the same datapath actions
// on both stacks (every pass, normalised by test/scenarios/oftrace.ts: datapath ports by interface or
// tunnel remote, ct zones by owner, recirculation/meter ids and packet-in cookies by order, a flood's
// output order) and the same answer to "does it reach the controller".  Conntrack as in OVN's tests,
// with --ct-next: trk,new (the default), trk,est, and for TCP trk,est,rpl and trk,inv.  Every packet the
// reference pushed into a tunnel is then traced again on the receiving chassis (tun_id/tun_metadata0 of
// the pushed header, the inner packet with the pass's rewrites); frames from the physical network are
// traced from br-phys's uplink; OpenFlow groups and meters (whose buckets a trace does not follow past
// a dp_hash) are compared by content.  Then the topology's `churn` (NB changes) is applied to both stacks
// and everything traced again: the controllers must also agree after getting there incrementally.
// A first subtest checks that ovnts's chassis advertise the real controller's feature flags (finding 16):
// northd keys its logical flows on them.
//
// Both stacks are started once (two chassis each, bridge mappings phys:br-phys for the localnet
// topology) and the topologies run one after another, each cleared before the next (so the controllers
// also go through deletions and re-additions incrementally).
// OVNTS_OFTRACE_SEED=N replays a run; OVNTS_OFTRACE_ONLY=name[,name] picks topologies;
// OVNTS_OFTRACE_STACK=northd|all compares that stack with `ref` instead of `controller`;
// OVNTS_OFTRACE_DUMP=FILE appends every reference result and every difference to FILE.
import assert from "node:assert/strict";
import { appendFileSync } from "node:fs";
import { test } from "node:test";
import { type Hv, type Stack, type StackName, startStack } from "../../support/chassis.js";
import { describe } from "../../support/frames.js";
import { injectPacket, readPcapFile } from "../../support/packets.js";
import { withSandbox } from "../../support/sandbox.js";
import { waitUntil } from "../../support/wait.js";
import { groups } from "../igmp-groups.js";
import { SETTLE_MS } from "../matrix.js";
import {
  type DpNames,
  type Endpoint,
  generateFlows,
  parseDpifShow,
  prng,
  summarizeTrace,
  type TraceFlow,
  type TraceSource,
  tunnelHops,
} from "../oftrace.js";
import { PINCTRL_ROWS, type Topology } from "../oftrace-topos.js";

const SEED = Number(process.env.OVNTS_OFTRACE_SEED ?? 7);
/** A file that every difference is appended to (for debugging). */
const DUMP = process.env.OVNTS_OFTRACE_DUMP;
const ONLY = (process.env.OVNTS_OFTRACE_ONLY ?? "").split(",").filter((x) => x !== "");
/** The stack compared with `ref`: `controller` (ovnts controller) unless OVNTS_OFTRACE_STACK names another. */
const OURS = (process.env.OVNTS_OFTRACE_STACK ?? "controller") as StackName;

/** Chassis.other_config keys that are features northd reads (ovn-controller(8), northd's feature checks). */
const FEATURES = ["ct-no-masked-label", "ovn-ct-lb-related", "mac-binding-timestamp", "port-up-notif"];

async function buildTopology(s: Stack, t: Topology): Promise<void> {
  if (t.encap !== undefined) await setEncap(s, t.encap);
  await nbSteps(s, t.nb);
  if (t.name === "pinctrl") {
    const dhcp = (await s.nbctl(...PINCTRL_ROWS.dhcp)).trim();
    await s.nbctl("lsp-set-dhcpv4-options", "vm1", dhcp);
    const dns = (await s.nbctl(...PINCTRL_ROWS.dns)).trim();
    await s.nbctl("add", "Logical_Switch", "sw0", "dns_records", dns);
  }
  // Container ports ride on their parent's interface.
  for (const v of t.vifs) if (v.parent === undefined) await (s.hv[v.hv] as Hv).addVif(v.name);
  await waitUntil(
    async () =>
      (
        await Promise.all(
          t.vifs
            .filter((v) => v.noWait !== true)
            .map((v) => s.nbctl("get", "Logical_Switch_Port", v.name, "up")),
        )
      ).every((u) => u.trim() === "true"),
    SETTLE_MS,
    { what: `${s.name}/${t.name}: every VIF up` },
  );
  for (const p of t.bound ?? [])
    await waitUntil(
      async () =>
        (await s.sbctl("--bare", "--columns=chassis", "find", "Port_Binding", `logical_port=${p}`)).trim() !==
        "",
      SETTLE_MS,
      { what: `${s.name}/${t.name}: ${p} bound` },
    );
  // Topologies with a localnet port: the controllers' patch port to br-phys must be there.
  if (t.nb.some((args) => args.includes("localnet")))
    for (const h of s.hv)
      await waitUntil(
        async () =>
          (await h.vsctl("--bare", "--columns=name", "find", "Interface", "type=patch")).trim() !== "",
        SETTLE_MS,
        { what: `${s.name}/${h.name}: localnet patch port` },
      );
  if (t.sb !== undefined) {
    await s.syncHv();
    for (const args of t.sb) await s.sbctl(...args);
  }
  for (const j of t.inject ?? []) {
    const h = s.hv[j.hv] as Hv;
    await injectPacket(h.vswitchd, `${h.name}-${j.vif}`, j.frame);
  }
  const want = t.igmpGroups ?? [];
  if (want.length > 0)
    await waitUntil(
      async () => {
        const have = await groups(s);
        return want.every((g) => {
          const [addr, ch, port] = g.split(" ");
          return have.some(
            (h) =>
              h.startsWith(`${addr} ${ch} [`) &&
              h
                .slice(0, -1)
                .split(/[[ ]/)
                .includes(port ?? ""),
          );
        });
      },
      SETTLE_MS,
      { what: `${s.name}/${t.name}: IGMP_Group rows ${JSON.stringify(want)}` },
    );
  await s.syncHv();
}

/**
 * Runs nbctl commands in order; an argument "$PREV" stands for the last output that was not empty (the
 * UUID of a row made with `create`).
 */
async function nbSteps(s: Stack, steps: readonly (readonly string[])[]): Promise<void> {
  let prev = "";
  // When the stacks' northds differ, each command waits for its northd: port tunnel keys follow the
  // order in which a northd sees new ports, which would otherwise depend on how each batches them.
  const wait = OURS === "controller" ? [] : ["--wait=sb"];
  for (const args of steps) {
    const out = (await s.nbctl(...wait, ...args.map((a) => (a === "$PREV" ? prev : a)))).trim();
    if (out !== "") prev = out;
  }
}

async function clearTopology(s: Stack, t: Topology): Promise<void> {
  if (t.encap !== undefined) await setEncap(s, "geneve");
  for (const v of t.vifs)
    if (v.parent === undefined)
      await (s.hv[v.hv] as Hv).vsctl("--if-exists", "del-port", "br-int", `hv${v.hv + 1}-${v.name}`);
  const names = async (table: string) =>
    (await s.nbctl("--bare", "--columns=name", "list", table)).split("\n").filter((x) => x.trim() !== "");
  for (const lr of await names("Logical_Router")) await s.nbctl("lr-del", lr);
  for (const ls of await names("Logical_Switch")) await s.nbctl("ls-del", ls);
  // Root tables that switches only refer to (ACLs and QoS rows go with their switch or port group).
  for (const table of [
    "Load_Balancer",
    "Load_Balancer_Group",
    "Address_Set",
    "Port_Group",
    "DHCP_Options",
    "DNS",
    "HA_Chassis_Group",
    "Meter",
  ])
    await s.nbctl("--all", "destroy", table);
  await s.syncHv();
}

/**
 * Waits until each port of `topo.boundAfterChurn` is bound to its chassis, then for every chassis to have
 * caught up again: a gateway failover is the new chassis claiming the port after it saw the NB change, and
 * the old one letting go after that, so `--wait=hv` alone returns while the old chassis still acts as
 * the gateway.
 */
async function settleBindings(s: Stack, topo: Topology): Promise<void> {
  const want = Object.entries(topo.boundAfterChurn ?? {});
  if (want.length === 0) return;
  for (const [port, chassis] of want) {
    const uuid = (await s.sbctl("--bare", "--columns=_uuid", "find", "Chassis", `name=${chassis}`)).trim();
    await waitUntil(
      async () =>
        (
          await s.sbctl("--bare", "--columns=chassis", "find", "Port_Binding", `logical_port=${port}`)
        ).trim() === uuid,
      SETTLE_MS,
      { what: `${s.name}/${topo.name}: ${port} bound to ${chassis} after the changes` },
    );
  }
  // The real ovn-controller sometimes goes on acting as the gateway of a port that moved away after an HA
  // group change for longer than the retries wait (seen at load: hv2 still DNATs for lre seconds after
  // cr-lre-pub went to hv1; later it does not).  What is compared is where both settle: the reference
  // chassis recompute (ovn-appctl recompute); ovnts's stay on their incremental path.
  if (s.spec.controller === "c") for (const h of s.hv) await h.controller.appctl("recompute");
  await s.syncHv();
}

/** The chassis's tunnel interfaces ("name\noptions" blocks), Geneve or VXLAN. */
async function tunnelRows(h: Hv): Promise<string> {
  const rows = await Promise.all(
    ["geneve", "vxlan"].map((t) =>
      h.vsctl("--bare", "--columns=name,options", "find", "Interface", `type=${t}`),
    ),
  );
  return rows
    .map((x) => x.trim())
    .filter((x) => x !== "")
    .join("\n\n");
}

/** Sets every chassis's ovn-encap-type and waits until each has its tunnel of that type. */
async function setEncap(s: Stack, type: "geneve" | "vxlan"): Promise<void> {
  for (const h of s.hv) await h.vsctl("set", "Open_vSwitch", ".", `external_ids:ovn-encap-type=${type}`);
  for (const h of s.hv)
    await waitUntil(
      async () =>
        /^\d+$/.test(
          (await h.vsctl("--bare", "--columns=ofport", "find", "Interface", `type=${type}`)).trim(),
        ),
      SETTLE_MS,
      { what: `${s.name}/${h.name}: a ${type} tunnel` },
    );
  await s.syncHv();
}

/** The names behind a chassis's datapath numbers (ports, tunnels by remote IP, ct zones by owner). */
async function dpNames(s: Stack, h: Hv): Promise<DpNames> {
  const ports = parseDpifShow(await h.appctl("dpif/show"));
  const tunnels = await tunnelRows(h);
  for (const block of tunnels.split("\n\n")) {
    const [name, opts] = block.split("\n");
    const remote = /remote_ip="?([\d.]+)/.exec(opts ?? "")?.[1];
    if (name === undefined || remote === undefined) continue;
    for (const [n, v] of ports) if (v === name.trim()) ports.set(n, `tunnel-to-${remote}`);
  }
  // Datapath UUIDs differ between stacks: name them as northd did (external_ids:name).
  const dps = new Map<string, string>();
  const rows = await s.sbctl("--bare", "--columns=_uuid,external_ids", "list", "Datapath_Binding");
  for (const block of rows.split("\n\n")) {
    const [uuid, ids] = block.split("\n");
    const name = /name=([^\s,]+)/.exec(ids ?? "")?.[1];
    if (uuid !== undefined && name !== undefined) dps.set(uuid.trim(), name);
  }
  const zones = new Map<number, string>();
  const ext = await h.vsctl("get", "Bridge", "br-int", "external_ids");
  for (const m of ext.matchAll(/"?ct-zone-([^"=]+)"?="?(\d+)"?/g)) {
    let owner = m[1] ?? "";
    for (const [uuid, name] of dps) owner = owner.replace(uuid, name);
    zones.set(Number(m[2]), owner);
  }
  // br-phys's LOCAL port: see DpNames.ignore (both controllers announce localnet VIFs on a 1, 3, 7 … s
  // schedule, so what br-phys has learnt when a trace runs is a matter of timing; finding 17).
  return { ports, zones, ignore: new Set(["br-phys"]) };
}

function sources(t: Topology): (TraceSource & { hv: number; tag?: number })[] {
  return t.vifs.map((v) => {
    const gw = t.gateways[v.ls];
    const neighbours: Endpoint[] = [
      // (A localport is plugged on several chassis: one neighbour, and not its own.)
      ...t.vifs.filter(
        (o, i) => o.ls === v.ls && o.name !== v.name && t.vifs.findIndex((x) => x.name === o.name) === i,
      ),
      ...(gw !== undefined ? [gw] : []),
    ];
    return {
      ...v,
      iface: `hv${v.hv + 1}-${v.parent ?? v.name}`,
      neighbours,
      ...(gw !== undefined ? { gateway: gw } : {}),
      routed: t.routed[v.ls] ?? [],
      routed6: t.routed6?.[v.ls] ?? [],
    };
  });
}

interface Job {
  readonly key: string;
  /** 0-based chassis index. */
  readonly hv: number;
  /** The bridge the trace starts on (br-int unless the packet comes from the physical network). */
  readonly bridge?: string;
  /** --ct-next options. */
  readonly ct: readonly string[];
  /** The flow with in_port: a VIF's name, or TUNNEL(remote encap IP) for the tunnel port from there. */
  readonly flow: string;
}

const EST = Array(4).fill(["--ct-next", "trk,est"]).flat() as string[];
const RPL = Array(4).fill(["--ct-next", "trk,est,rpl"]).flat() as string[];
const INV = Array(4).fill(["--ct-next", "trk,inv"]).flat() as string[];

function jobs(t: Topology, seed: number): Job[] {
  const rand = prng(seed);
  const out: Job[] = [];
  for (const src of sources(t)) {
    const flows: TraceFlow[] = [...generateFlows(src, rand), ...(t.extra?.[src.name] ?? [])];
    // A container's packets arrive tagged with its VLAN on the parent's interface.
    const vlan = src.tag === undefined ? "" : `dl_vlan=${src.tag},`;
    for (const f of flows) {
      const flow = `in_port=${src.iface},${vlan}${f.flow}`;
      const key = `${t.name}: ${src.name}: ${f.label}`;
      out.push({ key: `${key} (trk,new)`, hv: src.hv, ct: [], flow });
      if (!/^(arp|icmp6)/.test(f.flow)) out.push({ key: `${key} (trk,est)`, hv: src.hv, ct: EST, flow });
      // The reply direction of a TCP connection the other side opened.
      if (f.flow.startsWith("tcp,")) {
        out.push({ key: `${key} (trk,est,rpl)`, hv: src.hv, ct: RPL, flow });
        out.push({ key: `${key} (trk,inv)`, hv: src.hv, ct: INV, flow });
      }
    }
  }
  for (const f of t.uplink ?? [])
    for (const hv of [0, 1]) {
      const key = `${t.name}: uplink of hv${hv + 1}: ${f.label}`;
      const flow = `in_port=br-phys_n1,${f.flow}`;
      out.push({ key: `${key} (trk,new)`, hv, bridge: "br-phys", ct: [], flow });
      if (!f.flow.startsWith("arp"))
        out.push({ key: `${key} (trk,est)`, hv, bridge: "br-phys", ct: EST, flow });
    }
  return out;
}

/** The receiving side of every packet the reference sent through a tunnel, traced on the remote chassis. */
function hopJobs(s: Stack, first: readonly Job[], results: readonly string[]): Job[] {
  const out: Job[] = [];
  for (const [i, j] of first.entries()) {
    const from = (s.hv[j.hv] as Hv).encapIp;
    const inner = j.flow.replace(/^in_port=[^,]+,/, "");
    for (const hop of tunnelHops(inner, results[i] ?? "", from)) {
      const hv = s.hv.findIndex((h) => h.encapIp === hop.to);
      if (hv < 0) continue;
      out.push({ key: `${j.key} → hv${hv + 1}`, hv, ct: j.ct, flow: `in_port=TUNNEL(${from}),${hop.flow}` });
    }
  }
  return out;
}

/** A chassis's tunnel interfaces by remote encap IP. */
async function tunnelPorts(h: Hv): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const rows = await tunnelRows(h);
  for (const block of rows.split("\n\n")) {
    const [name, opts] = block.split("\n");
    const remote = /remote_ip="?([\d.]+)/.exec(opts ?? "")?.[1];
    if (name !== undefined && remote !== undefined) out.set(remote, name.trim());
  }
  return out;
}

/** Runs `fn` over `items` with at most `n` in flight. */
async function pool<T, R>(items: readonly T[], n: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i] as T);
      }
    }),
  );
  return out;
}

async function traceAll(s: Stack, js: readonly Job[]): Promise<string[]> {
  const names = await Promise.all(s.hv.map((h) => dpNames(s, h)));
  const tunnels = await Promise.all(s.hv.map(tunnelPorts));
  return pool(js, 3, async (j) => {
    const flow = j.flow.replace(/^in_port=TUNNEL\(([\d.]+)\)/, (_, ip: string) => {
      const name = tunnels[j.hv]?.get(ip);
      if (name === undefined) throw new Error(`${s.name}/hv${j.hv + 1}: no tunnel to ${ip}`);
      return `in_port=${name}`;
    });
    const text = await (s.hv[j.hv] as Hv).appctl("ofproto/trace", ...j.ct, j.bridge ?? "br-int", flow);
    const sum = summarizeTrace(text, names[j.hv] as DpNames);
    return `${sum.actions}${sum.controller ? " [controller]" : ""}`;
  });
}

/**
 * Each chassis's OpenFlow groups and meters with their ids left out, sorted: a trace stops where a select
 * group hashes (hash(l4(0)),recirc), so what its buckets do is compared here instead.  Only groups that
 * some flow uses: the real ovn-controller leaves a datapath's groups behind when the datapath stops being
 * local to the chassis (a gateway router moved away), with nothing pointing to them any more.
 */
async function groupsAndMeters(s: Stack): Promise<string[]> {
  const out: string[] = [];
  for (const h of s.hv) {
    const flows = await h.ofctl("-O", "OpenFlow15", "dump-flows", "br-int");
    const used = new Set([...flows.matchAll(/group:(\d+)/g)].map((m) => m[1]));
    const groups = await h.ofctl("-O", "OpenFlow15", "dump-groups", "br-int");
    const meters = await h.ofctl("-O", "OpenFlow15", "dump-meters", "br-int");
    for (const line of groups.split("\n")) {
      const id = /^\s*group_id=(\d+),/.exec(line)?.[1];
      if (id !== undefined && used.has(id))
        out.push(`${h.name}: ${line.trim().replace(/^group_id=\d+,/, "")}`);
    }
    for (const line of meters.split("\n"))
      if (/^\s*meter=/.test(line)) out.push(`${h.name}: ${line.trim().replace(/^meter=\d+\s*/, "meter ")}`);
  }
  return out.sort();
}

/** Groups and meters that only one of the stacks has. */
async function groupDiffs(ref: Stack, ours: Stack, left: readonly string[] = []): Promise<string[]> {
  const [a, b] = await Promise.all([groupsAndMeters(ref), groupsAndMeters(ours)]);
  // On a chassis a datapath left (Topology.churnLeaves) the real controller keeps its flows and groups.
  const kept = (g: string) => left.some((hv) => g.startsWith(`${hv}: `));
  return [
    ...a.filter((g) => !b.includes(g) && !kept(g)).map((g) => `only with the real controller: ${g}`),
    ...b.filter((g) => !a.includes(g)).map((g) => `only with ovnts: ${g}`),
  ];
}

/** Each Port_Binding's chassis by name ("lport@hv1", "lport@-"), sorted: who claimed what. */
async function bindings(s: Stack): Promise<string[]> {
  const names = new Map<string, string>();
  const chassis = await s.sbctl("--bare", "--columns=_uuid,name", "list", "Chassis");
  for (const block of chassis.split("\n\n")) {
    const [uuid, name] = block.trim().split("\n");
    if (uuid !== undefined && name !== undefined) names.set(uuid.trim(), name.trim());
  }
  const out: string[] = [];
  const rows = await s.sbctl("--bare", "--columns=logical_port,chassis", "list", "Port_Binding");
  for (const block of rows.split("\n\n")) {
    const [lport, ch] = block.trim().split("\n");
    if (lport === undefined || lport === "") continue;
    out.push(`${lport.trim()}@${ch === undefined || ch.trim() === "" ? "-" : (names.get(ch.trim()) ?? ch)}`);
  }
  return out.sort();
}

/** Port bindings and learnt IGMP_Group rows (what the controllers write) that differ between the stacks. */
async function bindingDiffs(ref: Stack, ours: Stack): Promise<string[]> {
  const [a, b] = await Promise.all([bindings(ref), bindings(ours)]);
  const [ga, gb] = await Promise.all([groups(ref), groups(ours)]);
  return [
    ...a.filter((x) => !b.includes(x)).map((x) => `Port_Binding only with the real controller: ${x}`),
    ...b.filter((x) => !a.includes(x)).map((x) => `Port_Binding only with ovnts: ${x}`),
    ...ga.filter((x) => !gb.includes(x)).map((x) => `IGMP_Group only with the real controller: ${x}`),
    ...gb.filter((x) => !ga.includes(x)).map((x) => `IGMP_Group only with ovnts: ${x}`),
  ];
}

/** How often, and how long apart, traces that differ are traced again before they count as different. */
const RETRIES = 5;
const RETRY_MS = 1500;

/**
 * Traces `js` on both stacks; the differences, each with the flow and both results.  Traces that differ
 * are traced again a few times a second apart: a controller can still be catching up with a change that
 * `--wait=hv` does not cover (a chassis releasing what another one claimed after it saw the change, which
 * the real ovn-controller does a loop later), and only a difference that stays counts.
 */
async function compare(
  ref: Stack,
  ours: Stack,
  js: readonly Job[],
): Promise<{ diffs: string[]; refResults: string[] }> {
  const [a, b] = await Promise.all([traceAll(ref, js), traceAll(ours, js)]);
  for (let n = 0; n < RETRIES; n++) {
    const differ = js.flatMap((_, i) => (a[i] !== b[i] ? [i] : []));
    if (differ.length === 0) break;
    await new Promise((r) => setTimeout(r, RETRY_MS));
    const again = differ.map((i) => js[i] as Job);
    const [a2, b2] = await Promise.all([traceAll(ref, again), traceAll(ours, again)]);
    for (const [k, i] of differ.entries()) {
      a[i] = a2[k] as string;
      b[i] = b2[k] as string;
    }
  }
  const diffs: string[] = [];
  for (const [i, j] of js.entries()) {
    if (a[i] === b[i]) continue;
    diffs.push(`${j.key}\n    flow: ${j.flow}\n    ref:   ${a[i]}\n    ovnts: ${b[i]}`);
  }
  return { diffs, refResults: a };
}

/**
 * The differential over `topologies` as one test named `title`: both stacks started once, a subtest per
 * topology (and one for the chassis feature flags).
 */
export function oftraceTest(title: string, topologies: readonly Topology[]): void {
  test(title, { timeout: 300_000 }, (t) =>
    withSandbox((refBox) =>
      withSandbox(async (ourBox) => {
        const opts = { chassis: 2, bridgeMappings: "phys:br-phys" };
        const [ref, ours] = await Promise.all([
          startStack(refBox, "ref", opts),
          startStack(ourBox, OURS, opts),
        ]);
        // The features a chassis advertises decide which logical flows northd writes (finding 16, fixed): the
        // ovnts chassis must advertise the real controller's, or nothing below compares like with like.
        const features = async (st: Stack, hv: string) => {
          const out = new Map<string, string>();
          const raw = await st.sbctl("get", "Chassis", hv, "other_config");
          for (const k of FEATURES) {
            const m = new RegExp(`"?${k}"?="?([^",}]*)"?`).exec(raw);
            if (m?.[1] !== undefined) out.set(k, m[1]);
          }
          return out;
        };
        await t.test("chassis features", async () => {
          const refFeatures = await features(ref, "hv1");
          assert.equal(refFeatures.size, FEATURES.length, "the real controller advertises them all");
          for (const h of ours.hv) assert.deepEqual(await features(ours, h.name), refFeatures, h.name);
        });
        for (const topo of topologies) {
          if (ONLY.length > 0 && !ONLY.includes(topo.name)) continue;
          await t.test(topo.name, async () => {
            await Promise.all([buildTopology(ref, topo), buildTopology(ours, topo)]);
            try {
              if (DUMP !== undefined)
                for (const st of [ref, ours]) {
                  // The SB each stack's controllers worked from (diff the two files between stacks).
                  const sbText = await Promise.all(
                    [
                      ["lflow-list"],
                      ["list", "Multicast_Group"],
                      ["list", "IGMP_Group"],
                      ["--columns=_uuid,logical_port", "list", "Port_Binding"],
                      ["--columns=_uuid,name", "list", "Chassis"],
                    ].map((a) => st.sbctl(...a)),
                  );
                  appendFileSync(`${DUMP}.${st.name}.sb`, `## ${topo.name}\n${sbText.join("\n")}\n`);
                }
              if (DUMP !== undefined)
                for (const st of [ref, ours])
                  for (const h of st.hv) {
                    const sent = readPcapFile(h.box.path("br-phys_n1-tx.pcap")).map((p) => describe(p.data));
                    const plain = sent.filter((d) => !d.includes("6081"));
                    appendFileSync(
                      DUMP,
                      `## ${topo.name} ${st.name} ${h.name} sent on br-phys_n1: ${JSON.stringify(plain)}\n`,
                    );
                  }
              const js = jobs(topo, SEED);
              const first = await compare(ref, ours, js);
              // Then the far end of everything that went through a tunnel.
              const hops = hopJobs(ref, js, first.refResults);
              const second = await compare(ref, ours, hops);
              const groups = [...(await groupDiffs(ref, ours)), ...(await bindingDiffs(ref, ours))];
              const churned: string[] = [];
              let moved = 0;
              let hopsAgain: Job[] = [];
              if (topo.churn !== undefined) {
                const groupsBefore = await groupsAndMeters(ref);
                for (const st of [ref, ours]) {
                  await nbSteps(st, topo.churn);
                  await st.syncHv();
                  await settleBindings(st, topo);
                }
                const again = await compare(ref, ours, js);
                // And the far end of the tunnels again (a gateway router's work happens there).
                hopsAgain = hopJobs(ref, js, again.refResults);
                const farAgain = await compare(ref, ours, hopsAgain);
                // How many reference results (and groups) the changes altered: some, or they test nothing.
                const groupsAfter = await groupsAndMeters(ref);
                const hopsBefore = new Map(hops.map((h, i) => [`${h.key} ${h.flow}`, second.refResults[i]]));
                moved =
                  again.refResults.filter((r, i) => r !== first.refResults[i]).length +
                  hopsAgain.filter((h, i) => hopsBefore.get(`${h.key} ${h.flow}`) !== farAgain.refResults[i])
                    .length +
                  groupsAfter.filter((g) => !groupsBefore.includes(g)).length;
                churned.push(...[...again.diffs, ...farAgain.diffs].map((d) => `after the changes: ${d}`));
                churned.push(
                  ...[
                    ...(await groupDiffs(
                      ref,
                      ours,
                      (topo.churnLeaves ?? []).map((i) => `hv${i + 1}`),
                    )),
                    ...(await bindingDiffs(ref, ours)),
                  ].map((d) => `after the changes: ${d}`),
                );
              }
              const diffs = [...first.diffs, ...second.diffs, ...groups, ...churned];
              process.stdout.write(
                `# ${topo.name}: ${js.length} + ${hops.length} traces, ` +
                  `${topo.churn !== undefined ? `${js.length} + ${hopsAgain.length} again after changes (${moved} altered), ` : ""}` +
                  `${diffs.length} differ (seed ${SEED})\n`,
              );
              if (DUMP !== undefined) {
                const all = [...js, ...hops].map(
                  (j, i) => `= ${j.key}: ${[...first.refResults, ...second.refResults][i]}`,
                );
                appendFileSync(DUMP, [...all, ...diffs].map((d) => `${d}\n`).join(""));
              }
              if (topo.churn !== undefined)
                assert.ok(moved > 0, `${topo.name}: the changes altered no trace`);
              assert.deepEqual(diffs, [], `datapath actions differ:\n${diffs.join("\n")}`);
            } finally {
              await Promise.all([clearTopology(ref, topo), clearTopology(ours, topo)]);
            }
          });
        }
      }),
    ),
  );
}
