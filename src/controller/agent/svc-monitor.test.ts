// Health checks at the agent's edge: which Service_Monitor rows are local and how they resolve
// (svc-monitor-config.ts), the packet-out a probe leaves in (compared with the real ovn-controller's as
// ovs-vswitchd's vconn log prints it), and the loop's status writes and counters with fake br-int and
// Southbound connections.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { OfMessageBody } from "../../openflow/index.js";
import { formatActions } from "../../openflow/text-actions.js";
import type { OvnSbTables, ServiceMonitor } from "../../ovsdb/idl/generated/ovn-sb.js";
import type { Idl } from "../../ovsdb/idl/idl.js";
import type { SbView } from "../lflow/sb.js";
import { buildTcpProbe, parseSvcReply } from "../pinctrl/svc-probe.js";
import { backendMac, canonicalIp, localServiceMonitors } from "./svc-monitor-config.js";
import { probeMessage, SvcMonitorLoop } from "./svc-monitor-loop.js";

const view = {
  datapaths: [{ uuid: "dp1", tunnelKey: 7 }],
  ports: [
    {
      logicalPort: "vm1",
      datapath: "dp1",
      tunnelKey: 3,
      chassis: "hv1",
      mac: ["f0:00:00:00:01:11 10.0.0.11 fd00::11"],
    },
    {
      logicalPort: "vm2",
      datapath: "dp1",
      tunnelKey: 4,
      chassis: "hv2",
      mac: ["f0:00:00:00:01:12 10.0.0.12"],
    },
    { logicalPort: "vm3", datapath: "dp1", tunnelKey: 5, chassis: "hv1", mac: ["unknown"] },
  ],
} as unknown as SbView;

const row = (over: Partial<ServiceMonitor>): ServiceMonitor =>
  ({
    _uuid: "u",
    ip: "10.0.0.11",
    protocol: undefined,
    port: 80,
    logicalPort: "vm1",
    srcMac: "0A:00:00:00:00:FE",
    srcIp: "10.0.0.2",
    status: undefined,
    options: new Map(),
    externalIds: new Map(),
    ...over,
  }) as ServiceMonitor;

test("backendMac: the first address entry that lists the IP or no IP at all, as ovn-controller picks it", () => {
  assert.equal(
    backendMac(["f0:00:00:00:00:01 10.0.0.1", "F0:00:00:00:00:02 10.0.0.2 fd00::2"], "10.0.0.2"),
    "f0:00:00:00:00:02",
  );
  // IPv6 in any textual form, with or without a prefix length.
  assert.equal(
    backendMac(["f0:00:00:00:00:01 10.0.0.1", "f0:00:00:00:00:02 FD00:0::2/64"], "fd00::2"),
    "f0:00:00:00:00:02",
  );
  // Entries that all list other IPs: no MAC, the backend is not probed; an entry without IPs matches.
  assert.equal(backendMac(["f0:00:00:00:00:01 10.0.0.1"], "10.0.0.9"), undefined);
  assert.equal(
    backendMac(["f0:00:00:00:00:01 10.0.0.1", "f0:00:00:00:00:03"], "10.0.0.9"),
    "f0:00:00:00:00:03",
  );
  assert.equal(backendMac(["unknown", "dynamic"], "10.0.0.9"), undefined);
});

test("canonicalIp: IPv4 and IPv6 in canonical text, anything else undefined", () => {
  assert.deepEqual(["10.0.0.2", "fd00:0:0::0:11", "FD00::11", "[fd00::11]", "", "fd00::g"].map(canonicalIp), [
    "10.0.0.2",
    "fd00::11",
    "fd00::11",
    undefined,
    undefined,
    undefined,
  ]);
});

test("localServiceMonitors: only rows of ports bound here, resolved to keys, options defaulted", () => {
  const specs = localServiceMonitors(
    view,
    [
      row({
        _uuid: "a" as never,
        options: new Map([
          ["interval", "2"],
          ["timeout", "x"],
          ["failure_count", "4"],
        ]),
      }),
      row({ _uuid: "b" as never, logicalPort: "vm2", ip: "10.0.0.12" }),
      row({ _uuid: "c" as never, logicalPort: "vm3" }),
      row({ _uuid: "d" as never, logicalPort: "gone" }),
      row({ _uuid: "e" as never, ip: "FD00:0::11", srcIp: "fd00:0::2", protocol: "udp", port: 53 }),
      // Mixed families, and an address that is no IP, are not probed.
      row({ _uuid: "f" as never, ip: "fd00::11", srcIp: "10.0.0.2" }),
      row({ _uuid: "g" as never, ip: "vm1" }),
    ],
    "hv1",
  );
  assert.deepEqual(specs, [
    {
      uuid: "a",
      datapath: 7,
      port: 3,
      protocol: "tcp",
      ip: "10.0.0.11",
      servicePort: 80,
      srcMac: "0a:00:00:00:00:fe",
      srcIp: "10.0.0.2",
      dstMac: "f0:00:00:00:01:11",
      intervalMs: 2000,
      timeoutMs: 3000,
      successCount: 1,
      failureCount: 4,
      status: undefined,
    },
    {
      uuid: "e",
      datapath: 7,
      port: 3,
      protocol: "udp",
      ip: "fd00::11",
      servicePort: 53,
      srcMac: "0a:00:00:00:00:fe",
      srcIp: "fd00::2",
      dstMac: "f0:00:00:00:01:11",
      intervalMs: 5000,
      timeoutMs: 3000,
      successCount: 1,
      failureCount: 1,
      status: undefined,
    },
  ]);
});

test("a probe's packet-out is the real controller's: local-only flag, resubmit to the local output table", () => {
  const m = probeMessage(new Uint8Array(54), 1, 2);
  assert.ok(m.kind === "packet_out");
  assert.equal(
    formatActions(m.actions),
    "set_field:0x1->metadata,set_field:0x2->reg15,set_field:0x10000/0x10000->reg10,resubmit(CONTROLLER,40)",
  );
});

test("the loop: probes go to br-int at once, a SYN-ACK is reset and its status written in one transaction", async () => {
  const sent: OfMessageBody[] = [];
  const updates: [string, string, unknown][] = [];
  let now = 1000;
  const sb = {
    get: () => ({}),
    transact: async (build: (txn: unknown) => void) => {
      build({ update: (t: string, u: string, r: unknown) => updates.push([t, u, r]) });
      return {};
    },
  } as unknown as Idl<OvnSbTables>;
  const loop = new SvcMonitorLoop({
    now: () => now,
    openflow: () => ({ send: (m: OfMessageBody) => sent.push(m), wire: {} }),
    sb: () => sb,
    random: () => 0.5,
  });
  try {
    const [spec] = localServiceMonitors(view, [row({ _uuid: "u1" as never })], "hv1");
    assert.ok(spec !== undefined);
    loop.setMonitors([spec]);
    assert.equal(sent.length, 1);
    const probe = (sent[0] as { data: Uint8Array }).data;
    const p = parseSvcReply(probe);
    assert.ok(p.ok && p.value.kind === "tcp");
    const synAck = buildTcpProbe(
      {
        srcMac: spec.dstMac,
        srcIp: spec.ip,
        dstMac: spec.srcMac,
        dstIp: spec.srcIp,
        srcPort: 80,
        dstPort: p.value.port,
      },
      0x12,
      77,
      p.value.seq + 1,
    );
    now += 100;
    loop.onPacketIn({
      packet: synAck,
      action: { kind: "other", opcode: 18, data: new Uint8Array() },
      md: { datapath: 7, inport: 3, outport: 0, regs: [] },
    });
    await new Promise((r) => setImmediate(r));
    assert.equal(sent.length, 2, "the RST");
    assert.deepEqual(updates, [["Service_Monitor", "u1", { status: "online" }]]);
    const c = loop.counters();
    assert.equal(c.get("svc-check-tcp-syn-ack"), 1);
    assert.equal(c.get("sent-svc-packet-out"), 2);
    assert.equal(c.get("svc-status-written"), 1);
  } finally {
    loop.stop();
  }
});
