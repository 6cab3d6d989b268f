// IGMP/MLD snooping in northd: the same NB and the same SB IGMP_Group rows (as controllers would write
// them) given to the real ovn-northd and to ours give the same Multicast_Group rows (tunnel keys
// included) and the same multicast flows in ls_in_l2_lkup and lr_in_ip_routing -- groups merged
// across chassis, flooding ports and ports to a relaying router left out, IPv6 groups, a relaying
// router, stale rows deleted, and groups going away again; ours handles IGMP_Group changes incrementally (checked against a recompute).
import assert from "node:assert/strict";
import { test } from "node:test";
import { runOk, type Sandbox, waitUntil } from "../../../test/support/sandbox.js";
import { type BothSides, compareDumps, formatComparison, type Scenario, withBothNorthds } from "./harness.js";

const SCENARIO: Scenario = {
  name: "igmp snooping",
  commands: [
    ["ls-add", "sw0"],
    [
      "set",
      "Logical_Switch",
      "sw0",
      "other_config:mcast_snoop=true",
      "other_config:mcast_querier=true",
      "other_config:mcast_eth_src=0a:00:00:00:05:00",
      "other_config:mcast_ip4_src=10.0.0.254",
      "other_config:mcast_ip6_src=fe80::254",
      "other_config:mcast_idle_timeout=120",
      "other_config:mcast_table_size=100",
    ],
    ...["p1", "p2", "p3", "p4"].flatMap((p, i) => [
      ["lsp-add", "sw0", p],
      ["lsp-set-addresses", p, `0a:00:00:00:00:0${i + 1} 10.0.0.${i + 1}`],
    ]),
    ["lsp-set-options", "p3", "mcast_flood=true"],
    ["lsp-set-options", "p4", "mcast_flood_reports=true"],
    ["ls-add", "sw1"],
    ["set", "Logical_Switch", "sw1", "other_config:mcast_snoop=true"],
    ["lsp-add", "sw1", "q1"],
    ["lsp-set-addresses", "q1", "0a:00:00:00:01:01 10.0.1.1"],
    // A switch that does not snoop still forwards by groups written for it.
    ["ls-add", "sw2"],
    ["lsp-add", "sw2", "r1"],
    // A snooping switch without routers: a learned multicast router port (the "mrouters" row).
    ["ls-add", "sw3"],
    ["set", "Logical_Switch", "sw3", "other_config:mcast_snoop=true"],
    ["lsp-add", "sw3", "s1"],
    ["lsp-add", "sw3", "s2"],
    ["lr-add", "lr0"],
    ["set", "Logical_Router", "lr0", "options:mcast_relay=true"],
    ["lrp-add", "lr0", "lr0-sw0", "0a:00:00:00:ff:01", "10.0.0.254/24", "fd00::1/64"],
    ["lrp-add", "lr0", "lr0-sw1", "0a:00:00:00:ff:02", "10.0.1.254/24"],
    // A router port that floods all multicast (the router's _MC_static).
    ["lrp-add", "lr0", "lr0-sw2", "0a:00:00:00:ff:03", "10.0.2.254/24"],
    ["lrp-set-options", "lr0-sw2", "mcast_flood=true"],
    ...[
      ["sw0", "lr0-sw0"],
      ["sw1", "lr0-sw1"],
      ["sw2", "lr0-sw2"],
    ].flatMap(([ls, lrp]) => [
      ["lsp-add", ls as string, `${ls}-lr0`],
      ["lsp-set-type", `${ls}-lr0`, "router"],
      ["lsp-set-addresses", `${ls}-lr0`, "router"],
      ["lsp-set-options", `${ls}-lr0`, `router-port=${lrp}`],
    ]),
  ],
};

const STAGES = ["ls_in_l2_lkup", "lr_in_ip_routing", "lr_in_ip_input"];
const TABLES = ["Multicast_Group", "IP_Multicast"];

async function sbctlAt(sb: Sandbox, remote: string, ...args: string[]): Promise<string> {
  return (await runOk("ovn-sbctl", [`--db=${remote}`, "--timeout=10", ...args], { env: sb.env })).trim();
}

async function uuidOf(sb: Sandbox, remote: string, table: string, cond: string): Promise<string> {
  const u = await sbctlAt(sb, remote, "--bare", "--columns=_uuid", "find", table, cond);
  assert.match(u, /^[0-9a-f-]{36}$/, `${table} ${cond} on ${remote}`);
  return u;
}

/** An IGMP_Group row as a controller writes it, on both SBs (chassis undefined: a stale row). */
async function addGroup(
  both: BothSides,
  g: { address: string; ls: string; ports: string[]; chassis?: string },
): Promise<void> {
  const sb = both.sandbox;
  for (const remote of [both.sbC, both.sbTs]) {
    const dp = await uuidOf(sb, remote, "Datapath_Binding", `external_ids:name=${g.ls}`);
    const ports: string[] = [];
    for (const p of g.ports) ports.push(await uuidOf(sb, remote, "Port_Binding", `logical_port=${p}`));
    const ch =
      g.chassis === undefined ? [] : [`chassis=${await uuidOf(sb, remote, "Chassis", `name=${g.chassis}`)}`];
    await sbctlAt(
      sb,
      remote,
      "create",
      "IGMP_Group",
      `address=${JSON.stringify(g.address)}`,
      `datapath=${dp}`,
      `ports=[${ports.join(",")}]`,
      ...ch,
    );
  }
}

async function delGroup(both: BothSides, address: string, ls: string, chassis: string): Promise<void> {
  const sb = both.sandbox;
  for (const remote of [both.sbC, both.sbTs]) {
    const dp = await uuidOf(sb, remote, "Datapath_Binding", `external_ids:name=${ls}`);
    const ch = await uuidOf(sb, remote, "Chassis", `name=${chassis}`);
    const u = await sbctlAt(
      sb,
      remote,
      "--bare",
      "--columns=_uuid",
      "find",
      "IGMP_Group",
      `address=${JSON.stringify(address)}`,
      `datapath=${dp}`,
      `chassis=${ch}`,
    );
    await sbctlAt(sb, remote, "destroy", "IGMP_Group", u);
  }
}

/** Both northds have seen the SB change: a --wait=sb round trip on each side, then the groups count. */
async function settle(both: BothSides, groups: number): Promise<void> {
  await both.step(["sync"]);
  const sb = both.sandbox;
  const count = async (remote: string) =>
    (await sbctlAt(sb, remote, "--bare", "--columns=name", "list", "Multicast_Group"))
      .split("\n")
      .filter((l) => l !== "" && !l.startsWith("_MC_")).length;
  await waitUntil(
    async () => (await count(both.sbC)) === groups && (await count(both.sbTs)) === groups,
    10_000,
    {
      what: `${groups} IP multicast groups on both sides`,
    },
  );
}

/** A statistic of ovnts northd's lflow engine node (inc-engine/show-stats). */
async function lflowStat(sb: Sandbox, stat: "recompute" | "compute"): Promise<number> {
  const out = await runOk(
    "ovn-appctl",
    ["-t", sb.path("ovnts-northd.ctl"), "inc-engine/show-stats", "lflow", stat],
    {
      env: sb.env,
    },
  );
  return Number(out.trim());
}

async function assertSame(both: BothSides, what: string): Promise<void> {
  const { c, ts } = await both.dump({ stages: STAGES, tables: TABLES });
  const cmp = compareDumps(c, ts, { stages: STAGES, tables: TABLES });
  assert.ok(cmp.equal, `${what}:\n${formatComparison(cmp)}`);
}

test("IGMP_Group rows → the same Multicast_Group rows and multicast flows as ovn-northd", async () => {
  await withBothNorthds(SCENARIO, { check: true }, async (both) => {
    for (const remote of [both.sbC, both.sbTs]) {
      await sbctlAt(both.sandbox, remote, "chassis-add", "hv1", "geneve", "192.168.0.1");
      await sbctlAt(both.sandbox, remote, "chassis-add", "hv2", "geneve", "192.168.0.2");
    }
    await both.step(["sync"]);
    // The fixed groups (_MC_mrouter_flood, _MC_static …) before anything is learned.
    await assertSame(both, "no groups learned");

    // One group at a time, so that both sides hand out tunnel keys in the same order.
    const recomputes = () => lflowStat(both.sandbox, "recompute");
    const computes = () => lflowStat(both.sandbox, "compute");
    const [r0, c0] = [await recomputes(), await computes()];
    await addGroup(both, { address: "239.1.1.1", ls: "sw0", ports: ["p1"], chassis: "hv1" });
    await settle(both, 2); // sw0 and the relaying lr0
    // Learned groups are handled incrementally: only the switch and its relaying router are rebuilt.
    assert.equal(await recomputes(), r0, "no full flow recompute for an IGMP_Group change");
    assert.ok((await computes()) > c0, "an incremental flow run");
    await addGroup(both, { address: "ff0e::1234", ls: "sw0", ports: ["p2"], chassis: "hv1" });
    await settle(both, 4);
    await addGroup(both, { address: "239.1.1.2", ls: "sw1", ports: ["q1"], chassis: "hv2" });
    await settle(both, 6);
    await addGroup(both, { address: "239.3.3.3", ls: "sw2", ports: ["r1"], chassis: "hv2" });
    await settle(both, 7);
    // Merged with hv1's row; a flooding port only (no group); not an address; stale (no chassis).
    await addGroup(both, { address: "239.1.1.1", ls: "sw0", ports: ["p2", "p3"], chassis: "hv2" });
    await addGroup(both, { address: "239.9.9.9", ls: "sw0", ports: ["p3"], chassis: "hv2" });
    await addGroup(both, { address: "bogus", ls: "sw0", ports: ["p1"], chassis: "hv2" });
    await addGroup(both, { address: "239.7.7.7", ls: "sw0", ports: ["p1"] });
    // Ports to the relaying router are no members (it gets the group's packets through
    // _MC_mrouter_flood; as a member too it would relay them twice): merged away, or no group at all.
    await addGroup(both, { address: "239.1.1.3", ls: "sw1", ports: ["sw1-lr0", "q1"], chassis: "hv1" });
    await addGroup(both, { address: "239.4.4.4", ls: "sw1", ports: ["sw1-lr0"], chassis: "hv1" });
    await addGroup(both, { address: "ff0e::4444", ls: "sw2", ports: ["sw2-lr0"], chassis: "hv1" });
    // The row ovn-controller keeps for learned multicast routers (flooding ports and ports to a
    // relaying router left out there too).
    await addGroup(both, { address: "mrouters", ls: "sw0", ports: ["p3", "sw0-lr0"], chassis: "hv1" });
    await addGroup(both, { address: "mrouters", ls: "sw1", ports: ["q1"], chassis: "hv1" });
    await addGroup(both, { address: "mrouters", ls: "sw3", ports: ["s1"], chassis: "hv1" });
    await addGroup(both, { address: "239.5.5.5", ls: "sw3", ports: ["s2"], chassis: "hv1" });
    await settle(both, 10); // 239.1.1.3 with q1 only, on sw1 and lr0
    await assertSame(both, "groups learned");
    for (const remote of [both.sbC, both.sbTs]) {
      const addrs = await sbctlAt(both.sandbox, remote, "--bare", "--columns=address", "list", "IGMP_Group");
      assert.ok(!addrs.includes("239.7.7.7"), `the stale row is deleted on ${remote}`);
      const ports = await sbctlAt(
        both.sandbox,
        remote,
        "--bare",
        "--columns=ports",
        "find",
        "Multicast_Group",
        'name="239.1.1.1"',
        `datapath=${await uuidOf(both.sandbox, remote, "Datapath_Binding", "external_ids:name=sw0")}`,
      );
      assert.equal(ports.split(" ").length, 2, "p1 and p2 (p3 floods anyway)");
    }

    // An NB change on the incremental path: p2 now floods, so it leaves every group (ff0e::1234 had
    // only p2: gone from sw0 and from the relaying lr0).
    await both.step(["lsp-set-options", "p2", "mcast_flood=true"]);
    await settle(both, 8);
    await assertSame(both, "after p2 floods");

    // Leaves: a chassis's row goes, the merged group shrinks; the last row of a group removes it.
    await delGroup(both, "239.1.1.1", "sw0", "hv2");
    await delGroup(both, "239.1.1.2", "sw1", "hv2");
    await settle(both, 6);
    await assertSame(both, "after leaves");
  });
});
