// Input node: the SB IGMP_Group rows the controllers write (what they learned by IGMP/MLD snooping).
// Updated when rows of some datapaths changed; the model node turns that into the datapaths whose
// multicast groups and flows must be rebuilt (../sync/igmp-groups.ts), instead of a full recompute.
import type { Engine, EngineNode } from "../../incproc/engine.js";
import { type ContextRef, ctxOf } from "./context.js";

export function addSbIgmpNode(engine: Engine, ref: ContextRef): EngineNode<null> {
  return engine.add<null>({
    name: "SB_igmp_group",
    data: null,
    run: () => ((ctxOf(ref).igmpDatapaths?.size ?? 0) > 0 ? "updated" : "unchanged"),
  });
}
