// ACL log lines against what the real ovn-controller 23.03 logged for the same packets and flows
// (acl_log lines of its log in a sandbox: ACLs added with `ovn-nbctl --log --name=… --severity=…`,
// frames injected with netdev-dummy/receive; the userdata is that of the installed flows).

import assert from "node:assert/strict";
import { test } from "node:test";
import { fromHex } from "../../packet/bytes.js";
import { encodeFrame, type L4 } from "../../packet/frame.js";
import { formatPacketFlow } from "./flow-text.js";
import { handlePacketIn } from "./handle.js";
import { EMPTY_STATE } from "./types.js";
import { decodeUserdata } from "./userdata.js";

const none = new Uint8Array();
const M1 = "00:00:00:00:00:01";
const M2 = "00:00:00:00:00:02";

function v4(l4: L4, protocol: number, extra: { tos?: number; ttl?: number } = {}): Uint8Array {
  return encodeFrame({
    eth: { dst: M2, src: M1, vlans: [], etherType: 0x0800, payload: none },
    l3: {
      kind: "ipv4",
      ip: {
        tos: extra.tos ?? 0,
        ident: 0,
        flags: 0,
        fragOffset: 0,
        ttl: extra.ttl ?? 64,
        protocol,
        src: "10.0.0.1",
        dst: "10.0.0.2",
        options: none,
        payload: none,
        trailer: none,
      },
      l4,
    },
  });
}

function tcp(flags: number): L4 {
  return {
    kind: "tcp",
    tcp: {
      srcPort: 1,
      dstPort: 2,
      seq: 0,
      ack: 0,
      flags,
      window: 0,
      urgent: 0,
      options: none,
      payload: none,
    },
  };
}

function logLine(userdata: string, packet: Uint8Array, tableId: number): string {
  const action = decodeUserdata(fromHex(userdata) ?? none);
  assert.ok(action.ok);
  const r = handlePacketIn(
    { packet, action: action.value, md: { datapath: 1, inport: 1, outport: 0, regs: [] }, tableId },
    { state: EMPTY_STATE, nowMs: 0 },
  );
  assert.equal(r.counter, "acl-log");
  const e = r.effects[0];
  assert.ok(e?.kind === "log");
  return e.message;
}

const FLOW = "vlan_tci=0x0000,dl_src=00:00:00:00:00:01,dl_dst=00:00:00:00:00:02";

test("ACL log lines as ovn-controller writes them", () => {
  const udp: L4 = { kind: "udp", udp: { srcPort: 1234, dstPort: 53, payload: new Uint8Array(4) } };
  assert.equal(
    logLine("00.00.00.07.00.00.00.00.00.06.61.63.6c.31", v4(udp, 17), 16),
    `name="acl1", verdict=allow, severity=info, direction=from-lport: udp,${FLOW},nw_src=10.0.0.1,` +
      "nw_dst=10.0.0.2,nw_tos=0,nw_ecn=0,nw_ttl=64,nw_frag=no,tp_src=1234,tp_dst=53",
  );
  assert.equal(
    logLine("00.00.00.07.00.00.00.00.01.01", v4({ ...tcp(0x02) }, 6), 16).replace(/tp_src=1,tp_dst=2/, "P"),
    `name="<unnamed>", verdict=drop, severity=alert, direction=from-lport: tcp,${FLOW},nw_src=10.0.0.1,` +
      "nw_dst=10.0.0.2,nw_tos=0,nw_ecn=0,nw_ttl=64,nw_frag=no,P,tcp_flags=syn",
  );
  const echo: L4 = { kind: "icmp4", icmp: { type: 8, code: 0, rest: 0x00090001, data: new Uint8Array(16) } };
  assert.equal(
    logLine("00.00.00.07.00.00.00.00.00.04.69.63.6d.70", v4(echo, 1), 16),
    `name="icmp", verdict=allow, severity=warning, direction=from-lport: icmp,${FLOW},nw_src=10.0.0.1,` +
      "nw_dst=10.0.0.2,nw_tos=0,nw_ecn=0,nw_ttl=64,nw_frag=no,icmp_type=8,icmp_code=0",
  );
  assert.equal(
    logLine("00.00.00.07.00.00.00.00.02.05.61.6c.6c", v4(tcp(0x1ff), 6, { tos: 0xb9, ttl: 3 }), 46),
    `name="all", verdict=reject, severity=notice, direction=to-lport: tcp,${FLOW},nw_src=10.0.0.1,` +
      "nw_dst=10.0.0.2,nw_tos=184,nw_ecn=1,nw_ttl=3,nw_frag=no,tp_src=1,tp_dst=2," +
      "tcp_flags=fin|syn|rst|psh|ack|urg|ece|cwr|ns",
  );
  assert.equal(
    logLine("00.00.00.07.00.00.00.00.00.07.64", v4(tcp(0), 6), 16)
      .split(",")
      .at(-1),
    "tcp_flags=0",
  );
});

test("flow text of ARP and IPv6 frames", () => {
  assert.equal(
    formatPacketFlow(
      encodeFrame({
        eth: { dst: "ff:ff:ff:ff:ff:ff", src: M1, vlans: [], etherType: 0x0806, payload: none },
        l3: {
          kind: "arp",
          arp: { op: 1, sha: M1, spa: "10.0.0.1", tha: "00:00:00:00:00:00", tpa: "10.0.0.2", trailer: none },
        },
      }),
    ),
    "arp,vlan_tci=0x0000,dl_src=00:00:00:00:00:01,dl_dst=ff:ff:ff:ff:ff:ff,arp_spa=10.0.0.1,arp_tpa=10.0.0.2," +
      "arp_op=1,arp_sha=00:00:00:00:00:01,arp_tha=00:00:00:00:00:00",
  );
  const icmp6 = encodeFrame({
    eth: { dst: M2, src: M1, vlans: [], etherType: 0x86dd, payload: none },
    l3: {
      kind: "ipv6",
      ip: {
        trafficClass: 0,
        flowLabel: 0x12345,
        hopLimit: 64,
        src: "fd00::1",
        dst: "fd00::2",
        extensions: [],
        protocol: 58,
        payload: none,
        trailer: none,
      },
      l4: { kind: "icmp6", icmp: { type: 128, code: 0, body: new Uint8Array(8) } },
    },
  });
  assert.equal(
    formatPacketFlow(icmp6),
    `icmp6,${FLOW},ipv6_src=fd00::1,ipv6_dst=fd00::2,ipv6_label=0x12345,nw_tos=0,nw_ecn=0,nw_ttl=64,` +
      "nw_frag=no,icmp_type=128,icmp_code=0",
  );
  assert.match(formatPacketFlow(Uint8Array.of(1, 2, 3)), /does not decode/);
});
