// NAT stages: lr_in_unsnat, lr_in_dnat, lr_out_chk_dnat_local, lr_out_undnat, lr_out_post_undnat,
// lr_out_snat, lr_out_egr_loop (ovn-northd(8) ingress tables 4 and 7, egress tables 0-5), for gateway
// routers (options:chassis: one conntrack zone per direction) and for distributed routers (NAT on the
// distributed gateway port, in the common zone, on the gateway chassis or — for floating IPs — on the
// chassis of the logical port). Load balancer flows of the same stages are in ./lb.ts.
import { ctBits } from "../features.js";
import type { StageBuilder } from "../lflow/api.js";
import type { NorthdModel, RouterDatapath } from "../model.js";
import { type RouterNat, routerNats } from "./nat-model.js";
import { type Emit, q, routerStage } from "./util.js";

/** Routers whose NAT rules take effect: gateway routers and routers with a distributed gateway port. */
export function natActive(lr: RouterDatapath): boolean {
  return lr.isGatewayRouter || lr.l3dgwPorts.length > 0;
}

function fam(n: RouterNat): "ip4" | "ip6" {
  return n.family === 4 ? "ip4" : "ip6";
}

/** The SNAT target: "IP" or "IP,PORTRANGE". */
function snatTarget(n: RouterNat): string {
  return n.portRange === "" ? n.externalIp : `${n.externalIp},${n.portRange}`;
}

/** The DNAT target: "IP" or "IP,PORTRANGE". */
function dnatTarget(n: RouterNat): string {
  return n.portRange === "" ? n.logicalIp : `${n.logicalIp},${n.portRange}`;
}

/** ` && ip4.src == $AS` (DNAT side) or ` && ip4.dst == $AS` (SNAT side) for allowed_ext_ips. */
function allowed(n: RouterNat, side: "src" | "dst"): string {
  return n.allowedAs === undefined ? "" : ` && ${fam(n)}.${side} == $${n.allowedAs}`;
}

/** Addresses of options:dnat_force_snat_ip / lb_force_snat_ip (an IPv4 and/or an IPv6 address). */
export function forceSnatIps(lr: RouterDatapath, key: string): { family: 4 | 6; ip: string }[] {
  const v = lr.nb.options.get(key);
  if (v === undefined || v === "router_ip") return [];
  const out: { family: 4 | 6; ip: string }[] = [];
  for (const w of v.trim().split(/\s+/)) {
    if (w === "") continue;
    out.push({ family: w.includes(":") ? 6 : 4, ip: w });
  }
  return out;
}

function gatewayRouterNat(lr: RouterDatapath, nats: readonly RouterNat[], emit: Emit): void {
  const forceDnat = forceSnatIps(lr, "dnat_force_snat_ip");
  for (const { family, ip } of forceDnat) {
    const f = family === 4 ? "ip4" : "ip6";
    emit("lr_in_unsnat", 110, `${f} && ${f}.dst == ${ip}`, "ct_snat;");
    emit("lr_out_snat", 100, `flags.force_snat_for_dnat == 1 && ${f}`, `ct_snat(${ip});`);
  }
  for (const n of nats) {
    const hint = { hint: n.nb._uuid };
    const f = fam(n);
    if (n.isSnat) {
      emit("lr_in_unsnat", 90, `ip && ${f}.dst == ${n.externalIp}`, n.stateless ? "next;" : "ct_snat;", hint);
      const src = `ip && ${f}.src == ${n.logicalIp}${allowed(n, "dst")}`;
      emit(
        "lr_out_snat",
        n.logicalPlen + 1,
        n.stateless ? src : `${src} && (!ct.trk || !ct.rpl)`,
        n.stateless ? `${f}.src=${n.externalIp}; next;` : `ct_snat(${snatTarget(n)});`,
        hint,
      );
      if (n.exemptedAs !== undefined)
        emit(
          "lr_out_snat",
          n.logicalPlen + 3,
          `ip && ${f}.src == ${n.logicalIp} && ${f}.dst == $${n.exemptedAs}`,
          "next;",
          hint,
        );
    }
    if (n.isDnat) {
      // Any dnat_force_snat_ip sets the flag, also on DNAT of the other address family (ovn-northd 23.03
      // does; lr_out_snat then has no flow for that family and the packet leaves unSNATed).
      const force = forceDnat.length > 0 ? "flags.force_snat_for_dnat = 1; " : "";
      if (n.exemptedAs !== undefined)
        emit(
          "lr_in_dnat",
          102,
          `ip && ${f}.dst == ${n.externalIp} && ${f}.src == $${n.exemptedAs}`,
          "next;",
          hint,
        );
      emit(
        "lr_in_dnat",
        100,
        `ip && ${f}.dst == ${n.externalIp}${allowed(n, "src")}`,
        n.stateless
          ? `${force}flags.loopback = 1; ${f}.dst=${n.logicalIp}; next;`
          : `${force}flags.loopback = 1; ct_dnat(${dnatTarget(n)});`,
        hint,
      );
    }
  }
}

function distributedRouterNat(nats: readonly RouterNat[], emit: Emit): void {
  for (const n of nats) {
    const gw = n.gw;
    if (gw === undefined || gw.crPort === undefined) continue;
    const hint = { hint: n.nb._uuid };
    const f = fam(n);
    const inport = `inport == ${q(gw.name)}`;
    const outport = `outport == ${q(gw.name)}`;
    // Where the rule is applied: the floating IP's chassis or the gateway chassis.
    const where = `is_chassis_resident(${q(n.distributed && n.logicalPort !== undefined ? n.logicalPort : gw.crPort.name)})`;
    const gwOnly = n.distributed ? "" : ` && is_chassis_resident(${q(gw.crPort.name)})`;
    const ethSrc = n.distributed && n.externalMac !== undefined ? `eth.src = ${n.externalMac}; ` : "";

    emit(
      "lr_out_chk_dnat_local",
      50,
      `ip && ${f}.dst == ${n.externalIp} && ${where}`,
      "reg9[4] = 1; next;",
      hint,
    );
    emit(
      "lr_out_egr_loop",
      100,
      `${f}.dst == ${n.externalIp} && ${outport} && ${where}`,
      'clone { ct_clear; inport = outport; outport = ""; eth.dst <-> eth.src; flags = 0; flags.loopback = 1; flags.use_snat_zone = reg9[4]; reg0 = 0; reg1 = 0; reg2 = 0; reg3 = 0; reg4 = 0; reg5 = 0; reg6 = 0; reg7 = 0; reg8 = 0; reg9 = 0; reg9[0] = 1; next(pipeline=ingress, table=0); };',
      hint,
    );
    if (n.isSnat) {
      const dst = `ip && ${f}.dst == ${n.externalIp} && ${inport}`;
      emit(
        "lr_in_unsnat",
        100,
        `${dst} && flags.loopback == 0${gwOnly}`,
        n.stateless ? "next;" : "ct_snat_in_czone;",
        hint,
      );
      // Stateless rules have no SNAT zone to go through.
      if (!n.stateless)
        emit(
          "lr_in_unsnat",
          100,
          `${dst} && flags.loopback == 1 && flags.use_snat_zone == 1${gwOnly}`,
          "ct_snat;",
          hint,
        );
      const prio = n.logicalPlen + 1 + 128;
      const base = `ip && ${f}.src == ${n.logicalIp} && ${outport} && ${where}`;
      const src = `${base}${allowed(n, "dst")}`;
      emit(
        "lr_out_snat",
        prio,
        src,
        `${ethSrc}${n.stateless ? `${f}.src=${n.externalIp}; next;` : `ct_snat_in_czone(${snatTarget(n)});`}`,
        hint,
      );
      if (!n.stateless)
        emit(
          "lr_out_snat",
          prio + 1,
          `${src} && reg9[4] == 1`,
          `${ethSrc}reg9[4] = 0; ct_snat(${snatTarget(n)});`,
          hint,
        );
      if (n.exemptedAs !== undefined)
        emit("lr_out_snat", prio + 2, `${base} && ${f}.dst == $${n.exemptedAs}`, "next;", hint);
    }
    if (n.isDnat) {
      if (n.exemptedAs !== undefined)
        emit(
          "lr_in_dnat",
          102,
          `ip && ${f}.dst == ${n.externalIp} && ${inport}${gwOnly} && ${f}.src == $${n.exemptedAs}`,
          "next;",
          hint,
        );
      emit(
        "lr_in_dnat",
        100,
        `ip && ${f}.dst == ${n.externalIp} && ${inport}${gwOnly}${allowed(n, "src")}`,
        n.stateless ? `${f}.dst=${n.logicalIp}; next;` : `ct_dnat_in_czone(${dnatTarget(n)});`,
        hint,
      );
      emit(
        "lr_out_undnat",
        100,
        `ip && ${f}.src == ${n.logicalIp} && ${outport}${gwOnly}`,
        `${ethSrc}${n.stateless ? "next;" : "ct_dnat_in_czone;"}`,
        hint,
      );
    }
  }
}

/** Gateway routers send everything through conntrack when they NAT or load balance. */
function gatewayRouterCommon(lr: RouterDatapath, model: NorthdModel, emit: Emit): void {
  const hasLb = lr.loadBalancers.some((lb) => lb.vips.length > 0);
  if (routerNats(lr, model).length === 0 && !hasLb) return;
  emit("lr_out_undnat", 100, "nd || nd_rs || nd_ra", "next;");
  emit("lr_out_undnat", 50, "ip", "flags.loopback = 1; ct_dnat;");
  emit("lr_out_post_undnat", 50, "ip && ct.new", "ct_commit { } ; next; ");
}

export const natStages: readonly StageBuilder[] = [
  routerStage("lr_nat_defaults", (_lr, _model, emit) => {
    emit("lr_in_unsnat", 0, "1", "next;");
    emit("lr_in_defrag", 0, "1", "next;");
    emit("lr_in_lb_aff_check", 0, "1", "next;");
    emit("lr_in_dnat", 0, "1", "next;");
    emit("lr_in_lb_aff_learn", 0, "1", "next;");
    emit("lr_in_ecmp_stateful", 0, "1", "next;");
    emit("lr_out_chk_dnat_local", 0, "1", "reg9[4] = 0; next;");
    emit("lr_out_undnat", 0, "1", "next;");
    emit("lr_out_post_undnat", 0, "1", "next;");
    emit("lr_out_snat", 0, "1", "next;");
    emit("lr_out_snat", 120, "nd_ns", "next;");
    emit("lr_out_post_snat", 0, "1", "next;");
    emit("lr_out_egr_loop", 0, "1", "next;");
  }),
  routerStage("lr_nat", (lr, model, emit) => {
    if (!natActive(lr)) return;
    const nats = routerNats(lr, model);
    if (nats.length > 0)
      emit("lr_out_chk_dnat_local", 50, `ip && ${ctBits(model.features)}.natted == 1`, "reg9[4] = 1; next;", {
        hint: lr.nb._uuid,
      });
    if (lr.isGatewayRouter) {
      gatewayRouterNat(lr, nats, emit);
      gatewayRouterCommon(lr, model, emit);
    } else {
      distributedRouterNat(nats, emit);
    }
  }),
];
