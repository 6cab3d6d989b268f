// Id allocation for conjunctive matches and groups.  Ids must stay the same while the things they
// name exist (the desired flow table is diffed against what is installed), so allocation is keyed by
// what is named: a conjunction range by (logical flow, datapath), a group by its description.

import { stableKey } from "../../expr/ast.js";
import type { Allocators } from "./compile.js";
import type { Group } from "./flow.js";

export class IdAllocators implements Allocators {
  private readonly conj = new Map<string, { first: number; n: number }>();
  private readonly usedConj = new Set<number>();
  private readonly groups = new Map<string, Group>();
  private nextGroup = 1;
  private readonly meters = new Map<string, number>();

  /** Conjunction ids start at the flow's cookie (its UUID's first 32 bits), moved on past ids in use. */
  conjIds(flowUuid: string, datapathUuid: string, n: number): number {
    const key = `${flowUuid}/${datapathUuid}`;
    const hit = this.conj.get(key);
    if (hit !== undefined && hit.n === n) return hit.first;
    let first = Number.parseInt(flowUuid.slice(0, 8), 16) || 1;
    const free = (f: number) => {
      for (let i = 0; i < n; i++) if (this.usedConj.has((f + i) >>> 0) || (f + i) >>> 0 === 0) return false;
      return true;
    };
    while (!free(first)) first = (first + n) >>> 0;
    for (let i = 0; i < n; i++) this.usedConj.add((first + i) >>> 0);
    this.conj.set(key, { first, n });
    return first;
  }

  groupId(group: Omit<Group, "id">): number {
    const key = stableKey(group);
    const hit = this.groups.get(key);
    if (hit !== undefined) return hit.id;
    const id = this.nextGroup++;
    this.groups.set(key, { id, ...group });
    return id;
  }

  /** Meters are numbered from 1 in the order their names are first used. */
  meterId(name: string): number {
    const hit = this.meters.get(name);
    if (hit !== undefined) return hit;
    const id = this.meters.size + 1;
    this.meters.set(name, id);
    return id;
  }

  /** Meter names allocated so far, by id. */
  meterList(): { id: number; name: string }[] {
    return [...this.meters.entries()].map(([name, id]) => ({ id, name }));
  }

  /** Groups allocated so far (for installing them). */
  groupList(): Group[] {
    return [...this.groups.values()];
  }
}
