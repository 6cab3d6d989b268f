// SB Meter and Meter_Band from the NB Meter table (name, unit, bands), and for every ACL whose meter is
// fair a copy of that meter under the ACL's own name (../switch/acl-text.ts aclMeterName).
import type * as nb from "../../ovsdb/idl/generated/ovn-nb.js";
import type { OvnSbTables } from "../../ovsdb/idl/generated/ovn-sb.js";
import type { Uuid } from "../../ovsdb/idl/model.js";
import type { Txn } from "../../ovsdb/idl/txn.js";
import type { NorthdModel } from "../model.js";
import { aclMeterName } from "../switch/acl-text.js";

function bandsOf(model: NorthdModel, uuids: readonly string[]): string[] {
  return uuids
    .flatMap((u) => {
      const b = model.nb.get("Meter_Band", u);
      return b === undefined ? [] : [`${b.action}/${b.rate}/${b.burstSize}`];
    })
    .sort();
}

function sbBandsOf(model: NorthdModel, uuids: readonly string[]): string[] {
  return uuids
    .flatMap((u) => {
      const b = model.sb.get("Meter_Band", u);
      return b === undefined ? [] : [`${b.action}/${b.rate}/${b.burstSize}`];
    })
    .sort();
}

/** The SB meters by name: the NB ones, and the fair meters' copies for their ACLs. */
function wantedMeters(model: NorthdModel): Map<string, nb.Meter> {
  const out = new Map(model.meters);
  for (const acl of model.nb.rows("ACL")) {
    const name = aclMeterName(acl, model.meters);
    const m = acl.meter === undefined ? undefined : model.meters.get(acl.meter);
    if (name !== undefined && m !== undefined) out.set(name, m);
  }
  return out;
}

export function syncMeters(txn: Txn<OvnSbTables>, model: NorthdModel): void {
  const wanted = wantedMeters(model);
  const seen = new Set<string>();
  for (const row of model.sb.rows("Meter")) {
    const want = wanted.get(row.name);
    if (
      want === undefined ||
      seen.has(row.name) ||
      want.unit !== row.unit ||
      bandsOf(model, want.bands).join(",") !== sbBandsOf(model, row.bands).join(",")
    ) {
      txn.delete("Meter", row._uuid);
      continue;
    }
    seen.add(row.name);
  }
  for (const [name, m] of wanted) {
    if (seen.has(name)) continue;
    const bands: Uuid<"Meter_Band">[] = [];
    for (const u of m.bands) {
      const b = model.nb.get("Meter_Band", u);
      if (b !== undefined)
        bands.push(txn.insert("Meter_Band", { action: b.action, rate: b.rate, burstSize: b.burstSize }));
    }
    txn.insert("Meter", { name, unit: m.unit, bands });
  }
}
