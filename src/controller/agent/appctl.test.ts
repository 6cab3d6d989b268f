import assert from "node:assert/strict";
import { test } from "node:test";
import { UnixctlError } from "../../unixctl/commands.js";
import { type ControllerIntrospection, controllerCommands } from "./appctl.js";

function fake(): { c: ControllerIntrospection; calls: string[] } {
  const calls: string[] = [];
  const c: ControllerIntrospection = {
    ctZones: () => [
      ["sw0-port2", 2],
      ["0b8a3c1e-0000-4000-8000-000000000001_dnat", 3],
      ["sw0-port1", 1],
    ],
    meters: () => [
      ["http-rl2", 2],
      ["http-rl1", 1],
    ],
    groups: () => [["type=select,selection_method=dp_hash,bucket=bucket_id:0,weight:100,actions=drop", 1]],
    lflowCache: () => ({ entries: 40, reused: 38, compiled: 2 }),
    flushLflowCache: () => calls.push("flush"),
    recompute: () => calls.push("recompute"),
    delayNbCfgReport: (s) => calls.push(`delay ${s}`),
    resetSbClusterState: () => calls.push("reset"),
    sbConnected: () => true,
  };
  return { c, calls };
}

function run(c: ControllerIntrospection, name: string, ...args: string[]): string | undefined {
  const cmd = controllerCommands(c).find((x) => x.name === name);
  assert.ok(cmd, name);
  assert.ok(args.length >= cmd.min && args.length <= cmd.max);
  return cmd.handler(args) as string | undefined;
}

test("ct-zone-list: 'NAME ZONE' lines by name (what `cut -d ' ' -f2` in OVN's tests reads)", () => {
  const { c } = fake();
  assert.equal(
    run(c, "ct-zone-list"),
    "0b8a3c1e-0000-4000-8000-000000000001_dnat 3\nsw0-port1 1\nsw0-port2 2\n",
  );
});

test("meter-table-list and group-table-list: 'NAME: ID' lines by name", () => {
  const { c } = fake();
  assert.equal(run(c, "meter-table-list"), "http-rl1: 1\nhttp-rl2: 2\n");
  assert.equal(
    run(c, "group-table-list"),
    "type=select,selection_method=dp_hash,bucket=bucket_id:0,weight:100,actions=drop: 1\n",
  );
});

test("debug/delay-nb-cfg-report: seconds, 0 to stop; anything else is an error", () => {
  const { c, calls } = fake();
  assert.equal(run(c, "debug/delay-nb-cfg-report", "5"), "delay nb_cfg report for 5 seconds.");
  assert.equal(run(c, "debug/delay-nb-cfg-report", "0"), "no delay for nb_cfg report.");
  assert.throws(() => run(c, "debug/delay-nb-cfg-report", "-1"), UnixctlError);
  assert.throws(() => run(c, "debug/delay-nb-cfg-report", "x"), UnixctlError);
  assert.deepEqual(calls, ["delay 5", "delay 0"]);
});

test("recompute, lflow-cache/flush, sb-cluster-state-reset act; show-stats and connection-status report", () => {
  const { c, calls } = fake();
  assert.equal(run(c, "recompute"), undefined);
  assert.equal(run(c, "lflow-cache/flush"), undefined);
  assert.equal(run(c, "sb-cluster-state-reset"), undefined);
  assert.deepEqual(calls, ["recompute", "flush", "reset"]);
  assert.match(run(c, "lflow-cache/show-stats") ?? "", /^Enabled: true\ntotal +: 40\n/);
  assert.equal(run(c, "connection-status"), "connected\n");
});

test("ovn-controller 23.03's aliases and no-op commands; debug/status; debug/pause only when the agent can", () => {
  const { c, calls } = fake();
  assert.equal(run(c, "flush-lflow-cache"), undefined);
  assert.equal(run(c, "inc-engine/recompute"), undefined);
  assert.deepEqual(calls, ["flush", "recompute"]);
  assert.equal(controllerCommands(c).find((x) => x.name === "recompute")?.usage, "[deprecated]");
  assert.equal(run(c, "debug/ignore-startup-delay"), undefined);
  assert.equal(run(c, "inc-engine/clear-stats"), undefined);
  assert.equal(run(c, "debug/dump-local-template-vars"), "Local template vars:\n");
  assert.equal(run(c, "debug/status"), "running\n");
  assert.equal(
    controllerCommands(c).find((x) => x.name === "debug/pause"),
    undefined,
    "no debug/pause without the agent's pause()",
  );
  let paused = false;
  const p = {
    ...c,
    pause: () => {
      paused = true;
    },
    resume: () => {
      paused = false;
    },
    paused: () => paused,
  };
  assert.equal(run(p, "debug/pause"), undefined);
  assert.equal(run(p, "debug/status"), "paused\n");
  assert.equal(run(p, "debug/resume"), undefined);
  assert.equal(run(p, "debug/status"), "running\n");
  assert.equal(
    controllerCommands(c).find((x) => x.name === "debug/dump-local-bindings"),
    undefined,
  );
  assert.equal(
    run({ ...c, localBindings: () => "Local bindings:\n" }, "debug/dump-local-bindings"),
    "Local bindings:\n",
  );
});
