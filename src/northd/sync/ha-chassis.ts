// SB HA_Chassis_Group / HA_Chassis: the gateway chassis of each distributed gateway port (NB
// gateway_chassis, turned into a group named after the port, or the port's NB ha_chassis_group) and
// the groups of external ports. A group whose chassis list changed is rewritten.
import type { OvnSbTables } from "../../ovsdb/idl/generated/ovn-sb.js";
import type { Uuid } from "../../ovsdb/idl/model.js";
import type { Txn } from "../../ovsdb/idl/txn.js";
import type { NorthdModel } from "../model.js";

interface HaMember {
  readonly chassisName: string;
  readonly priority: number;
}

/** The SB group name and members a port needs, or undefined. */
function groupOfHa(
  model: NorthdModel,
  ha: string | undefined,
): { name: string; members: HaMember[] } | undefined {
  if (ha === undefined) return undefined;
  const g = model.nb.get("HA_Chassis_Group", ha);
  if (g === undefined) return undefined;
  return {
    name: g.name,
    members: g.haChassis.flatMap((u) => {
      const c = model.nb.get("HA_Chassis", u);
      return c === undefined ? [] : [{ chassisName: c.chassisName, priority: c.priority }];
    }),
  };
}

/** The HA group a port's binding refers to: a cr port's gateway group, or a switch port's group. */
export function haGroupOfPort(
  model: NorthdModel,
  portName: string,
): { name: string; members: HaMember[] } | undefined {
  const port = model.ports.get(portName);
  if (port === undefined || port.kind === "lrp") return undefined;
  if (port.kind === "lsp") return groupOfHa(model, port.nb.haChassisGroup);
  const p = port.primary;
  const g = groupOfHa(model, p.nb.haChassisGroup);
  if (g !== undefined || p.nb.gatewayChassis.length === 0) return g;
  return {
    name: p.name,
    members: p.nb.gatewayChassis.flatMap((u) => {
      const c = model.nb.get("Gateway_Chassis", u);
      return c === undefined ? [] : [{ chassisName: c.chassisName, priority: c.priority }];
    }),
  };
}

/** Group name (and members) by port name, for every port that has one. */
export function desiredHaGroups(model: NorthdModel): Map<string, { name: string; members: HaMember[] }> {
  const byPort = new Map<string, { name: string; members: HaMember[] }>();
  for (const lr of model.routers)
    for (const p of lr.l3dgwPorts) {
      const cr = p.crPort;
      const g = cr === undefined ? undefined : haGroupOfPort(model, cr.name);
      if (cr !== undefined && g !== undefined) byPort.set(cr.name, g);
    }
  for (const ls of model.switches)
    for (const p of ls.ports) {
      const g = groupOfHa(model, p.nb.haChassisGroup);
      if (g !== undefined) byPort.set(p.name, g);
    }
  return byPort;
}

/** NB tables whose changes can change the HA groups. */
export const HA_INPUTS: ReadonlySet<string> = new Set([
  "HA_Chassis_Group",
  "HA_Chassis",
  "Gateway_Chassis",
  "Logical_Router",
  "Logical_Router_Port",
]);

function signature(members: readonly HaMember[]): string {
  return members
    .map((m) => `${m.chassisName}/${m.priority}`)
    .sort()
    .join(",");
}

/** Syncs the groups; returns the SB group uuid (or placeholder) by group name. */
export function syncHaGroups(txn: Txn<OvnSbTables>, model: NorthdModel): Map<string, string> {
  const wanted = new Map<string, HaMember[]>();
  for (const g of desiredHaGroups(model).values()) wanted.set(g.name, g.members);
  const chassisUuid = (name: string): Uuid<"Chassis"> | undefined => model.chassis.get(name)?._uuid;
  const out = new Map<string, string>();
  const insertMembers = (members: readonly HaMember[]): Uuid<"HA_Chassis">[] =>
    members.map((m) =>
      txn.insert("HA_Chassis", {
        chassis: chassisUuid(m.chassisName),
        priority: m.priority,
        externalIds: new Map([["chassis-name", m.chassisName]]),
      }),
    );
  for (const g of model.sb.rows("HA_Chassis_Group")) {
    const members = wanted.get(g.name);
    if (members === undefined || out.has(g.name)) {
      txn.delete("HA_Chassis_Group", g._uuid);
      continue;
    }
    out.set(g.name, g._uuid);
    const have = g.haChassis.flatMap((u) => {
      const c = model.sb.get("HA_Chassis", u);
      return c === undefined
        ? []
        : [
            {
              chassisName: c.externalIds.get("chassis-name") ?? "",
              priority: c.priority,
              chassis: c.chassis,
            },
          ];
    });
    const chassisOk = have.every((h) => h.chassis === chassisUuid(h.chassisName));
    if (signature(have) !== signature(members) || !chassisOk)
      txn.update("HA_Chassis_Group", g._uuid, { haChassis: insertMembers(members) });
  }
  for (const [name, members] of wanted) {
    if (out.has(name)) continue;
    out.set(name, txn.insert("HA_Chassis_Group", { name, haChassis: insertMembers(members) }));
  }
  return out;
}
