import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { canonicalSchema } from "./ovsschema.js";
import { schemaPath } from "./paths.js";

test("short and long forms of a column type are the same schema", () => {
  const short = { name: "D", version: "1.0.0", tables: { T: { columns: { n: { type: "integer" } } } } };
  const long = {
    name: "D",
    version: "1.0.0",
    tables: {
      T: {
        columns: {
          n: { type: { key: { type: "integer" }, min: 1, max: 1 }, ephemeral: false, mutable: true },
        },
        isRoot: false,
        indexes: [],
      },
    },
  };
  assert.deepEqual(canonicalSchema(short), canonicalSchema(long));
});

test("enum order and a bare enum atom do not matter; refType defaults to strong", () => {
  const a = {
    name: "D",
    tables: {
      T: {
        columns: {
          e: { type: { key: { type: "string", enum: ["set", ["b", "a"]] } } },
          r: { type: { key: { type: "uuid", refTable: "T" } } },
        },
      },
    },
  };
  const b = {
    name: "D",
    tables: {
      T: {
        columns: {
          e: { type: { key: { type: "string", enum: ["set", ["a", "b"]] } } },
          r: { type: { key: { type: "uuid", refTable: "T", refType: "strong" } } },
        },
      },
    },
  };
  assert.deepEqual(canonicalSchema(a), canonicalSchema(b));
  const one = {
    name: "D",
    tables: { T: { columns: { e: { type: { key: { type: "string", enum: "x" } } } } } },
  };
  const set = {
    name: "D",
    tables: { T: { columns: { e: { type: { key: { type: "string", enum: ["set", ["x"]] } } } } } },
  };
  assert.deepEqual(canonicalSchema(one), canonicalSchema(set));
});

test("different schemas stay different", () => {
  const a = { name: "D", tables: { T: { columns: { n: { type: "integer" } } } } };
  const b = { name: "D", tables: { T: { columns: { n: { type: { key: "integer", min: 0, max: 1 } } } } } };
  assert.notDeepEqual(canonicalSchema(a), canonicalSchema(b));
});

test("the repository's schemas canonicalise", () => {
  for (const s of ["ovn-nb", "ovn-sb", "vswitch"] as const) {
    const c = canonicalSchema(JSON.parse(readFileSync(schemaPath(s), "utf8")));
    assert.ok(Object.keys(c.tables as object).length > 5, s);
  }
});
