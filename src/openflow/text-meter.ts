// Meters in ovs-ofctl's text.  formatMeter writes one meter as `ovs-ofctl -O OpenFlow15 dump-meters`
// does (observed, Open vSwitch 3.1): a header line and one line per band,
//   meter=1 pktps burst stats bands=
//   type=drop rate=100 burst_size=50
// (burst_size only with the burst flag); parseMeter reads add-meter's syntax
// ("meter=1,pktps,burst,stats,band=type=drop,rate=100,burst_size=50") and the dump form.

import type { MeterBand, MeterFlags, MeterMod } from "./model.js";
import { parseNumber } from "./text-values.js";

export interface MeterText {
  readonly meterId: number;
  readonly flags: MeterFlags;
  readonly bands: readonly MeterBand[];
}

const FLAG_WORDS: ReadonlyArray<readonly [keyof MeterFlags, string]> = [
  ["kbps", "kbps"],
  ["pktps", "pktps"],
  ["burst", "burst"],
  ["stats", "stats"],
];

export function formatMeter(m: MeterText): string {
  const flags = FLAG_WORDS.filter(([k]) => m.flags[k] === true).map(([, w]) => w);
  const head = [`meter=${m.meterId}`, ...flags, "bands="].join(" ");
  const bands = m.bands.map((b) => {
    const parts = [`type=${b.type}`, `rate=${b.rate}`];
    if (m.flags.burst === true) parts.push(`burst_size=${b.burstSize}`);
    if (b.type === "dscp_remark") parts.push(`prec_level=${b.precLevel ?? 0}`);
    return parts.join(" ");
  });
  return [head, ...bands].join("\n");
}

export type MeterParse =
  | { readonly ok: true; readonly meter: MeterText }
  | { readonly ok: false; readonly error: string };

/** Parses add-meter syntax or a dump-meters entry (commas, spaces and newlines all separate). */
export function parseMeter(text: string): MeterParse {
  const tokens = text.split(/[\s,]+/).filter((t) => t !== "");
  let meterId: number | undefined;
  const flags: { -readonly [K in keyof MeterFlags]: MeterFlags[K] } = {};
  const bands: MeterBand[] = [];
  let band:
    | { type?: "drop" | "dscp_remark"; rate?: number; burstSize?: number; precLevel?: number }
    | undefined;
  const closeBand = (): string | undefined => {
    if (band === undefined) return undefined;
    if (band.type === undefined || band.rate === undefined) return "band needs a type and a rate";
    const b: MeterBand =
      band.type === "dscp_remark"
        ? { type: band.type, rate: band.rate, burstSize: band.burstSize ?? 0, precLevel: band.precLevel ?? 0 }
        : { type: band.type, rate: band.rate, burstSize: band.burstSize ?? 0 };
    bands.push(b);
    band = undefined;
    return undefined;
  };
  for (let tok of tokens) {
    if (tok.startsWith("band=") || tok.startsWith("bands=")) {
      tok = tok.slice(tok.indexOf("=") + 1);
      if (tok === "") continue;
    }
    const flag = FLAG_WORDS.find(([, w]) => w === tok);
    if (flag !== undefined) {
      flags[flag[0]] = true;
      continue;
    }
    const eq = tok.indexOf("=");
    if (eq < 0) return { ok: false, error: `${tok}: unknown meter keyword` };
    const k = tok.slice(0, eq);
    const v = tok.slice(eq + 1);
    if (k === "meter") {
      const n = parseNumber(v);
      if (n === undefined || n > 0xffffffffn) return { ok: false, error: `${tok}: invalid meter id` };
      meterId = Number(n);
      continue;
    }
    if (k === "type") {
      const err = closeBand();
      if (err !== undefined) return { ok: false, error: err };
      if (v !== "drop" && v !== "dscp_remark") return { ok: false, error: `${v}: unknown band type` };
      band = { type: v };
      continue;
    }
    if (band === undefined) return { ok: false, error: `${tok}: outside a band` };
    const n = parseNumber(v);
    if (n === undefined || n > 0xffffffffn) return { ok: false, error: `${tok}: invalid number` };
    if (k === "rate") band.rate = Number(n);
    else if (k === "burst_size") band.burstSize = Number(n);
    else if (k === "prec_level") band.precLevel = Number(n);
    else return { ok: false, error: `${tok}: unknown band keyword` };
  }
  const err = closeBand();
  if (err !== undefined) return { ok: false, error: err };
  if (meterId === undefined) return { ok: false, error: "must specify a meter" };
  return { ok: true, meter: { meterId, flags, bands } };
}

export function meterTextToMeterMod(m: MeterText, command: MeterMod["command"] = "add"): MeterMod {
  return { command, ...m };
}
