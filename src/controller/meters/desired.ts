// The OpenFlow meters br-int must hold for the flows the controller installs (ovn-sb(5) Meter and
// Meter_Band; ovn-actions set_meter; Logical_Flow controller_meter).  A flow names a meter either by a
// Southbound Meter row's name (ACL log meters, CoPP controller meters) or, for set_meter(rate[, burst]),
// by a description of the meter itself; the compiler gives each name an id (lflow/alloc.ts meterId).
// Only meters some desired flow uses are installed, as the real ovn-controller 23.03 does (a Meter row
// no flow refers to is not on the switch; one whose last flow went is deleted).  Pure.
//
// Observed on the real ovn-controller (`ovs-ofctl -O OpenFlow15 dump-meters br-int`):
//   Meter acl-meter pktps, band drop rate 10          → meter=1 pktps stats bands= type=drop rate=10
//   Meter kb-meter kbps, band drop rate 1000 burst 200 → meter=2 kbps burst stats bands= type=drop rate=1000 burst_size=200
//   set_meter(100, 50)                                 → meter=3 kbps burst stats bands= type=drop rate=100 burst_size=50
//   set_meter(200)                                     → meter=4 kbps stats bands= type=drop rate=200

import type { Action, MeterBand, MeterMod } from "../../openflow/model.js";
import type { FlowAction } from "../lflow/flow.js";

/** A Southbound Meter with its bands (in the order of their row UUIDs, as an OVSDB set holds them). */
export interface SbMeter {
  readonly name: string;
  readonly unit: "kbps" | "pktps";
  readonly bands: readonly { readonly action: string; readonly rate: number; readonly burstSize: number }[];
}

/** A meter name the compiler gave an id to. */
export interface AllocatedMeter {
  readonly id: number;
  readonly name: string;
}

/** Prefix of meter names that describe the meter themselves (set_meter) instead of naming a row. */
export const STRING_METER_PREFIX = "__string: ";

/** The meter ids the flows use: `meter:N` actions and `controller(meter_id=N)`, nested lists included. */
export function meterIdsUsed(flows: readonly FlowLike[]): ReadonlySet<number> {
  // A pass that changed nothing hands in the same array again: scan it once.
  const hit = usedCache.get(flows);
  if (hit !== undefined) return hit;
  const used = new Set<number>();
  const visit = (actions: readonly unknown[]): void => {
    for (const x of actions) {
      const a = x as { kind: string; id?: unknown; meterId?: unknown; actions?: unknown; exec?: unknown };
      if (a.kind === "meter" && typeof a.id === "number") used.add(a.id);
      else if (a.kind === "controller" && typeof a.meterId === "number") used.add(a.meterId);
      // Nested lists (clone, write_actions; ct's exec).
      if (Array.isArray(a.actions)) visit(a.actions);
      if (Array.isArray(a.exec)) visit(a.exec);
    }
  };
  for (const f of flows) visit(f.actions);
  usedCache.set(flows, used);
  return used;
}

/** A flow in either form (the model's FlowMod or the compiler's Flow): only its actions are read. */
export interface FlowLike {
  readonly actions: readonly (Action | FlowAction)[];
}

const usedCache = new WeakMap<readonly FlowLike[], ReadonlySet<number>>();

/** The meter a Southbound row describes, as a meter_mod "add" with id `id`. */
export function meterFromRow(id: number, m: SbMeter): MeterMod {
  const bands: MeterBand[] = m.bands.map((b) => ({ type: "drop", rate: b.rate, burstSize: b.burstSize }));
  return {
    command: "add",
    meterId: id,
    flags: {
      ...(m.unit === "kbps" ? { kbps: true } : { pktps: true }),
      // The burst flag only when some band asks for a burst (the switch then honours burst_size).
      ...(bands.some((b) => b.burstSize > 0) ? { burst: true } : {}),
      stats: true,
    },
    bands,
  };
}

/**
 * The meter a set_meter description names: the compiler's "kbps RATE BURST", or ovs-ofctl(8) meter
 * syntax ("kbps [burst] [stats] bands=type=drop rate=R [burst_size=B]").  Undefined when unreadable.
 */
export function meterFromString(id: number, text: string): MeterMod | undefined {
  const short = /^(kbps|pktps) (\d+) (\d+)$/.exec(text);
  if (short !== null) {
    const [, unit, rate, burst] = short as unknown as [string, "kbps" | "pktps", string, string];
    return meterFromRow(id, {
      name: text,
      unit,
      bands: [{ action: "drop", rate: Number(rate), burstSize: Number(burst) }],
    });
  }
  const words = text.trim().split(/[\s,]+/);
  const unit = words.includes("pktps") ? "pktps" : words.includes("kbps") ? "kbps" : undefined;
  const rate = words.find((w) => w.startsWith("rate="));
  if (unit === undefined || rate === undefined) return undefined;
  const burst = words.find((w) => w.startsWith("burst_size="));
  const r = Number(rate.slice(5));
  const b = burst === undefined ? 0 : Number(burst.slice(11));
  if (!Number.isInteger(r) || r <= 0 || !Number.isInteger(b) || b < 0) return undefined;
  return meterFromRow(id, { name: text, unit, bands: [{ action: "drop", rate: r, burstSize: b }] });
}

export interface DesiredMeters {
  /** meter_mod "add" for each meter to be on the switch, by id. */
  readonly meters: readonly MeterMod[];
  /** Names used by a flow that no Southbound Meter row (or readable description) defines. */
  readonly missing: readonly string[];
}

/**
 * The meters the flows need: each id some flow uses, defined by the Southbound Meter of that name or
 * by the set_meter description.  Sorted by id.
 */
export function desiredMeters(
  flows: readonly FlowLike[],
  allocated: Iterable<AllocatedMeter>,
  sbMeters: Iterable<SbMeter>,
): DesiredMeters {
  const used = meterIdsUsed(flows);
  const rows = new Map<string, SbMeter>();
  for (const m of sbMeters) if (!rows.has(m.name)) rows.set(m.name, m);
  const meters: MeterMod[] = [];
  const missing: string[] = [];
  for (const { id, name } of allocated) {
    if (!used.has(id)) continue;
    const row = rows.get(name);
    const mod =
      row !== undefined && row.bands.length > 0
        ? meterFromRow(id, row)
        : name.startsWith(STRING_METER_PREFIX)
          ? meterFromString(id, name.slice(STRING_METER_PREFIX.length))
          : undefined;
    if (mod === undefined) missing.push(name);
    else meters.push(mod);
  }
  meters.sort((a, b) => a.meterId - b.meterId);
  return { meters, missing };
}
