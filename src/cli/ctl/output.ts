// Printing rows the way the ctl tools do (--format=list|table|csv|json|bare, --data=string|bare|json,
// --no-headings): a table of cells built once, rendered by one function per format.
import type { Datum } from "../../ovsdb/data/datum.js";
import type { Atom, ColumnType } from "../../ovsdb/schema/types.js";
import { type OJson, serializeOvsJson } from "../ovsdb/ovs-json.js";
import { datumToBare, datumToText } from "./datum-text.js";

export type OutputFormat = "list" | "table" | "csv" | "json" | "bare";
export type CellFormat = "string" | "bare" | "json";

export interface TableStyle {
  readonly format: OutputFormat;
  readonly data: CellFormat | undefined;
  readonly headings: boolean;
  /** Indent JSON output (--pretty). */
  readonly pretty?: boolean;
}

export interface Cell {
  readonly datum: Datum;
  readonly type: ColumnType;
}

export interface CtlTable {
  readonly headings: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
}

const UUID_TYPE: ColumnType = { key: { type: "uuid", refType: "strong" }, min: 1, max: 1 };

export function uuidCell(uuid: string): Cell {
  return { datum: { keys: [uuid] }, type: UUID_TYPE };
}

function atomJson(a: Atom, t: ColumnType["key"]): unknown {
  return t.type === "uuid" ? ["uuid", a] : a;
}

/** RFC 7047 <value> of a datum, with a one-element set written bare as ovsdb does. */
export function datumJson(d: Datum, t: ColumnType): unknown {
  if (t.value !== undefined) {
    const vt = t.value;
    return ["map", d.keys.map((k, i) => [atomJson(k, t.key), atomJson((d.values ?? [])[i] as Atom, vt)])];
  }
  if (d.keys.length === 1) return atomJson(d.keys[0] as Atom, t.key);
  return ["set", d.keys.map((k) => atomJson(k, t.key))];
}

function cellText(c: Cell, data: CellFormat): string {
  if (data === "bare") return datumToBare(c.datum, c.type);
  if (data === "json") return JSON.stringify(datumJson(c.datum, c.type));
  return datumToText(c.datum, c.type);
}

function csvQuote(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function renderTable(t: CtlTable, style: TableStyle): string {
  const bare = style.format === "bare";
  const format = bare ? "list" : style.format;
  const data: CellFormat = bare ? "bare" : (style.data ?? (format === "json" ? "json" : "string"));
  const headings = bare ? false : style.headings;
  switch (format) {
    case "list":
      return t.rows
        .map((r) =>
          r
            .map((c, i) => `${headings ? `${(t.headings[i] ?? "").padEnd(20)}: ` : ""}${cellText(c, data)}\n`)
            .join(""),
        )
        .join("\n");
    case "table": {
      const texts = t.rows.map((r) => r.map((c) => cellText(c, data)));
      const widths = t.headings.map((h, i) =>
        Math.max(headings ? h.length : 0, ...texts.map((r) => (r[i] ?? "").length)),
      );
      const line = (cells: readonly string[]) =>
        `${cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join(" ")}\n`;
      let out = "";
      if (headings) out += line(t.headings) + line(widths.map((w) => "-".repeat(w)));
      for (const r of texts) out += line(r);
      return out;
    }
    case "csv": {
      let out = headings ? `${t.headings.map(csvQuote).join(",")}\n` : "";
      for (const r of t.rows) out += `${r.map((c) => csvQuote(cellText(c, data))).join(",")}\n`;
      return out;
    }
    case "json": {
      // The JSON format always writes cells as RFC 7047 values, whatever --data says.
      const rows = t.rows.map((r) => r.map((c) => datumJson(c.datum, c.type)));
      // ... and always has the headings (--no-headings is for the text formats).
      const obj: Record<string, unknown> = { data: rows, headings: t.headings };
      if (style.pretty === true) return `${serializeOvsJson(obj as OJson, { pretty: true })}\n`;
      return `${JSON.stringify(obj)}\n`;
    }
  }
}
