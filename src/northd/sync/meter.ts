// SB Meter and Meter_Band from the NB Meter table (name, unit, bands).
import type { OvnSbTables } from "../../ovsdb/idl/generated/ovn-sb.js";
import type { Uuid } from "../../ovsdb/idl/model.js";
import type { Txn } from "../../ovsdb/idl/txn.js";
import type { NorthdModel } from "../model.js";

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

export function syncMeters(txn: Txn<OvnSbTables>, model: NorthdModel): void {
  const seen = new Set<string>();
  for (const row of model.sb.rows("Meter")) {
    const want = model.meters.get(row.name);
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
  for (const m of model.meters.values()) {
    if (seen.has(m.name)) continue;
    const bands: Uuid<"Meter_Band">[] = [];
    for (const u of m.bands) {
      const b = model.nb.get("Meter_Band", u);
      if (b !== undefined)
        bands.push(txn.insert("Meter_Band", { action: b.action, rate: b.rate, burstSize: b.burstSize }));
    }
    txn.insert("Meter", { name: m.name, unit: m.unit, bands });
  }
}
