// ofproto/trace differential over VXLAN (issue 7): the same two-chassis VXLAN topology on the `ref`
// stack (C ovn-controller) and the `controller` stack (ovnts), side by side.  Packets from a VIF on hv1
// (switched, routed, broadcast) must give the same datapath actions on both — the VXLAN header pushed
// (VNI = egress port << 12 | datapath, a flood's key folded) included — and each packet pushed into the
// tunnel, traced again on hv2 as it arrives (in_port = the tunnel, tun_id = that VNI), must give the same
// actions there.  Normalised as test/scenarios/oftrace.ts does (datapath ports by name, underlay MACs,
// packet-in cookies).
//
//   ls1 10.0.1.0/24: a1 (hv1), a2 (hv2)      lr0: r-ls1 10.0.1.1, r-ls2 10.0.2.1
//   ls2 10.0.2.0/24: b2 (hv2)
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Hv, Stack } from "../../support/chassis.js";
import { startStack } from "../../support/chassis.js";
import { withSandbox } from "../../support/sandbox.js";
import { waitUntil } from "../../support/wait.js";
import { routerPeer, SETTLE_MS } from "../matrix.js";
import { parseDpifShow, summarizeTrace } from "../oftrace.js";

const HOSTS = [
  { name: "a1", ls: "ls1", hv: 0, mac: "f0:00:00:01:00:11", ip: "10.0.1.11" },
  { name: "a2", ls: "ls1", hv: 1, mac: "f0:00:00:01:00:12", ip: "10.0.1.12" },
  { name: "b2", ls: "ls2", hv: 1, mac: "f0:00:00:02:00:12", ip: "10.0.2.12" },
] as const;
const ROUTER = { ls1: ["00:00:00:01:00:01", "10.0.1.1"], ls2: ["00:00:00:01:00:02", "10.0.2.1"] } as const;

/** Packets from a1 (ovs-ofctl flow syntax, without in_port). */
const FLOWS = {
  switched:
    "udp,dl_src=f0:00:00:01:00:11,dl_dst=f0:00:00:01:00:12,nw_src=10.0.1.11,nw_dst=10.0.1.12,nw_ttl=64",
  routed: "udp,dl_src=f0:00:00:01:00:11,dl_dst=00:00:00:01:00:01,nw_src=10.0.1.11,nw_dst=10.0.2.12,nw_ttl=64",
  broadcast:
    "arp,dl_src=f0:00:00:01:00:11,dl_dst=ff:ff:ff:ff:ff:ff,arp_spa=10.0.1.11,arp_tpa=10.0.1.99,arp_op=1,arp_sha=f0:00:00:01:00:11",
} as const;

async function build(s: Stack): Promise<void> {
  for (const h of s.hv) await h.vsctl("set", "Open_vSwitch", ".", "external_ids:ovn-encap-type=vxlan");
  for (const h of s.hv)
    await waitUntil(
      async () =>
        /^\d+$/.test((await h.vsctl("--bare", "--columns=ofport", "find", "Interface", "type=vxlan")).trim()),
      SETTLE_MS,
      { what: `${h.name}: a VXLAN tunnel` },
    );
  await s.nbctl("lr-add", "lr0");
  for (const ls of ["ls1", "ls2"] as const) {
    await s.nbctl("ls-add", ls);
    await s.nbctl("lrp-add", "lr0", `r-${ls}`, ROUTER[ls][0], `${ROUTER[ls][1]}/24`);
    await routerPeer(s, ls, `${ls}-r`, `r-${ls}`);
  }
  for (const h of HOSTS) {
    await s.nbctl("lsp-add", h.ls, h.name, "--", "lsp-set-addresses", h.name, `${h.mac} ${h.ip}`);
    await (s.hv[h.hv] as Hv).addVif(h.name);
  }
  await waitUntil(
    async () =>
      (await s.nbctl("--bare", "--columns=up", "list", "Logical_Switch_Port"))
        .split("\n")
        .filter((l) => l.trim() === "true").length >= HOSTS.length,
    SETTLE_MS,
    { what: "every VIF up" },
  );
  await s.syncHv();
}

async function trace(h: Hv, flow: string): Promise<{ actions: string; controller: boolean; raw: string }> {
  const raw = await h.appctl("ofproto/trace", "br-int", flow);
  const ports = parseDpifShow(await h.appctl("dpif/show"));
  return { ...summarizeTrace(raw, { ports, zones: new Map() }), raw };
}

/** For each case: hv1's actions, and hv2's for every VNI hv1 pushed. */
async function run(s: Stack): Promise<Record<string, string>> {
  const [h1, h2] = s.hv as [Hv, Hv];
  const out: Record<string, string> = {};
  for (const [name, flow] of Object.entries(FLOWS)) {
    const t = await trace(h1, `in_port=hv1-a1,${flow}`);
    out[`hv1 ${name}`] = `${t.actions}${t.controller ? " +controller" : ""}`;
    const vnis = [
      ...new Set([...t.raw.matchAll(/vxlan\(flags=0x8000000,vni=(0x[0-9a-f]+)\)/g)].map((m) => m[1])),
    ];
    assert.ok(vnis.length > 0, `${s.name} ${name}: no VXLAN header pushed:\n${t.actions}`);
    // The inner packet as hv1 sent it: the routed case's rewrites are the router's.
    const inner =
      name === "routed"
        ? flow
            .replace(
              "dl_src=f0:00:00:01:00:11,dl_dst=00:00:00:01:00:01",
              "dl_src=00:00:00:01:00:02,dl_dst=f0:00:00:02:00:12",
            )
            .replace("nw_ttl=64", "nw_ttl=63")
        : flow;
    // hv2's tunnel to hv1 by its name now: the counter at its end moves when a tunnel is replaced.
    const tunnel = [...parseDpifShow(await h2.appctl("dpif/show")).values()].find((n) =>
      /^ovn-hv1-\d+$/.test(n),
    );
    assert.ok(tunnel !== undefined, `${s.name}: hv2 has no tunnel port to hv1`);
    for (const vni of vnis) {
      const r = await trace(
        h2,
        `in_port=${tunnel},tun_id=${vni},tun_src=${h1.encapIp},tun_dst=${h2.encapIp},${inner}`,
      );
      out[`hv2 ${name} vni=${vni}`] = `${r.actions}${r.controller ? " +controller" : ""}`;
    }
  }
  return out;
}

test(
  "ofproto/trace over VXLAN: ovnts controller's flows act as the real ovn-controller's",
  { timeout: 240_000 },
  () =>
    withSandbox((a) =>
      withSandbox(async (b) => {
        const [ref, ours] = await Promise.all([
          startStack(a, "ref", { chassis: 2 }),
          startStack(b, "controller", { chassis: 2 }),
        ]);
        await Promise.all([build(ref), build(ours)]);
        const [want, got] = [await run(ref), await run(ours)];
        // Every case sends something into the tunnel and hv2 delivers it.
        assert.ok(Object.keys(want).some((k) => k.startsWith("hv2 routed")));
        assert.deepEqual(got, want);
      }),
    ),
);
