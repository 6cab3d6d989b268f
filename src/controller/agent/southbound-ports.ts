// Port claims and their marks: Port_Binding chassis / additional_chassis / up / encap in the
// Southbound database, and external_ids:ovn-installed on the local interfaces once the flows are in.

import { logger } from "../../base/log.js";
import type { OvnSbTables } from "../../ovsdb/idl/generated/ovn-sb.js";
import type { VswitchTables } from "../../ovsdb/idl/generated/vswitch.js";
import type { Idl } from "../../ovsdb/idl/idl.js";
import type { Uuid } from "../../ovsdb/idl/model.js";

const log = logger("controller");

export interface BindingChanges {
  /** Ports to bind to this chassis. */
  readonly claim: readonly string[];
  /** Ports bound here to let go. */
  readonly release: readonly string[];
  /**
   * Ports (claimed now or bound already) whose flows are installed: Port_Binding.up := true for those
   * whose main chassis this is (an additional chassis leaves up to the main one, as C does).
   */
  readonly up: readonly string[];
  /** Multichassis ports to add this chassis to (claim) or take it off (release) additional_chassis. */
  readonly additional?:
    | { readonly claim: readonly string[]; readonly release: readonly string[] }
    | undefined;
  /**
   * external_ids:encap-ip of the local interface of each port in `up` that has one (ifaceEncapIps):
   * Port_Binding.encap (main chassis) or additional_encap (additional chassis) names this chassis's
   * Encap with that IP.  Absent: encap columns are left alone.
   */
  readonly encapIps?: ReadonlyMap<string, string> | undefined;
}

/** Claims, releases and ports up in one Southbound transaction (none when nothing changes). */
export async function changeBindings(
  sb: Idl<OvnSbTables>,
  chassis: string,
  c: BindingChanges,
): Promise<void> {
  const ch = sb.rows("Chassis").find((r) => r.name === chassis);
  if (ch === undefined) return;
  const byName = new Map<string, OvnSbTables["Port_Binding"]>();
  const pb = (n: string) => {
    if (byName.size === 0) for (const p of sb.rows("Port_Binding")) byName.set(p.logicalPort, p);
    return byName.get(n);
  };
  const up = new Set(c.up);
  const claim = new Set(c.claim);
  const extra = c.additional ?? { claim: [], release: [] };
  const extraClaim = new Set(extra.claim);
  // Ports up here as their main chassis (claimed now, or bound already) that are not up yet.
  const notUp = c.up.filter((n) => !claim.has(n) && pb(n)?.chassis === ch._uuid && pb(n)?.up !== true);
  const encaps = c.encapIps === undefined ? [] : encapChanges(sb, ch, c, pb, claim, extraClaim);
  if (
    c.claim.length === 0 &&
    c.release.length === 0 &&
    notUp.length === 0 &&
    extra.claim.length + extra.release.length === 0 &&
    encaps.length === 0
  )
    return;
  for (const p of extra.claim) log.info(`claiming lport ${p} as an additional chassis`);
  for (const p of c.claim) log.info(`claiming lport ${p} for this chassis`);
  for (const p of c.release) log.info(`releasing lport ${p} from this chassis`);
  await sb.transact((txn) => {
    for (const n of c.claim) {
      const p = pb(n);
      if (p !== undefined) txn.update("Port_Binding", p._uuid, { chassis: ch._uuid, up: up.has(n) });
    }
    for (const n of notUp) {
      const p = pb(n);
      if (p !== undefined) txn.update("Port_Binding", p._uuid, { up: true });
    }
    for (const n of c.release) {
      const p = pb(n);
      if (p === undefined || p.chassis !== ch._uuid) continue;
      // A released virtual port forgets its parent too (it binds again on the next bind_vport); a
      // released port's encap goes with the chassis.
      const cleared = c.encapIps !== undefined && p.encap !== undefined ? { encap: undefined } : {};
      if (p.type === "virtual")
        txn.update("Port_Binding", p._uuid, {
          chassis: undefined,
          up: false,
          virtualParent: undefined,
          ...cleared,
        });
      else txn.update("Port_Binding", p._uuid, { chassis: undefined, up: false, ...cleared });
    }
    for (const [names, mutator] of [
      [extra.claim, "insert"],
      [extra.release, "delete"],
    ] as const)
      for (const n of names) {
        const p = pb(n);
        if (p !== undefined) txn.mutate("Port_Binding", p._uuid, "additionalChassis", mutator, [ch._uuid]);
      }
    for (const e of encaps)
      if (e.column === "encap") txn.update("Port_Binding", e.port, { encap: e.encap as never });
      else txn.mutate("Port_Binding", e.port, "additionalEncap", e.mutator, [e.encap as never]);
  });
}

type EncapChange =
  | { readonly column: "encap"; readonly port: Uuid<"Port_Binding">; readonly encap: string | undefined }
  | {
      readonly column: "additional_encap";
      readonly port: Uuid<"Port_Binding">;
      readonly mutator: "insert" | "delete";
      readonly encap: string;
    };

/**
 * Port_Binding.encap / additional_encap as ovn-controller 23.03 keeps them: a port bound here as main
 * chassis names the Encap of this chassis whose IP is its interface's external_ids:encap-ip (the best
 * tunnel type when several: geneve, then stt, then vxlan), or none; as an additional chassis it adds
 * that Encap to additional_encap (never removes one while bound).  A port this chassis stops being an
 * additional chassis of loses every additional_encap of this chassis; so does one claimed here as
 * main that had this chassis as additional.
 */
function encapChanges(
  sb: Idl<OvnSbTables>,
  ch: OvnSbTables["Chassis"],
  c: BindingChanges,
  pb: (n: string) => OvnSbTables["Port_Binding"] | undefined,
  claim: ReadonlySet<string>,
  extraClaim: ReadonlySet<string>,
): EncapChange[] {
  const out: EncapChange[] = [];
  const mine = ch.encaps.flatMap((u) => {
    const e = sb.get("Encap", u);
    return e === undefined ? [] : [e];
  });
  const encapFor = (n: string): string | undefined => {
    const ip = c.encapIps?.get(n);
    if (ip === undefined) return undefined;
    let best: { uuid: string; rank: number } | undefined;
    for (const e of mine)
      if (e.ip === ip && (best === undefined || TUNNEL_RANK[e.type] > best.rank))
        best = { uuid: e._uuid, rank: TUNNEL_RANK[e.type] };
    return best?.uuid;
  };
  const dropOwn = (p: OvnSbTables["Port_Binding"]) => {
    for (const u of p.additionalEncap)
      if (sb.get("Encap", u)?.chassisName === ch.name)
        out.push({ column: "additional_encap", port: p._uuid, mutator: "delete", encap: u });
  };
  for (const n of c.up) {
    const p = pb(n);
    if (p === undefined) continue;
    const want = encapFor(n);
    if (claim.has(n) || p.chassis === ch._uuid) {
      if (want !== p.encap) out.push({ column: "encap", port: p._uuid, encap: want });
      if (claim.has(n) && p.additionalChassis.includes(ch._uuid)) dropOwn(p);
    } else if (
      (extraClaim.has(n) || p.additionalChassis.includes(ch._uuid)) &&
      want !== undefined &&
      !p.additionalEncap.includes(want as never)
    )
      out.push({ column: "additional_encap", port: p._uuid, mutator: "insert", encap: want });
  }
  for (const n of c.additional?.release ?? []) {
    const p = pb(n);
    if (p !== undefined) dropOwn(p);
  }
  return out;
}

/** Which tunnel type a port's encap prefers when the chassis has several with its IP. */
const TUNNEL_RANK: Record<OvnSbTables["Encap"]["type"], number> = { geneve: 3, stt: 2, vxlan: 1 };

/** external_ids:encap-ip of the interfaces of `lports` (by their Interface rows, e.g. brIntPorts's). */
export function ifaceEncapIps(
  ovs: Idl<VswitchTables>,
  lports: readonly string[],
  ifaces: ReadonlyMap<string, { uuid: string }>,
): Map<string, string> {
  const out = new Map<string, string>();
  for (const n of lports) {
    const u = ifaces.get(n)?.uuid;
    const ip = u === undefined ? undefined : ovs.get("Interface", u as never)?.externalIds.get("encap-ip");
    if (ip !== undefined) out.set(n, ip);
  }
  return out;
}

/**
 * After installation: external_ids:ovn-installed on the interfaces of the ports now up (their flows are
 * in br-int), and -- with `clear`, from a pass whose replica is complete -- off every other interface
 * of `bridge` that carries it: one whose port was released here, deleted, or whose iface-id was cleared
 * (ovn-controller 23.03 removes it then too; observed in agent/peer/if-status.test.ts).  With `clear`,
 * every interface of the bridge naming a port that is up gets the mark, not only the one carrying its
 * traffic: ovn-controller marks each interface that has been the port's, and leaves an older one's
 * mark when a newer interface takes the port (agent/peer/binding-diff.test.ts).
 */
export async function markInstalled(
  ovs: Idl<VswitchTables>,
  up: readonly string[],
  ifaces: ReadonlyMap<string, { uuid: string; installed: boolean }>,
  clear?: { readonly bridge: string },
  /**
   * Wall clock in ms: written as external_ids:ovn-installed-ts next to ovn-installed, as ovn-controller
   * 23.03 does (that key stays when ovn-installed is taken off).  Absent: no timestamp.
   */
  wallMs?: number,
): Promise<void> {
  const notInstalled = new Set(
    up.flatMap((n) => {
      const i = ifaces.get(n);
      return i !== undefined && !i.installed ? [i.uuid] : [];
    }),
  );
  const scan =
    clear === undefined ? { stale: [], missing: [] } : scanInstalled(ovs, clear.bridge, new Set(up));
  for (const u of scan.missing) notInstalled.add(u);
  const stale = scan.stale;
  if (notInstalled.size > 0 || stale.length > 0)
    await ovs.transact((txn) => {
      for (const u of notInstalled) {
        // A map insert keeps a key that is there: the timestamp of an earlier install goes first.
        if (wallMs !== undefined)
          txn.mutate("Interface", u as never, "externalIds", "delete", ["ovn-installed-ts"]);
        txn.mutate(
          "Interface",
          u as never,
          "externalIds",
          "insert",
          new Map([
            ["ovn-installed", "true"],
            ...(wallMs === undefined ? [] : [["ovn-installed-ts", String(wallMs)] as const]),
          ]) as never,
        );
      }
      for (const u of stale) txn.mutate("Interface", u as never, "externalIds", "delete", ["ovn-installed"]);
    });
}

/**
 * Interfaces of `bridge` saying ovn-installed whose iface-id is not one of `up` (or is missing), and
 * interfaces with an OpenFlow port whose iface-id is up that do not say it yet.
 */
function scanInstalled(
  ovs: Idl<VswitchTables>,
  bridge: string,
  up: ReadonlySet<string>,
): { stale: string[]; missing: string[] } {
  const stale: string[] = [];
  const missing: string[] = [];
  const br = ovs.rows("Bridge").find((b) => b.name === bridge);
  for (const pu of br?.ports ?? [])
    for (const iu of ovs.get("Port", pu)?.interfaces ?? []) {
      const i = ovs.get("Interface", iu);
      if (i === undefined) continue;
      const id = i.externalIds.get("iface-id");
      const installed = i.externalIds.get("ovn-installed") === "true";
      if (!installed) {
        if (id !== undefined && up.has(id) && (i.ofport ?? 0) > 0) missing.push(i._uuid);
      } else if (id === undefined || !up.has(id)) {
        log.info(`removing ovn-installed from interface ${i.name}${id !== undefined ? ` (${id})` : ""}`);
        stale.push(i._uuid);
      }
    }
  return { stale, missing };
}
