// Conditional monitoring of the Southbound (ovn-controller(8) external_ids:ovn-monitor-all, default
// false): a chassis replicates only the logical flows of its local datapaths, takes in a datapath's
// flows when a port of it is bound here (and forwards its traffic), lets them go when the port leaves,
// and replicates everything with ovn-monitor-all=true.  Two chassis with ovnts controllers beside the
// real ovn-northd, on the real ovsdb-server (stack "controller") and on ours (stack "all").
//
//   sw0: p1 (hv1), p2 (hv2)
//   swx: x1 (hv1), later x2 (hv2) — lrx — swy (reachable from swx only through the router)
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { type Stack, startStack } from "../../../../test/support/chassis.js";
import { requireTools } from "../../../../test/support/exec.js";
import { udp4 } from "../../../../test/support/frames.js";
import { withSandbox } from "../../../../test/support/sandbox.js";
import { waitUntil } from "../../../../test/support/wait.js";

/** Peer tests never skip: CI installs these (scripts/install-deps.sh); a missing one is an error. */
const PEERS = ["ovn-northd", "ovs-vswitchd", "ovsdb-server", "ovn-nbctl", "ovn-sbctl"];
before(() => requireTools(...PEERS));

const WAIT_MS = 30_000;

type Json = unknown;

/** ovn-sbctl --format=json list TABLE → rows as column → value. */
async function sbRows(s: Stack, table: string, columns: string): Promise<Record<string, Json>[]> {
  const out = JSON.parse(await s.sbctl("--format=json", `--columns=${columns}`, "list", table)) as {
    headings: string[];
    data: Json[][];
  };
  return out.data.map((r) => Object.fromEntries(out.headings.map((h, i) => [h, r[i]])));
}

/** The uuids in an OVSDB JSON datum (["uuid", u] or ["set", [["uuid", u] …]]). */
function uuids(v: Json): string[] {
  if (!Array.isArray(v)) return [];
  if (v[0] === "uuid") return [v[1] as string];
  if (v[0] === "set") return (v[1] as Json[]).flatMap(uuids);
  return [];
}

interface SbState {
  /** Datapath name → uuid and tunnel key. */
  readonly dps: Map<string, { uuid: string; key: number }>;
  readonly totalFlows: number;
  /** Logical_Flow rows a chassis with these local datapaths needs (own datapath or group). */
  flowsFor(names: readonly string[]): number;
}

async function sbState(s: Stack): Promise<SbState> {
  const dps = new Map(
    (await sbRows(s, "Datapath_Binding", "_uuid,external_ids,tunnel_key")).map((r) => {
      const ids = new Map((r.external_ids as ["map", [string, string][]])[1]);
      return [ids.get("name") ?? "", { uuid: uuids(r._uuid)[0] as string, key: r.tunnel_key as number }];
    }),
  );
  const groups = new Map(
    (await sbRows(s, "Logical_DP_Group", "_uuid,datapaths")).map((r) => [
      uuids(r._uuid)[0] as string,
      uuids(r.datapaths),
    ]),
  );
  const flows = await sbRows(s, "Logical_Flow", "logical_datapath,logical_dp_group");
  return {
    dps,
    totalFlows: flows.length,
    flowsFor: (names) => {
      const local = new Set(names.map((n) => dps.get(n)?.uuid));
      return flows.filter(
        (f) =>
          uuids(f.logical_datapath).some((d) => local.has(d)) ||
          uuids(f.logical_dp_group).some((g) => (groups.get(g) ?? []).some((d) => local.has(d))),
      ).length;
    },
  };
}

/** The number of Logical_Flow rows in a chassis's replica (ovnts's debug/sb-rows). */
async function replicaFlows(s: Stack, hv: number): Promise<number> {
  const out = await (s.hv[hv] as Stack["hv"][0]).controller.appctl("debug/sb-rows", "Logical_Flow");
  const m = /^Logical_Flow: (\d+)$/m.exec(out);
  if (m === null) throw new Error(`debug/sb-rows: ${out}`);
  return Number(m[1]);
}

/** Waits until hv's replica holds exactly `want` logical flows (it converges; it never passes early). */
async function expectReplicaFlows(s: Stack, hv: number, want: () => Promise<number>, what: string) {
  let last = -1;
  let expected = -1;
  await waitUntil(
    async () => {
      expected = await want();
      last = await replicaFlows(s, hv);
      return last === expected;
    },
    WAIT_MS,
    { what: `${what}: hv${hv + 1} replica flows` },
  ).catch((e: unknown) => {
    throw new Error(`${(e as Error).message} (last: replica ${last}, expected ${expected})`);
  });
}

async function brIntMetadata(s: Stack, hv: number, key: number): Promise<number> {
  const flows = await (s.hv[hv] as Stack["hv"][0]).ofctl("dump-flows", "br-int");
  const re = new RegExp(`metadata=0x${key.toString(16)}[,\\s]`);
  return flows.split("\n").filter((l) => re.test(l)).length;
}

const MAC = { x1: "f0:00:00:00:01:01", x2: "f0:00:00:00:01:02" } as const;

async function scenario(stack: "controller" | "all"): Promise<void> {
  await withSandbox(async (box) => {
    const s = await startStack(box, stack, { chassis: 2 });
    const [h1, h2] = s.hv as [Stack["hv"][0], Stack["hv"][0]];
    await s.nbctl("ls-add", "sw0");
    await s.nbctl("lsp-add", "sw0", "p1", "--", "lsp-set-addresses", "p1", "f0:00:00:00:00:01 10.0.0.1");
    await s.nbctl("lsp-add", "sw0", "p2", "--", "lsp-set-addresses", "p2", "f0:00:00:00:00:02 10.0.0.2");
    await s.nbctl("ls-add", "swx");
    await s.nbctl("lsp-add", "swx", "x1", "--", "lsp-set-addresses", "x1", `${MAC.x1} 10.1.0.1`);
    await s.nbctl("lsp-add", "swx", "x2", "--", "lsp-set-addresses", "x2", `${MAC.x2} 10.1.0.2`);
    await s.nbctl("ls-add", "swy");
    await s.nbctl("lr-add", "lrx");
    for (const [sw, mac, net] of [
      ["swx", "f0:00:00:00:0f:01", "10.1.0.254/24"],
      ["swy", "f0:00:00:00:0f:02", "10.2.0.254/24"],
    ] as const) {
      await s.nbctl("lrp-add", "lrx", `lrx-${sw}`, mac, net);
      await s.nbctl(
        "lsp-add",
        sw,
        `${sw}-lrx`,
        "--",
        "lsp-set-type",
        `${sw}-lrx`,
        "router",
        "--",
        "lsp-set-addresses",
        `${sw}-lrx`,
        "router",
        "--",
        "lsp-set-options",
        `${sw}-lrx`,
        `router-port=lrx-${sw}`,
      );
    }
    const vif = { p1: await h1.addVif("p1"), p2: await h2.addVif("p2"), x1: await h1.addVif("x1") };
    void vif;
    await waitUntil(
      async () =>
        (
          await Promise.all(["p1", "p2", "x1"].map((p) => s.nbctl("get", "Logical_Switch_Port", p, "up")))
        ).every((u) => u.trim() === "true"),
      WAIT_MS,
      { what: "p1, p2, x1 up" },
    );
    await s.syncHv();
    const st = await sbState(s);
    const swx = st.dps.get("swx");
    assert.ok(swx !== undefined);

    // hv2 has only sw0: none of swx/lrx/swy's flows in its replica, none of swx's in br-int.
    await expectReplicaFlows(s, 1, async () => (await sbState(s)).flowsFor(["sw0"]), "sw0 only");
    assert.ok(st.flowsFor(["sw0"]) < st.totalFlows);
    assert.equal(await brIntMetadata(s, 1, swx.key), 0, "no flow of swx on hv2");
    // hv1 has swx and, through the router, lrx and swy.
    await expectReplicaFlows(
      s,
      0,
      async () => (await sbState(s)).flowsFor(["sw0", "swx", "lrx", "swy"]),
      "hv1's datapaths",
    );
    assert.ok((await brIntMetadata(s, 0, swx.key)) > 0, "swx's flows on hv1");

    // A port of swx bound on hv2 brings swx, lrx and swy's flows, and traffic flows.
    const x2 = await h2.addVif("x2");
    await waitUntil(
      async () => (await s.nbctl("get", "Logical_Switch_Port", "x2", "up")).trim() === "true",
      WAIT_MS,
      { what: "x2 up" },
    );
    await s.syncHv();
    await expectReplicaFlows(
      s,
      1,
      async () => (await sbState(s)).flowsFor(["sw0", "swx", "lrx", "swy"]),
      "after x2 is bound",
    );
    assert.ok((await brIntMetadata(s, 1, swx.key)) > 0, "swx's flows on hv2");
    const frame = udp4({ src: MAC.x1, dst: MAC.x2, sip: "10.1.0.1", dip: "10.1.0.2", tag: 7 });
    const before = x2.sent().length;
    // Delivered once the path is programmed on both chassis (retried: the first may race the install).
    await waitUntil(
      async () => {
        await vif.x1.inject(frame);
        await new Promise((r) => setTimeout(r, 200));
        return x2
          .sent()
          .slice(before)
          .some((p) => Buffer.compare(p.data, frame) === 0);
      },
      WAIT_MS,
      { what: "x1 → x2 across the tunnel" },
    );

    // x2 leaves hv2: swx is no longer local and its flows leave the replica and br-int.
    await h2.vsctl("del-port", "br-int", x2.name);
    await expectReplicaFlows(s, 1, async () => (await sbState(s)).flowsFor(["sw0"]), "after x2 left");
    await waitUntil(async () => (await brIntMetadata(s, 1, swx.key)) === 0, WAIT_MS, {
      what: "swx's flows gone from hv2's br-int",
    });

    // ovn-monitor-all=true: everything.
    await h2.vsctl("set", "Open_vSwitch", ".", "external_ids:ovn-monitor-all=true");
    await expectReplicaFlows(s, 1, async () => (await sbState(s)).totalFlows, "ovn-monitor-all=true");
    await h2.vsctl("remove", "Open_vSwitch", ".", "external_ids", "ovn-monitor-all");
    await expectReplicaFlows(s, 1, async () => (await sbState(s)).flowsFor(["sw0"]), "ovn-monitor-all unset");
  });
}

for (const stack of ["controller", "all"] as const)
  test(`conditional Southbound monitoring, stack ${stack}`, { timeout: 180_000 }, async () => {
    await scenario(stack);
  });
