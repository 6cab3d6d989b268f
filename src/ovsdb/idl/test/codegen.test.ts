import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { loadSchemaJson } from "../../../base/schemas.js";
import { parseColumnType } from "../../schema/parse.js";
import { columnTs, GENERATED_SCHEMAS, generateRows, interfaceName } from "../codegen.js";
import type { LogicalRouterPolicy, LogicalSwitch, OvnNbTables } from "../generated/ovn-nb.js";
import { ovnNbModel } from "../generated/ovn-nb.js";
import { ovnSbModel } from "../generated/ovn-sb.js";
import { vswitchModel } from "../generated/vswitch.js";
import type { ColumnOf, IndexKeyOf, MutationValue, RowInput, Uuid, Where } from "../model.js";

/** dist/src/ovsdb/idl/test/x.js → the repository root. */
const ROOT = resolve(fileURLToPath(import.meta.url), "../../../../../..");

test("the generated row files are what the generator makes from the schemas now", () => {
  for (const { stem, prefix } of GENERATED_SCHEMAS) {
    const source = `schemas/${stem}.ovsschema`;
    const expected = generateRows(loadSchemaJson(stem), { prefix, source });
    const actual = readFileSync(join(ROOT, "src/ovsdb/idl/generated", `${stem}.ts`), "utf8");
    assert.ok(
      actual === expected,
      `src/ovsdb/idl/generated/${stem}.ts is stale: run npm run build && npm run gen`,
    );
  }
});

test("generated models cover every table and column of their schema", () => {
  for (const [model, stem] of [
    [ovnNbModel, "ovn-nb"],
    [ovnSbModel, "ovn-sb"],
    [vswitchModel, "vswitch"],
  ] as const) {
    const schema = loadSchemaJson(stem) as { name: string; tables: Record<string, { columns: object }> };
    assert.equal(model.name, schema.name);
    assert.deepEqual([...model.tables.keys()], Object.keys(schema.tables));
    for (const [name, t] of model.tables)
      assert.deepEqual(
        t.columns.map((c) => c.name),
        Object.keys(schema.tables[name]?.columns ?? {}),
      );
  }
  const lsp = ovnNbModel.tables.get("Logical_Switch_Port");
  assert.equal(lsp?.byName.get("external_ids")?.prop, "externalIds");
  assert.equal(lsp?.byName.get("tag")?.kind, "optional");
  assert.equal(lsp?.byName.get("addresses")?.kind, "set");
  assert.equal(lsp?.byName.get("options")?.kind, "map");
  assert.equal(lsp?.byName.get("name")?.kind, "scalar");
});

test("names and types: column types => TypeScript", () => {
  const cases: [unknown, string][] = [
    ["string", "string"],
    [{ key: "integer", min: 0, max: 1 }, "number | undefined"],
    [{ key: { type: "string", enum: ["set", ["b", "a"]] } }, '"a" | "b"'],
    [
      { key: { type: "string", enum: ["set", ["b", "a"]] }, min: 0, max: "unlimited" },
      'readonly ("a" | "b")[]',
    ],
    [{ key: { type: "uuid", refTable: "Port" }, min: 0, max: 1 }, 'Uuid<"Port"> | undefined'],
    [{ key: { type: "uuid", refTable: "Port" }, min: 1, max: "unlimited" }, 'readonly Uuid<"Port">[]'],
    [{ key: "uuid" }, "string"],
    [
      { key: "integer", value: { type: "uuid", refTable: "Queue" }, min: 0, max: "unlimited" },
      'ReadonlyMap<number, Uuid<"Queue">>',
    ],
    [{ key: { type: "integer", enum: 3 } }, "3"],
    [{ key: "boolean", min: 0, max: 2 }, "readonly boolean[]"],
  ];
  for (const [json, ts] of cases)
    assert.equal(columnTs(parseColumnType(json, "test")), ts, JSON.stringify(json));
  assert.equal(interfaceName("Logical_Switch_Port"), "LogicalSwitchPort");
  assert.equal(interfaceName("NB_Global"), "NbGlobal");
  assert.equal(interfaceName("Open_vSwitch"), "OpenVSwitch");
  assert.equal(interfaceName("sFlow"), "SFlow");
  assert.equal(interfaceName("QoS"), "QoS");
  assert.equal(interfaceName("ACL"), "Acl");
});

test("the generator refuses names that would clash", () => {
  const schema = {
    name: "X",
    tables: { Ab_C: { columns: { a: { type: "string" } } }, AbC: { columns: { a: { type: "string" } } } },
  };
  assert.throws(() => generateRows(schema, { prefix: "X", source: "x" }), /both map to the name AbC/);
  const cols = { name: "X", tables: { T: { columns: { a_b: { type: "string" }, aB: { type: "string" } } } } };
  assert.throws(() => generateRows(cols, { prefix: "X", source: "x" }), /both map to aB/);
});

// Type-level checks: these lines compile only if the typed rows are shaped as documented.
type Equal<A, B> = (<V>() => V extends A ? 1 : 2) extends <V>() => V extends B ? 1 : 2 ? true : false;
const yes = <T extends true>(): T => true as T;

test("typed rows: types of columns, inputs, conditions and mutations", () => {
  yes<Equal<LogicalSwitch["ports"], readonly Uuid<"Logical_Switch_Port">[]>>();
  yes<Equal<LogicalSwitch["copp"], Uuid<"Copp"> | undefined>>();
  yes<Equal<LogicalSwitch["otherConfig"], ReadonlyMap<string, string>>>();
  yes<Equal<LogicalRouterPolicy["action"], "allow" | "drop" | "reroute">>();
  yes<Equal<OvnNbTables["Logical_Switch"], LogicalSwitch>>();
  yes<Equal<IndexKeyOf<LogicalSwitch["ports"]>, Uuid<"Logical_Switch_Port">>>();
  yes<Equal<MutationValue<LogicalSwitch["externalIds"]>, ReadonlyMap<string, string> | readonly string[]>>();
  yes<Equal<ColumnOf<LogicalSwitch> extends "_uuid" ? true : false, false>>();
  const input: RowInput<LogicalSwitch> = { name: "x", copp: undefined };
  const where: Where<LogicalSwitch> = [
    ["name", "==", "x"],
    ["ports", "includes", "p" as Uuid<"Logical_Switch_Port">],
  ];
  // @ts-expect-error a uuid of another table is not a port
  const bad: Where<LogicalSwitch> = [["ports", "includes", "p" as Uuid<"ACL">]];
  // @ts-expect-error names are strings
  const bad2: RowInput<LogicalSwitch> = { name: 3 };
  // @ts-expect-error a plain string is not a reference
  const bad3: RowInput<LogicalSwitch> = { ports: ["x"] };
  assert.ok(input && where && bad && bad2 && bad3);
});
