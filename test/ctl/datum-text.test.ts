// Value syntax of the ctl tools (ovs-vsctl(8) "Database Values") and command-line splitting: plain text in,
// expected text or exact error message out.
import assert from "node:assert/strict";
import { test } from "node:test";
import { type CommandSpec, parseCommandLine } from "../../src/cli/ctl/command.js";
import { CtlError, datumFromText, datumToBare, datumToText } from "../../src/cli/ctl/datum-text.js";
import { renderTable } from "../../src/cli/ctl/output.js";
import type { ColumnType } from "../../src/ovsdb/schema/types.js";

const str = { type: "string", refType: "strong" } as const;
const int = { type: "integer", refType: "strong" } as const;
const STRING: ColumnType = { key: str, min: 1, max: 1 };
const OPT_INT: ColumnType = { key: int, min: 0, max: 1 };
const SET: ColumnType = { key: str, min: 0, max: Number.POSITIVE_INFINITY };
const MAP: ColumnType = { key: str, value: str, min: 0, max: Number.POSITIVE_INFINITY };

test("values print as the ctl tools print them", () => {
  const cases: [string, ColumnType, string][] = [
    ["sw0", STRING, "sw0"],
    ['""', STRING, '""'],
    ['"a b"', STRING, '"a b"'],
    ["true", SET, "[]"],
    ["[b, a c]", SET, "[a, b, c]"],
    ['"00:00:00:00:00:01 10.0.0.1"', SET, '["00:00:00:00:00:01 10.0.0.1"]'],
    ['{k=v, a="1"}', MAP, '{a="1", k=v}'],
    ["k=v", MAP, "{k=v}"],
    ["5", OPT_INT, "5"],
    ["[]", OPT_INT, "[]"],
  ];
  for (const [input, type, want] of cases) {
    const d = input === "true" ? { keys: [] } : datumFromText(input, type, new Map());
    assert.equal(datumToText(d, type), want, input);
  }
  assert.equal(datumToBare(datumFromText("{a=b, c=d}", MAP, new Map()), MAP), "a=b c=d");
});

test("bad values give the tools' messages", () => {
  const cases: [string, ColumnType, string][] = [
    ["a:b", STRING, 'a:b: unexpected ":" parsing string'],
    ["00:00:00:00:00:01", SET, '00:00:00:00:00:01: unexpected ":" parsing set of strings'],
    ["abc", OPT_INT, '"abc" is not a valid integer or range'],
  ];
  for (const [input, type, want] of cases)
    assert.throws(
      () => datumFromText(input, type, new Map()),
      (e: unknown) => e instanceof CtlError && e.message === want,
    );
});

const noop: CommandSpec = { name: "ls-add", minArgs: 0, maxArgs: 1, options: ["--may-exist"], run: () => {} };
const commands = new Map([["ls-add", noop]]);

test("command lines split into global options and commands", () => {
  const p = parseCommandLine(["--format=csv", "--may-exist", "ls-add", "a", "--", "ls-add"], commands);
  assert.equal(p.global.format, "csv");
  assert.deepEqual(
    p.commands.map((c) => [c.spec.name, c.args, [...c.options.keys()]]),
    [
      ["ls-add", ["a"], ["--may-exist"]],
      ["ls-add", [], []],
    ],
  );
  const errors: [string[], string][] = [
    [[], "missing command name (use --help for help)"],
    [["--foo", "ls-add"], "unrecognized option '--foo'"],
    [["nope"], "unknown command 'nope'; use --help for help"],
    [["ls-add", "a", "b"], "'ls-add' command takes at most 1 arguments"],
    [["--", "--bogus", "ls-add"], "'ls-add' command has no '--bogus' option"],
    [["--wait=x", "ls-add"], 'argument to --wait must be "none", "sb", or "hv"'],
  ];
  for (const [argv, want] of errors)
    assert.throws(
      () => parseCommandLine(argv, commands),
      (e: unknown) => e instanceof CtlError && e.message === want,
      want,
    );
});

test("tables render in each format", () => {
  const t = {
    headings: ["name", "ids"],
    rows: [
      [
        { datum: { keys: ["sw0"] }, type: STRING },
        { datum: { keys: ["a"], values: ["b c"] }, type: MAP },
      ],
    ],
  };
  assert.equal(
    renderTable(t, { format: "list", data: undefined, headings: true }),
    'name                : sw0\nids                 : {a="b c"}\n',
  );
  assert.equal(
    renderTable(t, { format: "table", data: undefined, headings: true }),
    'name ids\n---- ---------\nsw0  {a="b c"}\n',
  );
  assert.equal(
    renderTable(t, { format: "csv", data: undefined, headings: true }),
    'name,ids\nsw0,"{a=""b c""}"\n',
  );
  assert.equal(
    renderTable(t, { format: "json", data: undefined, headings: true }),
    '{"data":[["sw0",["map",[["a","b c"]]]]],"headings":["name","ids"]}\n',
  );
  assert.equal(renderTable(t, { format: "bare", data: undefined, headings: true }), 'sw0\na="b c"\n');
});
