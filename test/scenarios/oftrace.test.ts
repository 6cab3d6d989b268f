// The ofproto/trace differential's pure half: flow generation is deterministic per seed and well formed;
// the normalisation removes exactly the numbers that legitimately differ between two chassis.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  canonicalDeliveries,
  type DpNames,
  generateFlows,
  normalizeActions,
  parseDpifShow,
  prng,
  solicitedNode,
  summarizeTrace,
  type TraceSource,
  tunnelHops,
} from "./oftrace.js";

const SRC: TraceSource = {
  name: "a1",
  iface: "hv1-a1",
  mac: "f0:00:00:01:00:11",
  ip: "10.0.1.11",
  ip6: "fd00:1::11",
  neighbours: [{ name: "a2", mac: "f0:00:00:01:00:12", ip: "10.0.1.12", ip6: "fd00:1::12" }],
  gateway: { name: "r", mac: "00:00:00:01:00:01", ip: "10.0.1.1" },
  routed: [{ ip: "10.0.2.11" }, { ip: "172.16.0.30", tcpPort: 80 }],
};

test("generateFlows: same seed, same flows; every kind of packet is there", () => {
  const a = generateFlows(SRC, prng(42));
  assert.deepEqual(generateFlows(SRC, prng(42)), a);
  assert.notDeepEqual(generateFlows(SRC, prng(43)), a);
  const labels = a.map((f) => f.label);
  for (const l of [
    "arp for a2",
    "broadcast",
    "unknown MAC",
    "spoofed source IP",
    "ping gateway",
    "nd ns for a2",
  ])
    assert.ok(labels.includes(l), l);
  assert.ok(labels.some((l) => l.startsWith("ttl 1 to ")));
  const vip = a.find((f) => f.flow.includes("nw_dst=172.16.0.30"));
  assert.match(
    vip?.flow ?? "",
    /^tcp,nw_src=10\.0\.1\.11,nw_dst=172\.16\.0\.30,nw_ttl=64,tcp_src=\d+,tcp_dst=80,tcp_flags=0x002,/,
  );
  // ovs-appctl's flow parser wants the protocol's own L4 field names (tp_src is refused).
  assert.ok(a.every((f) => !f.flow.includes("tp_src")));
});

test("solicitedNode: RFC 4291 address and its MAC", () => {
  assert.deepEqual(solicitedNode("fd00:1::11"), { ip: "ff02::1:ff00:0011", mac: "33:33:ff:00:00:11" });
  assert.deepEqual(solicitedNode("fe80::f200:ff:fe00:1234"), {
    ip: "ff02::1:ff00:1234",
    mac: "33:33:ff:00:12:34",
  });
});

const NAMES: DpNames = {
  ports: new Map([
    [3, "hv1-p1"],
    [4, "hv1-p2"],
    [6, "tunnel-to-192.168.0.2"],
    [1, "br-phys"],
    [101, "br-phys_n1"],
  ]),
  zones: new Map([
    [5, "p1"],
    [7, "lr0_dnat"],
  ]),
};

test("normalizeActions: ports, zones, recirc/meter ids, packet-in cookies, underlay MACs", () => {
  assert.equal(
    normalizeActions("ct(commit,zone=5,mark=0/0x1,nat(src)),ct(zone=7,nat),recirc(0x2a),meter(3),4", NAMES),
    "ct(commit,zone=p1,mark=0/0x1,nat(src)),ct(zone=lr0_dnat,nat),recirc(R1),meter(M1),hv1-p2",
  );
  assert.equal(
    normalizeActions(
      "clone(tnl_push(tnl_port(6),header(size=58,type=5,eth(dst=aa:bb:cc:dd:ee:ff,src=11:22:33:44:55:66,dl_type=0x0800),ipv4(src=192.168.0.1)),out_port(1)),101),3",
      NAMES,
    ),
    "clone(tnl_push(tnl_port(tunnel-to-192.168.0.2),header(size=58,type=5,eth(dst=M,src=M,dl_type=0x0800),ipv4(src=192.168.0.1)),out_port(br-phys)),br-phys_n1),hv1-p1",
  );
  assert.equal(
    normalizeActions(
      "userspace(pid=0,controller(reason=1,recirc_id=17,rule_cookie=0xdeadbeef,max_len=65535))",
      NAMES,
    ),
    "userspace(pid=0,controller(reason=1,recirc_id=R1,rule_cookie=C,max_len=65535))",
  );
  // An unknown number stays visible rather than silently matching.
  assert.equal(normalizeActions("9", NAMES), "port?9");
});

test("canonicalDeliveries: a flood's order does not matter, its VLAN tags do", () => {
  const a = canonicalDeliveries("hv1-pu2,hv1-pp,hv1-p2,push_vlan(vid=42,pcp=0),hv1-pp");
  const b = canonicalDeliveries("hv1-pu2,hv1-p2,push_vlan(vid=42,pcp=0),hv1-pp,pop_vlan,hv1-pp");
  assert.equal(a, b);
  assert.notEqual(a, canonicalDeliveries("hv1-pu2,hv1-p2,hv1-pp,push_vlan(vid=42,pcp=0),hv1-p2"));
  // Anything that is not a delivery keeps the list as it is.
  assert.equal(canonicalDeliveries("set(ipv4(ttl=63)),hv1-p1"), "set(ipv4(ttl=63)),hv1-p1");
  assert.equal(canonicalDeliveries("ct_clear,hv1-p1"), "ct_clear,hv1-p1");
  assert.equal(canonicalDeliveries("drop"), "drop");
  assert.equal(
    canonicalDeliveries("push_vlan(vid=100,pcp=0),br-phys_n1,br-phys", new Set(["br-phys"])),
    canonicalDeliveries("push_vlan(vid=100,pcp=0),br-phys_n1"),
  );
  assert.equal(canonicalDeliveries("br-phys", new Set(["br-phys"])), "drop");
});

test("summarizeTrace: every pass, and whether it reaches the controller", () => {
  const text = [
    "Flow: ...",
    "Datapath actions: ct(zone=5),recirc(0x3)",
    "===",
    "Datapath actions: userspace(pid=0,controller(reason=1,recirc_id=9,rule_cookie=0x1)),4",
  ].join("\n");
  assert.deepEqual(summarizeTrace(text, NAMES), {
    actions:
      "ct(zone=p1),recirc(R1) |  > hv1-p2 ;  > userspace(pid=0,controller(reason=1,recirc_id=R2,rule_cookie=C))",
    controller: true,
  });
  assert.equal(summarizeTrace("Datapath actions: drop", NAMES).controller, false);
});

test("parseDpifShow: datapath port numbers by interface name", () => {
  const text = [
    "system@ovs-system: hit:0 missed:0",
    "  br-int:",
    "    br-int 65534/2: (dummy-internal)",
    "    hv1-b1 2/4: (system)",
    "  br-phys:",
    "    br-phys_n1 1/101: (system: stream=unix:/tmp/x.sock)",
  ].join("\n");
  assert.deepEqual(
    [...parseDpifShow(text)],
    [
      [2, "br-int"],
      [4, "hv1-b1"],
      [101, "br-phys_n1"],
    ],
  );
});

test("tunnelHops: the inner packet with the pass's rewrites, the tunnel fields of the pushed header", () => {
  const push = (opt: string) =>
    `tnl_push(tnl_port(tunnel-to-192.168.0.2),header(size=58,type=5,eth(dst=M,src=M,dl_type=0x0800),ipv4(src=192.168.0.1,dst=192.168.0.2,proto=17,tos=0,ttl=64,frag=0x4000),udp(src=0,dst=6081,csum=0xffff),geneve(crit,vni=0x3,options({class=0x102,type=0x80,len=4,${opt}}))),out_port(br-phys))`;
  const flow =
    "udp,nw_src=10.0.1.11,nw_dst=10.0.2.12,nw_ttl=64,udp_src=1,udp_dst=2,dl_src=f0:00:00:01:00:11,dl_dst=00:00:00:01:00:01";
  const actions = `ct(zone=a1),recirc(R1) | set(eth(src=00:00:00:01:00:02,dst=f0:00:00:02:00:12)),set(ipv4(ttl=63)),${push("0x10003")},br-phys_n1`;
  assert.deepEqual(tunnelHops(flow, actions, "192.168.0.1"), [
    {
      to: "192.168.0.2",
      flow: "tun_id=0x3,tun_src=192.168.0.1,tun_dst=192.168.0.2,tun_metadata0=0x10003,udp,nw_src=10.0.1.11,nw_dst=10.0.2.12,nw_ttl=63,udp_src=1,udp_dst=2,dl_src=00:00:00:01:00:02,dl_dst=f0:00:00:02:00:12",
    },
  ]);
  assert.deepEqual(tunnelHops(flow, "hv1-p1", "192.168.0.1"), []);
  // The earlier pass's tunnel pushes are not this packet's.
  assert.deepEqual(tunnelHops(flow, `${push("0x10003")} | drop`, "192.168.0.1"), []);
});

test("tunnelHops: a VXLAN push gives tun_id = its VNI and no metadata option", () => {
  const flow =
    "udp,nw_src=10.0.1.11,nw_dst=10.0.1.12,nw_ttl=64,udp_src=1,udp_dst=2,dl_src=f0:00:00:01:00:11,dl_dst=f0:00:00:01:00:12";
  const actions =
    "tnl_push(tnl_port(tunnel-to-192.168.0.2),header(size=50,type=4,eth(dst=M,src=M,dl_type=0x0800),ipv4(src=192.168.0.1,dst=192.168.0.2,proto=17,tos=0,ttl=64,frag=0x4000),udp(src=0,dst=4789,csum=0xffff),vxlan(flags=0x8000000,vni=0x2001)),out_port(br-phys)),br-phys_n1";
  assert.deepEqual(tunnelHops(flow, actions, "192.168.0.1"), [
    { to: "192.168.0.2", flow: `tun_id=0x2001,tun_src=192.168.0.1,tun_dst=192.168.0.2,${flow}` },
  ]);
});
