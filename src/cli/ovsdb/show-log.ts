// `ovsdb-tool show-log [-m]... DB`: a summary of a standalone database file's records. Observed from
// ovsdb-tool 3.1:
//   record 0: "NAME" schema, version="V", cksum="C"
//   record N: YYYY-MM-DD HH:MM:SS.mmm "COMMENT"            (UTC; the comment only when present)
//     table T insert row "NAME" (1234abcd):                 (-m: one line per row change)
//     table T row "NAME" (1234abcd) diff:                   (" diff" for changes in "_is_diff" records)
//       column=value                                        (-mm: the values as written)
//       delete row
// A blank line follows the schema record, and with -m every record. Rows are named by their "name"
// column (as JSON) when it is a string,
// otherwise by their uuid's first 8 digits; the name is remembered across records. Tables and columns
// come in the order the C tool iterates the record's JSON objects (hash-order.ts).
import type { TableSchema } from "../../ovsdb/schema/types.js";
import { formatMsecTime } from "./cformat.js";
import { datumFromOJson, datumToText } from "./datum-text.js";
import { hashOrder } from "./hash-order.js";
import { isObject, type OJson, type OJsonObject, serializeOvsJson } from "./ovs-json.js";
import type { ToolSchema } from "./schema-json.js";

export function showLog(schema: ToolSchema, records: readonly OJsonObject[], more: number): string {
  const names = new Map<string, string>();
  let out = "";
  records.forEach((rec, i) => {
    if (i === 0) {
      const str = (v: OJson | undefined): string => (typeof v === "string" ? v : "");
      out += `record 0: "${str(rec.name)}" schema, version="${str(rec.version)}", cksum="${str(rec.cksum)}"\n\n`;
    } else {
      out += recordHeader(i, rec);
      if (more > 0) out += `${recordBody(schema, rec, more, names)}\n`;
    }
  });
  return out;
}

function recordHeader(i: number, rec: OJsonObject): string {
  let line = `record ${i}:`;
  const date = rec._date;
  if (typeof date === "number" || typeof date === "bigint") line += ` ${formatMsecTime(Number(date))}`;
  if (typeof rec._comment === "string") line += ` "${rec._comment}"`;
  return `${line}\n`;
}

function recordBody(schema: ToolSchema, rec: OJsonObject, more: number, names: Map<string, string>): string {
  const diff = rec._is_diff === true;
  let out = "";
  for (const tname of hashOrder(Object.keys(rec))) {
    if (tname.startsWith("_")) continue;
    const rows = rec[tname];
    if (!isObject(rows)) continue;
    const table = schema.model.tables.get(tname);
    for (const uuid of hashOrder(Object.keys(rows))) {
      const row = rows[uuid] as OJson;
      const short = uuid.slice(0, 8);
      const known = names.get(uuid);
      if (row === null) {
        out += `  table ${tname} row ${known ?? short} (${short})${diff ? " diff" : ""}:\n    delete row\n`;
        names.delete(uuid);
        continue;
      }
      if (!isObject(row)) continue;
      const name = typeof row.name === "string" ? serializeOvsJson(row.name) : undefined;
      if (known === undefined)
        out += `  table ${tname} insert row ${name === undefined ? short : `${name} (${short})`}:\n`;
      else out += `  table ${tname} row ${known} (${short})${diff ? " diff" : ""}:\n`;
      names.set(uuid, name ?? known ?? short);
      if (more > 1) out += columnLines(table, row);
    }
  }
  return out;
}

function columnLines(table: TableSchema | undefined, row: OJsonObject): string {
  let out = "";
  for (const cname of hashOrder(Object.keys(row))) {
    const v = row[cname] as OJson;
    const col = table?.columns.get(cname);
    let text: string;
    try {
      text = col === undefined ? serializeOvsJson(v) : datumToText(datumFromOJson(v, col.type), col.type);
    } catch {
      text = serializeOvsJson(v);
    }
    out += `    ${cname}=${text}\n`;
  }
  return out;
}
