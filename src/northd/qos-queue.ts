// Port_Binding options:qdisc_queue_id (ovn-nb(5) Logical_Switch_Port options qos_max_rate, qos_min_rate,
// qos_burst): ovn-northd 23.03 gives a port with QoS settings a queue id that the switch's
// set_queue() actions name. A localnet port's queue is per port, so its first (and only) one is 1. A
// VIF's is per chassis (observed from ovn-northd 23.03): the id its binding already carries stays (also
// when the port is unbound or moves to another chassis, even where another port has that id);
// otherwise, once bound, it gets the lowest id from 1 up that no binding on its chassis carries; an
// unbound port without one has none.
import type * as nb from "../ovsdb/idl/generated/ovn-nb.js";
import type * as sb from "../ovsdb/idl/generated/ovn-sb.js";
import type { SbRows } from "./model.js";

const QOS_KEYS = ["qos_max_rate", "qos_min_rate", "qos_burst"];

/** Whether a switch port's options ask for a QoS queue. */
export function hasQos(options: ReadonlyMap<string, string>): boolean {
  return QOS_KEYS.some((k) => options.has(k));
}

/**
 * The queue ids of one model build: the SB bindings (chassis, ids they carry) read once, on the first
 * VIF that needs them, and the ids handed out since, so that two ports bound to one chassis in the
 * same run get different ones.
 */
export class QueueAllocator {
  private bindings: Map<string, sb.PortBinding> | undefined;
  /** Chassis uuid → queue ids in use there. */
  private readonly used = new Map<string, Set<number>>();

  constructor(private readonly sb: SbRows) {}

  private load(): Map<string, sb.PortBinding> {
    if (this.bindings !== undefined) return this.bindings;
    const byName = new Map<string, sb.PortBinding>();
    for (const pb of this.sb.rows("Port_Binding")) {
      byName.set(pb.logicalPort, pb);
      const id = queueIdOf(pb);
      if (pb.chassis !== undefined && id !== undefined) this.usedOn(pb.chassis).add(id);
    }
    this.bindings = byName;
    return byName;
  }

  private usedOn(chassis: string): Set<number> {
    let s = this.used.get(chassis);
    if (s === undefined) {
      s = new Set();
      this.used.set(chassis, s);
    }
    return s;
  }

  /** The queue id of VIF `port` (which has QoS options): kept, new on its chassis, or none yet. */
  vifQueue(port: string): string | undefined {
    const pb = this.load().get(port);
    if (pb === undefined) return undefined;
    const kept = queueIdOf(pb);
    if (kept !== undefined) return String(kept);
    if (pb.chassis === undefined) return undefined;
    const used = this.usedOn(pb.chassis);
    let id = 1;
    while (used.has(id)) id++;
    used.add(id);
    return String(id);
  }
}

function queueIdOf(pb: sb.PortBinding): number | undefined {
  const v = pb.options.get("qdisc_queue_id");
  if (v === undefined || !/^[0-9]+$/.test(v)) return undefined;
  const n = Number(v);
  return n > 0 ? n : undefined;
}

/** The qdisc queue id the port's SB binding carries, as text (undefined: none). */
export function qdiscQueueId(lsp: nb.LogicalSwitchPort, queues: QueueAllocator): string | undefined {
  const given = lsp.options.get("qdisc_queue_id");
  if (given !== undefined) return given;
  if (!hasQos(lsp.options)) return undefined;
  if (lsp.type === "localnet") return "1";
  return lsp.type === "" ? queues.vifQueue(lsp.name) : undefined;
}
