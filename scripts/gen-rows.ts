// `npm run gen`: regenerates the typed rows in src/ovsdb/idl/generated/ from the schemas in schemas/.
// The generator itself is src/ovsdb/idl/codegen.ts; this is only its file-writing edge.
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { GENERATED_SCHEMAS, generateRows } from "../src/ovsdb/idl/codegen.js";

/** dist/scripts/gen-rows.js → the repository root. */
const ROOT = resolve(fileURLToPath(import.meta.url), "../../..");

for (const { stem, prefix } of GENERATED_SCHEMAS) {
  const source = `schemas/${stem}.ovsschema`;
  const schema: unknown = JSON.parse(readFileSync(join(ROOT, source), "utf8"));
  const target = join(ROOT, "src/ovsdb/idl/generated", `${stem}.ts`);
  const text = generateRows(schema, { prefix, source });
  let old: string | undefined;
  try {
    old = readFileSync(target, "utf8");
  } catch {
    old = undefined;
  }
  if (old === text) {
    process.stdout.write(`${target}: up to date\n`);
  } else {
    writeFileSync(target, text);
    process.stdout.write(`${target}: written\n`);
  }
}
