// log(…) in an ACL's actions (ovn-nb(5) ACL log, name, severity): one line per packet in the form the
// real ovn-controller 23.03 writes (observed in its log):
//   name="acl1", verdict=allow, severity=info, direction=from-lport: udp,vlan_tci=0x0000,…
// An unnamed ACL is "<unnamed>"; the direction is from-lport for the ingress pipeline (OpenFlow tables
// below 42), to-lport for the egress one.  Codes: verdict 0 allow, 1 drop, 2 reject; severity as
// syslog (1 alert, 4 warning, 5 notice, 6 info, 7 debug).
import { OFTABLE } from "../lflow/tables.js";
import { formatPacketFlow } from "./flow-text.js";
import { type HandlerResult, handled, type PacketIn } from "./types.js";

const VERDICTS: Readonly<Record<number, string>> = { 0: "allow", 1: "drop", 2: "reject" };
const SEVERITIES: Readonly<Record<number, string>> = {
  1: "alert",
  4: "warning",
  5: "notice",
  6: "info",
  7: "debug",
};

export function aclLogMessage(
  pin: PacketIn,
  a: { readonly verdict: number; readonly severity: number; readonly name: string },
): string {
  const name = a.name === "" ? "<unnamed>" : a.name;
  const direction =
    pin.tableId !== undefined && pin.tableId >= OFTABLE.LOG_EGRESS_PIPELINE ? "to-lport" : "from-lport";
  return (
    `name="${name}", verdict=${VERDICTS[a.verdict] ?? "<unknown>"}, ` +
    `severity=${SEVERITIES[a.severity] ?? "<unknown>"}, direction=${direction}: ` +
    formatPacketFlow(pin.packet)
  );
}

export function handleAclLog(
  pin: PacketIn,
  a: { readonly verdict: number; readonly severity: number; readonly name: string },
): HandlerResult {
  return handled("acl-log", { kind: "log", message: aclLogMessage(pin, a) });
}
