// Online schema conversion, differential: the real `ovsdb-client convert` against the real ovsdb-server
// and against ovnts, on the same data; the converted contents, the file, and the failures must agree.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import {
  normaliseUuids,
  type RealServer,
  run,
  schemaPath,
  startOvntsOvsdb,
  startRealOvsdb,
} from "./peers.js";

function variant(dir: string, edit: (s: Record<string, any>) => void): string {
  const s = JSON.parse(readFileSync(schemaPath("vswitch"), "utf8")) as Record<string, any>;
  edit(s);
  delete s.cksum;
  const f = join(dir, `schema-${Math.random().toString(36).slice(2)}.ovsschema`);
  writeFileSync(f, JSON.stringify(s));
  return f;
}

/** `ovsdb-client dump` table output with its rows sorted (servers return rows in hash order). */
function sortedDump(text: string): string {
  const lines = text.trimEnd().split("\n");
  return [...lines.slice(0, 3), ...lines.slice(3).sort()].join("\n");
}

function client(args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync("ovsdb-client", args, { encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function populate(srv: RealServer): void {
  const remote = `unix:${srv.sock}`;
  run("ovs-vsctl", ["--db", remote, "--no-wait", "init"]);
  for (const br of ["br0", "br1"])
    run("ovs-vsctl", [
      "--db",
      remote,
      "--no-wait",
      "add-br",
      br,
      "--",
      "set",
      "bridge",
      br,
      "other_config:x=1",
      "external_ids:k=v",
    ]);
  run("ovs-vsctl", [
    "--db",
    remote,
    "--no-wait",
    "add-port",
    "br0",
    "p0",
    "--",
    "set",
    "interface",
    "p0",
    "type=dummy",
  ]);
}

test("convert: ovnts converts online like ovsdb-server, and refuses what it refuses", async () => {
  const real = startRealOvsdb([schemaPath("vswitch")]);
  const ours = await startOvntsOvsdb([schemaPath("vswitch")]);
  try {
    const dir = real.dir;
    // New version: a column dropped, a column added, a table dropped.
    const good = variant(dir, (s) => {
      s.version = "99.0.0";
      delete s.tables.Bridge.columns.other_config;
      s.tables.Bridge.columns.note = { type: { key: "string", min: 0, max: 1 } };
      delete s.tables.Flow_Sample_Collector_Set;
    });
    // Data that does not fit: Bridge names limited to 2 characters.
    const bad = variant(dir, (s) => {
      s.version = "99.0.1";
      s.tables.Bridge.columns.name = { type: { key: { type: "string", maxLength: 2 } }, mutable: false };
    });
    const out: Record<string, string[]> = {};
    for (const [name, srv] of [
      ["real", real],
      ["ovnts", ours],
    ] as const) {
      populate(srv);
      const remote = `unix:${srv.sock}`;
      const b = client(["convert", remote, bad]);
      const g = client(["convert", remote, good]);
      const version = client(["get-schema-version", remote, "Open_vSwitch"]);
      const dump = client(["dump", remote, "Open_vSwitch", "Bridge", "name", "external_ids", "note"]);
      out[name] = [
        // Both bridges break the bad schema; which one is reported first is the server's hash order.
        `bad: ${b.code} ${b.err.trim().replace(/br[01]/, "brN")}`,
        `good: ${g.code} ${g.err.trim()}`,
        `version: ${version.out.trim()}`,
        normaliseUuids(sortedDump(dump.out)),
      ];
    }
    assert.match(out.real?.[0] ?? "", /constraint violation/);
    assert.deepEqual(out.ovnts, out.real);
    // The converted file is in the new schema for the real tools too, and ovnts serves it after a restart.
    const file = join(ours.dir, "db0.db");
    assert.equal(run("ovsdb-tool", ["db-version", file]).trim(), "99.0.0");
    ours.child.kill("SIGTERM");
    await new Promise((r) => ours.child.once("exit", r));
    const again = await startOvntsOvsdb([], [file]);
    try {
      const dump = client([
        "dump",
        `unix:${again.sock}`,
        "Open_vSwitch",
        "Bridge",
        "name",
        "external_ids",
        "note",
      ]);
      assert.equal(normaliseUuids(sortedDump(dump.out)), out.real?.[3]);
    } finally {
      again.stop();
    }
  } finally {
    real.stop();
    ours.stop();
  }
});
