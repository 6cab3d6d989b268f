// Stand-in stage builders for the core's own tests: a few flows of every shape the real builders
// make — per datapath (identical on every switch, so they share a Logical_DP_Group), per port with a
// hint and an io-port, across peers (reading the router port's addresses from the switch side), per
// ACL through port groups, and from a global builder. Not used by the daemon unless asked for.
import { formatIpv4 } from "../addr.js";
import type { StageBuilder } from "./api.js";

export const probeBuilders: readonly StageBuilder[] = [
  {
    name: "probe_switch",
    switchDp(ls, _model, sink) {
      sink.add(ls, "ls_in_check_port_sec", 100, "eth.src[40]", "drop;");
      sink.add(ls, "ls_in_l2_lkup", 0, "1", "outport = get_fdb(eth.dst); next;");
      for (const p of ls.ports) {
        sink.add(ls, "ls_in_check_port_sec", 50, `inport == "${p.name}"`, "next;", {
          hint: p.nb._uuid,
          ioPort: p.name,
        });
        for (const a of p.addresses)
          sink.add(ls, "ls_in_l2_lkup", 50, `eth.dst == ${a.macS}`, `outport = "${p.name}"; output;`, {
            hint: p.nb._uuid,
          });
        if (p.peer !== undefined) {
          for (const n of p.peer.networks.ipv4)
            sink.add(ls, "ls_in_arp_rsp", 100, `arp.tpa == ${n.addrS} && arp.op == 1`, "next;", {
              hint: p.nb._uuid,
            });
          // Reads the peer router's NAT rules: a router change must reach the switch's view of it.
          for (const nat of p.peer.dp.nats)
            sink.add(
              ls,
              "ls_in_arp_rsp",
              90,
              `arp.tpa == ${nat.externalIp}`,
              `outport = "${p.name}"; output;`,
            );
        }
      }
      for (const a of ls.acls)
        sink.add(
          ls,
          a.acl.direction === "from-lport" ? "ls_in_acl" : "ls_out_acl",
          a.acl.priority + 1000,
          a.acl.match,
          "next;",
          {
            hint: a.acl._uuid,
          },
        );
      for (const lb of ls.loadBalancers)
        for (const v of lb.vips)
          sink.add(ls, "ls_in_lb", 110, `ip${v.family}.dst == ${v.ip}`, "ct_lb_mark(backends=x);");
    },
  },
  {
    name: "probe_router",
    routerDp(lr, _model, sink) {
      sink.add(lr, "lr_in_admission", 100, "vlan.present || eth.src[40]", "drop;");
      for (const p of lr.ports) {
        sink.add(
          lr,
          "lr_in_admission",
          50,
          `eth.dst == ${p.networks.macS} && inport == "${p.name}"`,
          "next;",
          {
            hint: p.nb._uuid,
          },
        );
        if (p.peer?.kind === "lsp")
          for (const a of p.peer.dp.ports.flatMap((q) => q.addresses))
            for (const n of a.ipv4)
              sink.add(
                lr,
                "lr_in_arp_resolve",
                100,
                `outport == "${p.name}" && reg0 == ${n.addrS}`,
                `eth.dst = ${a.macS}; next;`,
              );
      }
      for (const n of lr.nats)
        sink.add(lr, "lr_out_snat", 100, `ip4.src == ${n.logicalIp}`, `ct_snat(${n.externalIp});`, {
          hint: n._uuid,
        });
      if (lr.l3dgwPorts.length > 0)
        sink.add(
          lr,
          "lr_in_gw_redirect",
          50,
          "1",
          `outport = "${lr.l3dgwPorts[0]?.crPort?.name ?? ""}"; next;`,
        );
    },
  },
  {
    name: "probe_global",
    global(model, sink) {
      // A flow on every switch of a port group that names the group's size: depends on several datapaths.
      for (const pg of model.portGroups.values())
        for (const ls of pg.byDatapath.keys())
          sink.add(
            ls,
            "ls_out_pre_acl",
            200,
            `outport == @${pg.name}`,
            `reg0 = ${formatIpv4(pg.ports.length)}; next;`,
          );
    },
  },
];
