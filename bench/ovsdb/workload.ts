// The OVN_Northbound rows the benchmark writes, as transact operations. Pure data builders.
import type { Json } from "../../src/jsonrpc/json.js";

/** Inserts one Logical_Switch named `name`. */
export function insertSwitch(name: string): Json {
  return { op: "insert", table: "Logical_Switch", row: { name } };
}

/** A port as a CMS would create it: a name, one MAC+IP address, one external id. */
function portRow(name: string, index: number): Json {
  const mac = `0a:00:${hexByte(index >> 16)}:${hexByte(index >> 8)}:${hexByte(index)}:01`;
  const ip = `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`;
  return {
    name,
    addresses: `${mac} ${ip}`,
    external_ids: ["map", [["neutron:port_name", name]]],
  };
}

function hexByte(n: number): string {
  return (n & 255).toString(16).padStart(2, "0");
}

/**
 * Operations inserting a Logical_Switch `name` with `ports` Logical_Switch_Port rows that it references
 * (ports are not root rows: unreferenced ones would be garbage collected). Port names are
 * `${name}-p${i}`; `firstIndex` keeps the generated addresses distinct across switches, and
 * `uuidPrefix` the named-uuids distinct within one transaction.
 */
export function switchWithPorts(name: string, ports: number, firstIndex = 0, uuidPrefix = ""): Json[] {
  const ops: Json[] = [];
  const refs: Json[] = [];
  for (let i = 0; i < ports; i++) {
    const uuidName = `${uuidPrefix}p${i}`;
    ops.push({
      op: "insert",
      table: "Logical_Switch_Port",
      "uuid-name": uuidName,
      row: portRow(`${name}-p${i}`, firstIndex + i),
    });
    refs.push(["named-uuid", uuidName]);
  }
  ops.push({ op: "insert", table: "Logical_Switch", row: { name, ports: ["set", refs] } });
  return ops;
}

/** Operations for `switches` switches named `${prefix}${s}` of `ports` ports each, in one transaction. */
export function switchesWithPorts(prefix: string, switches: number, ports: number, firstIndex = 0): Json[] {
  const ops: Json[] = [];
  for (let s = 0; s < switches; s++) {
    ops.push(...switchWithPorts(`${prefix}${s}`, ports, firstIndex + s * ports, `s${s}`));
  }
  return ops;
}

/** Rows a list of operations inserts. */
export function countInserts(ops: readonly Json[]): number {
  return ops.filter((o) => o !== null && typeof o === "object" && !Array.isArray(o) && o.op === "insert")
    .length;
}
