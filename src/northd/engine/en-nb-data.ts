// Input node: the NB database. Updated when the NB changed since the last run.
import type { Engine, EngineNode } from "../../incproc/engine.js";
import { type ContextRef, ctxOf, type NbChangeSet } from "./context.js";

export interface NbData {
  changes: NbChangeSet | undefined;
}

export function addNbDataNode(engine: Engine, ref: ContextRef): EngineNode<NbData> {
  return engine.add<NbData>({
    name: "NB_data",
    data: { changes: undefined },
    run: (n) => {
      const c = ctxOf(ref).changes;
      n.data.changes = c;
      return c === undefined || c.size > 0 ? "updated" : "unchanged";
    },
  });
}
