import assert from "node:assert/strict";
import { test } from "node:test";
import { formatLine, type LogRecord } from "../base/log.js";
import { DEFAULT_PATTERNS, formatRecord, strftime } from "./pattern.js";
import { parseVlogSpec } from "./spec.js";

const known = (m: string): boolean => m === "northd" || m === "jsonrpc";

test("vlog specs: words in any order, last of a kind wins, errors as vlog words them", () => {
  assert.deepEqual(parseVlogSpec("northd:file:dbg", known), {
    ok: true,
    spec: { kind: "levels", module: "northd", dest: "file", level: "DBG" },
  });
  assert.deepEqual(parseVlogSpec("FILE, NORTHD warn", known), {
    ok: true,
    spec: { kind: "levels", module: "northd", dest: "file", level: "WARN" },
  });
  assert.deepEqual(parseVlogSpec("", known), { ok: true, spec: { kind: "levels", level: "DBG" } });
  assert.deepEqual(parseVlogSpec("any:console:off", known), {
    ok: true,
    spec: { kind: "levels", dest: "console", level: "OFF" },
  });
  assert.deepEqual(parseVlogSpec("dbg dbg", known), { ok: true, spec: { kind: "levels", level: "DBG" } });
  assert.deepEqual(parseVlogSpec("foo", known), {
    ok: false,
    error: 'no destination, level, or module "foo"',
  });
  assert.deepEqual(parseVlogSpec("PATTERN:file:%c:%m", known), {
    ok: true,
    spec: { kind: "pattern", dest: "file", pattern: "%c:%m" },
  });
  assert.deepEqual(parseVlogSpec("pattern:ANY:%m", known), {
    ok: true,
    spec: { kind: "pattern", pattern: "%m" },
  });
  assert.deepEqual(parseVlogSpec("PATTERN:console", known), {
    ok: true,
    spec: { kind: "pattern", dest: "console" },
  });
  assert.deepEqual(parseVlogSpec("PATTERN:bogus:%m", known), {
    ok: false,
    error: 'unknown destination "bogus"',
  });
  assert.deepEqual(parseVlogSpec("FACILITY:LOCAL3", known), {
    ok: true,
    spec: { kind: "facility", facility: "local3" },
  });
  assert.deepEqual(parseVlogSpec("FACILITY:bogus", known), { ok: false, error: "invalid facility" });
});

const ctx = {
  program: "ovn-northd",
  hostname: "hv1",
  pid: 42,
  startMs: Date.UTC(2026, 0, 2, 3, 4, 0),
  facility: 3,
};
const rec = (module: string, level: LogRecord["level"] = "INFO"): LogRecord => ({
  when: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 67)),
  seq: 7,
  module,
  level,
  msg: "hello",
});

test("vlog patterns: the default file pattern is the line format the log always had", () => {
  const r = rec("acl_log(ovn_pinctrl0)");
  assert.equal(
    formatRecord(DEFAULT_PATTERNS.file, r, ctx),
    formatLine(r.when, r.seq, r.module, r.level, r.msg),
  );
  assert.equal(
    formatRecord(DEFAULT_PATTERNS.console, rec("northd"), ctx),
    "2026-01-02T03:04:05Z|00007|northd|INFO|hello",
  );
});

test("vlog patterns: escapes, widths and justification", () => {
  const r = rec("acl_log(ovn_pinctrl0)", "WARN");
  assert.equal(
    formatRecord("%c|%t|%T|%A|%E|%P|%r|%N|%p|%%|%m%n", r, ctx),
    "acl_log|ovn_pinctrl0|(ovn_pinctrl0)|ovn-northd|hv1|42|5067|7|WARN|%|hello\n",
  );
  assert.equal(formatRecord("%t", rec("northd"), ctx), "main");
  assert.equal(formatRecord("[%-8p][%8p][%08N][%3m]", r, ctx), "[WARN    ][    WARN][00000007][hello]");
  assert.equal(formatRecord("<%B>", r, ctx), "<28>");
  assert.equal(formatRecord("%D", r, ctx), "2026-01-02 03:04:05");
  assert.equal(
    strftime("%h %e %T %F %y %S.### %S.##", r.when, true),
    "Jan  2 03:04:05 2026-01-02 26 05.067 05.06",
  );
});
