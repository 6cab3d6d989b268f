// Logical flows: runs the stage builders (all of them on a recompute, only for the affected
// datapaths after an incremental change) and writes the difference into the SB transaction. In check
// mode every incremental run is followed by a full build that must give the same flows.
import type { Engine, EngineNode } from "../../incproc/engine.js";
import type { StageBuilder } from "../lflow/api.js";
import { buildFlows, ownerDp } from "../lflow/table.js";
import type { NorthdModel } from "../model.js";
import { buildModel, type GlobalDefaults } from "../model-build.js";
import { LflowSync, type LflowSyncStats } from "../sync/lflow-sync.js";
import { type ContextRef, ctxOf } from "./context.js";
import type { ModelData } from "./en-model.js";
import type { SbSyncData } from "./en-sb-sync.js";

export class CheckFailure extends Error {
  override readonly name = "CheckFailure";
}

export interface LflowData {
  readonly sync: LflowSync;
  /** The last run's SB writes, and a function to record the real uuids once committed. */
  stats: LflowSyncStats;
  commit: ((resolve: (placeholder: string) => string) => void) | undefined;
  /** Datapaths rebuilt in the last run. */
  rebuilt: number;
}

export interface LflowNodeOptions {
  readonly builders: readonly StageBuilder[];
  readonly check: boolean;
  readonly defaults: GlobalDefaults;
}

/** Check mode: the incremental flow state must equal a full build from a model built from scratch. */
function check(
  model: NorthdModel,
  sync: LflowSync,
  builders: readonly StageBuilder[],
  fresh: () => NorthdModel,
): void {
  const full = buildFlows(fresh(), builders, undefined);
  void model;
  const have = sync.snapshot();
  const problems: string[] = [];
  for (const [owner, f] of full) {
    const want = [...f].sort();
    const h = have.get(owner) ?? [];
    if (h.join("\n") !== want.join("\n")) {
      const hs = new Set(h);
      const ws = new Set(want);
      const missing = want.filter((k) => !hs.has(k)).slice(0, 3);
      const stale = h.filter((k) => !ws.has(k)).slice(0, 3);
      problems.push(
        `${owner}: incremental ${h.length} flows, recompute ${want.length}; missing ${JSON.stringify(missing)}; stale ${JSON.stringify(stale)}`,
      );
    }
  }
  for (const [owner, keys] of have)
    if (!full.has(owner) && keys.length > 0) problems.push(`${owner}: ${keys.length} stale flows`);
  if (problems.length > 0) throw new CheckFailure(`recompute check failed: ${problems.join("; ")}`);
}

export function addLflowNode(
  engine: Engine,
  ref: ContextRef,
  modelNode: EngineNode<ModelData>,
  sbSync: EngineNode<SbSyncData>,
  opts: LflowNodeOptions,
): EngineNode<LflowData> {
  const build = (n: EngineNode<LflowData>, scope: ReadonlySet<string> | undefined): "updated" => {
    const ctx = ctxOf(ref);
    const md = n.input(modelNode);
    const model = md.model;
    if (model === undefined) throw new Error("lflow without a model");
    const refs = n.input(sbSync);
    const flows = buildFlows(model, opts.builders, scope);
    const replaced: string[] = [];
    for (const owner of n.data.sync.ownerList()) {
      const dp = ownerDp(owner);
      if (owner !== dp || scope === undefined || scope.has(dp) || !model.datapaths.has(dp))
        replaced.push(owner);
    }
    n.data.sync.replace(flows, replaced);
    if (scope !== undefined && opts.check)
      check(model, n.data.sync, opts.builders, () =>
        buildModel({ nb: ctx.nb, sb: ctx.sb, keys: md.keys.clone(), defaults: opts.defaults }),
      );
    const { stats, commit } = n.data.sync.sync(
      ctx.txn,
      ctx.sb,
      (u) => refs.dpUuids.get(u),
      refs.nbOfSbDp,
      ctx.sbFlows,
    );
    n.data.stats = stats;
    n.data.commit = commit;
    n.data.rebuilt = scope === undefined ? model.datapaths.size : scope.size;
    return "updated";
  };
  return engine.add<LflowData>(
    {
      name: "lflow",
      data: {
        sync: new LflowSync(),
        stats: { inserted: 0, updated: 0, deleted: 0, groupsCreated: 0 },
        commit: undefined,
        rebuilt: 0,
      },
      run: (n) => build(n, undefined),
    },
    [
      [
        modelNode,
        (n) => {
          const a = n.input(modelNode).affected;
          return a === "all" ? false : build(n, a);
        },
      ],
      // The references are read by the model handler's build; a change in them alone needs no work.
      [sbSync, () => "unchanged"],
    ],
  );
}
