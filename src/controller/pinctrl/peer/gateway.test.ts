// Peer test of a gateway chassis (findings 12 and 17): real NB/SB ovsdb-servers, ovn-northd 23.03 and
// ovs-vswitchd with dummy datapaths; one chassis hv1, run with the real ovn-controller first (the
// reference) and then with `ovnts controller`.
//
//   lr0 ── lrp-in 192.168.1.1/24 ── sw-in
//    └──── lrp-pub 10.0.5.254/24 (distributed gateway port, gateway chassis hv1, dnat_and_snat 10.0.5.100)
//            └── pub: ln (localnet physnet1 → br-phys ── phys1), v1 (f0:00:00:00:00:01 10.0.5.1)
//
//   - before any VIF is plugged, hv1 claims cr-lrp-pub (its HA chassis group names hv1), and that makes
//     lr0 a local datapath: its ingress pipeline has flows in br-int;
//   - once v1 is plugged, the gratuitous ARPs leaving through phys1 are the reference's: v1's address
//     (a VIF on a switch with a localnet port) and the router port's NAT addresses (nat-addresses=router).

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import {
  nbctl,
  ofctl,
  readPcapFile,
  type Sandbox,
  sbctl,
  startController,
  startDbServer,
  startNorthd,
  startVswitchd,
  vsctl,
  waitUntil,
  withSandbox,
} from "../../../../test/support/sandbox.js";
import { decodeFrame } from "../../../packet/frame.js";

function have(tool: string): boolean {
  try {
    execFileSync("which", [tool], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const skip = ["ovn-controller", "ovn-northd", "ovs-vswitchd", "ovsdb-server", "ovn-nbctl"].every(have)
  ? false
  : "real OVN/OVS not installed";

async function topology(box: Sandbox): Promise<void> {
  const cmds: string[][] = [
    ["lr-add", "lr0"],
    ["lrp-add", "lr0", "lrp-in", "00:00:00:00:ff:02", "192.168.1.1/24"],
    ["lrp-add", "lr0", "lrp-pub", "00:00:00:00:ff:01", "10.0.5.254/24"],
    ["lrp-set-gateway-chassis", "lrp-pub", "hv1", "20"],
    ["lr-nat-add", "lr0", "dnat_and_snat", "10.0.5.100", "192.168.1.10"],
    ["ls-add", "sw-in"],
    ["lsp-add", "sw-in", "in-lr0"],
    ["lsp-set-type", "in-lr0", "router"],
    ["lsp-set-addresses", "in-lr0", "router"],
    ["lsp-set-options", "in-lr0", "router-port=lrp-in"],
    ["ls-add", "pub"],
    ["lsp-add", "pub", "pub-lr0"],
    ["lsp-set-type", "pub-lr0", "router"],
    ["lsp-set-addresses", "pub-lr0", "router"],
    ["lsp-set-options", "pub-lr0", "router-port=lrp-pub", "nat-addresses=router"],
    ["lsp-add", "pub", "ln"],
    ["lsp-set-type", "ln", "localnet"],
    ["lsp-set-addresses", "ln", "unknown"],
    ["lsp-set-options", "ln", "network_name=physnet1"],
    ["lsp-add", "pub", "v1"],
    ["lsp-set-addresses", "v1", "f0:00:00:00:00:01 10.0.5.1"],
  ];
  await nbctl(box, ...cmds.flatMap((c, i) => (i === 0 ? c : ["--", ...c])));
}

/** "MAC IP" of each gratuitous ARP (or "MAC rarp") in a pcap file, in order. */
function announcementsIn(path: string): { text: string }[] {
  const out: { text: string }[] = [];
  for (const p of readPcapFile(path)) {
    const f = decodeFrame(p.data);
    if (!f.ok || f.value.l3.kind !== "arp") continue;
    const a = f.value.l3.arp;
    if (a.op === 3) out.push({ text: `${a.sha} rarp` });
    else if (a.op === 1 && a.spa === a.tpa) out.push({ text: `${a.sha} ${a.spa}` });
  }
  return out;
}

/** What the reference sent: the set of announcements (filled by the first run). */
let reference: string[] | undefined;

async function scenario(impl: "c" | "ovnts"): Promise<string[]> {
  return withSandbox(async (box) => {
    await startDbServer(box, { impl: "c", name: "nb", schemas: ["ovn-nb"] });
    await startDbServer(box, { impl: "c", name: "sb", schemas: ["ovn-sb"] });
    const ovs = await startDbServer(box, { impl: "c", name: "ovs", schemas: ["vswitch"] });
    await startVswitchd(box, { dbSock: ovs.sock, dummy: "override" });
    await startNorthd(box);
    await topology(box);
    await vsctl(box, "add-br", "br-phys");
    const phys = box.path("phys1-tx.pcap");
    await vsctl(
      box,
      "add-port",
      "br-phys",
      "phys1",
      "--",
      "set",
      "Interface",
      "phys1",
      `options:tx_pcap=${phys}`,
    );
    await startController(box, {
      impl,
      ovsDb: ovs.sock,
      externalIds: { "ovn-bridge-mappings": "physnet1:br-phys" },
    });
    // (1) The redirect port is claimed through the HA chassis group, and lr0 becomes local.
    const hv1 = async () =>
      (await sbctl(box, "--bare", "--columns=_uuid", "find", "Chassis", "name=hv1")).trim();
    await waitUntil(
      async () => {
        const ch = await hv1();
        const cr = await sbctl(
          box,
          "--bare",
          "--columns=chassis",
          "find",
          "Port_Binding",
          "logical_port=cr-lrp-pub",
        );
        return ch !== "" && cr.trim() === ch;
      },
      30_000,
      { what: `${impl}: cr-lrp-pub bound to hv1` },
    );
    const lr0 = Number(
      (
        await sbctl(
          box,
          "--bare",
          "--columns=tunnel_key",
          "find",
          "Datapath_Binding",
          "external_ids:name=lr0",
        )
      ).trim(),
    );
    await waitUntil(
      async () =>
        (await ofctl(box, "dump-flows", "br-int", `table=8,metadata=0x${lr0.toString(16)}`)).includes(
          "priority",
        ),
      30_000,
      { what: `${impl}: lr0 ingress flows in br-int` },
    );
    // (2) Plug v1; the announcements on phys1 start a second after it is up.
    await vsctl(
      box,
      "add-port",
      "br-int",
      "vif1",
      "--",
      "set",
      "Interface",
      "vif1",
      "external_ids:iface-id=v1",
    );
    await waitUntil(
      async () => (await nbctl(box, "get", "Logical_Switch_Port", "v1", "up")).trim() === "true",
      30_000,
      {
        what: `${impl}: v1 up`,
      },
    );
    const expected = reference ?? ["f0:00:00:00:00:01 10.0.5.1", "00:00:00:00:ff:01 10.0.5.100"];
    const seen = () => new Set(announcementsIn(phys).map((a) => a.text));
    await waitUntil(() => expected.every((e) => seen().has(e)), 15_000, {
      what: `${impl}: announcements on phys1`,
    }).catch((e: unknown) => {
      throw new Error(`${String(e)}; expected ${expected.join(", ")}; seen ${[...seen()].join(", ")}`);
    });
    return [...new Set(announcementsIn(phys).map((a) => a.text))].sort();
  });
}

test("gateway chassis: cr port claimed, routers local, GARPs as ovn-controller's", {
  skip,
  timeout: 180_000,
}, async (t) => {
  await t.test("real ovn-controller", async () => {
    reference = await scenario("c");
    assert.ok(reference.includes("f0:00:00:00:00:01 10.0.5.1"), reference.join(", "));
  });
  await t.test("ovnts controller", async () => {
    const ours = await scenario("ovnts");
    assert.deepEqual(ours, reference);
  });
});
