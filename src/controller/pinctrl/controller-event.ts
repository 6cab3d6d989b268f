// trigger_event (ovn-sb(5) Controller_Event): a packet for a load balancer VIP with no backends raises
// empty_lb_backends with the VIP, the protocol and the load balancer's UUID, as the flow's userdata
// carries them (observed in ovn-controller 23.03's flows: event type 0; field 1 vip, 2 protocol,
// 3 load_balancer).  The edge writes one row while no equal row exists, as ovn-controller does.
import { dropped, type HandlerResult, handled } from "./types.js";

const EMPTY_LB_BACKENDS = 0;
const FIELDS: Readonly<Record<number, string>> = { 1: "vip", 2: "protocol", 3: "load_balancer" };

export function handleControllerEvent(a: {
  readonly eventType: number;
  readonly fields: readonly { readonly type: number; readonly value: string }[];
}): HandlerResult {
  if (a.eventType !== EMPTY_LB_BACKENDS) return dropped(`event-type-${a.eventType}`);
  const info = new Map<string, string>();
  for (const f of a.fields) {
    const name = FIELDS[f.type];
    if (name !== undefined) info.set(name, f.value);
  }
  if (info.size !== 3) return dropped("event-incomplete");
  return handled("event-empty_lb_backends", {
    kind: "sb-write",
    write: { table: "Controller_Event", eventType: "empty_lb_backends", info },
  });
}
