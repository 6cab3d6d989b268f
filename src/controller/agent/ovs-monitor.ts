// The local Open_vSwitch columns the controller replicates (IdlOptions.monitor): everything but the
// statistics columns.  ovs-vswitchd rewrites Interface.statistics of every interface every few seconds
// (other_config:stats-update-interval, 5 s by default); replicated, each rewrite is an update to parse
// and an agent pass that finds nothing to do.  Nothing in the controller reads them (ovn-controller
// registers only the columns it uses, and these are not among them).
import { type VswitchTables, vswitchModel } from "../../ovsdb/idl/generated/vswitch.js";
import type { MonitorSpec } from "../../ovsdb/idl/monitor-request.js";

const UNREAD = new Set(["statistics", "rstpStatistics"]);

export const OVS_MONITOR: MonitorSpec<VswitchTables> = Object.fromEntries(
  [...vswitchModel.tables].map(([name, t]) => [
    name,
    t.columns.map((c) => c.prop).filter((p) => !UNREAD.has(p)),
  ]),
) as MonitorSpec<VswitchTables>;
