// The local datapaths as the Southbound rows alone suggest them, before any view is built.  Pure.
//
// At start the replica fills in rounds: the first monitor reply holds the rows every chassis follows
// (datapaths, patch ports, the VIFs' own ports, HA groups, datapath groups); the logical flows of the
// local datapaths come only once a condition asks for them.  Asking for them as soon as the first reply
// is in -- from the typed rows, before registering the chassis and without building the compiler's view
// (which would be thrown away, the replica being about to change) -- closes the set in one round.  The
// agent checks this guess against localDatapaths() of the real view before it computes flows: a guess
// that is wrong costs one more condition round, never a wrong flow.

import type { OvnSbTables } from "../../ovsdb/idl/generated/ovn-sb.js";

type Row<T extends keyof OvnSbTables> = OvnSbTables[T];

export interface LocalGuessInput {
  readonly ports: Iterable<Row<"Port_Binding">>;
  readonly haGroups: (uuid: string) => Row<"HA_Chassis_Group"> | undefined;
  readonly haChassis: (uuid: string) => Row<"HA_Chassis"> | undefined;
  /** external_ids:iface-id of br-int's VIFs. */
  readonly ifaceIds: ReadonlySet<string>;
  /** This chassis's name (l3gateway-chassis) and its Chassis row, once registered. */
  readonly chassisName: string;
  readonly chassisUuid: string | undefined;
}

/** HA_Chassis members of a group, highest priority first (what planBindings reads as the master). */
function members(input: LocalGuessInput, group: string | undefined): (string | undefined)[] {
  const g = group === undefined ? undefined : input.haGroups(group);
  if (g === undefined) return [];
  return g.haChassis
    .flatMap((u) => {
      const h = input.haChassis(u);
      return h === undefined ? [] : [h];
    })
    .sort((a, b) => b.priority - a.priority)
    .map((h) => h.chassis);
}

/** Whether this chassis will hold the port once the pass has claimed what it claims (bindings.ts). */
function heldHere(p: Row<"Port_Binding">, input: LocalGuessInput): boolean {
  const me = input.chassisUuid;
  switch (p.type) {
    case "":
      return input.ifaceIds.has(
        p.tag !== undefined && p.parentPort !== undefined ? p.parentPort : p.logicalPort,
      );
    case "l3gateway":
      return p.options.get("l3gateway-chassis") === input.chassisName;
    case "virtual":
      return (
        me !== undefined &&
        p.chassis === me &&
        p.virtualParent !== undefined &&
        input.ifaceIds.has(p.virtualParent)
      );
    case "chassisredirect":
      return me !== undefined && members(input, p.haChassisGroup)[0] === me;
    case "external":
      return me !== undefined && members(input, p.haChassisGroup).includes(me);
    default:
      return false;
  }
}

/**
 * Whether a patch port's peer datapath is local with it (lflow/context.ts localDatapaths, ovn-controller's
 * rule): not behind a distributed gateway port whose redirect port always redirects, unless this chassis
 * is in the redirect port's HA group.  Before the chassis is registered it is in no HA group (their
 * HA_Chassis rows point at Chassis rows), so the peer does not follow: a gateway chassis registering
 * for the first time then pays one more condition round, where guessing wide cost every compute
 * chassis one at every start (the controller benchmark: 26 datapaths guessed, 24 local).  Without the
 * redirect port's row the guess keeps the peer (a guess too wide costs rows, one too narrow a round).
 */
function peerFollows(
  p: Row<"Port_Binding">,
  byName: ReadonlyMap<string, Row<"Port_Binding">>,
  input: LocalGuessInput,
): boolean {
  const crpName = p.options.get("chassis-redirect-port");
  if (crpName === undefined) return true;
  const crp = byName.get(crpName);
  if (crp === undefined) return true;
  if (crp.options.get("always-redirect") !== "true") return true;
  return input.chassisUuid !== undefined && members(input, crp.haChassisGroup).includes(input.chassisUuid);
}

/** The datapaths with a port held here, closed over patch (and local l3gateway) peers. */
export function guessLocalDatapaths(input: LocalGuessInput): Set<string> {
  const local = new Set<string>();
  const byName = new Map<string, Row<"Port_Binding">>();
  const peers = new Map<string, string[]>(); // datapath -> datapaths its patch ports lead to
  const all = [...input.ports];
  for (const p of all) byName.set(p.logicalPort, p);
  for (const p of all) {
    if (heldHere(p, input)) local.add(p.datapath);
    const peer = p.options.get("peer");
    if (peer === undefined) continue;
    if (
      p.type !== "patch" &&
      !(p.type === "l3gateway" && p.options.get("l3gateway-chassis") === input.chassisName)
    )
      continue;
    const other = byName.get(peer);
    if (other === undefined || (p.type === "patch" && !peerFollows(p, byName, input))) continue;
    const list = peers.get(p.datapath);
    if (list === undefined) peers.set(p.datapath, [other.datapath]);
    else list.push(other.datapath);
  }
  const todo = [...local];
  while (todo.length > 0) {
    for (const d of peers.get(todo.pop() as string) ?? [])
      if (!local.has(d)) {
        local.add(d);
        todo.push(d);
      }
  }
  return local;
}
