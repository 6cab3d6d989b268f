// The Southbound data pinctrl's handlers read (PinctrlState), indexed from the compiler's view and the
// DNS table: port names and MAC bindings by tunnel keys, DNS records by datapath key.  Pure.

import type { SbView } from "../lflow/sb.js";
import type { PinctrlState } from "../pinctrl/types.js";

export interface DnsRow {
  readonly records: ReadonlyMap<string, string>;
  /** Datapath_Binding UUIDs. */
  readonly datapaths: readonly string[];
  /** ovn-controller reads only the rows ovn-northd made (they carry a "dns_id"); absent: read it. */
  readonly externalIds?: ReadonlyMap<string, string>;
}

export function pinctrlState(view: SbView, dns: readonly DnsRow[]): PinctrlState {
  const dpKey = new Map(view.datapaths.map((d) => [d.uuid, d.tunnelKey]));
  const portNames = new Map<string, string>();
  const portKey = new Map<string, string>();
  for (const p of view.ports) {
    const dp = dpKey.get(p.datapath);
    if (dp === undefined) continue;
    portNames.set(`${dp}:${p.tunnelKey}`, p.logicalPort);
    portKey.set(p.logicalPort, `${dp}:${p.tunnelKey}`);
  }
  const macBindings = new Map<string, string>();
  for (const m of view.macBindings) {
    const k = portKey.get(m.logicalPort);
    if (k !== undefined) macBindings.set(`${k}:${m.ip}`, m.mac);
  }
  const dnsRecords = new Map<number, Map<string, string>>();
  for (const row of dns) {
    if (row.externalIds !== undefined && !row.externalIds.has("dns_id")) continue;
    for (const dp of row.datapaths) {
      const key = dpKey.get(dp);
      if (key === undefined) continue;
      const records = dnsRecords.get(key) ?? new Map<string, string>();
      dnsRecords.set(key, records);
      for (const [name, value] of row.records) records.set(name.toLowerCase(), value);
    }
  }
  return { portNames, macBindings, dnsRecords };
}
