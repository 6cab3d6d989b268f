// BFD sessions of static routes (ovn-nb(5) BFD, ovn-sb(5) BFD; ../sync/bfd.ts): the real ovn-northd
// 23.03 and ours given the same NB and the same session states (as ovn-controller reports them in the
// SB) must agree on the SB BFD rows, the NB BFD status they write back and the routes they install —
// a route's session started, reported up, set admin_down by the operator, no longer used by any route,
// and deleted. (The SB rows' discriminators are random and their source ports are handed out in the
// order ovn-northd meets the rows: compared as "nonzero" and as a set.)
import assert from "node:assert/strict";
import { test } from "node:test";
import { runOk } from "../../../test/support/sandbox.js";
import { type BothSides, compareDumps, formatComparison, withBothNorthds } from "./harness.js";

const NB = [
  ["lr-add", "br"],
  ["lrp-add", "br", "br-up", "0a:00:00:08:ff:02", "172.70.0.1/24", "fd70::1/64"],
  ["--bfd", "lr-route-add", "br", "10.71.0.0/16", "172.70.0.2", "br-up"],
  ["--bfd", "lr-route-add", "br", "10.72.0.0/16", "172.70.0.3", "br-up"],
  [
    "--",
    "--id=@b",
    "create",
    "BFD",
    "logical_port=br-up",
    "dst_ip=172.70.0.9",
    "min_tx=500",
    "min_rx=600",
    "detect_mult=7",
    "status=admin_down",
    "options:foo=bar",
    "external_ids:x=y",
  ],
  ["--", "--id=@b", "create", "BFD", "logical_port=br-up", 'dst_ip="fd70::9"'],
];

async function ctl(both: BothSides, tool: string, db: string, ...args: string[]): Promise<string> {
  return (await runOk(tool, [`--db=${db}`, ...args], { env: both.sandbox.env })).trim();
}

/** Sets columns of the BFD row with `dstIp` in both NBs (nb) or both SBs (sb). */
async function setBfd(both: BothSides, side: "nb" | "sb", dstIp: string, ...cols: string[]): Promise<void> {
  const [tool, dbs] =
    side === "nb" ? ["ovn-nbctl", [both.nbC, both.nbTs]] : ["ovn-sbctl", [both.sbC, both.sbTs]];
  for (const db of dbs as string[]) {
    const u = await ctl(
      both,
      tool as string,
      db,
      "--bare",
      "--columns=_uuid",
      "find",
      "BFD",
      `dst_ip="${dstIp}"`,
    );
    await ctl(both, tool as string, db, "set", "BFD", u, ...cols);
  }
}

/** Both sides settled: ovn-northd writes some statuses one run after the change that caused them. */
async function settle(both: BothSides): Promise<void> {
  for (let i = 0; i < 3; i++) await both.step(["sync"]);
}

const rows = async (both: BothSides, tool: string, db: string, cols: string): Promise<string[]> =>
  (await ctl(both, tool, db, "--format=csv", "--no-headings", `--columns=${cols}`, "list", "BFD"))
    .split("\n")
    .sort();

async function assertSame(both: BothSides, what: string, routes: number, consecutive = false): Promise<void> {
  const opts = { stages: "lr_in_ip_routing" };
  const { c, ts } = await both.dump(opts);
  const cmp = compareDumps(c, ts, opts);
  assert.ok(cmp.equal, `${what}: flows differ:\n${formatComparison(cmp)}`);
  const installed = c.flows.filter((f) => / 49 match=.*10\.7[12]\.0\.0\/16/.test(f)).length;
  assert.equal(installed, routes, `${what}: routes installed by ovn-northd`);
  const nbCols = "dst_ip,status,min_tx,min_rx,detect_mult,options,external_ids";
  assert.deepEqual(
    await rows(both, "ovn-nbctl", both.nbTs, nbCols),
    await rows(both, "ovn-nbctl", both.nbC, nbCols),
    `${what}: NB BFD`,
  );
  const sbCols = "logical_port,dst_ip,status,min_tx,min_rx,detect_mult,options,external_ids";
  assert.deepEqual(
    await rows(both, "ovn-sbctl", both.sbTs, sbCols),
    await rows(both, "ovn-sbctl", both.sbC, sbCols),
    `${what}: SB BFD`,
  );
  for (const sb of [both.sbC, both.sbTs]) {
    const ports = (await rows(both, "ovn-sbctl", sb, "src_port")).map(Number);
    assert.equal(new Set(ports).size, ports.length, `${what}: distinct source ports on ${sb}`);
    // New sessions take the lowest free ports (kept afterwards): all of them taken in one go at first.
    if (consecutive)
      assert.deepEqual(
        [...ports].sort(),
        ports.map((_, i) => 49152 + i),
        `${what}: source ports from 49152 on ${sb}`,
      );
    else
      assert.ok(
        ports.every((p) => p >= 49152 && p <= 65535),
        `${what}: source ports on ${sb}`,
      );
    assert.ok(
      (await rows(both, "ovn-sbctl", sb, "disc")).every((d) => Number(d) > 0),
      `${what}: discriminators`,
    );
  }
}

test(
  "BFD sessions of static routes: SB rows, NB status and routes like ovn-northd's",
  { timeout: 90_000 },
  () =>
    withBothNorthds({ commands: NB }, { check: true }, async (both) => {
      await settle(both);
      await assertSame(both, "sessions started, none up", 0, true);
      // ovn-controller reports the first session up: its route is installed, the NB says up.
      await setBfd(both, "sb", "172.70.0.2", "status=up");
      await settle(both);
      await assertSame(both, "one session up", 1);
      // The operator stops the second (and changes its timer): it is restarted (a route uses it).
      await setBfd(both, "nb", "172.70.0.3", "status=admin_down", "min_tx=1234");
      await settle(both);
      await assertSame(both, "admin_down on a used session", 1);
      // An operator's "up" does not override what the controller saw.
      await setBfd(both, "nb", "172.70.0.3", "status=up");
      await settle(both);
      await assertSame(both, "up from the NB", 1);
      // No route uses the first session any more: admin_down; an unused session row goes.
      await both.step(["lr-route-del", "br", "10.71.0.0/16"]);
      for (const nb of [both.nbC, both.nbTs]) {
        const u = await ctl(
          both,
          "ovn-nbctl",
          nb,
          "--bare",
          "--columns=_uuid",
          "find",
          "BFD",
          'dst_ip="fd70::9"',
        );
        await ctl(both, "ovn-nbctl", nb, "destroy", "BFD", u);
      }
      await settle(both);
      await assertSame(both, "a route and a session deleted", 0);
    }),
);
