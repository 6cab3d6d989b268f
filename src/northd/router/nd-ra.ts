// lr_in_nd_ra_options and lr_in_nd_ra_response: IPv6 router advertisements in reply to router
// solicitations, for ports with ipv6_ra_configs:address_mode (ovn-northd(8) ingress tables 10 and 11).
import type { StageBuilder } from "../lflow/api.js";
import type { RouterPort } from "../model.js";
import { globalV6, linkLocal, portHint, q, routerStage } from "./util.js";

const ADDRESS_MODES = new Set(["slaac", "dhcpv6_stateful", "dhcpv6_stateless"]);

/** The put_nd_ra_opts arguments of a port, or undefined when it sends no RAs. */
export function raOptions(p: RouterPort): string | undefined {
  const cfg = p.nb.ipv6RaConfigs;
  const mode = cfg.get("address_mode");
  if (mode === undefined || !ADDRESS_MODES.has(mode)) return undefined;
  const prefixes = globalV6(p);
  if (prefixes.length === 0) return undefined;
  const opts = [`addr_mode = "${mode}"`, `slla = ${p.networks.macS}`];
  const mtu = cfg.get("mtu");
  if (mtu !== undefined && /^[0-9]+$/.test(mtu) && Number(mtu) >= 1280) opts.push(`mtu = ${mtu}`);
  const pref = cfg.get("router_preference");
  if (pref === "HIGH" || pref === "LOW") opts.push(`router_preference = "${pref}"`);
  const rdnss = cfg.get("rdnss");
  if (rdnss !== undefined) opts.push(`rdnss = ${rdnss}`);
  const dnssl = cfg.get("dnssl");
  if (dnssl !== undefined) opts.push(`dnssl = "${dnssl}"`);
  const routeInfo = cfg.get("route_info");
  if (routeInfo !== undefined) opts.push(`route_info = "${routeInfo}"`);
  for (const n of prefixes) opts.push(`prefix = ${n.networkS}/${n.plen}`);
  return opts.join(", ");
}

export const ndRa: StageBuilder = routerStage("lr_in_nd_ra", (lr, _model, emit) => {
  emit("lr_in_nd_ra_options", 0, "1", "next;");
  emit("lr_in_nd_ra_response", 0, "1", "next;");
  for (const p of lr.ports) {
    const opts = raOptions(p);
    const lla = linkLocal(p);
    if (opts === undefined || lla === undefined) continue;
    const inport = `inport == ${q(p.name)}`;
    emit(
      "lr_in_nd_ra_options",
      50,
      `${inport} && ip6.dst == ff02::2 && nd_rs`,
      `reg0[5] = put_nd_ra_opts(${opts}); next;`,
      portHint(p),
    );
    emit(
      "lr_in_nd_ra_response",
      50,
      `${inport} && ip6.dst == ff02::2 && nd_ra && reg0[5]`,
      `eth.dst = eth.src; eth.src = ${p.networks.macS}; ip6.dst = ip6.src; ip6.src = ${lla.addrS}; outport = inport; flags.loopback = 1; output;`,
      portHint(p),
    );
  }
});
