// SB HA_Chassis_Group.ref_chassis (ovn-sb(5)): for the gateway group of a distributed gateway port, the
// chassis that host ports of the logical switches connected to its router, directly or through other
// routers and switches. ovn-controller turns BFD on between a group's gateways and these chassis, so
// without them gateway failover never happens. Groups of external ports keep it empty, as in C northd.
import type { OvnSbTables } from "../../ovsdb/idl/generated/ovn-sb.js";
import type { Uuid } from "../../ovsdb/idl/model.js";
import type { Txn } from "../../ovsdb/idl/txn.js";
import type { Datapath, NorthdModel, SbRows } from "../model.js";
import { haGroupOfPort } from "./ha-chassis.js";
import type { SbIndex } from "./sb-index.js";

/** The datapaths linked to `start` through router ports and router-type switch ports. */
function connected(start: Datapath): Set<Datapath> {
  const seen = new Set<Datapath>([start]);
  const queue: Datapath[] = [start];
  for (let dp = queue.pop(); dp !== undefined; dp = queue.pop()) {
    const ports: readonly { readonly peer: { readonly dp: Datapath } | undefined }[] = dp.ports;
    for (const p of ports) {
      const n = p.peer?.dp;
      if (n !== undefined && !seen.has(n)) {
        seen.add(n);
        queue.push(n);
      }
    }
  }
  return seen;
}

/** ref_chassis by group name, for every gateway group; `chassisOf` gives a port's bound chassis. */
export function desiredRefChassis(
  model: NorthdModel,
  chassisOf: (logicalPort: string) => Uuid<"Chassis"> | undefined,
): Map<string, Set<Uuid<"Chassis">>> {
  const out = new Map<string, Set<Uuid<"Chassis">>>();
  const byRouter = new Map<Datapath, Set<Uuid<"Chassis">>>();
  for (const lr of model.routers)
    for (const p of lr.l3dgwPorts) {
      const g = p.crPort === undefined ? undefined : haGroupOfPort(model, p.crPort.name);
      if (g === undefined) continue;
      let refs = byRouter.get(lr);
      if (refs === undefined) {
        refs = new Set();
        for (const dp of connected(lr)) {
          if (dp.kind !== "switch") continue;
          for (const sp of dp.ports) {
            const c = chassisOf(sp.name);
            if (c !== undefined) refs.add(c);
          }
        }
        byRouter.set(lr, refs);
      }
      const have = out.get(g.name);
      out.set(g.name, have === undefined ? new Set(refs) : new Set([...have, ...refs]));
    }
  return out;
}

/** Writes ref_chassis where it differs from what the SB has; true when the transaction got an update. */
export function syncRefChassis(
  txn: Txn<OvnSbTables>,
  model: NorthdModel,
  sb: SbRows,
  index: Pick<SbIndex, "portBindingNamed">,
): boolean {
  const groups = sb.rows("HA_Chassis_Group");
  if (groups.length === 0) return false;
  const want = desiredRefChassis(model, (p) => index.portBindingNamed(p)?.chassis);
  let changed = false;
  for (const g of groups) {
    const refs = [...(want.get(g.name) ?? [])].filter((c) => sb.get("Chassis", c) !== undefined).sort();
    const have = [...g.refChassis].sort();
    if (refs.length === have.length && refs.every((c, i) => c === have[i])) continue;
    txn.update("HA_Chassis_Group", g._uuid, { refChassis: refs });
    changed = true;
  }
  return changed;
}
