// The tables ovsdb-client prints, in the five formats of ovsdb-client(1) --format. Observed from the 3.1
// tool:
//   table  caption line; headings and a row of dashes (unless --no-headings); cells left-aligned in
//          columns as wide as their widest cell or heading (in bytes), one space apart; trailing spaces
//          removed from every line; --max-column-width cuts cells (not headings) to that many bytes.
//   list   caption line; per row one line per column, "%-20s: value" (just the value without
//          headings); rows separated by a blank line.
//   csv    caption line; headings line; cells joined by "," and quoted ("" for ") when they contain a
//          comma, a double quote or a line break.
//   html   <table border=1>, caption, <tr>/<th>, <tr>/<td> lines; text HTML-escaped; every UUID in a
//          cell becomes a link to its row, and a "_uuid" column's cell the row's anchor.
//   json   one object per table: {"caption", "data", "headings", "time"} with sorted members; cells
//          holding OVSDB data are their JSON, others strings, empty cells null.
// In the table, list and csv formats every table after the first printed by the process is preceded by
// a blank line. --timestamp puts the time on a line of its own before each table.

import type { ColumnType } from "../../ovsdb/schema/types.js";
import { type CDatum, type DataFormat, datumFromOJson, datumToOJson, datumToText } from "./datum-text.js";
import { type OJson, type OJsonObject, serializeOvsJson } from "./ovs-json.js";

export type TableFormat = "table" | "list" | "html" | "csv" | "json";
export const TABLE_FORMATS: readonly TableFormat[] = ["table", "list", "html", "csv", "json"];
export const DATA_FORMATS: readonly DataFormat[] = ["string", "bare", "json"];

/**
 * A cell: plain text, an OVSDB value with its type, other JSON (printed as JSON text), or nothing
 * (printed empty, or null in JSON).
 */
export type Cell =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "datum"; readonly json: OJson; readonly type: ColumnType }
  | { readonly kind: "json"; readonly json: OJson }
  | { readonly kind: "empty" };

export const EMPTY_CELL: Cell = { kind: "empty" };

export function textCell(text: string): Cell {
  return { kind: "text", text };
}

export function datumCell(json: OJson, type: ColumnType): Cell {
  return { kind: "datum", json, type };
}

export function jsonCell(json: OJson): Cell {
  return { kind: "json", json };
}

export interface Table {
  readonly caption?: string;
  readonly headings: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
  /** Formatted time, printed with the table (--timestamp). */
  readonly timestamp?: string;
}

export interface TableStyle {
  readonly format: TableFormat;
  readonly data: DataFormat;
  readonly headings: boolean;
  readonly pretty: boolean;
  readonly maxColumnWidth?: number;
}

export const DEFAULT_STYLE: TableStyle = { format: "table", data: "string", headings: true, pretty: false };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function byteLength(s: string): number {
  return encoder.encode(s).length;
}

function parsed(c: Extract<Cell, { kind: "datum" }>): CDatum {
  return datumFromOJson(c.json, c.type);
}

/** A cell's text in the table, list, csv and html formats. */
export function cellText(c: Cell, data: DataFormat): string {
  switch (c.kind) {
    case "empty":
      return "";
    case "text":
      return c.text;
    case "json":
      return serializeOvsJson(c.json, { sort: true });
    case "datum":
      if (data === "json") return serializeOvsJson(datumToOJson(parsed(c), c.type), { sort: true });
      return datumToText(parsed(c), c.type, data === "bare");
  }
}

function cellJson(c: Cell): OJson {
  switch (c.kind) {
    case "empty":
      return null;
    case "text":
      return c.text;
    case "json":
      return c.json;
    case "datum":
      return datumToOJson(parsed(c), c.type);
  }
}

/** Prints tables one after another, remembering whether one was printed already (for separators). */
export class TablePrinter {
  private printed = 0;

  constructor(readonly style: TableStyle) {}

  /** The text of one table, newline-terminated. */
  print(t: Table): string {
    const first = this.printed === 0;
    this.printed++;
    const sep = !first && ["table", "list", "csv"].includes(this.style.format) ? "\n" : "";
    const stamp = t.timestamp !== undefined && this.style.format !== "json" ? `${t.timestamp}\n` : "";
    return sep + stamp + render[this.style.format](t, this.style);
  }
}

type Renderer = (t: Table, s: TableStyle) => string;

const render: Record<TableFormat, Renderer> = {
  table(t, s) {
    const texts = t.rows.map((r) => r.map((c) => cut(cellText(c, s.data), s.maxColumnWidth)));
    const widths = t.headings.map((h, i) =>
      Math.max(s.headings ? byteLength(h) : 0, ...texts.map((r) => byteLength(r[i] ?? ""))),
    );
    const line = (cells: readonly string[]): string =>
      `${cells
        .map((c, i) => c + " ".repeat(Math.max(0, (widths[i] ?? 0) - byteLength(c))))
        .join(" ")
        .trimEnd()}\n`;
    let out = t.caption !== undefined ? `${t.caption}\n` : "";
    if (s.headings) {
      out += line(t.headings);
      out += line(widths.map((w) => "-".repeat(w)));
    }
    for (const r of texts) out += line(r);
    return out;
  },

  list(t, s) {
    let out = t.caption !== undefined ? `${t.caption}\n` : "";
    t.rows.forEach((r, i) => {
      if (i > 0) out += "\n";
      t.headings.forEach((h, j) => {
        const text = cellText(r[j] ?? EMPTY_CELL, s.data);
        out += s.headings ? `${h.padEnd(20)}: ${text}\n` : `${text}\n`;
      });
    });
    return out;
  },

  csv(t, s) {
    let out = t.caption !== undefined ? `${t.caption}\n` : "";
    if (s.headings) out += `${t.headings.map(csvQuote).join(",")}\n`;
    for (const r of t.rows) out += `${r.map((c) => csvQuote(cellText(c, s.data))).join(",")}\n`;
    return out;
  },

  html(t, s) {
    let out = "<table border=1>\n";
    if (t.caption !== undefined) out += `    <caption>${htmlEscape(t.caption)}</caption>\n`;
    if (s.headings) {
      out += "  <tr>\n";
      for (const h of t.headings) out += `    <th>${htmlEscape(h)}</th>\n`;
      out += "  </tr>\n";
    }
    for (const r of t.rows) {
      out += "  <tr>\n";
      r.forEach((c, j) => {
        out += `    <td>${htmlCell(cellText(c, s.data), t.headings[j] === "_uuid")}</td>\n`;
      });
      out += "  </tr>\n";
    }
    return `${out}</table>\n`;
  },

  json(t, s) {
    const o: OJsonObject = {};
    if (t.caption !== undefined) o.caption = t.caption;
    o.data = t.rows.map((r) => r.map(cellJson));
    o.headings = [...t.headings];
    if (t.timestamp !== undefined) o.time = t.timestamp;
    return `${serializeOvsJson(o, { sort: true, pretty: s.pretty })}\n`;
  },
};

function cut(text: string, max: number | undefined): string {
  if (max === undefined) return text;
  const b = encoder.encode(text);
  return b.length <= max ? text : decoder.decode(b.subarray(0, max));
}

function csvQuote(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function htmlEscape(text: string): string {
  return text.replace(
    /[&<>"]/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] as string,
  );
}

const UUID_IN_TEXT = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/g;

function htmlCell(text: string, ownUuid: boolean): string {
  // A row's own UUID column anchors the row, whatever the cell holds.
  if (ownUuid) return `<a name="${htmlEscape(text)}">${htmlEscape(text.slice(0, 8))}</a>`;
  let out = "";
  let last = 0;
  for (const m of text.matchAll(UUID_IN_TEXT)) {
    const at = m.index;
    const u = m[0];
    out += `${htmlEscape(text.slice(last, at))}<a href="#${u}">${u.slice(0, 8)}</a>`;
    last = at + u.length;
  }
  return out + htmlEscape(text.slice(last));
}
