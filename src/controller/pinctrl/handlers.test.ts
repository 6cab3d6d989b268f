import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { decodeActionList } from "../../openflow/actions-wire.js";
import { Reader } from "../../openflow/bytes.js";
import { fromHex, toHex } from "../../packet/bytes.js";
import { CAPTURES, capture } from "../../packet/fixtures/captures.js";
import { decodeFrame } from "../../packet/frame.js";
import { decodeNd } from "../../packet/icmp6.js";
import { Announcer } from "./announce.js";
import { USERDATA } from "./fixture-userdata.js";
import { handlePacketIn } from "./handle.js";
import { Pinctrl } from "./pinctrl.js";
import { buildPeriodicRa, nextRaTime } from "./ra.js";
import { BoundedQueue, TokenBucket } from "./ratelimit.js";
import { EMPTY_STATE, type PacketIn, type PinctrlAction, type PinctrlState } from "./types.js";
import { decodeUserdata } from "./userdata.js";

const hex = (s: string): Uint8Array => fromHex(s) ?? new Uint8Array();
const md = { datapath: 1, inport: 1, outport: 0, regs: [] as number[] };
const frameOf = (name: string): Uint8Array => hex(capture(name).hex);

test("userdata of every observed controller action decodes", () => {
  const kinds = Object.entries(USERDATA).map(([k, v]) => {
    const d = decodeUserdata(hex(v));
    assert.ok(d.ok, k);
    return [k, d.value.kind];
  });
  assert.deepEqual(Object.fromEntries(kinds), {
    putDhcpOpts: "put_dhcp_opts",
    putDhcpv6Opts: "put_dhcpv6_opts",
    dnsLookup: "dns_lookup",
    putNdRaOpts: "put_nd_ra_opts",
    ndNaVm2: "nd_na",
    ndNaRouter: "nd_na_router",
    icmp4PortUnreach: "icmp4",
    tcpReset: "tcp_reset",
    putArp: "put_arp",
    putNd: "put_nd",
    icmp4Error: "icmp4_error",
    icmp4FragMtu: "put_icmp4_frag_mtu",
    icmp6FragMtu: "put_icmp6_frag_mtu",
    putFdb: "put_fdb",
    bindVport: "bind_vport",
  });
  const d = decodeUserdata(hex(USERDATA.putDhcpOpts));
  assert.ok(d.ok && d.value.kind === "put_dhcp_opts");
  assert.deepEqual(d.value.result, { header: 0x0001de10, ofs: 99 });
  assert.equal(d.value.offerIp, "10.0.0.10");
  assert.deepEqual(
    d.value.options.map((o) => o.code),
    [6, 15, 51, 26, 1, 3, 54],
  );
  const mtu = decodeUserdata(hex(USERDATA.icmp6FragMtu));
  assert.deepEqual(mtu, { ok: true, value: { kind: "put_icmp6_frag_mtu", mtu: 1400 } });
  assert.equal(decodeUserdata(hex(USERDATA.putDhcpOpts).subarray(0, 25)).ok, false);
});

test("arp: an ARP request built from the IPv4 packet, VLAN and Ethernet addresses kept", () => {
  const action: PinctrlAction = { kind: "arp", actions: Uint8Array.of(1, 2, 3) };
  const r = handlePacketIn(
    { packet: frameOf("req_udp_router"), action, md },
    { state: EMPTY_STATE, nowMs: 0 },
  );
  assert.equal(r.counter, "arp");
  const e = r.effects[0];
  assert.ok(e?.kind === "packet-out");
  const f = decodeFrame(e.packet);
  assert.ok(f.ok && f.value.l3.kind === "arp");
  assert.equal(f.value.eth.dst, "00:00:00:00:ff:01");
  assert.deepEqual(
    { ...f.value.l3.arp, trailer: undefined },
    {
      op: 1,
      sha: "50:54:00:00:00:01",
      spa: "10.0.0.10",
      tha: "00:00:00:00:00:00",
      tpa: "10.0.0.1",
      trailer: undefined,
    },
  );
  assert.deepEqual(e.actions, Uint8Array.of(1, 2, 3));
});

test("nd_ns: solicitation for ip6.dst to its solicited-node group", () => {
  const r = handlePacketIn(
    { packet: frameOf("req_udp6_router"), action: { kind: "nd_ns", actions: new Uint8Array() }, md },
    { state: EMPTY_STATE, nowMs: 0 },
  );
  const e = r.effects[0];
  assert.ok(e?.kind === "packet-out");
  const f = decodeFrame(e.packet);
  assert.ok(f.ok && f.value.l3.kind === "ipv6" && f.value.l3.l4.kind === "icmp6");
  assert.equal(f.value.eth.dst, "33:33:ff:00:00:01");
  assert.equal(f.value.l3.ip.dst, "ff02::1:ff00:1");
  assert.equal(f.value.l3.ip.hopLimit, 255);
  assert.deepEqual(decodeNd(135, f.value.l3.l4.icmp.body), {
    ok: true,
    value: {
      kind: "ns",
      reserved: 0,
      target: "2001:db8::1",
      options: [{ kind: "sll", mac: "50:54:00:00:00:01" }],
    },
  });
});

test("put_arp / put_nd / put_fdb: Southbound writes, unchanged bindings skipped", () => {
  const state: PinctrlState = {
    ...EMPTY_STATE,
    portNames: new Map([["2:3", "lrp0"]]),
    macBindings: new Map([["2:3:10.0.0.10", "50:54:00:00:00:01"]]),
  };
  const pin = (kind: "put_arp" | "put_nd" | "put_fdb", regs: number[]): PacketIn => ({
    packet: frameOf("kernel_arp_request"),
    action: { kind },
    md: { datapath: 2, inport: 3, outport: 0, regs },
  });
  const arp = handlePacketIn(pin("put_arp", [0x0a00000b]), { state, nowMs: 1234 });
  assert.deepEqual(arp.effects, [
    {
      kind: "sb-write",
      write: {
        table: "MAC_Binding",
        datapath: 2,
        port: 3,
        logicalPort: "lrp0",
        ip: "10.0.0.11",
        mac: "50:54:00:00:00:0a",
        timestamp: 1234,
      },
    },
  ]);
  const same = handlePacketIn(
    { ...pin("put_arp", [0x0a00000a]), packet: frameOf("req_udp_router") },
    { state, nowMs: 1 },
  );
  assert.deepEqual(same, { effects: [], counter: "put_arp-unchanged" });
  const nd = handlePacketIn(pin("put_nd", [0x20010db8, 0, 0, 0x10]), { state, nowMs: 5 });
  assert.ok(nd.effects[0]?.kind === "sb-write" && nd.effects[0].write.table === "MAC_Binding");
  assert.equal(nd.effects[0].write.ip, "2001:db8::10");
  const fdb = handlePacketIn(pin("put_fdb", []), { state, nowMs: 7 });
  assert.deepEqual(fdb.effects, [
    {
      kind: "sb-write",
      write: { table: "FDB", datapath: 2, port: 3, mac: "50:54:00:00:00:0a", timestamp: 7 },
    },
  ]);
  assert.equal(
    handlePacketIn({ ...pin("put_arp", []), md: { ...md, inport: 9 } }, { state, nowMs: 0 }).counter,
    "drop-put_arp-unknown-port",
  );
});

test("reject: TCP gets an RST addressed back, UDP an ICMP port unreachable", () => {
  const tcp = handlePacketIn(
    { packet: frameOf("req_tcp_router"), action: { kind: "reject", actions: new Uint8Array() }, md },
    { state: EMPTY_STATE, nowMs: 0 },
  );
  const t = tcp.effects[0];
  assert.ok(t?.kind === "packet-out");
  const tf = decodeFrame(t.packet);
  assert.ok(tf.ok && tf.value.l3.kind === "ipv4" && tf.value.l3.l4.kind === "tcp");
  assert.equal(tf.value.l3.ip.dst, "10.0.0.10");
  assert.equal(tf.value.eth.dst, "50:54:00:00:00:01");
  const udp = handlePacketIn(
    { packet: frameOf("req_udp_router"), action: { kind: "reject", actions: new Uint8Array() }, md },
    { state: EMPTY_STATE, nowMs: 0 },
  );
  const u = udp.effects[0];
  assert.ok(u?.kind === "packet-out");
  const uf = decodeFrame(u.packet);
  assert.ok(uf.ok && uf.value.l3.kind === "ipv4" && uf.value.l3.l4.kind === "icmp4");
  assert.deepEqual(
    [uf.value.l3.l4.icmp.type, uf.value.l3.l4.icmp.code, uf.value.l3.ip.dst],
    [3, 3, "10.0.0.10"],
  );
});

test("icmp4.frag_mtu writes the next-hop MTU into the ICMP being built", () => {
  const e = handlePacketIn(
    { packet: frameOf("ovn_udp_router_reply"), action: { kind: "put_icmp4_frag_mtu", mtu: 1400 }, md },
    { state: EMPTY_STATE, nowMs: 0 },
  ).effects[0];
  assert.ok(e?.kind === "resume");
  const f = decodeFrame(e.packet);
  assert.ok(f.ok && f.value.l3.kind === "ipv4" && f.value.l3.l4.kind === "icmp4");
  assert.equal(f.value.l3.l4.icmp.rest, 1400);
});

test("periodic RA equals the one ovn-controller 23.03 sent", () => {
  const ra = buildPeriodicRa({
    datapath: 2,
    port: 1,
    srcMac: "00:00:00:00:ff:01",
    srcIp: "fe80::200:ff:fe00:ff01",
    addressMode: "slaac",
    prefixes: [{ prefix: "2001:db8::", length: 64 }],
    mtu: 1450,
    rdnss: ["2001:db8::53"],
    dnssl: ["example.org"],
    minInterval: 5,
    maxInterval: 10,
  });
  assert.equal(toHex(ra), capture("ovn_periodic_ra").hex);
  const c = { minInterval: 5, maxInterval: 10 } as Parameters<typeof nextRaTime>[0];
  assert.equal(nextRaTime(c, 1000, 0), 6000);
  assert.equal(nextRaTime(c, 1000, 1), 11000);
});

test("gratuitous ARP: 1, 3, 7, 15, 31 s after the address appears, from its port into the ingress pipeline", () => {
  const a = new Announcer();
  a.add({ datapath: 1, port: 2, mac: "0a:00:00:00:00:01", ips: ["172.16.0.100"] }, 0);
  const sent: number[] = [];
  for (let t = 0; t <= 60_000; t += 500) if (a.due(t).length > 0) sent.push(t);
  assert.deepEqual(sent, [1000, 3000, 7000, 15000, 31000]);
  a.add({ datapath: 1, port: 3, mac: "0a:00:00:00:00:02", ips: [] }, 0);
  assert.deepEqual(a.due(999), []);
  assert.equal(a.nextWake(), 1000);
  const rarp = a.due(1000)[0];
  assert.ok(rarp?.kind === "packet-out");
  // Loaded as if logical port 3 of datapath 1 had sent it, then resubmitted to table 8.
  assert.equal(rarp.md.datapath, 1);
  assert.equal(rarp.md.regs[14], 3);
  const nested = decodeActionList(new Reader(rarp.actions));
  assert.deepEqual(nested, [{ kind: "resubmit", port: 0xfff8, table: 8, ct: false }]);
  const f = decodeFrame(rarp.packet);
  assert.ok(f.ok && f.value.l3.kind === "arp");
  assert.equal(f.value.eth.etherType, 0x8035);
  assert.equal(f.value.l3.arp.op, 3);
  const garp = new Announcer().due(0);
  assert.deepEqual(garp, []);
});

test("token bucket and bounded queue", () => {
  const b = new TokenBucket(10, 3);
  assert.deepEqual([b.take(0), b.take(0), b.take(0), b.take(0)], [true, true, true, false]);
  assert.equal(b.take(100), true);
  assert.equal(b.take(100), false);
  const q = new BoundedQueue<number>(2);
  assert.deepEqual(
    [q.push(1), q.push(2), q.push(3), q.shift(), q.push(4), q.length],
    [true, true, false, 1, true, 2],
  );
});

test("a flood is rate limited per kind and the queue drains in budgets", () => {
  const p = new Pinctrl({ queueCapacity: 100, ratePerSec: 10, burst: 20 });
  const action = decodeUserdata(hex(USERDATA.dnsLookup));
  assert.ok(action.ok);
  const pin: PacketIn = { packet: frameOf("req_dns_a"), action: action.value, md };
  let admitted = 0;
  for (let i = 0; i < 1000; i++) if (p.submit(pin, 0)) admitted++;
  assert.equal(admitted, 20);
  assert.equal(p.counters.get("ratelimit-dns_lookup"), 980);
  // Other kinds still get in.
  assert.ok(p.submit({ ...pin, action: { kind: "put_fdb" } }, 0));
  const state = { ...EMPTY_STATE, dnsRecords: new Map([[1, new Map([["vm1.example.org", "10.0.0.10"]])]]) };
  assert.equal(p.drain(state, 0, 5).length, 5);
  assert.equal(p.pending, 16);
  p.drain(state, 0, 100);
  assert.equal(p.counters.get("dns-answer"), 20);
  assert.equal(p.counters.get("put_fdb"), 1);
});

test("no handler throws on random or mutated packets; malformed ones are dropped and counted", () => {
  const actions: PinctrlAction[] = [];
  for (const v of Object.values(USERDATA)) {
    const d = decodeUserdata(hex(v));
    if (d.ok) actions.push(d.value);
  }
  actions.push(
    { kind: "icmp6", actions: new Uint8Array() },
    { kind: "reject", actions: new Uint8Array() },
    { kind: "nd_ns", actions: new Uint8Array() },
    { kind: "arp", actions: new Uint8Array() },
  );
  const captures = CAPTURES.map((c) => hex(c.hex));
  const packet = fc.oneof(
    fc.uint8Array({ maxLength: 200 }),
    fc
      .record({
        i: fc.nat(captures.length - 1),
        at: fc.nat(),
        v: fc.integer({ min: 0, max: 255 }),
        cut: fc.nat(),
      })
      .map(({ i, at, v, cut }) => {
        const b = (captures[i] ?? new Uint8Array()).slice();
        if (b.length > 0) b[at % b.length] = v;
        return b.subarray(0, cut % (b.length + 1));
      }),
  );
  const state: PinctrlState = {
    ...EMPTY_STATE,
    portNames: new Map([["1:1", "vm1"]]),
    dnsRecords: new Map([[1, new Map([["vm1.example.org", "10.0.0.10 2001:db8::10"]])]]),
  };
  fc.assert(
    fc.property(packet, fc.nat(actions.length - 1), (bytes, k) => {
      const action = actions[k];
      if (action === undefined) return;
      const r = handlePacketIn(
        { packet: bytes, action, md: { ...md, regs: [1, 2, 3, 4] } },
        { state, nowMs: 0 },
      );
      assert.ok(!r.counter.startsWith("drop-internal"), r.counter);
      if (r.counter.startsWith("drop-")) assert.deepEqual(r.effects, []);
    }),
    { numRuns: 3000 },
  );
  assert.equal(
    handlePacketIn(
      { packet: new Uint8Array(3), action: actions[0] as PinctrlAction, md },
      { state, nowMs: 0 },
    ).counter,
    "drop-dhcp4-truncated",
  );
});
