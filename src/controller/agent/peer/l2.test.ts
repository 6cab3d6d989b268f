// Peer test of `ovnts controller` against the real thing: real ovsdb-servers (NB, SB, local
// Open_vSwitch), real ovn-northd and real ovs-vswitchd with dummy datapaths.  One logical switch with two
// VIF ports bound to dummy interfaces on one chassis.  Run once with the real ovn-controller 23.03 (so
// the expectations are checked against the reference) and once with ours:
//   - both Logical_Switch_Port.up become true;
//   - `ovn-nbctl --wait=hv sync` returns (nb_cfg is acknowledged through Chassis_Private);
//   - a UDP packet from port 1 to port 2's MAC comes out of port 2's tx_pcap;
//   - one with a source MAC port 1's port security forbids does not (checked by sending an allowed
//     packet after it on the same path and seeing only that one arrive).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { before, test } from "node:test";
import { requireTools } from "../../../../test/support/exec.js";
import { injectPacket } from "../../../../test/support/packets.js";
import { toHex } from "../../../../test/support/pcap.js";
import {
  nbctl,
  ofctl,
  readPcapFile,
  startController,
  startDbServer,
  startNorthd,
  startVswitchd,
  vsctl,
  waitForPackets,
  waitUntil,
  withSandbox,
} from "../../../../test/support/sandbox.js";

/** Peer tests never skip: CI installs these (scripts/install-deps.sh); a missing one is an error. */
const PEERS = ["ovn-controller", "ovn-northd", "ovs-vswitchd", "ovsdb-server", "ovn-nbctl"];
before(() => requireTools(...PEERS));

const MAC1 = "00:00:00:00:00:01";
const MAC2 = "00:00:00:00:00:02";

function macBytes(mac: string): number[] {
  return mac.split(":").map((h) => Number.parseInt(h, 16));
}

/** Ethernet + IPv4 + UDP with a correct header checksum; `tag` is the UDP payload. */
function udpFrame(srcMac: string, dstMac: string, src: string, dst: string, tag: number): Uint8Array {
  const ip = (s: string) => s.split(".").map(Number);
  const payload = [tag, 0, 0, 0];
  const udpLen = 8 + payload.length;
  const ipHdr = [0x45, 0, 0, 20 + udpLen, 0, 0, 0x40, 0, 64, 17, 0, 0, ...ip(src), ...ip(dst)];
  let sum = 0;
  for (let i = 0; i < ipHdr.length; i += 2) sum += ((ipHdr[i] as number) << 8) | (ipHdr[i + 1] as number);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  ipHdr[10] = (~sum >> 8) & 0xff;
  ipHdr[11] = ~sum & 0xff;
  const udp = [0x30, 0x39, 0x00, 0x35, 0, udpLen, 0, 0, ...payload];
  return new Uint8Array([...macBytes(dstMac), ...macBytes(srcMac), 0x08, 0x00, ...ipHdr, ...udp]);
}

/** Flows in br-int after the scenario, by implementation (compared once both ran). */
const flowCounts = new Map<string, number>();

/** flow/group mods our controller sent in incremental installs, from its log after `fromLine`. */
function incrementalMods(log: string, fromLine: number): { mods: number; full: number } {
  let mods = 0;
  let full = 0;
  for (const line of log.split("\n").slice(fromLine)) {
    const m = /\(incremental: (\d+) flow\/group mods\)/.exec(line);
    if (m !== null) mods += Number(m[1]);
    if (line.includes("(full replace)")) full++;
  }
  return { mods, full };
}

async function scenario(impl: "c" | "ovnts"): Promise<void> {
  await withSandbox(async (box) => {
    await startDbServer(box, { impl: "c", name: "nb", schemas: ["ovn-nb"] });
    await startDbServer(box, { impl: "c", name: "sb", schemas: ["ovn-sb"] });
    const ovs = await startDbServer(box, { impl: "c", name: "ovs", schemas: ["vswitch"] });
    const vswitchd = await startVswitchd(box, { dbSock: ovs.sock, dummy: "override" });
    await startNorthd(box);
    await nbctl(box, "ls-add", "sw0");
    for (const [p, mac, ip] of [
      ["p1", MAC1, "10.0.0.1"],
      ["p2", MAC2, "10.0.0.2"],
    ] as const) {
      await nbctl(box, "lsp-add", "sw0", p);
      await nbctl(box, "lsp-set-addresses", p, `${mac} ${ip}`);
      await nbctl(box, "lsp-set-port-security", p, `${mac} ${ip}`);
    }
    await startController(box, { ovsDb: ovs.sock, impl });

    await waitUntil(async () => (await vsctl(box, "list-br")).split("\n").includes("br-int"), 20_000, {
      what: "br-int",
    });
    assert.equal((await vsctl(box, "get", "Bridge", "br-int", "fail_mode")).trim(), "secure");
    for (const [n, p] of [
      [1, "p1"],
      [2, "p2"],
    ] as const) {
      await vsctl(
        box,
        "add-port",
        "br-int",
        `vif${n}`,
        "--",
        "set",
        "Interface",
        `vif${n}`,
        `external_ids:iface-id=${p}`,
        `options:tx_pcap=${box.path(`vif${n}-tx.pcap`)}`,
        `options:rxq_pcap=${box.path(`vif${n}-rx.pcap`)}`,
      );
    }
    await waitUntil(
      async () => {
        const up = await Promise.all(
          ["p1", "p2"].map((p) => nbctl(box, "get", "Logical_Switch_Port", p, "up")),
        );
        return up.every((u) => u.trim() === "true");
      },
      20_000,
      { what: "both ports up" },
    );
    await nbctl(box, "--timeout=30", "--wait=hv", "sync");
    for (const n of [1, 2])
      assert.equal(
        (await vsctl(box, "get", "Interface", `vif${n}`, "external_ids:ovn-installed")).trim(),
        '"true"',
      );

    const pcap2 = box.path("vif2-tx.pcap");
    const allowed = udpFrame(MAC1, MAC2, "10.0.0.1", "10.0.0.2", 1);
    await injectPacket(vswitchd, "vif1", allowed);
    const got = await waitForPackets(pcap2, 1, 20_000);
    assert.equal(toHex((got[0] as { data: Uint8Array }).data), toHex(allowed));

    // Forbidden by p1's port security (source MAC not p1's), then an allowed one behind it.
    await injectPacket(vswitchd, "vif1", udpFrame("00:00:00:00:00:99", MAC2, "10.0.0.1", "10.0.0.2", 2));
    const second = udpFrame(MAC1, MAC2, "10.0.0.1", "10.0.0.2", 3);
    await injectPacket(vswitchd, "vif1", second);
    await waitForPackets(pcap2, 2, 20_000);
    await new Promise((r) => setTimeout(r, 200));
    const all = readPcapFile(pcap2).map((p) => toHex(p.data));
    assert.deepEqual(all, [toHex(allowed), toHex(second)]);

    // A third port: our controller must update br-int by a small diff, not a reinstall.
    const logPath = box.path("controller.log");
    const logLines = impl === "ovnts" ? readFileSync(logPath, "utf8").split("\n").length - 1 : 0;
    await nbctl(box, "lsp-add", "sw0", "p3");
    await nbctl(box, "lsp-set-addresses", "p3", "00:00:00:00:00:03 10.0.0.3");
    await nbctl(box, "lsp-set-port-security", "p3", "00:00:00:00:00:03 10.0.0.3");
    await vsctl(
      box,
      "add-port",
      "br-int",
      "vif3",
      "--",
      "set",
      "Interface",
      "vif3",
      "external_ids:iface-id=p3",
    );
    await waitUntil(
      async () => (await nbctl(box, "get", "Logical_Switch_Port", "p3", "up")).trim() === "true",
      20_000,
      {
        what: "p3 up",
      },
    );
    await nbctl(box, "--timeout=30", "--wait=hv", "sync");
    const flows = (await ofctl(box, "dump-flows", "br-int"))
      .split("\n")
      .filter((l) => l.includes("actions="));
    flowCounts.set(impl, flows.length);
    if (impl === "ovnts") {
      const { mods, full } = incrementalMods(readFileSync(logPath, "utf8"), logLines);
      assert.equal(full, 0, "no full replace after the first install");
      assert.ok(mods > 0, "the new port's flows were sent");
      assert.ok(
        mods < flows.length / 4,
        `${mods} flow/group mods for one new port (table has ${flows.length})`,
      );
    }
  });
}

test("L2 switch with two VIFs, real ovn-controller (reference)", { timeout: 90_000 }, async () => {
  await scenario("c");
});

test("L2 switch with two VIFs, ovnts controller", { timeout: 90_000 }, async () => {
  await scenario("ovnts");
  const c = flowCounts.get("c");
  const ours = flowCounts.get("ovnts");
  if (c !== undefined) assert.equal(ours, c, "same number of flows in br-int as the real ovn-controller");
});
