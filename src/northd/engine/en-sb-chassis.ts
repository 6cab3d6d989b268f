// Input node: the SB tables northd reads (Chassis for gateway scheduling, Service_Monitor status).
// Changes to the tables northd writes are not input: they are its own writes coming back.
import type { Engine, EngineNode } from "../../incproc/engine.js";
import { type ContextRef, ctxOf } from "./context.js";

export function addSbChassisNode(engine: Engine, ref: ContextRef): EngineNode<null> {
  return engine.add<null>({
    name: "SB_chassis",
    data: null,
    run: () => (ctxOf(ref).sbInputChanged ? "updated" : "unchanged"),
  });
}
