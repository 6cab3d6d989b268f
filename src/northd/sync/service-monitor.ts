// SB Service_Monitor: one row per load balancer backend that has a health check (a
// Load_Balancer_Health_Check for its VIP and an ip_port_mappings entry naming the logical port that
// has it): ovn-controller on that port's chassis sends the probes and fills in `status`.
import type { OvnSbTables } from "../../ovsdb/idl/generated/ovn-sb.js";
import type { RowInput } from "../../ovsdb/idl/model.js";
import type { Txn } from "../../ovsdb/idl/txn.js";
import type { NorthdModel } from "../model.js";
import { syncTable } from "./rows.js";

type SmRow = RowInput<OvnSbTables["Service_Monitor"]>;

function keyOf(ip: string, port: number, protocol: string, lport: string): string {
  return `${ip} ${port} ${protocol} ${lport}`;
}

export function desiredServiceMonitors(model: NorthdModel): Map<string, SmRow> {
  const out = new Map<string, SmRow>();
  for (const lb of model.loadBalancers.values()) {
    if (lb.protocol === "sctp") continue;
    for (const v of lb.vips) {
      if (v.healthCheck === undefined) continue;
      for (const b of v.backends) {
        if (b.monitorPort === undefined || b.monitorSrcIp === undefined || typeof b.port !== "number")
          continue;
        // No monitor for a backend behind a missing or disabled port (as ovn-northd).
        const mp = model.ports.get(b.monitorPort);
        if (mp === undefined || (mp.kind === "lsp" && !mp.enabled)) continue;
        const k = keyOf(b.ip, b.port, lb.protocol, b.monitorPort);
        out.set(k, {
          ip: b.ip,
          port: b.port,
          protocol: lb.protocol,
          logicalPort: b.monitorPort,
          srcIp: b.monitorSrcIp,
          srcMac: model.svcMonitorMac,
          options: new Map(v.healthCheck.options),
        });
      }
    }
  }
  return out;
}

export function syncServiceMonitors(txn: Txn<OvnSbTables>, model: NorthdModel): void {
  syncTable(
    txn,
    model.sb,
    "Service_Monitor",
    (r) => keyOf(r.ip, r.port, r.protocol ?? "tcp", r.logicalPort),
    desiredServiceMonitors(model),
  );
}
