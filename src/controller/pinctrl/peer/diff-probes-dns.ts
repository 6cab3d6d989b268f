// DNS probes of actions-diff.test.ts beyond the plain ones in diff-probes.ts: messages built byte by
// byte (authority records, other classes and types, truncation, compression, trailing bytes, responses,
// no question), record values that are not plain (IPv6 first, prefixes, words after the addresses, a
// PTR value ending in '.', a PTR query for a forward name), a second DNS row shared by sw0 and sw1, and
// a query over TCP (not intercepted: the router resets it). Unanswered ones use the barrier.
import { tcp4, tryDecode, udp4 } from "../../../../test/support/frames.js";
import { encodeDomainName } from "../../../packet/dns-name.js";
import type { Probe } from "./diff-probes.js";
import { R0, VM1, VM2, VM3 } from "./diff-topology.js";

const R1 = { mac: "00:00:00:00:ff:02", ip: "20.0.0.1" };

/** A DNS message: header words, then `rest` (questions and records, as bytes). */
function msg(
  id: number,
  flags: number,
  counts: [number, number, number, number],
  rest: number[],
): Uint8Array {
  const w = (n: number) => [(n >> 8) & 0xff, n & 0xff];
  return Uint8Array.from([...w(id), ...w(flags), ...counts.flatMap(w), ...rest]);
}

const name = (n: string) => [...encodeDomainName(n)];
/** A question: name, type, class. */
const q = (n: string, type: number, cls = 1) => [...name(n), 0, type, 0, cls];

/** The query `payload` from vm1 to the router (or from vm3 to lrp1), UDP port 53. */
function query(payload: Uint8Array, from: "vm1" | "vm3" = "vm1"): Uint8Array {
  const v = from === "vm1" ? { ...VM1, r: R0 } : { ...VM3, r: R1 };
  return udp4({ src: v.mac, dst: v.r.mac, sip: v.ip, dip: v.r.ip, sport: 33336, dport: 53, payload });
}

/**
 * The answer on the querier's VIF: UDP from port 53 to the probe's port, or (a query resumed
 * unanswered goes on to the router's address) the router's ICMP port unreachable.
 */
const answer = (f: Uint8Array): boolean => {
  const d = tryDecode(f);
  if (d === undefined || d.l3.kind !== "ipv4") return false;
  const l4 = d.l3.l4;
  return (l4.kind === "udp" && l4.udp.dstPort === 33336) || (l4.kind === "icmp4" && l4.icmp.type === 3);
};

/** The query as vm2 receives it (sent to vm2's address and left unanswered, it goes on to vm2). */
const forwarded = (f: Uint8Array): boolean => {
  const d = tryDecode(f);
  return d !== undefined && d.l3.kind === "ipv4" && d.l3.l4.kind === "udp" && d.l3.l4.udp.dstPort === 53;
};

const RD = 0x0100;

const CASES: readonly (readonly [string, Uint8Array, ("vm1" | "vm3")?])[] = [
  [
    "an A query with an authority record (NS ovn.test), copied before the answers",
    msg(
      0x4501,
      RD,
      [1, 0, 1, 0],
      [
        ...q("vm2.ovn.test", 1),
        ...name("ovn.test"),
        0,
        2,
        0,
        1,
        0,
        0,
        0,
        60,
        0,
        6,
        ...name("ns.x").slice(0, 6),
      ],
    ),
  ],
  ["an A query of class CH (answered as IN)", msg(0x4502, RD, [1, 0, 0, 0], q("vm2.ovn.test", 1, 3))],
  ["an MX query (type not answered)", msg(0x4503, RD, [1, 0, 0, 0], q("vm2.ovn.test", 15))],
  ["an A query for a name without a record", msg(0x4504, RD, [1, 0, 0, 0], q("nobody.ovn.test", 1))],
  ["a query cut inside its question", msg(0x4505, RD, [1, 0, 0, 0], q("vm2.ovn.test", 1).slice(0, 9))],
  ["a query without its type and class", msg(0x4506, RD, [1, 0, 0, 0], name("vm2.ovn.test"))],
  ["a query whose name is a compression pointer", msg(0x4507, RD, [1, 0, 0, 0], [0xc0, 0x0c, 0, 1, 0, 1])],
  ["a response (QR set) carrying a question", msg(0x4508, RD | 0x8000, [1, 0, 0, 0], q("vm2.ovn.test", 1))],
  ["a message without questions", msg(0x4509, RD, [0, 0, 0, 0], [])],
  [
    "an A query with bytes after the question",
    msg(0x450a, RD, [1, 0, 0, 0], [...q("vm2.ovn.test", 1), 1, 2, 3]),
  ],
  [
    "a PTR query for a forward name (the addresses as a name)",
    msg(0x450b, RD, [1, 0, 0, 0], q("vm2.ovn.test", 12)),
  ],
  [
    "an A query for a reverse name (a name, not an address)",
    msg(0x450c, RD, [1, 0, 0, 0], q("12.0.0.10.in-addr.arpa", 1)),
  ],
  [
    "an ANY query, value 'fd00::15 10.0.0.15/24 10.0.0.16 x 10.0.0.17' (second DNS row)",
    msg(0x450d, RD, [1, 0, 0, 0], q("vm5.ovn.test", 255)),
  ],
  ["an AAAA query, value 'fd00::15 10.0.0.15/24 …'", msg(0x450e, RD, [1, 0, 0, 0], q("Vm5.Ovn.Test", 28))],
  [
    "a PTR query, value 'vm5.ovn.test.' (ends in a dot)",
    msg(0x450f, RD, [1, 0, 0, 0], q("15.0.0.10.in-addr.arpa", 12)),
  ],
  [
    "an A query for a name whose value is not an address ('junk 10.0.0.18')",
    msg(0x4510, RD, [1, 0, 0, 0], q("junk.ovn.test", 1)),
  ],
  [
    "an A query with two questions, the first unknown",
    msg(0x4511, RD, [2, 0, 0, 0], [...q("nobody.ovn.test", 1), ...q("vm2.ovn.test", 1)]),
  ],
  [
    "from vm3 on sw1: a query for the shared row's name",
    msg(0x4512, RD, [1, 0, 0, 0], q("vm5.ovn.test", 1)),
    "vm3",
  ],
  [
    "from vm3 on sw1: a query for a name only sw0's row has",
    msg(0x4513, RD, [1, 0, 0, 0], q("vm2.ovn.test", 1)),
    "vm3",
  ],
  ["a query with flags AA, TC, CD and a non-zero Z", msg(0x4514, 0x0770, [1, 0, 0, 0], q("vm2.ovn.test", 1))],
];

/** Queries to vm2's address that are left unanswered: what reaches vm2. */
const TO_VM2: readonly (readonly [string, Uint8Array])[] = [
  ["a query cut inside its question", msg(0x4601, RD, [1, 0, 0, 0], q("vm2.ovn.test", 1).slice(0, 9))],
  ["an MX query", msg(0x4602, RD, [1, 0, 0, 0], q("vm2.ovn.test", 15))],
  ["an A query for a name without a record", msg(0x4603, RD, [1, 0, 0, 0], q("nobody.ovn.test", 1))],
  ["a 5-byte message (shorter than a header)", Uint8Array.of(0x46, 0x04, 1, 0, 0)],
];

export const DNS_PROBES: readonly Probe[] = [
  ...TO_VM2.map(
    ([what, payload]): Probe => ({
      name: `DNS to vm2's address, not answered, reaches vm2: ${what}`,
      from: "vm1",
      frame: udp4({ src: VM1.mac, dst: VM2.mac, sip: VM1.ip, dip: VM2.ip, sport: 33338, dport: 53, payload }),
      on: "vm2",
      barrier: true,
      match: forwarded,
    }),
  ),
  ...CASES.map(
    ([what, payload, from = "vm1"]): Probe => ({
      name: `DNS: ${what}`,
      from,
      frame: query(payload, from),
      on: from,
      barrier: true,
      match: answer,
    }),
  ),
  ...(
    [
      ["vm2's address 10.0.0.12", VM2.mac, VM2.ip, 0x4701],
      ["an outside resolver 8.8.8.8 (through the router)", R0.mac, "8.8.8.8", 0x4702],
    ] as const
  ).map(
    ([what, mac, ip, id]): Probe => ({
      name: `DNS: an A query sent to ${what}, answered by OVN in its name`,
      from: "vm1",
      frame: udp4({
        src: VM1.mac,
        dst: mac,
        sip: VM1.ip,
        dip: ip,
        sport: 33340,
        dport: 53,
        payload: msg(id, RD, [1, 0, 0, 0], q("vm2.ovn.test", 1)),
      }),
      on: "vm1",
      barrier: true,
      match: (f) => {
        const d = tryDecode(f);
        return (
          d !== undefined && d.l3.kind === "ipv4" && d.l3.l4.kind === "udp" && d.l3.l4.udp.dstPort === 33340
        );
      },
    }),
  ),
  {
    name: "DNS: a query over TCP (not intercepted; the router resets it)",
    from: "vm1",
    frame: tcp4({ src: VM1.mac, dst: R0.mac, sip: VM1.ip, dip: R0.ip, sport: 33337, dport: 53 }),
    on: "vm1",
    match: (f) => {
      const d = tryDecode(f);
      return (
        d !== undefined && d.l3.kind === "ipv4" && d.l3.l4.kind === "tcp" && d.l3.l4.tcp.dstPort === 33337
      );
    },
  },
];
