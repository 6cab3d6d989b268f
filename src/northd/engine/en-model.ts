// The northd model node: the NorthdModel built from NB and SB, and which datapaths changed since the
// previous model ("all" after a recompute). An NB change rebuilds only the datapaths it touches
// (model-build.ts updateModel) and updates the row index for them; a change it cannot place falls
// back to building the whole model. Everything downstream then works on the affected datapaths.
import type { Engine, EngineNode, NodeHandle } from "../../incproc/engine.js";
import { affectedDatapaths, DatapathRowIndex, nameHits, rowHits } from "../affected.js";
import { TunnelKeys } from "../keys.js";
import type { NorthdModel } from "../model.js";
import { buildModel, type GlobalDefaults } from "../model-build.js";
import { dirtyDatapaths, updateModel } from "../model-update.js";
import { nbUuidOfDatapath } from "../sync/datapath.js";
import { forgetIgmpGroups } from "../sync/igmp-groups.js";
import { type ContextRef, ctxOf, NB_CFG_ONLY } from "./context.js";
import type { NbData } from "./en-nb-data.js";

export interface ModelData {
  model: NorthdModel | undefined;
  readonly index: DatapathRowIndex;
  /** Datapaths (NB uuids) whose flows and rows may have changed, or "all". */
  affected: Set<string> | "all";
  /** NB tables changed since the previous model (undefined after a full rebuild). */
  changedTables: Set<string> | undefined;
  /** The run context `affected` was set in (handlers of one run merge what they affect). */
  affectedIn: unknown;
  readonly keys: TunnelKeys;
  /** Model updates done incrementally / by a full build, for statistics. */
  partial: number;
  full: number;
}

export function addModelNode(
  engine: Engine,
  ref: ContextRef,
  nbData: EngineNode<NbData>,
  sbChassis: NodeHandle,
  sbIgmp: NodeHandle,
  defaults: GlobalDefaults,
): EngineNode<ModelData> {
  const input = () => {
    const ctx = ctxOf(ref);
    return { nb: ctx.nb, sb: ctx.sb, defaults };
  };
  return engine.add<ModelData>(
    {
      name: "northd_model",
      data: {
        model: undefined,
        index: new DatapathRowIndex(),
        affected: "all",
        changedTables: undefined,
        affectedIn: undefined,
        keys: new TunnelKeys(),
        partial: 0,
        full: 0,
      },
      run: (n) => {
        const model = buildModel({ ...input(), keys: n.data.keys });
        n.data.index.update(model);
        n.data.model = model;
        n.data.affected = "all";
        n.data.changedTables = undefined;
        n.data.full++;
        return "updated";
      },
    },
    [
      [
        nbData,
        (n) => {
          const changes = n.input(nbData).changes;
          const before = n.data.model;
          if (changes === undefined || before === undefined) return false;
          // A bare nb_cfg bump changes nothing in the model (sb_sync copies nb_cfg on its own).
          if ([...changes.keys()].every((t) => t === NB_CFG_ONLY)) return "unchanged";
          const inp = { ...input(), keys: n.data.keys };
          const hits = new Set<string>();
          rowHits(changes, n.data.index, hits);
          const dirty = dirtyDatapaths(before, inp.nb, changes, (u) => n.data.index.get(u));
          const upd = dirty === undefined ? undefined : updateModel(before, inp, changes, dirty);
          let after: NorthdModel;
          if (upd === undefined) {
            after = buildModel(inp);
            n.data.index.update(after);
            n.data.full++;
          } else {
            after = upd.model;
            n.data.index.update(after, upd.touched);
            for (const d of upd.touched) hits.add(d);
            n.data.partial++;
          }
          rowHits(changes, n.data.index, hits);
          nameHits(changes, after, hits);
          for (const d of before.datapaths.keys()) if (!after.datapaths.has(d)) hits.add(d);
          const a = affectedDatapaths(changes, hits, before, after);
          n.data.model = after;
          n.data.affected = a;
          n.data.affectedIn = ref.current;
          n.data.changedTables = a === "all" ? undefined : new Set(changes.keys());
          return "updated";
        },
      ],
      [sbChassis],
      // Learned multicast groups changed: the switches they are on and the relaying routers next to
      // them get their groups and flows rebuilt (merged with what an NB change in this run affected).
      [
        sbIgmp,
        (n) => {
          const ctx = ctxOf(ref);
          const model = n.data.model;
          if (model === undefined) return false;
          forgetIgmpGroups(model);
          const hits = new Set<string>();
          for (const sbDp of ctx.igmpDatapaths ?? []) {
            const row = ctx.sb.get("Datapath_Binding", sbDp);
            const nb = row === undefined ? undefined : nbUuidOfDatapath(row);
            const dp = nb === undefined ? undefined : model.datapaths.get(nb);
            if (dp === undefined) return false;
            hits.add(dp.uuid);
            if (dp.kind === "switch")
              for (const p of dp.routerPorts) if (p.peer !== undefined) hits.add(p.peer.dp.uuid);
          }
          // An NB change handled in this same run set `affected` already: add to it.
          const sameRun = n.data.affectedIn === ctx;
          if (sameRun && n.data.affected === "all") return "updated";
          const affected = sameRun && n.data.affected !== "all" ? n.data.affected : new Set<string>();
          for (const d of hits) affected.add(d);
          n.data.affected = affected;
          if (!sameRun) n.data.changedTables = new Set();
          n.data.affectedIn = ctx;
          return "updated";
        },
      ],
    ],
  );
}
