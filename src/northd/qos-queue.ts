// Port_Binding options:qdisc_queue_id (ovn-nb(5) Logical_Switch_Port options qos_max_rate, qos_min_rate,
// qos_burst): ovn-northd 23.03 gives a port with QoS settings a queue id that the switch's
// set_queue() actions name. Queue ids are allocated per chassis for VIFs (only once bound) and per
// port for localnet ports, so a localnet port's first (and only) queue is 1.
import type * as nb from "../ovsdb/idl/generated/ovn-nb.js";

const QOS_KEYS = ["qos_max_rate", "qos_min_rate", "qos_burst"];

/** The qdisc queue id the port's SB binding carries, as text (undefined: none). */
export function qdiscQueueId(lsp: nb.LogicalSwitchPort): string | undefined {
  const given = lsp.options.get("qdisc_queue_id");
  if (given !== undefined) return given;
  // VIF queues need the binding's chassis, which northd's model does not follow: not allocated here.
  if (lsp.type !== "localnet") return undefined;
  return QOS_KEYS.some((k) => lsp.options.has(k)) ? "1" : undefined;
}
