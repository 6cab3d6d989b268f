// BFD on tunnels for gateway high availability (ovn-architecture(7) "Gateway high availability": all
// chassis that may send packets to a gateway enable BFD on their tunnels to every gateway chassis, and the
// active gateway is the highest-priority one seen alive).  Which tunnels get BFD, as observed on the real
// ovn-controller 23.03 with simulated chassis (`ovs-vsctl list Interface`, /tmp/ctlbfd/obs*.mjs):
//  - only HA chassis groups with two or more members count (a single gateway needs no liveness);
//  - a member enables BFD to the other members and to the group's ref_chassis (the chassis northd found
//    bound to ports on datapaths connected to the group's router: they may send to the gateway);
//  - a chassis in ref_chassis enables BFD to every member (the groups of external ports have no
//    ref_chassis, so only their members watch each other);
//  - the bfd column is then {enable="true", check_tnl_key="true"}, and {} once no group asks for it
//    (SB_Global options:bfd-* do not change it).
// Pure.

export interface HaGroup {
  readonly name: string;
  readonly members: readonly { readonly chassis: string; readonly priority: number }[];
  /** Names of the chassis in the group's ref_chassis. */
  readonly refChassis: readonly string[];
}

/** The remote chassis whose tunnels need BFD on chassis `me`. */
export function bfdChassis(me: string, groups: readonly HaGroup[]): Set<string> {
  const out = new Set<string>();
  for (const g of groups) {
    if (g.members.length < 2) continue;
    if (g.members.some((m) => m.chassis === me)) {
      for (const m of g.members) out.add(m.chassis);
      for (const r of g.refChassis) out.add(r);
    } else if (g.refChassis.includes(me)) {
      for (const m of g.members) out.add(m.chassis);
    }
  }
  out.delete(me);
  return out;
}

/** The tunnel interface's bfd column: BFD on (and the tunnel key checked, so a stray BFD packet of
 *  another tunnel cannot keep this one up), or nothing. */
export function wantedBfd(enabled: boolean): Map<string, string> {
  return enabled
    ? new Map([
        ["enable", "true"],
        ["check_tnl_key", "true"],
      ])
    : new Map();
}

/** Whether two string maps hold the same pairs. */
export function sameMap(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

/**
 * The active member of an HA chassis group as chassis `me` sees it: the highest-priority member that is
 * alive (ovn-architecture(7)).  `bfdState` gives bfd_status:state of the tunnel to a chassis (undefined
 * when there is no tunnel); a remote member is alive when that is "up".  A member that sees nothing it
 * watches for the group up (no other member, no ref chassis) cannot tell its own isolation from the
 * others' death: then only the highest-priority member counts itself active.  Observed on the real
 * ovn-controller 23.03: adding a second gateway leaves the first one active before BFD is up; after
 * gateway hv1 dies, hv2 takes over a router's redirect port (ref chassis hv3 still up) but not an external
 * port whose group {hv1, hv2} has no ref chassis.  Ties in priority go to the smaller chassis name, so
 * every chassis picks the same one.  A single member is active.  Undefined when no member is alive.
 */
export function activeMember(
  me: string,
  group: Pick<HaGroup, "members" | "refChassis">,
  bfdState: (chassis: string) => string | undefined,
): string | undefined {
  const { members, refChassis } = group;
  if (members.length === 1) return members[0]?.chassis;
  const up = (ch: string) => bfdState(ch) === "up";
  const sorted = [...members].sort((a, b) =>
    a.priority !== b.priority
      ? b.priority - a.priority
      : a.chassis < b.chassis
        ? -1
        : a.chassis > b.chassis
          ? 1
          : 0,
  );
  if (members.some((m) => m.chassis === me)) {
    const seesSome =
      members.some((m) => m.chassis !== me && up(m.chassis)) || refChassis.some((r) => r !== me && up(r));
    if (!seesSome) return sorted[0]?.chassis === me ? me : undefined;
  }
  return sorted.find((m) => m.chassis === me || up(m.chassis))?.chassis;
}
