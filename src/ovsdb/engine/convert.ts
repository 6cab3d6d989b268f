// Schema conversion (ovsdb-server(7) §4.1.19, ovsdb-tool convert): the data of a database carried over
// to a new schema. Tables and columns the new schema lacks are dropped; new columns take their defaults;
// every value must be valid under the new schema, and all of its constraints apply (references,
// garbage collection, maxRows, indexes) — the copy runs as one transaction into an empty database.
import { type Datum, datumFromJson, datumToJson } from "../data/datum.js";
import type { DatabaseSchema } from "../schema/types.js";
import { commitTxn } from "./commit.js";
import { Database } from "./database.js";
import { defaultCols } from "./row.js";
import { Txn } from "./txn.js";

/** Returns the converted database; throws OvsdbError when the data does not fit the new schema. */
export function convertDatabase(old: Database, schema: DatabaseSchema): Database {
  const db = new Database(schema);
  const txn = new Txn(db);
  for (const [name, t] of db.tables) {
    const ot = old.tables.get(name);
    if (ot === undefined) continue;
    const carried = t.schema.userColumns.flatMap((c) => {
      const oc = ot.schema.columns.get(c.name);
      return oc === undefined || oc.index < 0 ? [] : [{ c, oc }];
    });
    for (const r of ot.rows.values()) {
      const cols = defaultCols(t.schema);
      for (const { c, oc } of carried) {
        // Errors are the value's own, as ovsdb-server reports them.
        cols[c.index] = datumFromJson(datumToJson(r.cols[oc.index] as Datum, oc.type), c.type, null);
      }
      txn.insert(t, r.uuid, cols);
    }
  }
  commitTxn(txn);
  return db;
}
