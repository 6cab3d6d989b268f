// Live migration's activation strategy (ovn-nb(5) Logical_Switch_Port options:activation-strategy=rarp):
// on an additional chassis of a multichassis port, the port's traffic is blocked until the VM, now
// running here, sends a RARP.  That RARP reaches this handler and goes on through the pipeline by
// itself (the controller action does not pause it); the handler only records the activation.

import { dropped, type HandlerResult, handled, type PacketIn, type PinctrlState } from "./types.js";

/** The port the RARP came in on (datapath + reg14) is activated on this chassis. */
export function handleRarpActivation(pin: PacketIn, state: PinctrlState): HandlerResult {
  const { datapath, inport } = pin.md;
  const logicalPort = state.portNames.get(`${datapath}:${inport}`);
  if (logicalPort === undefined) return dropped("activation_strategy_rarp-unknown-port");
  return handled("activation_strategy_rarp", {
    kind: "sb-write",
    write: { table: "Port_Binding", logicalPort, activated: true },
  });
}
