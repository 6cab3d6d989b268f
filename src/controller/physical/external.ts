// External ports (ovn-nb(5) Logical_Switch_Port type "external"): a host on the physical network,
// behind a switch's localnet port, that the active chassis of the port's HA chassis group serves
// (DHCP, DNS, ARP/ND for it, through logical flows that check is_chassis_resident).  The physical
// flows only add, on the chassis the port is bound to, a way out for replies from a localport (e.g. a
// metadata port): packets from a localport never go out of a localnet port (table 41, priority 160),
// except towards the MAC of an external port bound here (priority 170), as ovn-controller 23.03 does.

import type { Flow } from "../lflow/flow.js";
import type { SbPortBinding } from "../lflow/sb.js";
import { OFTABLE } from "../lflow/tables.js";
import { exact, flow, masked, portMatch, REG0_9, resubmit, setField } from "./flows.js";
import type { PhysicalInput } from "./input.js";
import { viewIndex } from "./view-index.js";

/** reg10 flag of packets that came from a localport (ports.ts). */
const FLAG_FROM_LOCALPORT = 0x400;

/** External ports of the localnet port's datapath bound to this chassis. */
export function localExternalPorts(ln: SbPortBinding, input: PhysicalInput): SbPortBinding[] {
  return (viewIndex(input.view).portsByDatapath.get(ln.datapath) ?? []).filter(
    (p) => p.type === "external" && p.chassis === input.chassis,
  );
}

/** The Ethernet addresses of a port's `mac` column (the first word of each entry; "unknown" skipped). */
export function portMacs(p: SbPortBinding): string[] {
  return p.mac.flatMap((entry) => {
    const first = entry.trim().split(/\s+/)[0] ?? "";
    return /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(first) ? [first.toLowerCase()] : [];
  });
}

function macValue(mac: string): bigint {
  return BigInt(`0x${mac.replace(/:/g, "")}`);
}

/**
 * For a localnet port plugged in here (OpenFlow port known): table 41 lets packets from a localport
 * out to each external port bound to this chassis on the same switch, by destination MAC.
 */
export function externalLocalnetFlows(ln: SbPortBinding, dpKey: number, input: PhysicalInput): Flow[] {
  const clearRegs = REG0_9.map((r) => setField(r, 0));
  return localExternalPorts(ln, input).flatMap((ext) =>
    portMacs(ext).map((mac) =>
      flow(
        OFTABLE.CHECK_LOOPBACK,
        170,
        ln.uuid,
        [
          masked("reg10", FLAG_FROM_LOCALPORT, FLAG_FROM_LOCALPORT),
          ...portMatch("reg15", ln.tunnelKey, dpKey),
          exact("eth_dst", macValue(mac)),
        ],
        [...clearRegs, resubmit(OFTABLE.LOG_EGRESS_PIPELINE)],
      ),
    ),
  );
}
