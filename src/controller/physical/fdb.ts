// FDB rows (MACs learnt on switch ports with unknown addresses) in the lookup tables of get_fdb()
// (71: the port a destination MAC was learnt on) and lookup_fdb() (72: set reg10[8] when the source
// MAC is already known on the input port).

import { parseMac } from "../../expr/values.js";
import type { Flow } from "../lflow/flow.js";
import type { SbFdb } from "../lflow/sb.js";
import { OFTABLE } from "../lflow/tables.js";
import { exact, flow, setField } from "./flows.js";
import type { PhysicalInput } from "./input.js";
import { viewIndex } from "./view-index.js";

const KNOWN = 0x100;

export function fdbFlows(fdb: SbFdb, input: PhysicalInput): Flow[] {
  const dp = viewIndex(input.view).datapathByKey.get(fdb.dpKey);
  const mac = parseMac(fdb.mac);
  if (dp === undefined || mac === null || !input.localDatapaths.has(dp.uuid)) return [];
  const md = exact("metadata", fdb.dpKey);
  return [
    flow(OFTABLE.GET_FDB, 100, fdb.uuid, [md, exact("eth_dst", mac)], [setField("reg15", fdb.portKey)]),
    flow(
      OFTABLE.LOOKUP_FDB,
      100,
      fdb.uuid,
      [exact("reg14", fdb.portKey), md, exact("eth_src", mac)],
      [setField("reg10", KNOWN, KNOWN)],
    ),
  ];
}
