// Which pidfile a daemon's command line asks for (pidfile.ts), and the per-daemon V8 flags (heap.ts).
import assert from "node:assert/strict";
import { test } from "node:test";
import { heapFlags } from "../heap.js";
import { inheritedPidfile, pidfileRequest } from "../pidfile.js";

test("pidfileRequest: --pidfile, --pidfile=FILE (absolute or relative to the run directory), --overwrite-pidfile", () => {
  const saved = { ovs: process.env.OVS_RUNDIR, ovn: process.env.OVN_RUNDIR };
  process.env.OVS_RUNDIR = "/run/x";
  process.env.OVN_RUNDIR = "/run/n";
  try {
    assert.deepEqual(pidfileRequest("ovsdb-server", ["--pidfile", "db"]), {
      path: "/run/x/ovsdb-server.pid",
      overwrite: false,
    });
    assert.deepEqual(pidfileRequest("ovsdb-server", ["--pidfile=my.pid", "--overwrite-pidfile"]), {
      path: "/run/x/my.pid",
      overwrite: true,
    });
    assert.deepEqual(pidfileRequest("northd", ["--pidfile=/abs/n.pid"]), {
      path: "/abs/n.pid",
      overwrite: false,
    });
    assert.deepEqual(pidfileRequest("northd", ["--pidfile"]), {
      path: "/run/n/ovn-northd.pid",
      overwrite: false,
    });
    assert.equal(pidfileRequest("ovsdb-server", ["db", "--", "--pidfile"]), undefined);
    assert.equal(pidfileRequest("ovsdb-server", ["db"]), undefined);
    assert.equal(pidfileRequest("nbctl", ["--pidfile"]), undefined, "not a daemon");
  } finally {
    for (const [k, v] of [
      ["OVS_RUNDIR", saved.ovs],
      ["OVN_RUNDIR", saved.ovn],
    ] as const)
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  }
});

test("inheritedPidfile: read once from the environment, which is cleaned for our own children", () => {
  const env: Record<string, string | undefined> = {
    OVNTS_PIDFILE: "/run/x/a.pid",
    OVNTS_PIDFILE_FD: "5",
    KEEP: "1",
  };
  assert.deepEqual(inheritedPidfile(env), { path: "/run/x/a.pid", fd: 5 });
  assert.deepEqual(env, { KEEP: "1" });
  assert.equal(inheritedPidfile(env), undefined);
  assert.equal(inheritedPidfile({ OVNTS_PIDFILE: "/p", OVNTS_PIDFILE_FD: "x" }), undefined);
});

test("heapFlags: the database server keeps its heap close to what is live; OVNTS_V8_FLAGS replaces the list", () => {
  assert.deepEqual(heapFlags("ovsdb-server", {}), [
    "--semi-space-growth-factor=1",
    "--heap-growing-percent=50",
    "--no-parallel-scavenge",
    "--minor-gc-task-trigger=95",
  ]);
  assert.deepEqual(heapFlags("ovn-northd", {}), []);
  assert.deepEqual(heapFlags("ovsdb-server", { OVNTS_V8_FLAGS: "" }), []);
  assert.deepEqual(heapFlags("ovn-northd", { OVNTS_V8_FLAGS: " --a  --b=2 " }), ["--a", "--b=2"]);
});
