// OpenFlow meters for the controller's flows: the desired set (desired.ts), the meter_mods that install
// it (installed.ts), and the Southbound rows they come from (sb.ts).
export {
  type AllocatedMeter,
  type DesiredMeters,
  desiredMeters,
  meterFromRow,
  meterFromString,
  meterIdsUsed,
  type SbMeter,
  STRING_METER_PREFIX,
} from "./desired.js";
export { InstalledMeters, type MeterPlan, sameMeter } from "./installed.js";
export { sbMeters, sbMetersFromJson } from "./sb.js";
export { formatMeter, parseDumpMeters } from "./text.js";
