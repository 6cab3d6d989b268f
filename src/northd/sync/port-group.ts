// SB Port_Group: one row per (port group, switch with ports in it), named "KEY_NAME" where KEY is the
// switch's tunnel key, as C northd 23.03 writes them; ovn-controller resolves @NAME in a flow of a
// datapath to the group of that datapath.
import type { OvnSbTables } from "../../ovsdb/idl/generated/ovn-sb.js";
import type { RowInput } from "../../ovsdb/idl/model.js";
import type { Txn } from "../../ovsdb/idl/txn.js";
import type { NorthdModel } from "../model.js";
import { syncTable } from "./rows.js";
import { pgNameOfSb, type SbIndex } from "./sb-index.js";

export function sbPortGroupName(dpKey: number, pgName: string): string {
  return `${dpKey}_${pgName}`;
}

/** What a scoped sync covers: NB port group names (their SB rows are found through the index). */
export interface PgScope {
  readonly names: ReadonlySet<string>;
  readonly index: SbIndex;
}

export function syncPortGroups(txn: Txn<OvnSbTables>, model: NorthdModel, scope?: PgScope): void {
  const desired = new Map<string, RowInput<OvnSbTables["Port_Group"]>>();
  for (const pg of model.portGroups.values()) {
    if (scope !== undefined && !scope.names.has(pg.name)) continue;
    for (const [ls, ports] of pg.byDatapath) {
      const name = sbPortGroupName(ls.key, pg.name);
      desired.set(name, { name, ports: ports.map((p) => p.name) });
    }
  }
  const candidates =
    scope === undefined ? undefined : [...scope.names].flatMap((n) => scope.index.portGroupsOf(n));
  syncTable(txn, model.sb, "Port_Group", (r) => r.name, desired, {
    ...(candidates !== undefined ? { candidates } : {}),
    ...(scope === undefined
      ? {}
      : { inScope: (r: OvnSbTables["Port_Group"]) => scope.names.has(pgNameOfSb(r.name)) }),
  });
}
