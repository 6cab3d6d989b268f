// SB_Global from NB_Global (options, nb_cfg), and back to NB_Global: the options northd fills in,
// sb_cfg once the SB has the NB's nb_cfg, hv_cfg once every chassis has caught up (the least
// Chassis_Private.nb_cfg; with no chassis, the SB's nb_cfg).
import type { OvnNbTables } from "../../ovsdb/idl/generated/ovn-nb.js";
import type { OvnSbTables } from "../../ovsdb/idl/generated/ovn-sb.js";
import type { RowInput } from "../../ovsdb/idl/model.js";
import type { Txn } from "../../ovsdb/idl/txn.js";
import { DP_KEY_MAX, DP_KEY_MAX_VXLAN } from "../keys.js";
import type { NbRows, NorthdModel, SbRows } from "../model.js";
import { valueEquals } from "./rows.js";

/** What C northd 23.03.1 puts in options:northd_internal_version. */
export const NORTHD_INTERNAL_VERSION = "23.03.1-20.27.0-70.6";
/** options:max_tunid: the largest datapath key (src/northd/keys.ts), with Geneve/STT and with VXLAN. */
export const MAX_TUNID = String(DP_KEY_MAX);
export const MAX_TUNID_VXLAN = String(DP_KEY_MAX_VXLAN);

/** NB_Global options as northd writes them back (its own keys added). */
export function northdOptions(model: NorthdModel): Map<string, string> {
  const o = new Map(model.options);
  o.set("mac_prefix", model.macPrefix);
  o.set("svc_monitor_mac", model.svcMonitorMac);
  o.set("max_tunid", model.vxlanMode ? MAX_TUNID_VXLAN : MAX_TUNID);
  o.set("northd_internal_version", NORTHD_INTERNAL_VERSION);
  return o;
}

/** SB_Global from the model's options and the NB's current nb_cfg (`nb` may be newer than the model). */
export function syncSbGlobal(txn: Txn<OvnSbTables>, model: NorthdModel, nb: NbRows = model.nb): void {
  const nbg = nb.rows("NB_Global")[0] ?? model.nbGlobal;
  const options = northdOptions(model);
  // Tells the controllers whether LB hairpin flows use ct_mark (absent means true): not while some
  // chassis lacks ct-no-masked-label (../features.ts).
  if (model.features.ctNoMaskedLabel) options.delete("lb_hairpin_use_ct_mark");
  else options.set("lb_hairpin_use_ct_mark", "false");
  const want: RowInput<OvnSbTables["SB_Global"]> = {
    options,
    nbCfg: nbg?.nbCfg ?? 0,
    ipsec: nbg?.ipsec ?? false,
  };
  const rows = model.sb.rows("SB_Global");
  const row = rows[0];
  if (row === undefined) {
    txn.insert("SB_Global", want);
    return;
  }
  for (const extra of rows.slice(1)) txn.delete("SB_Global", extra._uuid);
  const diff: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(want))
    if (!valueEquals((row as unknown as Record<string, unknown>)[k], v)) diff[k] = v;
  if (Object.keys(diff).length > 0) txn.update("SB_Global", row._uuid, diff);
}

/** The NB_Global update northd makes (undefined when nothing changes). `nowMs` is the wall clock. */
export function nbGlobalUpdate(
  nb: NbRows,
  sb: SbRows,
  model: NorthdModel,
  now: number,
): { row: OvnNbTables["NB_Global"] | undefined; set: RowInput<OvnNbTables["NB_Global"]> } | undefined {
  const nowMs = Math.floor(now);
  const row = nb.rows("NB_Global")[0];
  const set: Record<string, unknown> = {};
  const opts = northdOptions(model);
  if (row === undefined || !valueEquals(row.options, opts)) set.options = opts;
  const sbg = sb.rows("SB_Global")[0];
  if (row !== undefined && sbg !== undefined) {
    const sbCfg = sbg.nbCfg;
    if (row.sbCfg !== sbCfg) {
      set.sbCfg = sbCfg;
      set.sbCfgTimestamp = nowMs;
      set.nbCfgTimestamp = nowMs;
    }
    let hv = sbCfg;
    let hvTs = 0;
    for (const c of sb.rows("Chassis_Private")) {
      if (c.nbCfg < hv) hv = c.nbCfg;
      if (c.nbCfgTimestamp > hvTs) hvTs = c.nbCfgTimestamp;
    }
    if (row.hvCfg !== hv) {
      set.hvCfg = hv;
      if (hvTs !== row.hvCfgTimestamp) set.hvCfgTimestamp = hvTs;
    }
  }
  return Object.keys(set).length === 0 ? undefined : { row, set: set as RowInput<OvnNbTables["NB_Global"]> };
}
