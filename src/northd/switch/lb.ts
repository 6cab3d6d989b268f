// ls_in_lb_aff_check / ls_in_lb / ls_in_lb_aff_learn and the hairpin stages ls_in_pre_hairpin /
// ls_in_nat_hairpin / ls_in_hairpin (ovn-northd(8) ingress tables 11-16).

import { ctLb } from "../features.js";
import { affinityVip, hashFieldsOf } from "../lb.js";
import type { StageBuilder } from "../lflow/api.js";
import type { LbBackend, LbVip, LoadBalancer, NorthdModel } from "../model.js";
import { STAGES } from "../stages.js";
import { switchLbs } from "./lb-set.js";
import { REG, withMeter } from "./util.js";

/** "ip:port" or "[ip6]:port" (or the bare address without a port). */
export function hostPort(ip: string, family: 4 | 6, port: number | string | undefined): string {
  if (port === undefined) return ip;
  return family === 6 ? `[${ip}]:${port}` : `${ip}:${port}`;
}

export function backendList(backends: readonly LbBackend[]): string {
  return backends.map((b) => hostPort(b.ip, b.family, b.port)).join(",");
}

/**
 * The backends a VIP balances to. With a health check on the VIP, only backends that have an
 * ip_port_mappings entry (so a service monitor) and whose Service_Monitor is not offline.
 */
export function liveBackends(lb: LoadBalancer, v: LbVip, model: NorthdModel): readonly LbBackend[] {
  const text = hostPort(v.ip, v.family, v.port);
  const checked = lb.nb.healthCheck.some((u) => {
    const hc = model.nb.get("Load_Balancer_Health_Check", u);
    return hc !== undefined && (hc.vip === v.key || hc.vip === text);
  });
  if (!checked) return v.backends;
  const monitors = model.sb.rows("Service_Monitor");
  return v.backends.filter((b) => {
    const mapping = lb.nb.ipPortMappings.get(b.ip) ?? lb.nb.ipPortMappings.get(`[${b.ip}]`);
    if (mapping === undefined) return false;
    const port = mapping.slice(0, mapping.indexOf(":"));
    // A backend behind a disabled port is out (it has no monitor either).
    const lp = model.ports.get(port);
    if (lp?.kind === "lsp" && !lp.enabled) return false;
    const mon = monitors.find(
      (m) =>
        m.ip === b.ip &&
        m.port === (b.port ?? 0) &&
        m.logicalPort === port &&
        (m.protocol ?? "tcp") === lb.protocol,
    );
    return mon?.status === undefined || mon.status === "online";
  });
}

/** The ls_in_lb action of a VIP: load balance to its backends, or drop/reject when it has none. */
export function lbAction(
  lb: LoadBalancer,
  v: LbVip,
  backends: readonly LbBackend[] = v.backends,
  ctLbAction = "ct_lb_mark",
): string {
  if (backends.length === 0) {
    if (lb.nb.options.get("reject") === "true")
      return `reg0 = 0; reject { outport <-> inport; next(pipeline=egress,table=${STAGES.ls_out_qos_mark.table});};`;
    return "drop;";
  }
  const hash = hashFieldsOf(lb);
  return `${REG.conntrackCommit} = 0; ${ctLbAction}(backends=${backendList(backends)}${hash});`;
}

function affinityTimeout(lb: LoadBalancer): number | undefined {
  const t = Number(lb.nb.options.get("affinity_timeout") ?? "");
  return Number.isInteger(t) && t > 0 ? t : undefined;
}

export const lbStages: StageBuilder = {
  name: "ls_lb",
  switchDp(ls, model, sink) {
    for (const st of ["ls_in_lb_aff_check", "ls_in_lb", "ls_in_lb_aff_learn"] as const)
      sink.add(ls, st, 0, "1", "next;");
    for (const { lb } of switchLbs(ls, model)) {
      const hint = { hint: lb.uuid };
      const timeout = affinityTimeout(lb);
      for (const v of lb.vips) {
        const ipN = `ip${v.family}`;
        const l4 = v.port === undefined ? "" : ` && ${lb.protocol}.dst == ${v.port}`;
        const live = liveBackends(lb, v, model);
        const rejects = live.length === 0 && lb.nb.options.get("reject") === "true";
        const opts = rejects ? withMeter(ls, model, "reject", hint) : hint;
        sink.add(
          ls,
          "ls_in_lb",
          v.port === undefined ? 110 : 120,
          `ct.new && ${ipN}.dst == ${v.ip}${l4}`,
          lbAction(lb, v, live, ctLb(model.features)),
          opts,
        );
        if (timeout === undefined || live.length === 0) continue;
        // Session affinity as ovn-northd 23.03 writes it (for template LBs: see affinityVip).
        const av = affinityVip(lb, v);
        const aLive = av === v ? live : live.map((b) => ({ ...b, family: 6 as const, port: undefined }));
        const aIp = `ip${av.family}`;
        const vipReg = av.family === 4 ? "reg1" : "xxreg1";
        const portM = av.port === undefined ? "" : ` && reg2[0..15] == ${av.port}`;
        const vipM = `ct.new && ${aIp} && ${vipReg} == ${av.ip}${portM}`;
        sink.add(ls, "ls_in_lb_aff_check", 100, vipM, `${REG.lbAffMatched} = chk_lb_aff(); next;`, hint);
        for (const b of aLive) {
          const bReg = av.family === 4 ? "reg4" : "xxreg0";
          const bPortM = b.port === undefined ? "" : ` && reg8[0..15] == ${b.port}`;
          const setPort = av.port === undefined ? "" : ` reg2[0..15] = ${av.port};`;
          sink.add(
            ls,
            "ls_in_lb",
            150,
            `${REG.lbAffMatched} == 1 && ct.new && ${aIp} && ${bReg} == ${b.ip}${bPortM}`,
            `${REG.conntrackCommit} = 0; ${vipReg} = ${av.ip};${setPort} ct_lb_mark(backends=${hostPort(b.ip, b.family, b.port)});`,
            hint,
          );
          const bL4 = b.port === undefined ? "" : ` && ${lb.protocol}.dst == ${b.port}`;
          sink.add(
            ls,
            "ls_in_lb_aff_learn",
            100,
            `${REG.lbAffMatched} == 0 && ${vipM} && ${aIp}.dst == ${b.ip}${bL4}`,
            `commit_lb_aff(vip = "${hostPort(av.ip, av.family, av.port)}", backend = "${hostPort(b.ip, b.family, b.port)}"${av.port === undefined ? "" : `, proto = ${lb.protocol}`}, timeout = ${timeout}); /* drop */`,
            hint,
          );
        }
      }
    }
  },
};

export const hairpin: StageBuilder = {
  name: "ls_hairpin",
  switchDp(ls, _model, sink) {
    for (const st of ["ls_in_pre_hairpin", "ls_in_nat_hairpin", "ls_in_hairpin"] as const)
      sink.add(ls, st, 0, "1", "next;");
    if (ls.hasLbVip) {
      const hint = { hint: ls.uuid };
      sink.add(
        ls,
        "ls_in_pre_hairpin",
        100,
        "ip && ct.trk",
        `${REG.hairpin} = chk_lb_hairpin(); ${REG.hairpinReply} = chk_lb_hairpin_reply(); next;`,
        hint,
      );
      sink.add(
        ls,
        "ls_in_nat_hairpin",
        100,
        `ip && ct.new && ct.trk && ${REG.hairpin} == 1`,
        "ct_snat_to_vip; next;",
        hint,
      );
      sink.add(
        ls,
        "ls_in_nat_hairpin",
        100,
        `ip && ct.est && ct.trk && ${REG.hairpin} == 1`,
        "ct_snat;",
        hint,
      );
      sink.add(ls, "ls_in_nat_hairpin", 90, `ip && ${REG.hairpinReply} == 1`, "ct_snat;", hint);
      sink.add(
        ls,
        "ls_in_hairpin",
        1,
        `(${REG.hairpin} == 1 || ${REG.hairpinReply} == 1)`,
        "eth.dst <-> eth.src; outport = inport; flags.loopback = 1; output;",
      );
    }
    if (ls.vtepPorts.length > 0) {
      // Traffic from a VTEP ramp switch skips to L2 lookup, except on the chassis of a gateway port.
      for (const p of ls.routerPorts) {
        const cr = p.peer?.crPort;
        if (cr !== undefined)
          sink.add(
            ls,
            "ls_in_hairpin",
            2000,
            `${REG.fromRamp} == 1 && is_chassis_resident(${JSON.stringify(cr.name)})`,
            "next;",
          );
      }
      sink.add(
        ls,
        "ls_in_hairpin",
        1000,
        `${REG.fromRamp} == 1`,
        `next(pipeline=ingress, table=${STAGES.ls_in_l2_lkup.table});`,
      );
    }
  },
};
