// The part of the Southbound database the tracer reads, as plain typed records, and the conversion from
// OVSDB rows in their RFC 7047 JSON encoding (what a `select` or a monitor returns) to those records.
// Pure: the caller fetches the rows.

import { type JsonRow, type JsonTable, mapOf, num, rows, str, strings } from "../ovsdb/data/json-row.js";

export type { JsonRow, JsonTable };

export interface LogicalFlow {
  readonly uuid: string;
  readonly pipeline: "ingress" | "egress";
  readonly table: number;
  readonly priority: number;
  readonly match: string;
  readonly actions: string;
  /** Datapath UUIDs the flow applies to (its own datapath, or the members of its group). */
  readonly datapaths: readonly string[];
  /** external_ids:stage-name and external_ids:source, shown in the detailed trace. */
  readonly stageName: string;
  readonly source: string;
}

export interface Datapath {
  readonly uuid: string;
  readonly tunnelKey: number;
  /** external_ids:name (the NB name), or the UUID when there is none. */
  readonly name: string;
  /** external_ids:name2, the friendlier name CMSes may set. */
  readonly name2: string | null;
  readonly isRouter: boolean;
  /** The Northbound row's UUID (external_ids:logical-switch or logical-router), when northd wrote it. */
  readonly nbUuid?: string;
}

export interface PortBinding {
  readonly uuid: string;
  readonly logicalPort: string;
  readonly datapath: string;
  readonly type: string;
  readonly tunnelKey: number;
  readonly options: Readonly<Record<string, string>>;
  readonly mac: readonly string[];
  readonly portSecurity: readonly string[];
}

export interface MulticastGroup {
  readonly datapath: string;
  readonly name: string;
  readonly tunnelKey: number;
  /** Member logical port names. */
  readonly ports: readonly string[];
}

export interface MacBinding {
  readonly logicalPort: string;
  readonly ip: string;
  readonly mac: string;
  readonly datapath: string;
}

export interface DnsRecords {
  readonly datapaths: readonly string[];
  /** Host name (lowercase) to space-separated addresses. */
  readonly records: Readonly<Record<string, string>>;
}

/** Everything the interpreter needs from the Southbound database. */
export interface TraceDb {
  readonly flows: readonly LogicalFlow[];
  readonly datapaths: readonly Datapath[];
  readonly ports: readonly PortBinding[];
  readonly mcGroups: readonly MulticastGroup[];
  readonly macBindings: readonly MacBinding[];
  readonly dns: readonly DnsRecords[];
  readonly addressSets: Readonly<Record<string, readonly string[]>>;
  /** Port_Group by its Southbound name (`<datapath key>_<name>`). */
  readonly portGroups: Readonly<Record<string, readonly string[]>>;
}

/** The Southbound tables the tracer reads. */
export const TRACE_TABLES = [
  "Logical_Flow",
  "Logical_DP_Group",
  "Datapath_Binding",
  "Port_Binding",
  "Multicast_Group",
  "MAC_Binding",
  "DNS",
  "Address_Set",
  "Port_Group",
] as const;

export type TraceTables = Partial<Record<(typeof TRACE_TABLES)[number], JsonTable>>;

// ---- Tables to records ------------------------------------------------------------------------------

/** Builds the tracer's view from Southbound rows (tables keyed by row UUID). */
export function traceDbFromTables(t: TraceTables): TraceDb {
  const groups = new Map(rows(t.Logical_DP_Group).map(([u, r]) => [u, strings(r.datapaths)]));
  const datapaths: Datapath[] = rows(t.Datapath_Binding).map(([uuid, r]) => {
    const ids = mapOf(r.external_ids);
    const nb = ids["logical-switch"] ?? ids["logical-router"];
    return {
      uuid,
      tunnelKey: num(r.tunnel_key),
      name: ids.name ?? uuid,
      name2: ids.name2 ?? null,
      isRouter: ids["logical-router"] !== undefined,
      ...(nb !== undefined ? { nbUuid: nb } : {}),
    };
  });
  const flows: LogicalFlow[] = rows(t.Logical_Flow).map(([uuid, r]) => {
    const ids = mapOf(r.external_ids);
    const own = strings(r.logical_datapath);
    const grp = strings(r.logical_dp_group).flatMap((g) => groups.get(g) ?? []);
    return {
      uuid,
      pipeline: str(r.pipeline) === "egress" ? "egress" : "ingress",
      table: num(r.table_id),
      priority: num(r.priority),
      match: str(r.match),
      actions: str(r.actions),
      datapaths: [...own, ...grp],
      stageName: ids["stage-name"] ?? "",
      source: ids.source ?? "",
    };
  });
  const ports: PortBinding[] = rows(t.Port_Binding).map(([uuid, r]) => ({
    uuid,
    logicalPort: str(r.logical_port),
    datapath: str(r.datapath),
    type: str(r.type),
    tunnelKey: num(r.tunnel_key),
    options: mapOf(r.options),
    mac: strings(r.mac),
    portSecurity: strings(r.port_security),
  }));
  const portName = new Map(ports.map((p) => [p.uuid, p.logicalPort]));
  const mcGroups: MulticastGroup[] = rows(t.Multicast_Group).map(([, r]) => ({
    datapath: str(r.datapath),
    name: str(r.name),
    tunnelKey: num(r.tunnel_key),
    ports: strings(r.ports)
      .map((u) => portName.get(u) ?? "")
      .filter((n) => n !== ""),
  }));
  const macBindings: MacBinding[] = rows(t.MAC_Binding).map(([, r]) => ({
    logicalPort: str(r.logical_port),
    ip: str(r.ip),
    mac: str(r.mac),
    datapath: str(r.datapath),
  }));
  const dns: DnsRecords[] = rows(t.DNS).map(([, r]) => ({
    datapaths: strings(r.datapaths),
    records: mapOf(r.records),
  }));
  const named = (tbl: JsonTable | undefined, col: string) =>
    Object.fromEntries(rows(tbl).map(([, r]) => [str(r.name), strings(r[col])]));
  return {
    flows,
    datapaths,
    ports,
    mcGroups,
    macBindings,
    dns,
    addressSets: named(t.Address_Set, "addresses"),
    portGroups: named(t.Port_Group, "ports"),
  };
}
