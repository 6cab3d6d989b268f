// `ovnts nbctl`: a drop-in for ovn-nbctl (23.03) — the generic database commands plus the logical switch,
// port and router commands, all in one transaction per command line.
import { ovnNbModel } from "../ovsdb/idl/generated/ovn-nb.js";
import type { DbModel, Tables } from "../ovsdb/idl/model.js";
import { ACL_COMMANDS } from "./ctl/nb-acl.js";
import { CONNECTION_COMMANDS } from "./ctl/nb-connection.js";
import { COPP_COMMANDS } from "./ctl/nb-copp.js";
import { FWD_GROUP_COMMANDS } from "./ctl/nb-fwd-group.js";
import { LB_COMMANDS } from "./ctl/nb-lb.js";
import { MIRROR_COMMANDS } from "./ctl/nb-mirror.js";
import { MISC_COMMANDS } from "./ctl/nb-misc.js";
import { NAT_COMMANDS } from "./ctl/nb-nat.js";
import { POLICY_COMMANDS } from "./ctl/nb-policy.js";
import { QOS_COMMANDS } from "./ctl/nb-qos.js";
import { ROUTE_COMMANDS } from "./ctl/nb-route.js";
import { ROUTER_COMMANDS } from "./ctl/nb-router.js";
import { STATIC_MAC_COMMANDS } from "./ctl/nb-static-mac.js";
import { SWITCH_COMMANDS } from "./ctl/nb-switch.js";
import { type CtlTool, runCtl } from "./ctl/run.js";

/** Tables whose rows `get`/`set`/... accept by name, and the column that names them. */
const NAME_COLUMNS: Record<string, readonly string[]> = {
  Logical_Switch: ["name"],
  Logical_Switch_Port: ["name"],
  Logical_Router: ["name"],
  Logical_Router_Port: ["name"],
  Port_Group: ["name"],
  Address_Set: ["name"],
  HA_Chassis_Group: ["name"],
  Load_Balancer: ["name"],
  Load_Balancer_Group: ["name"],
};

export const NBCTL: CtlTool = {
  program: "ovn-nbctl",
  model: ovnNbModel as unknown as DbModel<Tables>,
  dbEnv: "OVN_NB_DB",
  defaultSocket: "ovnnb_db.sock",
  commands: [
    ...SWITCH_COMMANDS,
    ...ROUTER_COMMANDS,
    ...NAT_COMMANDS,
    ...ROUTE_COMMANDS,
    ...MISC_COMMANDS,
    ...ACL_COMMANDS,
    ...LB_COMMANDS,
    ...POLICY_COMMANDS,
    ...QOS_COMMANDS,
    ...MIRROR_COMMANDS,
    ...FWD_GROUP_COMMANDS,
    ...CONNECTION_COMMANDS,
    ...COPP_COMMANDS,
    ...STATIC_MAC_COMMANDS,
  ],
  nameColumns: NAME_COLUMNS,
  globalTable: "NB_Global",
  nbCfg: true,
};

export async function run(argv: string[]): Promise<number> {
  return runCtl(NBCTL, argv);
}
