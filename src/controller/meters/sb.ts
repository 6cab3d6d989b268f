// The Southbound Meter rows with their Meter_Band rows, as desiredMeters takes them.

import type { OvnSbTables } from "../../ovsdb/idl/generated/ovn-sb.js";
import type { Idl } from "../../ovsdb/idl/idl.js";
import type { SbMeter } from "./desired.js";

/** Every Meter of the replica; bands in UUID order (an OVSDB set's order), missing bands skipped. */
export function sbMeters(sb: Idl<OvnSbTables>): SbMeter[] {
  return sb.rows("Meter").map((m) => ({
    name: m.name,
    unit: m.unit,
    bands: [...m.bands].sort().flatMap((u) => {
      const b = sb.get("Meter_Band", u);
      return b === undefined ? [] : [{ action: b.action, rate: b.rate, burstSize: b.burstSize }];
    }),
  }));
}

type JsonRow = Readonly<Record<string, unknown>>;

/** The UUIDs of an OVSDB JSON set-of-uuid or single uuid value. */
function uuids(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  if (v[0] === "uuid") return [String(v[1])];
  if (v[0] === "set" && Array.isArray(v[1])) return (v[1] as unknown[]).flatMap(uuids);
  return [];
}

/** The same from Southbound rows in OVSDB JSON (a `select` reply by table and UUID). */
export function sbMetersFromJson(
  tables: Readonly<Record<string, Readonly<Record<string, JsonRow>>>>,
): SbMeter[] {
  const bands = tables.Meter_Band ?? {};
  return Object.values(tables.Meter ?? {}).map((m) => ({
    name: String(m.name),
    unit: m.unit === "kbps" ? "kbps" : "pktps",
    bands: uuids(m.bands)
      .sort()
      .flatMap((u) => {
        const b = bands[u];
        return b === undefined
          ? []
          : [{ action: String(b.action), rate: Number(b.rate), burstSize: Number(b.burst_size ?? 0) }];
      }),
  }));
}
