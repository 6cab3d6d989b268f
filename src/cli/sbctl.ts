// `ovnts sbctl`: a drop-in for ovn-sbctl (23.03) — the generic database commands.
import { ovnSbModel } from "../ovsdb/idl/generated/ovn-sb.js";
import type { DbModel, Tables } from "../ovsdb/idl/model.js";
import { type CtlTool, runCtl } from "./ctl/run.js";
import { SB_COMMANDS } from "./ctl/sb-commands.js";

const NAME_COLUMNS: Record<string, readonly string[]> = {
  Chassis: ["name"],
  Chassis_Private: ["name"],
  Port_Binding: ["logical_port"],
  HA_Chassis_Group: ["name"],
  Address_Set: ["name"],
  Port_Group: ["name"],
  Meter: ["name"],
};

export const SBCTL: CtlTool = {
  program: "ovn-sbctl",
  model: ovnSbModel as unknown as DbModel<Tables>,
  dbEnv: "OVN_SB_DB",
  defaultSocket: "ovnsb_db.sock",
  commands: SB_COMMANDS,
  nameColumns: NAME_COLUMNS,
  globalTable: "SB_Global",
  nbCfg: false,
};

export async function run(argv: string[]): Promise<number> {
  return runCtl(SBCTL, argv);
}
