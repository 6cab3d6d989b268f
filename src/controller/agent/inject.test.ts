// The packets the real ovn-controller 23.03 injected for these microflows (captured from the
// destination port's tx_pcap by src/controller/agent/peer/appctl.test.ts): ours must be the same bytes.
import assert from "node:assert/strict";
import { test } from "node:test";
import { toHex } from "../../packet/bytes.js";
import { injectionPacket } from "./inject.js";

const M1 = "00:00:00:00:00:01";
const M2 = "00:00:00:00:00:02";
const P =
  "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f";

const CASES: [string, string][] = [
  [
    `inport == "p1" && eth.src == ${M1} && eth.dst == ${M2} && ip4 && ip.ttl == 64 && ip4.src == 10.0.0.1 && ip4.dst == 10.0.0.2 && udp && udp.src == 53 && udp.dst == 4369`,
    `00000000000200000000000108004500005c000000004011668f0a0000010a000002003511110048f611${P}`,
  ],
  [
    `inport == "p1" && eth.src == ${M1} && eth.dst == ${M2} && ip4 && ip.ttl == 64 && ip4.src == 10.0.0.1 && ip4.dst == 10.0.0.2 && tcp && tcp.flags == 2 && tcp.src == 4360 && tcp.dst == 80`,
    "00000000000200000000000108004500002800000000400666ce0a0000010a000002110800500000000000000000500200008a880000",
  ],
  [
    `inport == "p1" && eth.src == ${M1} && eth.dst == ${M2} && ip4 && ip.ttl == 32 && ip4.src == 10.0.0.1 && ip4.dst == 10.0.0.2 && icmp4 && icmp4.type == 8 && icmp4.code == 0`,
    `00000000000200000000000108004500005c000000002001869f0a0000010a000002080013fc00000000${P}`,
  ],
  [
    `inport == "p1" && eth.src == ${M1} && eth.dst == ff:ff:ff:ff:ff:ff && arp.op == 1 && arp.sha == ${M1} && arp.spa == 10.0.0.1 && arp.tpa == 10.0.0.77`,
    "ffffffffffff000000000001080600010800060400010000000000010a0000010000000000000a00004d",
  ],
  [
    `inport == "p1" && eth.src == ${M1} && eth.dst == ${M2} && ip6 && ip.ttl == 64 && ip6.src == fd00::1 && ip6.dst == fd00::2 && udp && udp.src == 1000 && udp.dst == 2000`,
    `00000000000200000000000186dd6000000000481140fd000000000000000000000000000001fd00000000000000000000000000000203e807d00048159e${P}`,
  ],
];

test("inject-pkt packets: the real ovn-controller's bytes for UDP, TCP, ICMP, ARP and UDP over IPv6", () => {
  for (const [mf, hex] of CASES) {
    const r = injectionPacket(mf);
    assert.ok(r.ok, mf);
    assert.equal(r.inport, "p1");
    assert.equal(toHex(r.packet), hex, mf);
  }
});

test("inject-pkt refuses a microflow without inport, and one that does not parse", () => {
  const none = injectionPacket("ip4 && udp");
  assert.ok(!none.ok && /inport/.test(none.error));
  assert.ok(!injectionPacket('inport == "p1" && ip4.nonsense == 1').ok);
  assert.ok(!injectionPacket('inport == "p1" && ip4 && ip6').ok);
});
