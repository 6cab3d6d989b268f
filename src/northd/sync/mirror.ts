// SB Mirror and Chassis_Template_Var: copies of the NB rows (ovn-sb(5)), keyed by mirror name and by
// chassis name; and Port_Binding.mirror_rules, the SB mirrors named by each switch port's NB
// mirror_rules (ovn-controller turns them into OVS Mirror rows on the port's chassis).
import type { OvnSbTables } from "../../ovsdb/idl/generated/ovn-sb.js";
import type { RowInput, Uuid } from "../../ovsdb/idl/model.js";
import type { Txn } from "../../ovsdb/idl/txn.js";
import type { NorthdModel } from "../model.js";
import { syncTable } from "./rows.js";

type Sb = OvnSbTables;

export function syncMirrors(
  txn: Txn<Sb>,
  model: NorthdModel,
  portRef: (name: string) => string | undefined,
): void {
  const desired = new Map<string, RowInput<Sb["Mirror"]>>();
  for (const m of model.nb.rows("Mirror"))
    desired.set(m.name, { name: m.name, filter: m.filter, sink: m.sink, type: m.type, index: m.index });
  const { uuids } = syncTable(txn, model.sb, "Mirror", (r) => r.name, desired);
  for (const ls of model.switches)
    for (const p of ls.ports) {
      const want = p.nb.mirrorRules
        .flatMap((u) => {
          const name = model.nb.get("Mirror", u)?.name;
          const sb = name === undefined ? undefined : uuids.get(name);
          return sb === undefined ? [] : [sb as Uuid<"Mirror">];
        })
        .sort();
      const ref = portRef(p.name);
      if (ref === undefined) continue;
      const have = model.sb.get("Port_Binding", ref)?.mirrorRules ?? [];
      if (want.join(",") === [...have].sort().join(",")) continue;
      txn.update("Port_Binding", ref as Uuid<"Port_Binding">, { mirrorRules: want });
    }
}

export function syncTemplateVars(txn: Txn<Sb>, model: NorthdModel): void {
  const desired = new Map<string, RowInput<Sb["Chassis_Template_Var"]>>();
  for (const v of model.nb.rows("Chassis_Template_Var"))
    desired.set(v.chassis, { chassis: v.chassis, variables: v.variables });
  syncTable(txn, model.sb, "Chassis_Template_Var", (r) => r.chassis, desired);
}
