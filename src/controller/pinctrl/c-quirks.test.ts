// Answers where ovn-controller 23.03 departs from the RFCs, and ours follows it (each observed in
// src/controller/pinctrl/peer/actions-diff.test.ts, whose captures the expectations below come from):
//   - nd_ns: the solicitation's IPv6 source is the link-local address of eth.src, not the routed
//     packet's source (byte for byte the real controller's NS);
//   - nd_na / nd_na_router answering a DAD probe (from ::): sent to :: with "solicited" set, not to
//     all-nodes as RFC 4861 §7.2.4 asks;
//   - DHCPINFORM: the ACK leaves out the netmask as well as the lease time, T1 and T2;
//   - dns_lookup: the first question alone is answered, and a query with additional records is not;
//   - DHCP bootfile_name_alt is the file for all but iPXE clients, and next_server is then overlooked;
//   - put_dhcpv6_opts answers DECLINE but not RENEW, REBIND, RELEASE, nor a message without IA_NA;
//   - the periodic RA carries route information options;
//   - put_dhcpv6_opts walks options leniently (a 4-byte IA_NA gives its IAID, an option running past the
//     end counts) and does not look at the server id; a DHCPREQUEST naming another server is ACKed;
//   - DHCPv4 options: one running past the end ends them (the message is answered), and of the message
//     type and the requested address the last option of the right length counts;
//   - reject answers non-UDP IP with "host unreachable" (ICMPv6 code 1), UDP with "port unreachable".
import assert from "node:assert/strict";
import { test } from "node:test";
import { toHex } from "../../packet/bytes.js";
import { DHCP_INFORM, DHCP_OPT_MSG_TYPE, decodeDhcp4, encodeDhcp4 } from "../../packet/dhcp4.js";
import { DNS_RD, decodeDns, encodeDns } from "../../packet/dns.js";
import { ETH_TYPE_IPV4, ETH_TYPE_IPV6 } from "../../packet/ethernet.js";
import { decodeFrame, encodeFrame } from "../../packet/frame.js";
import { encodeNd, ND_NEIGHBOR_SOLICIT } from "../../packet/icmp6.js";
import { IP_PROTO_ICMPV6, IP_PROTO_UDP } from "../../packet/ipv4.js";
import { scanRequest } from "./dhcp6.js";
import { handlePacketIn } from "./handle.js";
import { dhcp4Client, dhcp4Frame } from "./peer/diff-frames.js";
import { buildPeriodicRa } from "./ra.js";
import { EMPTY_STATE, type PacketIn, type PinctrlAction } from "./types.js";

const E = new Uint8Array(0);
const md = { datapath: 1, inport: 1, outport: 0, regs: [] as number[] };
const result = { header: 0, ofs: 0 };

function answer(packet: Uint8Array, action: PinctrlAction): Uint8Array {
  const r = handlePacketIn({ packet, action, md } as PacketIn, { state: EMPTY_STATE, nowMs: 0 });
  const e = r.effects[0];
  assert.ok(e !== undefined && (e.kind === "packet-out" || e.kind === "resume"), r.counter);
  return e.packet;
}

test("nd_ns: from the link-local address of eth.src, byte for byte the real controller's", () => {
  // A datagram from fd00::11 routed out of lrp1 (00:00:00:00:ff:02) towards the unresolved 2001:db8:1::99.
  const routed = encodeFrame({
    eth: {
      src: "00:00:00:00:ff:02",
      dst: "00:00:00:00:00:00",
      vlans: [],
      etherType: ETH_TYPE_IPV6,
      payload: E,
    },
    l3: {
      kind: "ipv6",
      ip: {
        trafficClass: 0,
        flowLabel: 0,
        hopLimit: 63,
        src: "fd00::11",
        dst: "2001:db8:1::99",
        extensions: [],
        protocol: IP_PROTO_UDP,
        payload: E,
        trailer: E,
      },
      l4: { kind: "udp", udp: { srcPort: 12345, dstPort: 9, payload: new Uint8Array(10) } },
    },
  });
  assert.equal(
    toHex(answer(routed, { kind: "nd_ns", actions: E })),
    "3333ff00009900000000ff0286dd6000000000203afffe80000000000000020000fffe00ff02ff0200000000000000000001ff00009987004d2c0000000020010db8000100000000000000000099010100000000ff02",
  );
});

test("nd_na_router to a DAD probe: to ::, router, solicited and override set", () => {
  const dad = encodeFrame({
    eth: {
      src: "f0:00:00:00:00:11",
      dst: "33:33:ff:00:00:01",
      vlans: [],
      etherType: ETH_TYPE_IPV6,
      payload: E,
    },
    l3: {
      kind: "ipv6",
      ip: {
        trafficClass: 0,
        flowLabel: 0,
        hopLimit: 255,
        src: "::",
        dst: "ff02::1:ff00:1",
        extensions: [],
        protocol: IP_PROTO_ICMPV6,
        payload: E,
        trailer: E,
      },
      l4: {
        kind: "icmp6",
        icmp: {
          type: ND_NEIGHBOR_SOLICIT,
          code: 0,
          body: encodeNd({ kind: "ns", reserved: 0, target: "fd00::1", options: [] }),
        },
      },
    },
  });
  const f = decodeFrame(answer(dad, { kind: "nd_na_router", actions: E }));
  assert.ok(f.ok && f.value.l3.kind === "ipv6" && f.value.l3.l4.kind === "icmp6");
  assert.equal(f.value.l3.ip.dst, "::");
  assert.equal(toHex(f.value.l3.l4.icmp.body.slice(0, 4)), "e0000000");
});

test("DHCPINFORM: the ACK carries the router and server id but no netmask, lease time, T1 or T2", () => {
  const chaddr = new Uint8Array(16);
  chaddr.set([0xf0, 0, 0, 0, 0, 0x11]);
  const inform = dhcp4Client({
    xid: 0x5504,
    ciaddr: "10.0.0.11",
    chaddr,
    options: [
      { code: DHCP_OPT_MSG_TYPE, data: Uint8Array.of(DHCP_INFORM) },
      { code: 255, data: E },
    ],
  });
  const frame = dhcp4Frame(inform, "10.0.0.11", "255.255.255.255");
  const opt = (code: number, ...data: number[]) => ({ code, data: Uint8Array.from(data) });
  const out = decodeFrame(
    answer(frame, {
      kind: "put_dhcp_opts",
      result,
      offerIp: "10.0.0.11",
      options: [
        opt(51, 0, 0, 14, 16),
        opt(1, 255, 255, 255, 0),
        opt(3, 10, 0, 0, 1),
        opt(54, 10, 0, 0, 1),
        opt(58, 0, 0, 7, 8),
      ],
    }),
  );
  assert.ok(out.ok && out.value.l3.kind === "ipv4" && out.value.l3.l4.kind === "udp");
  const d = decodeDhcp4(out.value.l3.l4.udp.payload);
  assert.ok(d.ok);
  assert.equal(d.value.yiaddr, "0.0.0.0");
  // The real controller's options: 53 (ACK), 3 (router), 54 (server id), then padding and the end.
  assert.deepEqual(
    d.value.options.filter((o) => o.code !== 0 && o.code !== 255).map((o) => o.code),
    [53, 3, 54],
  );
});

test("dns_lookup: only the first question is answered; a query with an EDNS OPT record is not", () => {
  const state = {
    ...EMPTY_STATE,
    dnsRecords: new Map([[1, new Map([["vm2.ovn.test", "10.0.0.12 fd00::12"]])]]),
  };
  const query = (questions: { name: string; type: number; class: number }[], opt: boolean) =>
    encodeFrame({
      eth: {
        src: "f0:00:00:00:00:11",
        dst: "00:00:00:00:ff:01",
        vlans: [],
        etherType: ETH_TYPE_IPV4,
        payload: E,
      },
      l3: {
        kind: "ipv4",
        ip: {
          tos: 0,
          ident: 0,
          flags: 2,
          fragOffset: 0,
          ttl: 64,
          protocol: IP_PROTO_UDP,
          src: "10.0.0.11",
          dst: "10.0.0.1",
          options: E,
          payload: E,
          trailer: E,
        },
        l4: {
          kind: "udp",
          udp: {
            srcPort: 33335,
            dstPort: 53,
            payload: encodeDns({
              id: 7,
              flags: DNS_RD,
              questions,
              answers: [],
              authorities: [],
              additionals: opt
                ? [{ name: "", type: 41, class: 1232, ttl: 0, data: { kind: "raw", bytes: E } }]
                : [],
            }),
          },
        },
      },
    });
  const lookup = (packet: Uint8Array) =>
    handlePacketIn({ packet, action: { kind: "dns_lookup", result }, md } as PacketIn, { state, nowMs: 0 });
  const a = { name: "vm2.ovn.test", type: 1, class: 1 };
  const aaaa = { ...a, type: 28 };
  const two = lookup(query([a, aaaa], false));
  const e = two.effects[0];
  assert.ok(e?.kind === "resume" && e.result?.value === 1);
  const f = decodeFrame(e.packet);
  assert.ok(f.ok && f.value.l3.kind === "ipv4" && f.value.l3.l4.kind === "udp");
  const d = decodeDns(f.value.l3.l4.udp.payload);
  assert.ok(d.ok);
  assert.deepEqual([d.value.questions.length, d.value.answers.map((x) => x.type)], [2, [1]]);
  const edns = lookup(query([a], true)).effects[0];
  assert.ok(edns?.kind === "resume" && edns.result?.value === 0, "resumed with the bit clear");
});

test("DHCP bootfile_name / bootfile_name_alt / next_server, on the real controller's userdata order", () => {
  const opt = (code: number, text: string | number[]) => ({
    code,
    data: typeof text === "string" ? new TextEncoder().encode(text) : Uint8Array.from(text),
  });
  // As the action encodes them: 67, 254, 253 first, then the rest.
  const options = [
    opt(67, "boot.efi"),
    opt(254, "boot.ipxe"),
    opt(253, [10, 0, 0, 69]),
    opt(3, [10, 0, 0, 1]),
  ];
  const offer = (extra: { code: number; data: Uint8Array }[]) => {
    const chaddr = new Uint8Array(16);
    chaddr.set([0xf0, 0, 0, 0, 0, 0x11]);
    const discover = dhcp4Client({
      xid: 1,
      chaddr,
      options: [{ code: DHCP_OPT_MSG_TYPE, data: Uint8Array.of(1) }, ...extra, { code: 255, data: E }],
    });
    const frame = dhcp4Frame(discover, "0.0.0.0", "255.255.255.255");
    const f = decodeFrame(answer(frame, { kind: "put_dhcp_opts", result, offerIp: "10.0.0.11", options }));
    assert.ok(f.ok && f.value.l3.kind === "ipv4" && f.value.l3.l4.kind === "udp");
    const d = decodeDhcp4(f.value.l3.l4.udp.payload);
    assert.ok(d.ok);
    const text = (code: number) =>
      new TextDecoder().decode(d.value.options.find((o) => o.code === code)?.data);
    return {
      siaddr: d.value.siaddr,
      codes: d.value.options.map((o) => o.code).filter((c) => c !== 0 && c !== 255),
      file: text(67),
    };
  };
  // Not iPXE: bootfile_name_alt's file, as option 67; next_server sets siaddr and is carried too.
  assert.deepEqual(offer([]), { siaddr: "10.0.0.69", codes: [53, 67, 253, 3], file: "boot.ipxe" });
  // iPXE (option 175 in the request): bootfile_name's file; the real controller then overlooks 253.
  assert.deepEqual(offer([{ code: 175, data: Uint8Array.of(1, 1, 1) }]), {
    siaddr: "0.0.0.0",
    codes: [53, 67, 253, 3],
    file: "boot.efi",
  });
});

test("periodic RA with route information: byte for byte the real controller's", () => {
  const ra = buildPeriodicRa({
    datapath: 1,
    port: 1,
    srcMac: "00:00:00:00:ff:01",
    srcIp: "fe80::200:ff:fe00:ff01",
    addressMode: "dhcpv6_stateful",
    prefixes: [{ prefix: "fd00::", length: 64 }],
    mtu: 1400,
    rdnss: ["fd00::53"],
    dnssl: ["ovn.test"],
    preference: "HIGH",
    routeInfo: "HIGH-aef1::11/48,LOW-aef2::11/96",
    minInterval: 3,
    maxInterval: 4,
  });
  assert.equal(
    toHex(ra),
    "33330000000100000000ff0186dd6000000000983afffe80000000000000020000fffe00ff01ff020000000000000000000000000001860085f2ff88ffff0000000000000000010100000000ff01050100000000057803044080ffffffffffffffff00000000fd00000000000000000000000000000019030000fffffffffd0000000000000000000000000000531f030000ffffffff036f766e04746573740000000000000018023008ffffffffaef100000000000018036018ffffffffaef20000000000000000000000000000",
  );
});

test("put_dhcpv6_opts: REPLY to DECLINE, nothing to RENEW, REBIND, RELEASE or a SOLICIT without IA_NA", () => {
  const mac = [0xf0, 0, 0, 0, 0, 0x11];
  const message = (type: number, ia: boolean) => {
    const payload = Uint8Array.from([
      type,
      0x12,
      0x34,
      0x56,
      ...[0, 1, 0, 10, 0, 3, 0, 1, ...mac],
      ...(ia ? [0, 3, 0, 12, 1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0] : []),
      ...[0, 8, 0, 2, 0, 0],
    ]);
    return encodeFrame({
      eth: {
        src: "f0:00:00:00:00:11",
        dst: "33:33:00:01:00:02",
        vlans: [],
        etherType: ETH_TYPE_IPV6,
        payload: E,
      },
      l3: {
        kind: "ipv6",
        ip: {
          trafficClass: 0,
          flowLabel: 0,
          hopLimit: 1,
          src: "fe80::f200:ff:fe00:11",
          dst: "ff02::1:2",
          extensions: [],
          protocol: IP_PROTO_UDP,
          payload: E,
          trailer: E,
        },
        l4: { kind: "udp", udp: { srcPort: 546, dstPort: 547, payload } },
      },
    });
  };
  const options = [
    { code: 5, data: Uint8Array.from([0xfd, 0, ...new Array(13).fill(0), 0x11]) },
    { code: 2, data: Uint8Array.of(0, 0, 0, 0, 0xff, 1) },
  ];
  const answered = (type: number, ia = true) => {
    const r = handlePacketIn(
      { packet: message(type, ia), action: { kind: "put_dhcpv6_opts", result, options }, md } as PacketIn,
      { state: EMPTY_STATE, nowMs: 0 },
    );
    const e = r.effects[0];
    assert.ok(e?.kind === "resume", r.counter);
    return e.result?.value === 1 ? (e.packet[62] as number) : 0;
  };
  // The reply's message type (the first byte of the DHCPv6 payload), 0 when resumed unanswered.
  assert.deepEqual(
    [1, 3, 4, 9, 5, 6, 8].map((t) => answered(t)),
    [2, 7, 7, 7, 0, 0, 0],
  );
  assert.equal(answered(1, false), 0, "SOLICIT without IA_NA");
  assert.equal(answered(11, false), 7, "INFORMATION-REQUEST needs none");
});

test("put_dhcpv6_opts reads a message as C: options walked leniently, IAID alone, server id not looked at", () => {
  const client = [0, 1, 0, 10, 0, 3, 0, 1, 0xf0, 0, 0, 0, 0, 0x11];
  // An IA_NA of 4 bytes still gives its IAID; an option running past the end still counts.
  assert.deepEqual(scanRequest(Uint8Array.from([1, 0, 0, 7, ...client, 0, 3, 0, 4, 1, 2, 3, 4])), {
    msgType: 1,
    transactionId: 7,
    clientId: Uint8Array.from(client.slice(4)),
    iaid: 0x01020304,
    rapidCommit: false,
  });
  const past = scanRequest(Uint8Array.from([1, 0, 0, 6, ...client, 0, 3, 0, 12, 9, 9, 9, 9, 0, 8, 0, 9, 0]));
  assert.equal(past?.iaid, 0x09090909);
  // No client id (or a message too short for one): resumed unanswered, not dropped.
  assert.equal(scanRequest(Uint8Array.of(1, 0, 0))?.clientId, undefined);
  assert.equal(scanRequest(new Uint8Array(0)), undefined);
});

test("DHCPREQUEST naming another server is ACKed (only the requested address decides)", () => {
  const chaddr = new Uint8Array(16);
  chaddr.set([0xf0, 0, 0, 0, 0, 0x11]);
  const request = dhcp4Client({
    xid: 0x5605,
    chaddr,
    options: [
      { code: DHCP_OPT_MSG_TYPE, data: Uint8Array.of(3) },
      { code: 50, data: Uint8Array.of(10, 0, 0, 11) },
      { code: 54, data: Uint8Array.of(10, 0, 0, 254) },
      { code: 255, data: E },
    ],
  });
  const frame = dhcp4Frame(request, "0.0.0.0", "255.255.255.255");
  const out = decodeFrame(
    answer(frame, {
      kind: "put_dhcp_opts",
      result,
      offerIp: "10.0.0.11",
      options: [{ code: 54, data: Uint8Array.of(10, 0, 0, 1) }],
    }),
  );
  assert.ok(out.ok && out.value.l3.kind === "ipv4" && out.value.l3.l4.kind === "udp");
  const d = decodeDhcp4(out.value.l3.l4.udp.payload);
  assert.ok(d.ok);
  assert.deepEqual(d.value.options[0], { code: DHCP_OPT_MSG_TYPE, data: Uint8Array.of(5) }, "ACK");
});

test("reject: port unreachable answers UDP only; an echo request is told host unreachable (v6: code 1)", () => {
  const probe = (v6: boolean, udp: boolean) =>
    encodeFrame({
      eth: {
        src: "f0:00:00:00:00:11",
        dst: "00:00:00:00:ff:01",
        vlans: [],
        etherType: v6 ? ETH_TYPE_IPV6 : ETH_TYPE_IPV4,
        payload: E,
      },
      l3: v6
        ? {
            kind: "ipv6",
            ip: {
              trafficClass: 0,
              flowLabel: 0,
              hopLimit: 64,
              src: "fd00::11",
              dst: "2001:db8:1::13",
              extensions: [],
              protocol: udp ? IP_PROTO_UDP : IP_PROTO_ICMPV6,
              payload: E,
              trailer: E,
            },
            l4: udp
              ? { kind: "udp", udp: { srcPort: 1, dstPort: 5555, payload: new Uint8Array(4) } }
              : { kind: "icmp6", icmp: { type: 128, code: 0, body: new Uint8Array(8) } },
          }
        : {
            kind: "ipv4",
            ip: {
              tos: 0,
              ident: 0,
              flags: 0,
              fragOffset: 0,
              ttl: 64,
              protocol: udp ? IP_PROTO_UDP : 1,
              src: "10.0.0.11",
              dst: "20.0.0.13",
              options: E,
              payload: E,
              trailer: E,
            },
            l4: udp
              ? { kind: "udp", udp: { srcPort: 1, dstPort: 5555, payload: new Uint8Array(4) } }
              : { kind: "icmp4", icmp: { type: 8, code: 0, rest: 0x00090001, data: new Uint8Array(8) } },
          },
    });
  const code = (v6: boolean, udp: boolean) => {
    const f = decodeFrame(answer(probe(v6, udp), { kind: "reject", actions: E }));
    assert.ok(f.ok && (f.value.l3.kind === "ipv4" || f.value.l3.kind === "ipv6"));
    const l4 = f.value.l3.l4;
    assert.ok(l4.kind === "icmp4" || l4.kind === "icmp6");
    return `${l4.icmp.type}/${l4.icmp.code}`;
  };
  assert.deepEqual(
    [code(false, true), code(false, false), code(true, true), code(true, false)],
    ["3/3", "3/1", "1/4", "1/1"],
  );
});

test("DHCPDISCOVER whose last option runs past the end is answered (the options before it count)", () => {
  const discover = dhcp4Client({
    xid: 0x560d,
    options: [{ code: DHCP_OPT_MSG_TYPE, data: Uint8Array.of(1) }],
  });
  const payload = Uint8Array.from([...discover, 12, 10, 0x61, 0x62]);
  const frame = dhcp4Frame(payload, "0.0.0.0", "255.255.255.255");
  const out = decodeFrame(
    answer(frame, { kind: "put_dhcp_opts", result, offerIp: "10.0.0.11", options: [] }),
  );
  assert.ok(out.ok && out.value.l3.kind === "ipv4" && out.value.l3.l4.kind === "udp");
  const d = decodeDhcp4(out.value.l3.l4.udp.payload);
  assert.ok(d.ok);
  assert.deepEqual(d.value.options[0], { code: DHCP_OPT_MSG_TYPE, data: Uint8Array.of(2) }, "OFFER");
});

test("DHCPREQUEST: the last requested-address option of 4 bytes counts", () => {
  const request = (options: { code: number; data: Uint8Array }[]) =>
    dhcp4Frame(
      dhcp4Client({
        xid: 0x5612,
        options: [{ code: DHCP_OPT_MSG_TYPE, data: Uint8Array.of(3) }, ...options, { code: 255, data: E }],
      }),
      "0.0.0.0",
      "255.255.255.255",
    );
  const replyType = (options: { code: number; data: Uint8Array }[]) => {
    const out = decodeFrame(
      answer(request(options), { kind: "put_dhcp_opts", result, offerIp: "10.0.0.11", options: [] }),
    );
    assert.ok(out.ok && out.value.l3.kind === "ipv4" && out.value.l3.l4.kind === "udp");
    const d = decodeDhcp4(out.value.l3.l4.udp.payload);
    assert.ok(d.ok);
    return d.value.options[0]?.data[0];
  };
  const ip = (...b: number[]) => ({ code: 50, data: Uint8Array.from(b) });
  assert.equal(replyType([ip(10, 0, 0, 99), ip(10, 0, 0, 11)]), 5, "ACK: the last one is ours");
  assert.equal(replyType([ip(10, 0, 0, 11), ip(10, 0, 0, 99)]), 6, "NAK: the last one is not");
  assert.equal(replyType([ip(10, 0, 0, 11), ip(10, 0, 0)]), 5, "a 3-byte one is passed over");
});
