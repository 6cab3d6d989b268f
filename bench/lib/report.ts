// Renders benchmark results: a Markdown table for humans (pasted into the README) and a JSON document
// for machines. Pure: the caller supplies the date and host facts.
import { type Better, meetsTarget, ratio, type Target } from "./stats.js";

/** One implementation's figure: the headline value and the samples it was derived from. */
export interface Measurement {
  value: number;
  samples: number[];
  /** Free-form facts worth keeping (row counts, bytes received ...). */
  detail?: Record<string, number | string>;
}

export type Impl = "c" | "ovnts";

export interface FigureResult {
  /** The figure's number in the full benchmark (stable when only some figures are run). */
  number: number;
  id: string;
  title: string;
  unit: string;
  better: Better;
  target?: Target;
  results: Record<Impl, Measurement>;
}

export interface RunMeta {
  bench: string;
  date: string;
  host: Record<string, string | number>;
}

/** Numbers as people read them: three significant digits, thousands grouped. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return "n/a";
  const abs = Math.abs(x);
  if (abs >= 1000) return Math.round(x).toLocaleString("en-US");
  if (abs >= 100) return x.toFixed(0);
  if (abs >= 10) return x.toFixed(1);
  if (abs >= 1) return x.toFixed(2);
  return x.toPrecision(3);
}

function formatRatio(r: number): string {
  return Number.isNaN(r) ? "n/a" : `${r.toFixed(2)}×`;
}

function formatTarget(t: Target | undefined): string {
  return t === undefined ? "—" : `${t.op === ">=" ? "≥" : "≤"} ${t.ratio.toFixed(1)}×`;
}

function formatMet(m: boolean | undefined): string {
  return m === undefined ? "—" : m ? "yes" : "**no**";
}

export function figureRatio(f: FigureResult): number {
  return ratio(f.results.ovnts.value, f.results.c.value);
}

/** The Markdown table, one row per figure. */
export function renderMarkdown(figures: readonly FigureResult[], meta: RunMeta): string {
  const lines = [
    `### ${meta.bench}: ovnts vs C (${meta.date})`,
    "",
    "| # | figure | unit | C | ovnts | ovnts/C | better | target | met |",
    "|---|---|---|---:|---:|---:|---|---|---|",
  ];
  for (const f of figures) {
    const r = figureRatio(f);
    lines.push(
      `| ${f.number} | ${f.title} | ${f.unit} | ${formatNumber(f.results.c.value)} | ` +
        `${formatNumber(f.results.ovnts.value)} | ${formatRatio(r)} | ${f.better} | ` +
        `${formatTarget(f.target)} | ${formatMet(meetsTarget(r, f.target))} |`,
    );
  }
  lines.push("");
  const host = Object.entries(meta.host)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  lines.push(`"better" says which direction of the ratio ovnts/C is good. Host: ${host}.`);
  return `${lines.join("\n")}\n`;
}

/** The machine-readable form (bench/results/*.json). */
export function renderJson(figures: readonly FigureResult[], meta: RunMeta): string {
  const doc = {
    ...meta,
    figures: figures.map((f) => {
      const r = figureRatio(f);
      return {
        number: f.number,
        id: f.id,
        title: f.title,
        unit: f.unit,
        better: f.better,
        target: f.target ?? null,
        c: f.results.c,
        ovnts: f.results.ovnts,
        ratio: Number.isNaN(r) ? null : r,
        met: meetsTarget(r, f.target) ?? null,
      };
    }),
  };
  return `${formatJson(doc)}\n`;
}

/** Samples keep four significant digits: more is noise, and it keeps the file readable. */
function round4(x: number): number {
  return Number.isFinite(x) ? Number(x.toPrecision(4)) : x;
}

/** A long array of numbers, packed as many to a line as fit (biome's "fill" layout). */
function fillLines(items: readonly string[], indent: string, width: number): string {
  const pad = `${indent}  `;
  const lines: string[] = [];
  let line = "";
  items.forEach((item, i) => {
    const piece = i < items.length - 1 ? `${item},` : item;
    if (line !== "" && pad.length + line.length + 1 + piece.length > width) {
      lines.push(line);
      line = piece;
    } else {
      line = line === "" ? piece : `${line} ${piece}`;
    }
  });
  lines.push(line);
  return `[\n${lines.map((l) => pad + l).join("\n")}\n${indent}]`;
}

/**
 * JSON laid out as the repository's formatter (biome) lays it out, so the results file passes the lint:
 * objects one member per line, arrays on one line when they fit in `width` columns. Numbers inside
 * arrays (samples) are rounded to four significant digits.
 */
export function formatJson(value: unknown, width = 110): string {
  return layout(value, "", 0, 0, width);
}

/**
 * `value` starting at column `col` of a line indented by `indent`, followed on that line by `tail`
 * more characters (a comma): what decides whether an array still fits on one line.
 */
function layout(value: unknown, indent: string, col: number, tail: number, width: number): string {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const rounded = value.map((v) => (typeof v === "number" ? round4(v) : v));
    const items = rounded.map((v, i) =>
      layout(v, inner, inner.length, i < rounded.length - 1 ? 1 : 0, width),
    );
    const flat = `[${items.join(", ")}]`;
    if (!flat.includes("\n") && col + flat.length + tail <= width) return flat;
    if (rounded.every((v) => typeof v === "number")) return fillLines(items, indent, width);
    return `[\n${items.map((i) => `${inner}${i}`).join(",\n")}\n${indent}]`;
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return "{}";
    const members = entries.map(([k, v], i) => {
      const key = `${JSON.stringify(k)}: `;
      const last = i === entries.length - 1;
      return `${inner}${key}${layout(v, inner, inner.length + key.length, last ? 0 : 1, width)}`;
    });
    return `{\n${members.join(",\n")}\n${indent}}`;
  }
  return JSON.stringify(value) ?? "null";
}
