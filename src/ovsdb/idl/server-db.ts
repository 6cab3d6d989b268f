// Choosing a server the way the C IDL does, from the _Server.Database rows it monitors: the database must
// be there; a clustered one must be connected to its cluster, be the leader (unless the client accepts
// followers), and not be behind a server this client already saw (its raft index must not go back).
import type { ServerDatabase } from "./server-model.js";

export type ServerVerdict =
  | { readonly ok: true; readonly schema: string | undefined; readonly index: number | undefined }
  | { readonly ok: false; readonly reason: string };

export interface JudgeOptions {
  readonly leaderOnly: boolean;
  /** Highest raft index seen so far for this database (0 before any). */
  readonly minIndex: number;
}

export function judgeServer(rows: Iterable<ServerDatabase>, db: string, opts: JudgeOptions): ServerVerdict {
  let row: ServerDatabase | undefined;
  for (const r of rows) if (r.name === db) row = r;
  if (row === undefined) return { ok: false, reason: `server does not have ${db} database` };
  if (row.model === "clustered") {
    if (!row.connected)
      return {
        ok: false,
        reason: "clustered database server is disconnected from cluster; trying another server",
      };
    if (opts.leaderOnly && !row.leader)
      return { ok: false, reason: "clustered database server is not cluster leader; trying another server" };
    if (row.index !== undefined && row.index < opts.minIndex)
      return { ok: false, reason: "clustered database server has stale data; trying another server" };
  } else if (row.model === "relay" && !row.connected) {
    return {
      ok: false,
      reason: "relay database server is disconnected from its source; trying another server",
    };
  }
  const schema = row.schema === undefined || row.schema === "" ? undefined : row.schema;
  return { ok: true, schema, index: row.index };
}
