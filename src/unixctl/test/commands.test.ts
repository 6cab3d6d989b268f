import assert from "node:assert/strict";
import { test } from "node:test";
import { UnixctlCommands, UnixctlError, withNewline } from "../commands.js";

function table(): UnixctlCommands {
  const t = new UnixctlCommands("ovsdb-server (ovnts) 0.1.0");
  t.register("exit", "", 0, 0, () => undefined);
  t.register("coverage/read-counter", "COUNTER", 1, 1, ([c]) =>
    c === "n" ? "0" : Promise.reject(new UnixctlError("No such counter")),
  );
  t.register("ovsdb-server/connect-active-ovsdb-server", "", 0, 0, () => "");
  t.register("vlog/set", "{spec | PATTERN:destination:pattern}", 0, Infinity, async (args) => args.join(","));
  return t;
}

test("list-commands: sorted, names padded to 23 columns, like the C daemons", () => {
  // Same layout as `ovs-appctl -t ovsdb-server list-commands` prints for these names.
  assert.equal(
    table().listCommands(),
    [
      "The available commands are:",
      "  coverage/read-counter   COUNTER",
      "  exit                    ",
      "  list-commands           ",
      "  ovsdb-server/connect-active-ovsdb-server ",
      "  version                 ",
      "  vlog/set                {spec | PATTERN:destination:pattern}",
      "",
    ].join("\n"),
  );
});

test("dispatch: results, errors, argument checks in the C order", async () => {
  const t = table();
  const cases: Array<[string, unknown[], boolean, string]> = [
    ["version", [], true, "ovsdb-server (ovnts) 0.1.0\n"],
    ["exit", [], true, ""],
    ["coverage/read-counter", ["n"], true, "0\n"],
    ["coverage/read-counter", ["x"], false, "No such counter\n"],
    ["vlog/set", ["a", "b"], true, "a,b\n"],
    ["vlog/set", [], true, ""],
    [
      "nosuchcmd",
      [],
      false,
      '"nosuchcmd" is not a valid command (use "list-commands" to see a list of valid commands)\n',
    ],
    [
      "nosuchcmd",
      [5],
      false,
      '"nosuchcmd" is not a valid command (use "list-commands" to see a list of valid commands)\n',
    ],
    ["exit", ["a"], false, '"exit" command takes at most 0 arguments\n'],
    ["exit", [5], false, '"exit" command takes at most 0 arguments\n'],
    ["coverage/read-counter", [], false, '"coverage/read-counter" command requires at least 1 arguments\n'],
    [
      "coverage/read-counter",
      ["a", "b"],
      false,
      '"coverage/read-counter" command takes at most 1 arguments\n',
    ],
    ["vlog/set", [5], false, '"vlog/set" command has non-string argument\n'],
  ];
  for (const [method, params, ok, text] of cases) {
    assert.deepEqual(await t.dispatch(method, params), { ok, text }, `${method} ${JSON.stringify(params)}`);
  }
});

test("a handler that throws any error answers with its message; re-registering replaces", async () => {
  const t = new UnixctlCommands("v");
  t.register("boom", "", 0, 0, () => {
    throw new Error("it broke");
  });
  assert.deepEqual(await t.dispatch("boom", []), { ok: false, text: "it broke\n" });
  t.register("boom", "", 0, 0, () => "fine");
  assert.deepEqual(await t.dispatch("boom", []), { ok: true, text: "fine\n" });
  t.unregister("boom");
  assert.equal(t.has("boom"), false);
});

test("withNewline leaves empty and terminated text alone", () => {
  assert.equal(withNewline(""), "");
  assert.equal(withNewline("a"), "a\n");
  assert.equal(withNewline("a\n"), "a\n");
});
