// Repository paths resolved from this compiled file (dist/test/support/paths.js), so the harness works
// from any fresh clone and any working directory.
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

/** Absolute path of a file relative to the repository root. */
export function repoPath(rel: string): string {
  return `${repoRoot}${rel}`;
}

/** The ovnts executable (bin/ovnts). */
export function ovntsBin(): string {
  return repoPath("bin/ovnts");
}

export type SchemaName = "ovn-nb" | "ovn-sb" | "vswitch";

/** The database name inside each schema file (what `ovsdb-client list-dbs` prints). */
export const dbNameOf: Record<SchemaName, string> = {
  "ovn-nb": "OVN_Northbound",
  "ovn-sb": "OVN_Southbound",
  vswitch: "Open_vSwitch",
};

/** The .ovsschema file shipped in the repository for a schema. */
export function schemaPath(schema: SchemaName): string {
  return repoPath(`schemas/${schema}.ovsschema`);
}
