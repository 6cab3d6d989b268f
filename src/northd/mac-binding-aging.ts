// MAC binding aging (ovn-nb(5) Logical_Router options:mac_binding_age_threshold, seconds; 0 or absent:
// off): ovn-northd deletes the router's SB MAC_Binding rows whose timestamp (ms, written by
// ovn-controller) is that old or older.  As observed from ovn-northd 23.03 this is not done when a row
// appears but on a timer: a row already too old when inserted is removed at the next check, not at once;
// a row with a timestamp in the future stays.  Pure: the daemon passes the rows and the time in and
// deletes what comes back, then checks again after `nextCheckMs`.

/** A router with aging on: its SB datapath and threshold in ms. */
export interface AgingRouter {
  readonly sbDatapath: string;
  readonly thresholdMs: number;
}

export interface AgingBinding {
  readonly _uuid: string;
  readonly datapath: string;
  readonly timestamp: number;
}

export interface AgingPlan {
  /** MAC_Binding uuids to delete. */
  readonly expired: readonly string[];
  /** When to look again, in ms from now (undefined: no router ages its bindings). */
  readonly nextCheckMs: number | undefined;
}

/** The age threshold of a router in ms, from its options (undefined: aging off). */
export function ageThresholdMs(options: ReadonlyMap<string, string>): number | undefined {
  const v = options.get("mac_binding_age_threshold");
  if (v === undefined || !/^[0-9]+$/.test(v)) return undefined;
  const s = Number(v);
  return s > 0 && s <= 0xffffffff ? s * 1000 : undefined;
}

/**
 * The bindings of aging routers that expired at `now`, and when the next one will (at the latest one
 * threshold from now, so that rows inserted in between are looked at).
 */
export function agingPlan(
  routers: Iterable<AgingRouter>,
  bindings: Iterable<AgingBinding>,
  now: number,
  /** NB_Global options:mac_binding_removal_limit: at most this many rows per check (0: no limit). */
  limit = 0,
): AgingPlan {
  const threshold = new Map<string, number>();
  for (const r of routers) threshold.set(r.sbDatapath, r.thresholdMs);
  if (threshold.size === 0) return { expired: [], nextCheckMs: undefined };
  let next = Math.min(...threshold.values());
  const expired: string[] = [];
  for (const b of bindings) {
    const t = threshold.get(b.datapath);
    if (t === undefined) continue;
    const age = now - b.timestamp;
    if (age < 0) continue;
    if (age >= t) expired.push(b._uuid);
    else next = Math.min(next, t - age);
  }
  // Over the limit: the rest goes in the next batch, 5 s later (ovn-nb(5)).
  if (limit > 0 && expired.length > limit) return { expired: expired.slice(0, limit), nextCheckMs: 5000 };
  return { expired, nextCheckMs: next };
}

/** NB_Global options:mac_binding_removal_limit (0, absent or junk: no limit). */
export function removalLimit(options: ReadonlyMap<string, string>): number {
  const v = options.get("mac_binding_removal_limit");
  return v !== undefined && /^[0-9]+$/.test(v) ? Number(v) : 0;
}
