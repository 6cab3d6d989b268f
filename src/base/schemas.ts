// The .ovsschema files shipped in the repository (schemas/), so ovnts needs no Debian package at run time.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export type SchemaName = "ovn-nb" | "ovn-sb" | "vswitch";

/** dist/src/base/schemas.js → the repository root. */
const ROOT = resolve(fileURLToPath(import.meta.url), "../../../..");

export function schemaFile(name: SchemaName): string {
  return join(ROOT, "schemas", `${name}.ovsschema`);
}

export function loadSchemaJson(name: SchemaName): unknown {
  return JSON.parse(readFileSync(schemaFile(name), "utf8"));
}
