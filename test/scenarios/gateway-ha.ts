// The gateway-HA topology the BFD scenario files share (test/scenarios/peer/bfd*.test.ts): ls1 with vm1
// behind router lr1, whose gateway port lr1-ext (on switch ext) has hv1 as gateway chassis (priority 20);
// and how to read a chassis's BFD state.
import type { Stack } from "../support/chassis.js";
import { routerPeer } from "./matrix.js";

type Hv = Stack["hv"][0];

export async function gatewayRouter(s: Stack): Promise<void> {
  await s.nbctl("ls-add", "ls1");
  await s.nbctl("lsp-add", "ls1", "vm1", "--", "lsp-set-addresses", "vm1", "f0:00:00:00:00:01 10.0.0.5");
  await s.nbctl("lr-add", "lr1");
  await s.nbctl("lrp-add", "lr1", "lr1-ls1", "00:00:00:00:ff:01", "10.0.0.1/24");
  await routerPeer(s, "ls1", "ls1-lr1", "lr1-ls1");
  await s.nbctl("ls-add", "ext");
  await s.nbctl("lrp-add", "lr1", "lr1-ext", "00:00:00:00:ff:02", "172.16.0.1/24");
  await routerPeer(s, "ext", "ext-lr1", "lr1-ext");
  await s.nbctl("lrp-set-gateway-chassis", "lr1-ext", "hv1", "20");
}

/** bfd_status:state of h's tunnel to chassis `to` (the interface named ovn-<to>-N). */
export async function bfdState(h: Hv, to: string): Promise<string> {
  const out = await h.vsctl("--bare", "--columns=name,bfd_status", "find", "Interface", "options:key=flow");
  const lines = out.split("\n");
  const at = lines.findIndex((l) => new RegExp(`^ovn-${to}-\\d+$`).test(l.trim()));
  return /(?:^|\s)state=(\S+)/.exec(lines[at + 1] ?? "")?.[1] ?? "";
}
