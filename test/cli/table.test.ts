// The table formats against `ovsdb-client -f FORMAT dump T B` output of ovsdb-client 3.1 (two rows: a
// name that needs no quotes and one that does, "x ").
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  DEFAULT_STYLE,
  datumCell,
  EMPTY_CELL,
  type Table,
  TablePrinter,
  textCell,
} from "../../src/cli/ovsdb/table.js";
import { parseColumnType } from "../../src/ovsdb/schema/parse.js";

const U1 = "6ca70944-4014-4872-ab69-b489580db7ed";
const U2 = "1445bf5c-6d5e-4966-ac64-8942cee4a429";
const uuidT = parseColumnType("uuid", "t");
const intT = parseColumnType("integer", "t");
const strT = parseColumnType("string", "t");

const B: Table = {
  caption: "B table",
  headings: ["_uuid", "n", "name"],
  rows: [
    [datumCell(["uuid", U1], uuidT), datumCell(0, intT), datumCell("b1", strT)],
    [datumCell(["uuid", U2], uuidT), datumCell(0, intT), datumCell("x ", strT)],
  ],
};

function print(
  format: "table" | "list" | "csv" | "html" | "json",
  extra: Partial<typeof DEFAULT_STYLE> = {},
): string {
  return new TablePrinter({ ...DEFAULT_STYLE, format, ...extra }).print(B);
}

test("table", () => {
  assert.equal(
    print("table"),
    `B table
_uuid                                n name
------------------------------------ - ----
${U1} 0 b1
${U2} 0 "x "
`,
  );
  // Trailing blanks are cut: the bare "x " ends its line as "x".
  assert.equal(print("table", { data: "bare", headings: false }), `B table\n${U1} 0 b1\n${U2} 0 x\n`);
});

test("list", () => {
  assert.equal(
    print("list"),
    `B table
_uuid               : ${U1}
n                   : 0
name                : b1

_uuid               : ${U2}
n                   : 0
name                : "x "
`,
  );
});

test("csv", () => {
  assert.equal(print("csv"), `B table\n_uuid,n,name\n${U1},0,b1\n${U2},0,"""x """\n`);
});

test("html", () => {
  assert.equal(
    print("html"),
    `<table border=1>
    <caption>B table</caption>
  <tr>
    <th>_uuid</th>
    <th>n</th>
    <th>name</th>
  </tr>
  <tr>
    <td><a name="${U1}">6ca70944</a></td>
    <td>0</td>
    <td>b1</td>
  </tr>
  <tr>
    <td><a name="${U2}">1445bf5c</a></td>
    <td>0</td>
    <td>&quot;x &quot;</td>
  </tr>
</table>
`,
  );
});

test("json", () => {
  assert.equal(
    print("json"),
    `{"caption":"B table","data":[[["uuid","${U1}"],0,"b1"],[["uuid","${U2}"],0,"x "]],"headings":["_uuid","n","name"]}\n`,
  );
});

test("tables after the first are set apart by a blank line in table, list and csv formats", () => {
  const t: Table = {
    headings: ["row", "action", "i"],
    rows: [[textCell(U1), textCell("delete"), EMPTY_CELL]],
  };
  const p = new TablePrinter(DEFAULT_STYLE);
  const one =
    "row                                  action i\n------------------------------------ ------ -\n";
  assert.equal(p.print(t), `${one}${U1} delete\n`);
  assert.equal(p.print(t), `\n${one}${U1} delete\n`);
  const j = new TablePrinter({ ...DEFAULT_STYLE, format: "json" });
  j.print(t);
  assert.equal(j.print(t), `{"data":[["${U1}","delete",null]],"headings":["row","action","i"]}\n`);
});
