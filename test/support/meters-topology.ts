// The NB configuration of the meter peer tests (src/controller/meters/peer, test/scenarios/peer/meters):
// one switch with two VIFs on the stack's first chassis, and meters of every kind the controller
// installs — ACL log meters (pktps; kbps with burst), a CoPP meter on reject, QoS set_meter with and
// without burst — plus one meter nothing uses.
import type { Stack } from "./chassis.js";

export async function meterTopology(s: Stack): Promise<void> {
  const h = s.hv[0] as Stack["hv"][0];
  await s.nbctl("ls-add", "sw0");
  for (const [p, n] of [
    ["p1", 1],
    ["p2", 2],
  ] as const) {
    await s.nbctl("lsp-add", "sw0", p, "--", "lsp-set-addresses", p, `f0:00:00:00:00:0${n} 10.0.0.${n}`);
    await h.addVif(p);
  }
  await s.nbctl("meter-add", "acl-meter", "drop", "10", "pktps");
  await s.nbctl("meter-add", "kb-meter", "drop", "1000", "kbps", "200");
  await s.nbctl("meter-add", "reject-meter", "drop", "7", "pktps");
  await s.nbctl("meter-add", "idle-meter", "drop", "3", "pktps");
  for (const [prio, match, meter] of [
    ["1000", "ip4.dst == 10.0.0.2 && udp", "acl-meter"],
    ["1001", "ip4.dst == 10.0.0.2 && tcp", "kb-meter"],
  ] as const)
    await s.nbctl("--log", `--meter=${meter}`, "acl-add", "sw0", "to-lport", prio, match, "allow");
  await s.nbctl("acl-add", "sw0", "from-lport", "900", "tcp && tcp.dst == 23", "reject");
  await s.nbctl("copp-add", "copp0", "reject", "reject-meter");
  await s.nbctl("ls-copp-add", "copp0", "sw0");
  await s.nbctl("qos-add", "sw0", "from-lport", "100", 'inport == "p1"', "rate=100", "burst=50");
  await s.nbctl("qos-add", "sw0", "from-lport", "101", 'inport == "p2"', "rate=200");
}
