// Load balancing on routers: lr_in_defrag, the LB part of lr_in_dnat, lr_in_unsnat, lr_out_undnat and
// lr_out_snat, and the force-SNAT options of gateway routers (ovn-northd(8) ingress tables 4, 5, 7,
// egress tables 1 and 3). Load balancers act on gateway routers and on routers with a distributed
// gateway port (there only on the gateway chassis), and — as ovn-northd 23.03 writes them — on plain
// distributed routers too.

import { ctBits, ctLb } from "../features.js";
import { affinityVip, emptyLbEvent, hashFieldsOf } from "../lb.js";
import type { StageBuilder } from "../lflow/api.js";
import type { LbBackend, LbVip, LoadBalancer, NorthdModel, RouterDatapath } from "../model.js";
import { liveBackends } from "../switch/lb.js";
import { forceSnatIps } from "./nat.js";
import { routerNats } from "./nat-model.js";
import { type Emit, globalV6, q, residentOf, routerStage } from "./util.js";

function backendsText(backends: readonly LbBackend[]): string {
  return backends
    .map((b) => {
      const ip = b.family === 6 && b.port !== undefined ? `[${b.ip}]` : b.ip;
      return b.port === undefined ? ip : `${ip}:${b.port}`;
    })
    .join(",");
}

function skipSnat(lb: LoadBalancer): boolean {
  return lb.nb.options.get("skip_snat") === "true";
}

/**
 * The router force-SNATs load-balanced traffic (to given addresses or to the port's own). ovn-northd
 * flags the connections on a distributed router too when given addresses (router_ip is for gateway
 * routers only; so are the SNAT flows).
 */
function lbForceSnat(lr: RouterDatapath): boolean {
  if (!lr.isGatewayRouter) return forceSnatIps(lr, "lb_force_snat_ip").length > 0; // not router_ip
  const v = lr.nb.options.get("lb_force_snat_ip");
  return v !== undefined && v !== "";
}

/** The first IPv4 and first non-link-local IPv6 address of each port, for lb_force_snat_ip=router_ip. */
function routerIpFlows(lr: RouterDatapath, emit: Emit): void {
  for (const p of lr.ports) {
    const v4 = p.networks.ipv4[0];
    if (v4 !== undefined) {
      emit("lr_in_unsnat", 110, `inport == ${q(p.name)} && ip4.dst == ${v4.addrS}`, "ct_snat;");
      emit(
        "lr_out_snat",
        110,
        `flags.force_snat_for_lb == 1 && ip4 && outport == ${q(p.name)}`,
        `ct_snat(${v4.addrS});`,
      );
    }
    const v6 = globalV6(p)[0];
    if (v6 !== undefined) {
      emit("lr_in_unsnat", 110, `inport == ${q(p.name)} && ip6.dst == ${v6.addrS}`, "ct_snat;");
      emit(
        "lr_out_snat",
        110,
        `flags.force_snat_for_lb == 1 && ip6 && outport == ${q(p.name)}`,
        `ct_snat(${v6.addrS});`,
      );
    }
  }
}

function forceSnatOptions(lr: RouterDatapath, emit: Emit): void {
  if (!lr.isGatewayRouter) return;
  if (lr.nb.options.get("lb_force_snat_ip") === "router_ip") {
    routerIpFlows(lr, emit);
    return;
  }
  for (const { family, ip } of forceSnatIps(lr, "lb_force_snat_ip")) {
    const f = family === 4 ? "ip4" : "ip6";
    emit("lr_in_unsnat", 110, `${f} && ${f}.dst == ${ip}`, "ct_snat;");
    emit("lr_out_snat", 100, `flags.force_snat_for_lb == 1 && ${f}`, `ct_snat(${ip});`);
  }
}

/** options:affinity_timeout, when a positive number of seconds. */
function affinityTimeout(lb: LoadBalancer): number | undefined {
  const t = lb.nb.options.get("affinity_timeout");
  if (t === undefined || !/^[0-9]+$/.test(t)) return undefined;
  const n = Number(t);
  return n > 0 ? n : undefined;
}

interface SnatMode {
  /** Flag setting before ct_lb_mark. */
  readonly pre: string;
  /** Argument appended to ct_lb_mark's backends. */
  readonly post: string;
}

/**
 * How load-balanced connections are SNATed on this router. The ct_lb flag argument (which marks the
 * connection so that its related traffic is SNATed too) only for controllers with ct-lb-related.
 */
function snatMode(lr: RouterDatapath, lb: LoadBalancer, ctFlag = true): SnatMode {
  if (skipSnat(lb)) return { pre: "flags.skip_snat_for_lb = 1; ", post: ctFlag ? "; skip_snat" : "" };
  if (lbForceSnat(lr)) return { pre: "flags.force_snat_for_lb = 1; ", post: ctFlag ? "; force_snat" : "" };
  return { pre: "", post: "" };
}

/**
 * How a remembered session (affinity hit) is SNATed: unlike a new one (snatMode), the router's
 * lb_force_snat_ip wins over the LB's skip_snat, as ovn-northd 23.03 writes it.
 */
function affinityMode(lr: RouterDatapath, lb: LoadBalancer): SnatMode {
  if (lbForceSnat(lr)) return { pre: "flags.force_snat_for_lb = 1; ", post: "; force_snat" };
  if (skipSnat(lb)) return { pre: "flags.skip_snat_for_lb = 1; ", post: "; skip_snat" };
  return { pre: "", post: "" };
}

/**
 * Session affinity (never restricted to the gateway chassis: the check only reads the affinity
 * table, the DNAT itself stays resident): lr_in_lb_aff_check looks the client up (chk_lb_aff); a hit goes straight to its
 * backend at priority 150 in lr_in_dnat; lr_in_lb_aff_learn remembers new sessions.
 */
function affinityFlows(lb: LoadBalancer, v: LbVip, timeout: number, mode: SnatMode, emit: Emit): void {
  const hint = { hint: lb.uuid };
  // The check matches the VIP's own family; everything else as affinityVip sees it.
  const mf = v.family === 4 ? "ip4" : "ip6";
  const proto = lb.protocol;
  const l4 = v.port === undefined ? "" : ` && ${proto} && ${proto}.dst == ${v.port}`;
  v = affinityVip(lb, v);
  const f = v.family === 4 ? "ip4" : "ip6";
  const reg = v.family === 4 ? "reg0" : "xxreg0";
  const breg = v.family === 4 ? "reg4" : "xxreg1";
  const portSave = v.port === undefined ? "" : ` reg9[16..31] = ${proto}.dst;`;
  emit(
    "lr_in_lb_aff_check",
    100,
    `ct.new && !ct.rel && ${mf} && ${mf}.dst == ${v.ip}${l4}`,
    `${reg} = ${f}.dst;${portSave} reg9[6] = chk_lb_aff(); next;`,
    hint,
  );
  const addr = (ip: string, port: number | string | undefined): string =>
    port === undefined ? ip : v.family === 6 ? `[${ip}]:${port}` : `${ip}:${port}`;
  for (const b of v.backends) {
    const bport = b.port === undefined ? "" : ` && reg8[0..15] == ${b.port}`;
    emit(
      "lr_in_dnat",
      150,
      `reg9[6] == 1 && ct.new && ${f} && ${breg} == ${b.ip}${bport}`,
      `${reg} = ${v.ip}; ${mode.pre}ct_lb_mark(backends=${addr(b.ip, b.port)}${mode.post});`,
      hint,
    );
    const vport = v.port === undefined ? "" : ` && reg9[16..31] == ${v.port}`;
    const bdst = b.port === undefined ? "" : ` && ${proto}.dst == ${b.port}`;
    emit(
      "lr_in_lb_aff_learn",
      100,
      `reg9[6] == 0 && ct.new && ${f} && ${reg} == ${v.ip}${vport} && ${f}.dst == ${b.ip}${bdst}`,
      `commit_lb_aff(vip = "${addr(v.ip, v.port)}", backend = "${addr(b.ip, b.port)}"${v.port === undefined ? "" : `, proto = ${proto}`}, timeout = ${timeout}); /* drop */`,
      hint,
    );
  }
}

function vipFlows(
  lr: RouterDatapath,
  model: NorthdModel,
  lb: LoadBalancer,
  v: LbVip,
  emit: Emit,
  natIps: ReadonlySet<string>,
): void {
  const hint = { hint: lb.uuid };
  const f = v.family === 4 ? "ip4" : "ip6";
  const proto = lb.protocol;
  const l4 = v.port === undefined ? "" : ` && ${proto} && ${proto}.dst == ${v.port}`;
  const dgp = lr.isGatewayRouter ? undefined : lr.l3dgwPorts[0];
  const resident = dgp === undefined ? undefined : residentOf(dgp);
  const onGw = resident === undefined ? "" : ` && ${resident}`;
  emit("lr_in_defrag", 100, `ip && ${f}.dst == ${v.ip}`, "ct_dnat;", hint);
  const mode = snatMode(lr, lb, model.features.ctLbRelated);
  // With a health check, only the backends whose service monitors are not offline (as on switches).
  const live = liveBackends(lb, v, model);
  // A VIP without (live) backends drops, or with options:reject answers with a reset/unreachable
  // (everywhere).
  const reject = live.length === 0 && lb.nb.options.get("reject") === "true";
  // The SNAT flag goes before a reject or drop too.
  const actions = reject
    ? `${mode.pre}reg0 = 0; reject { outport <-> inport; next(pipeline=egress,table=3);};`
    : live.length === 0
      ? `${mode.pre}drop;`
      : `${mode.pre}${ctLb(model.features)}(backends=${backendsText(live)}${hashFieldsOf(lb)}${mode.post});`;
  emit(
    "lr_in_dnat",
    v.port === undefined ? 110 : 120,
    `ct.new && !ct.rel && ${f} && ${f}.dst == ${v.ip}${l4}${reject ? "" : onGw}`,
    actions,
    hint,
  );
  const event = emptyLbEvent(lb, v, model);
  if (event !== undefined) emit("lr_in_dnat", 130, event.match, event.actions, hint);
  const timeout = affinityTimeout(lb);
  if (timeout !== undefined && v.backends.length > 0)
    affinityFlows(lb, v, timeout, affinityMode(lr, lb), emit);
  // A VIP that is also a NAT address must not be unSNATed.
  if (natIps.has(v.ip))
    emit(
      "lr_in_unsnat",
      120,
      `${f} && ${f}.dst == ${v.ip}${v.port === undefined ? "" : ` && ${proto} && ${proto}.dst == ${v.port}`}`,
      "next;",
      hint,
    );
  // Replies from the backends are unDNATed on the gateway chassis of a distributed router.
  if (dgp !== undefined && resident !== undefined && v.backends.length > 0) {
    const terms = v.backends.map((b) => {
      const bf = b.family === 4 ? "ip4" : "ip6";
      return b.port === undefined || v.port === undefined
        ? `(${bf}.src == ${b.ip})`
        : `(${bf}.src == ${b.ip} && ${proto}.src == ${b.port})`;
    });
    emit(
      "lr_out_undnat",
      120,
      `${f} && (${terms.join(" || ")}) && outport == ${q(dgp.name)} && ${resident}`,
      skipSnat(lb)
        ? "flags.skip_snat_for_lb = 1; next;"
        : lbForceSnat(lr)
          ? `flags.force_snat_for_lb = 1; ${lr.isGatewayRouter ? "ct_dnat;" : "next;"}`
          : "ct_dnat_in_czone;",
      hint,
    );
  }
}

export const lbStages: StageBuilder = routerStage("lr_lb", (lr, model, emit) => {
  forceSnatOptions(lr, emit);
  const lbs = lr.loadBalancers.filter((lb) => lb.vips.length > 0);
  if (lbs.length === 0) return;
  const bits = ctBits(model.features);
  const est = `ct.est && !ct.rel && !ct.new && ${bits}.natted`;
  emit("lr_in_dnat", 50, est, "next;");
  emit("lr_in_dnat", 70, `${est} && ${bits}.force_snat == 1`, "flags.force_snat_for_lb = 1; next;");
  emit("lr_in_dnat", 70, `${est} && ${bits}.skip_snat == 1`, "flags.skip_snat_for_lb = 1; next;");
  // Related traffic (ICMP errors) of LB connections is NATed like them only by controllers that can.
  if (model.features.ctLbRelated) {
    const rel = "ct.rel && !ct.est && !ct.new";
    emit("lr_in_dnat", 50, rel, "ct_commit_nat;");
    emit(
      "lr_in_dnat",
      70,
      `${rel} && ${bits}.force_snat == 1`,
      "flags.force_snat_for_lb = 1; ct_commit_nat;",
    );
    emit("lr_in_dnat", 70, `${rel} && ${bits}.skip_snat == 1`, "flags.skip_snat_for_lb = 1; ct_commit_nat;");
  }
  if (lbs.some(skipSnat)) emit("lr_out_snat", 120, "flags.skip_snat_for_lb == 1 && ip", "next;");
  const natIps = new Set(routerNats(lr, model).map((n) => n.externalIp));
  for (const lb of lbs) for (const v of lb.vips) vipFlows(lr, model, lb, v, emit, natIps);
});
