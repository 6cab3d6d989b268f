// What br-int holds of the meters, and the meter_mods that bring it to the desired set.  Adds and
// modifications go before the flows that use them (a flow naming a missing meter is refused by the
// switch); deletions go after the flows that used them are gone.  After (re)connecting, what the switch
// holds is unknown, so the first plan deletes every meter (OFPM_ALL) before adding.  Pure.

import type { MeterModMsg } from "../../openflow/messages.js";
import type { MeterMod } from "../../openflow/model.js";
import { OFPM_ALL } from "../../openflow/model.js";

export interface MeterPlan {
  /** To send before the flow changes: delete-all after a reset, adds and modifies. */
  readonly before: readonly MeterModMsg[];
  /** To send after the flow changes: deletions of meters no flow uses any more. */
  readonly after: readonly MeterModMsg[];
  /** What the switch holds once both are applied. */
  readonly next: ReadonlyMap<number, MeterMod>;
}

const msg = (meterMod: MeterMod): MeterModMsg => ({ kind: "meter_mod", meterMod });

/** The same meter configuration (flags and bands), whatever the command. */
export function sameMeter(a: MeterMod, b: MeterMod): boolean {
  const f = (m: MeterMod) =>
    JSON.stringify([!!m.flags.kbps, !!m.flags.pktps, !!m.flags.burst, !!m.flags.stats]);
  return (
    a.meterId === b.meterId &&
    f(a) === f(b) &&
    a.bands.length === b.bands.length &&
    a.bands.every((x, i) => {
      const y = b.bands[i];
      return (
        y !== undefined &&
        x.type === y.type &&
        x.rate === y.rate &&
        x.burstSize === y.burstSize &&
        (x.precLevel ?? 0) === (y.precLevel ?? 0)
      );
    })
  );
}

export class InstalledMeters {
  /** By meter id; undefined while the switch's meters are unknown (before the first install). */
  private installed: Map<number, MeterMod> | undefined;

  /** Forget what the switch holds (a new OpenFlow connection). */
  reset(): void {
    this.installed = undefined;
  }

  /** True when a plan for `desired` would send nothing. */
  inSync(desired: readonly MeterMod[]): boolean {
    const p = this.plan(desired);
    return p.before.length === 0 && p.after.length === 0;
  }

  plan(desired: readonly MeterMod[]): MeterPlan {
    const next = new Map<number, MeterMod>();
    for (const m of desired) next.set(m.meterId, { ...m, command: "add" });
    const before: MeterModMsg[] = [];
    const after: MeterModMsg[] = [];
    const have = this.installed;
    if (have === undefined) {
      before.push(msg({ command: "delete", meterId: OFPM_ALL, flags: {}, bands: [] }));
      for (const m of next.values()) before.push(msg(m));
      return { before, after, next };
    }
    for (const m of next.values()) {
      const old = have.get(m.meterId);
      if (old === undefined) before.push(msg(m));
      else if (!sameMeter(old, m)) before.push(msg({ ...m, command: "modify" }));
    }
    for (const id of have.keys())
      if (!next.has(id)) after.push(msg({ command: "delete", meterId: id, flags: {}, bands: [] }));
    return { before, after, next };
  }

  /** Records that the plan was applied. */
  commit(plan: MeterPlan): void {
    this.installed = new Map(plan.next);
  }

  /** The meters the switch holds (by id), as far as known. */
  current(): ReadonlyMap<number, MeterMod> {
    return this.installed ?? new Map();
  }
}
