// A meter in the one-line form of `ovs-ofctl dump-meters` (ovs-ofctl(8) "Meter Syntax"), for logs and
// for comparing with what the switch reports:  meter=1 kbps burst stats bands=type=drop rate=100 burst_size=50

import type { MeterMod } from "../../openflow/model.js";

export function formatMeter(m: MeterMod): string {
  const flags = (["kbps", "pktps", "burst", "stats"] as const).filter((f) => m.flags[f] === true);
  const bands = m.bands.map(
    (b) =>
      `type=${b.type} rate=${b.rate}` +
      (m.flags.burst === true ? ` burst_size=${b.burstSize}` : "") +
      (b.type === "dscp_remark" ? ` prec_level=${b.precLevel ?? 0}` : ""),
  );
  return `meter=${m.meterId} ${[...flags, `bands=${bands.join(" ")}`].join(" ")}`;
}

/**
 * The meters of a `dump-meters` reply, one line each in formatMeter's form (the reply puts each
 * meter's bands on the following lines).
 */
export function parseDumpMeters(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("OFPST_")) continue;
    if (line.startsWith("meter=")) out.push(line);
    else if (out.length > 0) {
      const prev = out[out.length - 1] as string;
      out[out.length - 1] = prev.endsWith("=") ? `${prev}${line}` : `${prev} ${line}`;
    }
  }
  return out;
}
