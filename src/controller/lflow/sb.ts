// The part of the Southbound database the flow compiler and the physical flows read, as plain typed
// records, made from the IDL's typed rows (the controller: no other copy of its rows) or from OVSDB
// rows in RFC 7047 JSON (what a `select`, a dump or a captured corpus gives, read leniently).
// Pure: the caller fetches the rows.

import type { JsonRow } from "../../ovsdb/data/json-row.js";
import { type OvnSbTables, ovnSbModel } from "../../ovsdb/idl/generated/ovn-sb.js";
import { typedRowFromJson } from "../../ovsdb/idl/lenient-rows.js";

export type { JsonRow };
/** Rows of one table by UUID. */
export type JsonTables = Readonly<Record<string, Readonly<Record<string, JsonRow>>>>;

/**
 * Southbound typed rows (the IDL's) by table, then by row UUID.  With a memo, a table or row that is the
 * same object as at an earlier call is taken to hold the same contents (the IDL makes a new row object
 * for every change, and incremental/row-tables.ts a new table object when a row of it changed).
 */
export type SbRowTables = {
  readonly [K in keyof OvnSbTables]?: Readonly<Record<string, OvnSbTables[K]>>;
};

export interface SbLogicalFlow {
  readonly uuid: string;
  readonly pipeline: "ingress" | "egress";
  readonly table: number;
  readonly priority: number;
  readonly match: string;
  readonly actions: string;
  /** Datapath UUIDs the flow applies to (its own datapath, or the members of its group). */
  readonly datapaths: readonly string[];
  readonly controllerMeter: string | null;
  /** tags:in_out_port: the flow only matters where this port is (northd tags port-specific flows). */
  readonly inOutPort: string | null;
}

export interface SbDatapath {
  readonly uuid: string;
  readonly tunnelKey: number;
  readonly name: string;
  readonly isRouter: boolean;
  /** external_ids:snat-ct-zone (a router's options:snat-ct-zone, copied by northd): its SNAT zone. */
  readonly snatCtZone?: number;
}

export interface SbPortBinding {
  readonly uuid: string;
  readonly logicalPort: string;
  readonly datapath: string;
  readonly type: string;
  readonly tunnelKey: number;
  readonly options: Readonly<Record<string, string>>;
  /** Name of the chassis the port is bound to, or null. */
  readonly chassis: string | null;
  readonly mac: readonly string[];
  readonly portSecurity: readonly string[];
  readonly tag: number | null;
  readonly parentPort: string | null;
  /** The chassis of the port's HA chassis group, highest priority first (gateway ports). */
  readonly haChassis: readonly { readonly chassis: string; readonly priority: number }[];
  /** Name of the chassis Port_Binding.requested_chassis names (null: none; absent: not known). */
  readonly requestedChassis?: string | null;
  /** Names of the chassis in Port_Binding.additional_chassis (multichassis ports; absent: none). */
  readonly additionalChassis?: readonly string[];
  /** Names of the chassis in Port_Binding.requested_additional_chassis (absent: none). */
  readonly requestedAdditionalChassis?: readonly string[];
}

export interface SbMulticastGroup {
  readonly uuid: string;
  readonly datapath: string;
  readonly name: string;
  readonly tunnelKey: number;
  /** Member logical port names. */
  readonly ports: readonly string[];
}

export interface SbMacBinding {
  readonly uuid: string;
  readonly logicalPort: string;
  readonly ip: string;
  readonly mac: string;
  readonly datapath: string;
}

export interface SbChassis {
  readonly uuid: string;
  readonly name: string;
  readonly encaps: readonly { readonly type: string; readonly ip: string }[];
  /** other_config (else external_ids) ovn-chassis-mac-mappings, as written ("br1:MAC,..."); absent: none. */
  readonly macMappings?: string;
}

export interface SbLoadBalancer {
  readonly uuid: string;
  readonly name: string;
  readonly protocol: string;
  /** VIP ("ip" or "ip:port") to comma-separated backends. */
  readonly vips: Readonly<Record<string, string>>;
  readonly datapaths: readonly string[];
}

/** A MAC learnt on a port of a switch (FDB table), by datapath and port tunnel keys. */
export interface SbFdb {
  readonly uuid: string;
  readonly mac: string;
  readonly dpKey: number;
  readonly portKey: number;
}

export interface SbDhcpOption {
  readonly name: string;
  readonly code: number;
  readonly type: string;
}

/** Everything the compiler needs from the Southbound database. */
export interface SbView {
  readonly flows: readonly SbLogicalFlow[];
  readonly datapaths: readonly SbDatapath[];
  readonly ports: readonly SbPortBinding[];
  readonly mcGroups: readonly SbMulticastGroup[];
  readonly macBindings: readonly SbMacBinding[];
  readonly chassis: readonly SbChassis[];
  readonly addressSets: Readonly<Record<string, readonly string[]>>;
  /** Port_Group by its Southbound name (`<datapath key>_<name>`). */
  readonly portGroups: Readonly<Record<string, readonly string[]>>;
  readonly dhcpv4Options: readonly SbDhcpOption[];
  readonly dhcpv6Options: readonly SbDhcpOption[];
  readonly loadBalancers: readonly SbLoadBalancer[];
  readonly fdbs: readonly SbFdb[];
  /**
   * SB_Global options:lb_hairpin_use_ct_mark (ovn-northd writes "false" while some chassis lacks
   * ct-no-masked-label): false makes the load balancers' hairpin flows match ct_label, not ct_mark.
   * True when SB_Global says nothing or is not given (absent: true, for views made by hand).
   */
  readonly lbHairpinUseCtMark?: boolean;
}

/**
 * What sbViewFromRows may keep between calls: when the rows are the same objects as last time (the
 * IDL's rows, incremental/row-tables.ts), their logical flows are too, which lets the incremental
 * compiler see "unchanged" by identity.
 */
export class SbViewMemo {
  readonly flows = new WeakMap<
    object,
    {
      flow: SbLogicalFlow;
      groupUuids: readonly string[];
      groups: readonly (readonly string[] | undefined)[];
    }
  >();
  /** The flows array of the last call, valid while the two tables it was made from are the same objects. */
  lastFlows: { lf: unknown; groups: unknown; flows: SbLogicalFlow[] } | undefined;
  /** A port binding per row version, valid while its chassis name and HA chassis list are the same. */
  readonly ports = new WeakMap<
    object,
    { port: SbPortBinding; chassis: string | null; ha: string | null; bind: string; checked: object }
  >();
  readonly portByUuid = new Map<string, SbPortBinding>();
  /** sbViewFromTables: the typed table or row made of a JSON table or row. */
  readonly fromJson = new WeakMap<object, object>();
  private last: SbView | undefined;

  /** Values derived from tables, each with the table objects it was made from. */
  private readonly derived = new Map<string, { deps: readonly unknown[]; value: unknown }>();

  /**
   * `make()`, or what it gave last time when `deps` (the tables it reads: incremental/row-tables.ts
   * hands back the same object for an unchanged table) are the same objects as then.  With
   * `keepEqual`, a value made again that holds the same as the last one (plain data: sameData) is the
   * last one.  (The last value's JSON text was kept to compare with before: ~140 KiB at the controller
   * benchmark's M.)
   */
  derive<T>(name: string, deps: readonly unknown[], make: () => T, keepEqual = false): T {
    const hit = this.derived.get(name);
    if (hit !== undefined && hit.deps.length === deps.length && hit.deps.every((d, i) => d === deps[i]))
      return hit.value as T;
    let value = make();
    if (keepEqual && hit !== undefined && sameData(hit.value, value)) value = hit.value as T;
    this.derived.set(name, { deps, value });
    return value;
  }

  /**
   * The previous view itself when `v` holds the same (flows and ports: the same objects, in order;
   * every other field: the same object, as derive() and sameMcGroups() hand back), so that callers
   * can tell "nothing to do" by identity.
   */
  stable(v: SbView): SbView {
    const l = this.last;
    const sameItems = <T>(a: readonly T[], b: readonly T[]): boolean =>
      a === b || (a.length === b.length && a.every((x, i) => x === b[i]));
    if (
      l !== undefined &&
      sameItems(l.flows, v.flows) &&
      sameItems(l.ports, v.ports) &&
      (Object.keys(v) as (keyof SbView)[]).every((k) => k === "flows" || k === "ports" || l[k] === v[k])
    )
      return l;
    this.last = v;
    return v;
  }
}

/** A valid external_ids:snat-ct-zone (a conntrack zone, 0-65535) as the optional field. */
function snatCtZone(v: string | undefined): { snatCtZone?: number } {
  const n = v === undefined || !/^\d+$/.test(v) ? -1 : Number(v);
  return n >= 0 && n <= 0xffff ? { snatCtZone: n } : {};
}

/**
 * Equal plain data (what JSON.stringify would write the same): primitives by value, arrays item by
 * item, other objects by their own keys in order.
 */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    const k = ka[i] as string;
    if (k !== kb[i] || !sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
      return false;
  }
  return true;
}

type Row<K extends keyof OvnSbTables> = OvnSbTables[K];

/** A table's rows (none for a table not given). */
function all<R>(t: Readonly<Record<string, R>> | undefined): R[] {
  return t === undefined ? [] : Object.values(t);
}

/**
 * A flow's datapaths: a flow of one datapath group (most flows of many datapaths) gets the group's own
 * array, shared by all the group's flows (~1,400 flows of ~170 groups of up to 200 datapaths at the
 * controller benchmark's M: copies were megabytes), which also lets the compiler's cache find the
 * local ones once per group (incremental/lflow-cache.ts).
 */
function flowDatapaths(
  r: Row<"Logical_Flow">,
  groups: ReadonlyMap<string, readonly string[]>,
): readonly string[] {
  const g = r.logicalDpGroup;
  if (r.logicalDatapath === undefined) return g === undefined ? [] : (groups.get(g) ?? []);
  return g === undefined ? [r.logicalDatapath] : [r.logicalDatapath, ...(groups.get(g) ?? [])];
}

function logicalFlow(r: Row<"Logical_Flow">, groups: ReadonlyMap<string, readonly string[]>): SbLogicalFlow {
  return {
    uuid: r._uuid,
    pipeline: r.pipeline === "egress" ? "egress" : "ingress",
    table: r.tableId,
    priority: r.priority,
    match: r.match,
    actions: r.actions,
    datapaths: flowDatapaths(r, groups),
    controllerMeter: r.controllerMeter ?? null,
    inOutPort: r.tags.get("in_out_port") ?? null,
  };
}

/**
 * The typed rows of JSON tables (lenient: ovsdb/idl/lenient-rows.ts).  With a memo, a JSON table or
 * row seen before gives the same typed one (the JSON tables must not be changed once handed in).
 */
function rowTablesFromJson(t: JsonTables, memo?: SbViewMemo): SbRowTables {
  const out: Record<string, object> = {};
  for (const [name, table] of Object.entries(t)) {
    const model = ovnSbModel.tables.get(name);
    if (model === undefined) continue;
    const hit = memo?.fromJson.get(table);
    if (hit !== undefined) {
      out[name] = hit;
      continue;
    }
    const typed: Record<string, object> = {};
    for (const [uuid, row] of Object.entries(table)) {
      let r = memo?.fromJson.get(row);
      if (r === undefined) {
        r = typedRowFromJson(model, uuid, row);
        memo?.fromJson.set(row, r);
      }
      typed[uuid] = r;
    }
    memo?.fromJson.set(table, typed);
    out[name] = typed;
  }
  return out as SbRowTables;
}

/** sbViewFromRows over rows in RFC 7047 JSON (tables keyed by row UUID). */
export function sbViewFromTables(t: JsonTables, memo?: SbViewMemo): SbView {
  return sbViewFromRows(rowTablesFromJson(t, memo), memo);
}

/**
 * Builds the compiler's view from Southbound typed rows.  With a memo (one per replica, kept between
 * calls) unchanged rows give the same objects, and an unchanged view is the same object as last time.
 * The view shares the rows' set values (immutable arrays) instead of copying them.
 */
export function sbViewFromRows(t: SbRowTables, memo?: SbViewMemo): SbView {
  // Each part is made again only when a table it reads changed (memo.derive), so an unchanged view
  // costs a few identity checks.
  const d = <T>(name: string, deps: readonly unknown[], make: () => T, keepEqual = false): T =>
    memo === undefined ? make() : memo.derive(name, deps, make, keepEqual);
  const groups = d(
    "groups",
    [t.Logical_DP_Group],
    () => new Map(all(t.Logical_DP_Group).map((r) => [r._uuid as string, r.datapaths as readonly string[]])),
  );
  const chassisName = d(
    "chassisName",
    [t.Chassis],
    () => new Map(all(t.Chassis).map((r) => [r._uuid as string, r.name])),
  );
  const nameOf = (c: string | undefined): string | null =>
    c === undefined ? null : (chassisName.get(c) ?? null);
  const haChassis = d(
    "haChassis",
    [t.HA_Chassis, chassisName],
    () =>
      new Map(
        all(t.HA_Chassis).map((r) => [
          r._uuid as string,
          { chassis: nameOf(r.chassis), priority: r.priority },
        ]),
      ),
  );
  // An HA chassis group's chassis, highest priority first.
  const haGroups = d(
    "haGroups",
    [t.HA_Chassis_Group, haChassis],
    () =>
      new Map(
        all(t.HA_Chassis_Group).map((r) => [
          r._uuid as string,
          r.haChassis
            .flatMap((h) => {
              const c = haChassis.get(h);
              return c === undefined || c.chassis === null
                ? []
                : [{ chassis: c.chassis, priority: c.priority }];
            })
            .sort((a, b) => b.priority - a.priority),
        ]),
      ),
  );
  const encaps = d(
    "encaps",
    [t.Encap],
    () => new Map(all(t.Encap).map((r) => [r._uuid as string, { type: r.type as string, ip: r.ip }])),
  );
  const flows = ((): SbLogicalFlow[] => {
    const last = memo?.lastFlows;
    if (last !== undefined && last.lf === t.Logical_Flow && last.groups === t.Logical_DP_Group)
      return last.flows;
    const out = all(t.Logical_Flow).map((r) => {
      if (memo === undefined) return logicalFlow(r, groups);
      // The same row object names the same groups; only their member lists may have changed.
      const hit = memo.flows.get(r);
      if (hit !== undefined && hit.groupUuids.every((g, i) => groups.get(g) === hit.groups[i]))
        return hit.flow;
      const groupUuids: readonly string[] = r.logicalDpGroup === undefined ? [] : [r.logicalDpGroup];
      const flow = logicalFlow(r, groups);
      memo.flows.set(r, { flow, groupUuids, groups: groupUuids.map((g) => groups.get(g)) });
      return flow;
    });
    if (memo !== undefined) memo.lastFlows = { lf: t.Logical_Flow, groups: t.Logical_DP_Group, flows: out };
    return out;
  })();
  const datapaths: readonly SbDatapath[] = d(
    "datapaths",
    [t.Datapath_Binding],
    () =>
      all(t.Datapath_Binding).map((r) => ({
        uuid: r._uuid as string,
        tunnelKey: r.tunnelKey,
        name: r.externalIds.get("name") ?? r._uuid,
        isRouter: r.externalIds.get("logical-router") !== undefined,
        ...snatCtZone(r.externalIds.get("snat-ct-zone")),
      })),
    true,
  );
  const haOf = (g: string | undefined) => (g === undefined ? [] : (haGroups.get(g) ?? []));
  const portOf = (r: Row<"Port_Binding">): SbPortBinding => ({
    uuid: r._uuid,
    logicalPort: r.logicalPort,
    datapath: r.datapath,
    type: r.type,
    tunnelKey: r.tunnelKey,
    options: Object.fromEntries(r.options),
    chassis: nameOf(r.chassis),
    mac: r.mac,
    portSecurity: r.portSecurity,
    tag: r.tag ?? null,
    parentPort: r.parentPort ?? null,
    haChassis: haOf(r.haChassisGroup),
    requestedChassis: nameOf(r.requestedChassis),
    additionalChassis: namesOf(r.additionalChassis),
    requestedAdditionalChassis: namesOf(r.requestedAdditionalChassis),
  });
  const namesOf = (cs: readonly string[]): readonly string[] =>
    cs.length === 0
      ? []
      : cs.flatMap((c) => {
          const n = nameOf(c);
          return n === null ? [] : [n];
        });
  // The chassis names a port's binding columns other than `chassis` resolve to (they change only with
  // the row or the chassis names).
  const bindOf = (r: Row<"Port_Binding">): string =>
    r.requestedChassis === undefined &&
    r.additionalChassis.length === 0 &&
    r.requestedAdditionalChassis.length === 0
      ? ""
      : `${nameOf(r.requestedChassis)}|${namesOf(r.additionalChassis).join(" ")}|${namesOf(r.requestedAdditionalChassis).join(" ")}`;
  // Stands for the chassis names and HA groups a port was last checked against: while they are the
  // same maps, an unchanged row's port needs no checking.
  const checked = d("portsChecked", [chassisName, haGroups], () => ({}));
  const ports: readonly SbPortBinding[] = d("ports", [t.Port_Binding, chassisName, haGroups], () =>
    all(t.Port_Binding).map((r) => {
      if (memo === undefined) return portOf(r);
      const known = memo.ports.get(r);
      if (known?.checked === checked) return known.port;
      const chassis = nameOf(r.chassis);
      // The HA chassis lists are made afresh each call: compared by content (only gateway ports have one).
      const ha = r.haChassisGroup === undefined ? null : JSON.stringify(haOf(r.haChassisGroup));
      const hit = known;
      const bind = bindOf(r);
      if (hit !== undefined && hit.chassis === chassis && hit.ha === ha && hit.bind === bind) {
        hit.checked = checked;
        return hit.port;
      }
      // A changed row whose port reads the same (only columns the view leaves out changed, e.g. up)
      // keeps the previous object.
      const fresh = portOf(r);
      const prev = memo.portByUuid.get(r._uuid);
      const port = prev !== undefined && sameData(prev, fresh) ? prev : fresh;
      memo.portByUuid.set(r._uuid, port);
      memo.ports.set(r, { port, chassis, ha, bind, checked });
      return port;
    }),
  );
  if (memo !== undefined && memo.portByUuid.size > 2 * ports.length + 64) {
    memo.portByUuid.clear();
    for (const p of ports) memo.portByUuid.set(p.uuid, p);
  }
  const mcGroups = d(
    "mcGroups",
    [t.Multicast_Group, ports],
    () => {
      const portName = new Map(ports.map((p) => [p.uuid, p.logicalPort]));
      const out: SbMulticastGroup[] = all(t.Multicast_Group).map((r) => ({
        uuid: r._uuid,
        datapath: r.datapath,
        name: r.name,
        tunnelKey: r.tunnelKey,
        ports: r.ports.flatMap((u) => {
          const n = portName.get(u);
          return n === undefined ? [] : [n];
        }),
      }));
      return out;
    },
    true,
  );
  const macBindings = d(
    "macBindings",
    [t.MAC_Binding],
    (): SbMacBinding[] =>
      all(t.MAC_Binding).map((r) => ({
        uuid: r._uuid,
        logicalPort: r.logicalPort,
        ip: r.ip,
        mac: r.mac,
        datapath: r.datapath,
      })),
    true,
  );
  const chassis = d(
    "chassis",
    [t.Chassis, encaps],
    (): SbChassis[] =>
      all(t.Chassis).map((r) => {
        const macMappings =
          r.otherConfig.get("ovn-chassis-mac-mappings") ?? r.externalIds.get("ovn-chassis-mac-mappings");
        return {
          uuid: r._uuid,
          name: r.name,
          encaps: r.encaps.flatMap((e) => {
            const x = encaps.get(e);
            return x === undefined ? [] : [x];
          }),
          ...(macMappings !== undefined && { macMappings }),
        };
      }),
    true,
  );
  const options = (rows: readonly { name: string; code: number; type: string }[]): SbDhcpOption[] =>
    rows.map((r) => ({ name: r.name, code: r.code, type: r.type }));
  // As ovn-controller's smap_get_bool(..., true): only "false" (in any case) turns it off.  Always
  // set, so that stable() tells a view whose flag changed from the last one.
  const lbHairpinUseCtMark = !all(t.SB_Global).some(
    (r) => r.options.get("lb_hairpin_use_ct_mark")?.toLowerCase() === "false",
  );
  const view: SbView = {
    lbHairpinUseCtMark,
    flows,
    datapaths,
    ports,
    mcGroups,
    macBindings,
    chassis,
    addressSets: d(
      "Address_Set",
      [t.Address_Set],
      () => Object.fromEntries(all(t.Address_Set).map((r) => [r.name, r.addresses])),
      true,
    ),
    portGroups: d(
      "Port_Group",
      [t.Port_Group],
      () => Object.fromEntries(all(t.Port_Group).map((r) => [r.name, r.ports])),
      true,
    ),
    dhcpv4Options: d("DHCP_Options", [t.DHCP_Options], () => options(all(t.DHCP_Options)), true),
    dhcpv6Options: d("DHCPv6_Options", [t.DHCPv6_Options], () => options(all(t.DHCPv6_Options)), true),
    fdbs: d(
      "fdbs",
      [t.FDB],
      () =>
        all(t.FDB).map((r) => ({
          uuid: r._uuid as string,
          mac: r.mac,
          dpKey: r.dpKey,
          portKey: r.portKey,
        })),
      true,
    ),
    loadBalancers: d(
      "loadBalancers",
      [t.Load_Balancer, groups],
      () =>
        all(t.Load_Balancer).map((r) => ({
          uuid: r._uuid as string,
          name: r.name,
          protocol: r.protocol ?? "tcp",
          vips: Object.fromEntries(r.vips),
          datapaths: [
            ...r.datapaths,
            ...(r.datapathGroup === undefined ? [] : (groups.get(r.datapathGroup) ?? [])),
          ],
        })),
      true,
    ),
  };
  return memo === undefined ? view : memo.stable(view);
}

/**
 * The view with the Port_Binding.chassis of some ports (by logical port name) changed: the claims and
 * releases a pass is about to write, so that it can compute flows for them before the Southbound
 * database confirms them.  With a memo the changed ports are remembered as the rows' latest ports, so
 * the view built from the confirmed rows is the same object as this one (and costs nothing further).
 */
export function withChassis(
  view: SbView,
  chassisOf: ReadonlyMap<string, string | null>,
  memo?: SbViewMemo,
): SbView {
  if (chassisOf.size === 0) return view;
  let changed = false;
  const ports = view.ports.map((p) => {
    const c = chassisOf.get(p.logicalPort);
    if (c === undefined || c === p.chassis) return p;
    changed = true;
    const q: SbPortBinding = { ...p, chassis: c };
    memo?.portByUuid.set(p.uuid, q);
    return q;
  });
  if (!changed) return view;
  const v: SbView = { ...view, ports };
  return memo === undefined ? v : memo.stable(v);
}

/** Ports that connect two local datapaths inside this chassis: patch ports, and l3gateway ports on
 *  the chassis that hosts the gateway router. */
export function isPatch(p: SbPortBinding, chassis: string): boolean {
  return p.type === "patch" || (p.type === "l3gateway" && p.options["l3gateway-chassis"] === chassis);
}
