// Differential of the gratuitous ARP announcements (ovn-controller(8) "ovn-bridge-mappings", ovn-nb(5)
// Logical_Switch_Port options:nat-addresses): the real ovn-controller 23.03 and `ovnts controller`
// (each beside the real ovn-northd) on one chassis whose switch `pub` reaches the physical network
// through a localnet port. What leaves br-phys for the physical network is compared: the distinct
// announcement frames (byte for byte) and the spacing of the first two copies of each; and when the
// first periodic RA of a router port comes after send_periodic is set (one interval later, not at once).
//
//   pub (localnet ln, network_name phys): v1 f0:00:00:00:00:21 172.16.0.21 2001:db8:16::21 (a VIF on a
//        localnet switch), v2 f0:00:00:00:00:22 (a MAC alone: RARP), pub-lr (router port of lr0's lrp-pub,
//        nat-addresses=router), pub-gw (of gateway router gw's lrp-gw, nat-addresses=router)
//   gw (options:chassis=hv1): lrp-gw 00:00:00:00:ee:03 172.16.0.3/24, dnat_and_snat 172.16.0.200 -> 10.1.0.5
//   lr0: lrp-pub 00:00:00:00:ee:01 172.16.0.1/24, gateway chassis hv1; lrp-in 10.0.0.1/24 on sw-in;
//        NAT dnat_and_snat 172.16.0.100 -> 10.0.0.11, snat 172.16.0.1 <- 10.0.0.0/24,
//        dnat_and_snat 172.16.0.101 -> 10.0.0.12 with its own external MAC f0:00:00:00:00:65
//   sw-in: vm1 10.0.0.11 (no localnet: not announced)
import assert from "node:assert/strict";
import { test } from "node:test";
import { type StackName, startStack } from "../../../../test/support/chassis.js";
import { tryDecode } from "../../../../test/support/frames.js";
import { readPcapFile } from "../../../../test/support/packets.js";
import { toHex } from "../../../../test/support/pcap.js";
import { withSandbox } from "../../../../test/support/sandbox.js";
import { waitUntil } from "../../../../test/support/wait.js";

/** How long the announcements are watched after the ports are up (the first two of each: 1 s, +2 s). */
const WATCH_MS = 5000;

interface Seen {
  /** Distinct ARP frames sent to the physical network, sorted. */
  readonly frames: readonly string[];
  /** Per frame: time between its first and second copy, bucketed ("-" if one copy only). */
  readonly gaps: readonly string[];
  /** When the first periodic RA of lrp-in came after send_periodic was set. */
  readonly firstRa: string;
}

async function run(stack: StackName): Promise<Seen> {
  return withSandbox(async (box) => {
    const s = await startStack(box, stack, { chassis: 1, bridgeMappings: "phys:br-phys" });
    const nb = (...a: string[]) => s.nbctl(...a);
    await nb("ls-add", "pub");
    await nb(
      "lsp-add",
      "pub",
      "ln",
      "--",
      "lsp-set-type",
      "ln",
      "localnet",
      "--",
      "lsp-set-addresses",
      "ln",
      "unknown",
    );
    await nb("lsp-set-options", "ln", "network_name=phys");
    await nb(
      "lsp-add",
      "pub",
      "v1",
      "--",
      "lsp-set-addresses",
      "v1",
      "f0:00:00:00:00:21 172.16.0.21 2001:db8:16::21",
    );
    await nb("lsp-add", "pub", "v2", "--", "lsp-set-addresses", "v2", "f0:00:00:00:00:22");
    // A gateway router bound to hv1 on pub, with a NAT address of its own.
    await nb("lr-add", "gw", "--", "set", "Logical_Router", "gw", "options:chassis=hv1");
    await nb("lrp-add", "gw", "lrp-gw", "00:00:00:00:ee:03", "172.16.0.3/24");
    await nb("lr-nat-add", "gw", "dnat_and_snat", "172.16.0.200", "10.1.0.5");
    await nb("ls-add", "sw-in");
    await nb("lsp-add", "sw-in", "vm1", "--", "lsp-set-addresses", "vm1", "f0:00:00:00:00:11 10.0.0.11");
    await nb("lr-add", "lr0");
    await nb("lrp-add", "lr0", "lrp-pub", "00:00:00:00:ee:01", "172.16.0.1/24");
    await nb("lrp-add", "lr0", "lrp-in", "00:00:00:00:ee:02", "10.0.0.1/24", "fd10::1/64");
    await nb("lrp-set-gateway-chassis", "lrp-pub", "hv1");
    for (const [ls, lsp, lrp, nat] of [
      ["pub", "pub-lr", "lrp-pub", "nat-addresses=router"],
      ["pub", "pub-gw", "lrp-gw", "nat-addresses=router"],
      ["sw-in", "in-lr", "lrp-in", undefined],
    ] as const) {
      await nb(
        "lsp-add",
        ls,
        lsp,
        "--",
        "lsp-set-type",
        lsp,
        "router",
        "--",
        "lsp-set-addresses",
        lsp,
        "router",
      );
      await nb("lsp-set-options", lsp, `router-port=${lrp}`, ...(nat === undefined ? [] : [nat]));
    }
    await nb("lr-nat-add", "lr0", "dnat_and_snat", "172.16.0.100", "10.0.0.11");
    await nb("lr-nat-add", "lr0", "snat", "172.16.0.1", "10.0.0.0/24");
    await nb("lr-nat-add", "lr0", "dnat_and_snat", "172.16.0.101", "10.0.0.12", "vm1", "f0:00:00:00:00:65");
    const h = s.hv[0];
    assert.ok(h !== undefined);
    await h.addVif("v1");
    await h.addVif("v2");
    const vm1 = await h.addVif("vm1");
    await waitUntil(
      async () =>
        (await Promise.all(["v1", "v2", "vm1"].map((v) => nb("get", "Logical_Switch_Port", v, "up")))).every(
          (u) => u.trim() === "true",
        ),
      60_000,
      { what: "v1, v2, vm1 up" },
    );
    // Periodic RAs start on lrp-in now: the first one is due one interval (3-4 s) later, not at once.
    const raFrom = BigInt(Date.now()) * 1000n;
    await nb(
      "set",
      "Logical_Router_Port",
      "lrp-in",
      "ipv6_ra_configs:address_mode=slaac",
      "ipv6_ra_configs:send_periodic=true",
      "ipv6_ra_configs:min_interval=3",
      "ipv6_ra_configs:max_interval=4",
    );
    await new Promise((r) => setTimeout(r, WATCH_MS));
    const ras = vm1
      .sent()
      .filter((p) => {
        const d = tryDecode(p.data);
        return d?.l3.kind === "ipv6" && d.l3.l4.kind === "icmp6" && d.l3.l4.icmp.type === 134;
      })
      .map((p) => Number(p.timeUs - raFrom) / 1e6);
    const firstRa = ras[0] === undefined ? "none" : ras[0] < 2.5 ? "at once" : "one interval later";
    // ARP and RARP announcements, and any neighbour advertisement (23.03 announces IPv4 only).
    const arps = readPcapFile(h.box.path("br-phys_n1-tx.pcap")).filter((p) => {
      const d = tryDecode(p.data);
      return (
        d !== undefined &&
        (d.l3.kind === "arp" ||
          d.eth.etherType === 0x8035 ||
          (d.l3.kind === "ipv6" && d.l3.l4.kind === "icmp6" && d.l3.l4.icmp.type === 136))
      );
    });
    const byFrame = new Map<string, bigint[]>();
    for (const p of arps) {
      const k = toHex(p.data);
      byFrame.set(k, [...(byFrame.get(k) ?? []), p.timeUs]);
    }
    const frames = [...byFrame.keys()].sort();
    const gaps = frames.map((k) => {
      const [a, b] = byFrame.get(k) ?? [];
      if (a === undefined || b === undefined) return "-";
      // 2 s apart on both; a bucket wide enough for a loaded machine's jitter.
      const gap = Number(b - a) / 1e6;
      return gap < 1 ? "under 1 s" : gap <= 3 ? "1-3 s" : "over 3 s";
    });
    return { frames, gaps, firstRa };
  });
}

test("gratuitous ARPs of VIFs and NAT addresses on a localnet switch, as the real ovn-controller 23.03 sends them", {
  timeout: 180_000,
}, async (t) => {
  let reference: Seen | undefined;
  await t.test("real ovn-controller", async () => {
    reference = await run("ref");
    if (process.env.GARP_DIFF_PRINT !== undefined) console.log(JSON.stringify(reference, null, 1));
    // Something was announced (else comparing proves nothing): v1's address and the NAT addresses.
    assert.ok(reference.frames.length >= 3, JSON.stringify(reference));
  });
  await t.test("ovnts controller", async () => {
    assert.ok(reference !== undefined);
    const ours = await run("controller");
    assert.deepEqual(ours, reference);
  });
});
