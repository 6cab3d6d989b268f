// What `ovn-nbctl --wait=sb|hv` does: increment NB_Global.nb_cfg (a "+=" mutation and a select of the new
// value in the same transaction, so concurrent increments each get their own number), then wait until
// northd has copied it to sb_cfg (the southbound is up to date) or the chassis have all reported it in
// hv_cfg (every hypervisor has applied it).
import type { OvnNbTables } from "./generated/ovn-nb.js";
import type { Idl } from "./idl.js";
import type { Uuid } from "./model.js";

export type CfgWait = "none" | "sb" | "hv";

export interface NbCfgOptions {
  /** Give up waiting after this long on the IDL's clock (default: wait for ever, like ovn-nbctl). */
  readonly timeoutMs?: number;
}

/** Increments nb_cfg (inserting NB_Global if there is none) and waits as asked; returns the new value. */
export async function bumpNbCfg(
  idl: Idl<OvnNbTables>,
  wait: CfgWait,
  opts: NbCfgOptions = {},
): Promise<number> {
  const { value: ref, result } = await idl.transact((txn) => {
    const g = idl.first("NB_Global");
    let uuid: Uuid<"NB_Global">;
    if (g === undefined) {
      txn.verifyEmpty("NB_Global");
      uuid = txn.insert("NB_Global");
    } else uuid = g._uuid;
    txn.mutate("NB_Global", uuid, "nbCfg", "+=", 1);
    return txn.select("NB_Global", [["_uuid", "==", uuid]], ["nbCfg"]);
  });
  const row = result.rows(ref)[0];
  const next = typeof row === "object" && row !== null && !Array.isArray(row) ? row.nb_cfg : undefined;
  if (typeof next !== "number")
    throw new Error(`nb_cfg not returned by the transaction: ${JSON.stringify(row)}`);
  if (wait === "none") return next;
  await idl.waitUntil(() => {
    const g = idl.first("NB_Global");
    return g !== undefined && (wait === "sb" ? g.sbCfg : g.hvCfg) >= next;
  }, opts.timeoutMs);
  return next;
}
