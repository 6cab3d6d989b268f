// The physical flows that do not depend on any binding: the defaults of each physical table.

import type { Flow } from "../lflow/flow.js";
import { OFTABLE } from "../lflow/tables.js";
import { flow, masked, REG0_9, resubmit, setField } from "./flows.js";

export function staticFlows(): Flow[] {
  const clearRegs = REG0_9.map((r) => setField(r, 0));
  return [
    flow(OFTABLE.PHY_TO_LOG, 0, null, [], []),
    flow(OFTABLE.OUTPUT_LARGE_PKT_DETECT, 0, null, [], [resubmit(OFTABLE.REMOTE_OUTPUT)]),
    // flags.loopback set: straight to local output.
    flow(
      OFTABLE.OUTPUT_LARGE_PKT_PROCESS,
      10,
      null,
      [masked("reg10", 1, 1)],
      [resubmit(OFTABLE.LOCAL_OUTPUT)],
    ),
    flow(OFTABLE.OUTPUT_LARGE_PKT_PROCESS, 0, null, [], [resubmit(OFTABLE.REMOTE_OUTPUT)]),
    // Packets that came from a tunnel or are local-only never go back out to a tunnel.
    flow(OFTABLE.REMOTE_OUTPUT, 150, null, [masked("reg10", 0x10, 0x10)], [resubmit(OFTABLE.LOCAL_OUTPUT)]),
    flow(OFTABLE.REMOTE_OUTPUT, 150, null, [masked("reg10", 0x2, 0x3)], [resubmit(OFTABLE.LOCAL_OUTPUT)]),
    flow(OFTABLE.REMOTE_OUTPUT, 0, null, [], [resubmit(OFTABLE.LOCAL_OUTPUT)]),
    flow(OFTABLE.LOCAL_OUTPUT, 0, null, [], []),
    flow(OFTABLE.CHECK_LOOPBACK, 0, null, [], [...clearRegs, resubmit(OFTABLE.LOG_EGRESS_PIPELINE)]),
    flow(OFTABLE.SAVE_INPORT, 0, null, [], [resubmit(OFTABLE.LOG_TO_PHY)]),
    flow(OFTABLE.LOG_TO_PHY, 0, null, [], []),
  ];
}
