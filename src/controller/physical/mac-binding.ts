// MAC_Binding rows (neighbours a router has learnt) in the lookup tables of get_arp()/get_nd() (66:
// set eth.dst for the output port and next hop in reg0/xxreg0) and of lookup_arp()/lookup_nd() (67: set
// reg10[6] when the input port already knows this IP-MAC pair).

import { parseIpv4, parseIpv6, parseMac } from "../../expr/values.js";
import { matchFields } from "../lflow/compile.js";
import type { Flow, MatchField } from "../lflow/flow.js";
import type { SbMacBinding } from "../lflow/sb.js";
import { OFTABLE } from "../lflow/tables.js";
import { exact, flow, setField } from "./flows.js";
import type { PhysicalInput } from "./input.js";
import { portIn, viewIndex } from "./view-index.js";

const FOUND = 0x40;

export function macBindingFlows(mb: SbMacBinding, input: PhysicalInput): Flow[] {
  if (!input.localDatapaths.has(mb.datapath)) return [];
  const dp = viewIndex(input.view).datapathByUuid.get(mb.datapath);
  const port = portIn(input.view, mb.datapath, mb.logicalPort);
  const mac = parseMac(mb.mac);
  if (dp === undefined || port === undefined || mac === null) return [];
  const v4 = parseIpv4(mb.ip);
  const v6 = v4 === null ? parseIpv6(mb.ip) : null;
  if (v4 === null && v6 === null) return [];
  // The address sits in reg0 (IPv4) or all of xxreg0 (IPv6), as get_arp/get_nd leave it.
  const ip: MatchField[] =
    v4 !== null
      ? [exact("reg0", v4)]
      : matchFields([{ field: "xxreg0", value: v6 as bigint, mask: (1n << 128n) - 1n }]);
  const md = exact("metadata", dp.tunnelKey);
  const found = setField("reg10", FOUND, FOUND);
  const lookupProto: MatchField[] =
    v4 !== null
      ? [exact("eth_type", 0x806)]
      : [exact("eth_type", 0x86dd), exact("nw_proto", 58), exact("icmpv6_code", 0)];
  return [
    flow(
      OFTABLE.MAC_BINDING,
      100,
      mb.uuid,
      [...ip, exact("reg15", port.tunnelKey), md],
      [setField("eth_dst", mac), found],
    ),
    flow(
      OFTABLE.MAC_LOOKUP,
      100,
      mb.uuid,
      [...lookupProto, ...ip, exact("reg14", port.tunnelKey), md, exact("eth_src", mac)],
      [found],
    ),
  ];
}
