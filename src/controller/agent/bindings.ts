// Which Port_Bindings this chassis must claim or release, from the VIFs plugged into br-int, the
// gateway routers pinned to this chassis and the gateway ports whose HA group puts them here; and the
// local bindings as `debug/dump-local-bindings` prints them.  Pure.

import type { SbPortBinding } from "../lflow/sb.js";

/** Port types a VIF with a matching iface-id binds (ovn-sb(5): "" is an ordinary VIF). */
const VIF_TYPES = new Set([""]);

/**
 * Ports that live on the master of their HA chassis group, with no interface behind them: a
 * distributed gateway port's redirect port, and an external port (ovn-nb(5): the master chassis binds
 * it to answer DHCP/DNS for it).  ovn-controller 23.03 reads only HA_Chassis.chassis, which northd
 * fills in once the chassis has registered -- until then no chassis claims the port.
 */
const HA_TYPES = new Set(["chassisredirect", "external"]);

export interface BindingPlan {
  /** Logical ports to set Port_Binding.chassis to this chassis. */
  readonly claim: readonly string[];
  /** Logical ports bound here that no local interface names any more. */
  readonly release: readonly string[];
  /**
   * Logical ports bound here with a local interface (these get up=true once flows are installed), and
   * the multichassis ports this chassis is an additional chassis of (these get ovn-installed only).
   */
  readonly bound: readonly string[];
  /**
   * Multichassis ports (requested_additional_chassis names this chassis, which has the VIF) to add this
   * chassis to additional_chassis of, and those to take it off; absent when there are none.
   */
  readonly additional?: { readonly claim: readonly string[]; readonly release: readonly string[] };
}

/**
 * `ifaceIds` are the external_ids:iface-id of br-int's interfaces that have an OpenFlow port.  A VIF
 * port is ours when an interface names it; a port bound elsewhere is taken over, like ovn-controller
 * does when a VM migrates (the last claimer wins).
 */
export function planBindings(
  ports: readonly SbPortBinding[],
  ifaceIds: ReadonlySet<string>,
  chassis: string,
  /** Port_Binding.virtual_parent of virtual ports (set by bind_vport). */
  virtualParents: ReadonlyMap<string, string> = new Map(),
  /** The active member of each HA port's chassis group as BFD sees it (local-ovs.ts haActiveMembers). */
  active?: ReadonlyMap<string, string | undefined>,
): BindingPlan {
  const claim: string[] = [];
  const release: string[] = [];
  const bound: string[] = [];
  const claimAdditional: string[] = [];
  const releaseAdditional: string[] = [];
  for (const p of ports) {
    if (p.type === "l3gateway" || p.type === "l2gateway") {
      // A gateway router's ports live on the chassis its options:chassis names (northd copies it to
      // options:l3gateway-chassis); an l2gateway port on the one its options:l2gateway-chassis names.
      // That chassis claims them, with no interface behind them.
      const here = p.options[`${p.type}-chassis`] === chassis;
      if (here && p.chassis !== chassis) claim.push(p.logicalPort);
      else if (!here && p.chassis === chassis) release.push(p.logicalPort);
      continue;
    }
    if (p.type === "virtual") {
      // A virtual port lives where its virtual_parent (written by bind_vport) is a local VIF: claimed
      // there even while its chassis is empty or another one (as ovn-controller 23.03 does), released
      // from here once the parent is no longer local.
      const parent = virtualParents.get(p.logicalPort);
      const here = parent !== undefined && ifaceIds.has(parent);
      if (here && p.chassis !== chassis) claim.push(p.logicalPort);
      else if (here) bound.push(p.logicalPort);
      else if (p.chassis === chassis) release.push(p.logicalPort);
      continue;
    }
    if (HA_TYPES.has(p.type)) {
      // The active member of the HA chassis group: as BFD sees the members (`active`, from bfd.ts), or
      // else the highest-priority one (ovn-sb(5)).
      const activeChassis =
        active?.has(p.logicalPort) === true ? active.get(p.logicalPort) : p.haChassis[0]?.chassis;
      const here = activeChassis === chassis;
      if (here && p.chassis !== chassis) claim.push(p.logicalPort);
      else if (!here && p.chassis === chassis) release.push(p.logicalPort);
      continue;
    }
    if (!VIF_TYPES.has(p.type)) continue;
    if (p.parentPort !== null && p.tag !== null) {
      // A container port (parent_port + tag) lives where its parent VIF is, with no interface of its own.
      const here = ifaceIds.has(p.parentPort);
      if (here && p.chassis !== chassis) claim.push(p.logicalPort);
      else if (here) bound.push(p.logicalPort);
      else if (p.chassis === chassis) release.push(p.logicalPort);
      continue;
    }
    // requested_chassis / requested_additional_chassis (northd's reading of options:requested-chassis)
    // say which chassis binds the port as main and which as additional ones; another chassis with the
    // VIF leaves it alone, and lets it go if it has it.
    const can = canBind(p, chassis);
    const local = ifaceIds.has(p.logicalPort) && can === "main";
    const extra = ifaceIds.has(p.logicalPort) && can === "additional";
    const isExtra = (p.additionalChassis ?? []).includes(chassis);
    if (extra && !isExtra) claimAdditional.push(p.logicalPort);
    else if (!extra && isExtra) releaseAdditional.push(p.logicalPort);
    // Its interface here gets ovn-installed once the flows are in, as on the main chassis
    // (ovn-controller 23.03); Port_Binding.up stays the main chassis's to write (changeBindings).
    if (extra) bound.push(p.logicalPort);
    if (local && p.chassis !== chassis) claim.push(p.logicalPort);
    else if (local) bound.push(p.logicalPort);
    else if (p.chassis === chassis) release.push(p.logicalPort);
  }
  const plan = { claim: claim.sort(), release: release.sort(), bound: bound.sort() };
  return claimAdditional.length + releaseAdditional.length === 0
    ? plan
    : { ...plan, additional: { claim: claimAdditional.sort(), release: releaseAdditional.sort() } };
}

/**
 * Whether `chassis` may bind a VIF port, as ovn-controller 23.03 decides it: named by requested_chassis,
 * main; by requested_additional_chassis, additional.  Otherwise the option itself is read (northd leaves
 * the columns empty for names it does not know): no option, main; else the chassis's place in the
 * comma list -- first, main; later, additional; absent, none (a port requested on an unknown chassis
 * is bound nowhere).
 */
function canBind(p: SbPortBinding, chassis: string): "main" | "additional" | "none" {
  if (p.requestedChassis === chassis) return "main";
  if ((p.requestedAdditionalChassis ?? []).includes(chassis)) return "additional";
  const option = p.options["requested-chassis"];
  // (northd always writes the option with the columns: a column naming another chassis without it is
  // taken as that chassis's.)
  if (option === undefined || option === "") return typeof p.requestedChassis === "string" ? "none" : "main";
  // When the replica does not say what northd made of the option, the columns are taken as read.
  if (p.requestedChassis === undefined) return "main";
  const names = option.split(",").filter((n) => n !== "");
  const at = names.indexOf(chassis);
  return at === 0 ? "main" : at > 0 ? "additional" : "none";
}

/** Port types as `debug/dump-local-bindings` names them (C's get_lport_type_str); "" is a VIF or container. */
const LPORT_TYPE_NAMES: Readonly<Record<string, string>> = {
  virtual: "VIRTUAL",
  patch: "PATCH",
  localnet: "PATCH",
  chassisredirect: "CHASSISREDIRECT",
  l3gateway: "L3GATEWAY",
  localport: "LOCALPORT",
  l2gateway: "L2GATEWAY",
  external: "EXTERNAL",
  remote: "REMOTE",
  vtep: "VTEP",
};

function lportTypeName(p: SbPortBinding): string {
  if (p.type === "") return p.parentPort !== null ? "CONTAINER" : "VIF";
  return LPORT_TYPE_NAMES[p.type] ?? "UNKNOWN";
}

/**
 * `ovn-appctl debug/dump-local-bindings` in ovn-controller 23.03's words: one entry per iface-id of a
 * br-int interface with an OpenFlow port (sorted), with its interface's name and the logical ports
 * bound through it: the port of that name when it is a VIF ("primary") or a localport, then its
 * container ports and the virtual ports bound here with it as virtual_parent ("child", sorted).
 */
export function localBindingsText(
  /** iface-id → the name of the interface that has it (the one carrying the port's traffic). */
  locals: ReadonlyMap<string, string>,
  ports: readonly SbPortBinding[],
  chassis: string,
  /** Port_Binding.virtual_parent of virtual ports. */
  virtualParents: ReadonlyMap<string, string> = new Map(),
): string {
  const byName = new Map(ports.map((p) => [p.logicalPort, p]));
  const children = new Map<string, SbPortBinding[]>();
  for (const p of ports) {
    const parent =
      p.type === "" && p.parentPort !== null
        ? p.parentPort
        : p.type === "virtual" && p.chassis === chassis
          ? (virtualParents.get(p.logicalPort) ?? null)
          : null;
    if (parent !== null) children.set(parent, [...(children.get(parent) ?? []), p]);
  }
  const out = ["Local bindings:\n"];
  for (const id of [...locals.keys()].sort()) {
    const own = byName.get(id);
    const head = own === undefined ? undefined : lportTypeName(own);
    const first = head === "VIF" || head === "LOCALPORT" ? own : undefined;
    const kids = first === undefined ? [] : (children.get(id) ?? []);
    const n = (first === undefined ? 0 : 1) + kids.length;
    out.push(`name: [${id}], OVS interface name : [${locals.get(id)}], num binding lports : [${n}]\n`);
    if (first !== undefined)
      out.push(head === "VIF" ? `primary lport : [${id}]\n` : `localport lport : [${id}]\n`);
    kids
      .map((k) => k.logicalPort)
      .sort()
      .forEach((k, i) => {
        out.push(
          `child lport[${i + 1}] : [${k}], type : [${lportTypeName(byName.get(k) as SbPortBinding)}]\n`,
        );
      });
    out.push("----------------------------------------\n");
  }
  return out.join("");
}

/** How soon a chassis may claim again a port another chassis took from it (ovn-controller 23.03's pace). */
export const CLAIM_THRESHOLD_MS = 500;

/**
 * Two chassis with a VIF for the same port (and no requested-chassis) take it from each other; like
 * ovn-controller 23.03, a chassis claims such a port again only CLAIM_THRESHOLD_MS after its own last
 * claim of it, so that the port changes hands at that pace rather than at the speed of the databases.
 * Claims of free ports are never held back.  Time is passed in.
 */
export class ClaimThrottle {
  private readonly lastClaim = new Map<string, number>();

  /**
   * `plan` without the claims to hold back now, and when to plan again if some were; the claims that
   * go ahead are recorded as made at `nowMs`.
   */
  apply(
    plan: BindingPlan,
    ports: readonly SbPortBinding[],
    chassis: string,
    nowMs: number,
  ): { readonly plan: BindingPlan; readonly retryAtMs?: number } {
    for (const [n, t] of this.lastClaim) if (nowMs - t >= 5 * CLAIM_THRESHOLD_MS) this.lastClaim.delete(n);
    if (plan.claim.length === 0) return { plan };
    const holder = new Map<string, string | null>();
    for (const p of ports) holder.set(p.logicalPort, p.chassis);
    const claim: string[] = [];
    let retryAtMs: number | undefined;
    for (const n of plan.claim) {
      const last = this.lastClaim.get(n);
      const taken = (holder.get(n) ?? null) !== null && holder.get(n) !== chassis;
      if (taken && last !== undefined && nowMs - last < CLAIM_THRESHOLD_MS) {
        const at = last + CLAIM_THRESHOLD_MS;
        retryAtMs = retryAtMs === undefined ? at : Math.min(retryAtMs, at);
        continue;
      }
      this.lastClaim.set(n, nowMs);
      claim.push(n);
    }
    if (claim.length === plan.claim.length) return { plan };
    return { plan: { ...plan, claim }, ...(retryAtMs !== undefined && { retryAtMs }) };
  }
}
