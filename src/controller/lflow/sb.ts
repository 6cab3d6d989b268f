// The part of the Southbound database the flow compiler and the physical flows read, as plain typed
// records, and their conversion from OVSDB rows in RFC 7047 JSON (what a `select` or a monitor gives).
// Pure: the caller fetches the rows.

import { type JsonRow, mapOf, num, optional, rows, str, strings } from "../../ovsdb/data/json-row.js";

export type { JsonRow };
/** Rows of one table by UUID. */
export type JsonTables = Readonly<Record<string, Readonly<Record<string, JsonRow>>>>;

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
}

/**
 * What sbViewFromTables may keep between calls: when the JSON rows are the same objects as last time
 * (incremental/json-rows.ts), their logical flows and datapath groups are too, which lets the
 * incremental compiler see "unchanged" by identity.
 */
export class SbViewMemo {
  readonly groups = new WeakMap<JsonRow, readonly string[]>();
  readonly flows = new WeakMap<
    JsonRow,
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
    JsonRow,
    { port: SbPortBinding; chassis: string | null; ha: string | null; checked: object }
  >();
  readonly portByUuid = new Map<string, SbPortBinding>();
  private last: SbView | undefined;

  /** Values derived from tables, each with the table objects it was made from. */
  private readonly derived = new Map<
    string,
    { deps: readonly unknown[]; value: unknown; json: string | undefined }
  >();

  /**
   * `make()`, or what it gave last time when `deps` (the JSON tables it reads: incremental/json-rows.ts
   * hands back the same object for an unchanged table) are the same objects as then.  With
   * `keepEqual`, a value made again that reads the same as the last one (as JSON) is the last one.
   */
  derive<T>(name: string, deps: readonly unknown[], make: () => T, keepEqual = false): T {
    const hit = this.derived.get(name);
    if (hit !== undefined && hit.deps.length === deps.length && hit.deps.every((d, i) => d === deps[i]))
      return hit.value as T;
    let value = make();
    let json: string | undefined;
    if (keepEqual) {
      json = JSON.stringify(value);
      if (hit !== undefined && hit.json === json) value = hit.value as T;
    }
    this.derived.set(name, { deps, value, json });
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

/**
 * A flow's datapaths: a flow of one datapath group (most flows of many datapaths) gets the group's own
 * array, shared by all the group's flows (~1,400 flows of ~170 groups of up to 200 datapaths at the
 * controller benchmark's M: copies were megabytes), which also lets the compiler's cache find the
 * local ones once per group (incremental/lflow-cache.ts).
 */
function flowDatapaths(r: JsonRow, groups: ReadonlyMap<string, readonly string[]>): readonly string[] {
  const own = strings(r.logical_datapath);
  const gs = strings(r.logical_dp_group);
  if (own.length === 0 && gs.length === 1) return groups.get(gs[0] as string) ?? [];
  return [...own, ...gs.flatMap((g) => groups.get(g) ?? [])];
}

function logicalFlow(
  uuid: string,
  r: JsonRow,
  groups: ReadonlyMap<string, readonly string[]>,
): SbLogicalFlow {
  return {
    uuid,
    pipeline: str(r.pipeline) === "egress" ? "egress" : "ingress",
    table: num(r.table_id),
    priority: num(r.priority),
    match: str(r.match),
    actions: str(r.actions),
    datapaths: flowDatapaths(r, groups),
    controllerMeter: optional(r.controller_meter, String),
    inOutPort: mapOf(r.tags).in_out_port ?? null,
  };
}

/**
 * Builds the compiler's view from Southbound rows (tables keyed by row UUID).  With a memo (one per
 * replica, kept between calls) unchanged rows give the same objects, and an unchanged view is the same
 * object as last time.
 */
export function sbViewFromTables(t: JsonTables, memo?: SbViewMemo): SbView {
  const groupOf = (r: JsonRow): readonly string[] => {
    const hit = memo?.groups.get(r);
    if (hit !== undefined) return hit;
    const g = strings(r.datapaths);
    memo?.groups.set(r, g);
    return g;
  };
  // Each part is made again only when a table it reads changed (memo.derive), so an unchanged view
  // costs a few identity checks.
  const d = <T>(name: string, deps: readonly unknown[], make: () => T, keepEqual = false): T =>
    memo === undefined ? make() : memo.derive(name, deps, make, keepEqual);
  const groups = d(
    "groups",
    [t.Logical_DP_Group],
    () => new Map(rows(t.Logical_DP_Group).map(([u, r]) => [u, groupOf(r)])),
  );
  const chassisName = d(
    "chassisName",
    [t.Chassis],
    () => new Map(rows(t.Chassis).map(([u, r]) => [u, str(r.name)])),
  );
  const haChassis = d(
    "haChassis",
    [t.HA_Chassis, chassisName],
    () =>
      new Map(
        rows(t.HA_Chassis).map(([u, r]) => [
          u,
          {
            chassis: optional(r.chassis, (c) => chassisName.get(String(c)) ?? null),
            priority: num(r.priority),
          },
        ]),
      ),
  );
  // An HA chassis group's chassis, highest priority first.
  const haGroups = d(
    "haGroups",
    [t.HA_Chassis_Group, haChassis],
    () =>
      new Map(
        rows(t.HA_Chassis_Group).map(([u, r]) => [
          u,
          strings(r.ha_chassis)
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
    () => new Map(rows(t.Encap).map(([u, r]) => [u, { type: str(r.type), ip: str(r.ip) }])),
  );
  const flows = ((): SbLogicalFlow[] => {
    const last = memo?.lastFlows;
    if (last !== undefined && last.lf === t.Logical_Flow && last.groups === t.Logical_DP_Group)
      return last.flows;
    const out = rows(t.Logical_Flow).map(([uuid, r]) => {
      if (memo === undefined) return logicalFlow(uuid, r, groups);
      // The same row object names the same groups; only their member lists may have changed.
      const hit = memo.flows.get(r);
      if (hit !== undefined && hit.groupUuids.every((g, i) => groups.get(g) === hit.groups[i]))
        return hit.flow;
      const groupUuids = strings(r.logical_dp_group);
      const flow = logicalFlow(uuid, r, groups);
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
      rows(t.Datapath_Binding).map(([uuid, r]) => {
        const ids = mapOf(r.external_ids);
        return {
          uuid,
          tunnelKey: num(r.tunnel_key),
          name: ids.name ?? uuid,
          isRouter: ids["logical-router"] !== undefined,
        };
      }),
    true,
  );
  const portOf = (uuid: string, r: JsonRow): SbPortBinding => ({
    uuid,
    logicalPort: str(r.logical_port),
    datapath: str(r.datapath),
    type: str(r.type),
    tunnelKey: num(r.tunnel_key),
    options: mapOf(r.options),
    chassis: optional(r.chassis, (c) => chassisName.get(String(c)) ?? null),
    mac: strings(r.mac),
    portSecurity: strings(r.port_security),
    tag: optional(r.tag, (x) => Number(x)),
    parentPort: optional(r.parent_port, String),
    haChassis: optional(r.ha_chassis_group, (g) => haGroups.get(String(g)) ?? []) ?? [],
  });
  // Stands for the chassis names and HA groups a port was last checked against: while they are the
  // same maps, an unchanged row's port needs no checking.
  const checked = d("portsChecked", [chassisName, haGroups], () => ({}));
  const ports: readonly SbPortBinding[] = d("ports", [t.Port_Binding, chassisName, haGroups], () =>
    rows(t.Port_Binding).map(([uuid, r]) => {
      if (memo === undefined) return portOf(uuid, r);
      const known = memo.ports.get(r);
      if (known?.checked === checked) return known.port;
      const chassis = optional(r.chassis, (c) => chassisName.get(String(c)) ?? null);
      // The HA chassis lists are made afresh each call: compared by content (only gateway ports have one).
      const ha = optional(r.ha_chassis_group, (g) => JSON.stringify(haGroups.get(String(g)) ?? []));
      const hit = known;
      if (hit !== undefined && hit.chassis === chassis && hit.ha === ha) {
        hit.checked = checked;
        return hit.port;
      }
      // A changed row whose port reads the same (only columns the view leaves out changed, e.g. up)
      // keeps the previous object.
      const fresh = portOf(uuid, r);
      const prev = memo.portByUuid.get(uuid);
      const port = prev !== undefined && JSON.stringify(prev) === JSON.stringify(fresh) ? prev : fresh;
      memo.portByUuid.set(uuid, port);
      memo.ports.set(r, { port, chassis, ha, checked });
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
      const all: SbMulticastGroup[] = rows(t.Multicast_Group).map(([uuid, r]) => ({
        uuid,
        datapath: str(r.datapath),
        name: str(r.name),
        tunnelKey: num(r.tunnel_key),
        ports: strings(r.ports).flatMap((u) => {
          const n = portName.get(u);
          return n === undefined ? [] : [n];
        }),
      }));
      return all;
    },
    true,
  );
  const macBindings = d(
    "macBindings",
    [t.MAC_Binding],
    (): SbMacBinding[] =>
      rows(t.MAC_Binding).map(([uuid, r]) => ({
        uuid,
        logicalPort: str(r.logical_port),
        ip: str(r.ip),
        mac: str(r.mac),
        datapath: str(r.datapath),
      })),
    true,
  );
  const chassis = d(
    "chassis",
    [t.Chassis, encaps],
    (): SbChassis[] =>
      rows(t.Chassis).map(([uuid, r]) => ({
        uuid,
        name: str(r.name),
        encaps: strings(r.encaps).flatMap((e) => {
          const x = encaps.get(e);
          return x === undefined ? [] : [x];
        }),
      })),
    true,
  );
  const named = (tbl: string, col: string) =>
    d(
      tbl,
      [t[tbl]],
      () => Object.fromEntries(rows(t[tbl]).map(([, r]) => [str(r.name), strings(r[col])])),
      true,
    );
  const options = (tbl: string): readonly SbDhcpOption[] =>
    d(
      tbl,
      [t[tbl]],
      () => rows(t[tbl]).map(([, r]) => ({ name: str(r.name), code: num(r.code), type: str(r.type) })),
      true,
    );
  const view: SbView = {
    flows,
    datapaths,
    ports,
    mcGroups,
    macBindings,
    chassis,
    addressSets: named("Address_Set", "addresses"),
    portGroups: named("Port_Group", "ports"),
    dhcpv4Options: options("DHCP_Options"),
    dhcpv6Options: options("DHCPv6_Options"),
    fdbs: d(
      "fdbs",
      [t.FDB],
      () =>
        rows(t.FDB).map(([uuid, r]) => ({
          uuid,
          mac: str(r.mac),
          dpKey: num(r.dp_key),
          portKey: num(r.port_key),
        })),
      true,
    ),
    loadBalancers: d(
      "loadBalancers",
      [t.Load_Balancer, groups],
      () =>
        rows(t.Load_Balancer).map(([uuid, r]) => ({
          uuid,
          name: str(r.name),
          protocol: optional(r.protocol, String) ?? "tcp",
          vips: mapOf(r.vips),
          datapaths: [
            ...strings(r.datapaths),
            ...strings(r.datapath_group).flatMap((g) => groups.get(g) ?? []),
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
