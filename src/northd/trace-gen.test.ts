// The ovn-trace differential's generator (./peer/trace-gen.ts) and output normaliser: seeds name
// configurations for good, microflows name only ports that exist, and tunnel keys are masked.
import assert from "node:assert/strict";
import { test } from "node:test";
import { sortSets } from "./peer/harness.js";
import { generateConfig, prng, traceScenario } from "./peer/trace-gen.js";
import { flowLines, normaliseTrace, partAtTie } from "./peer/trace-run.js";

test("a seed gives the same configuration and microflows every time; seeds differ", () => {
  assert.deepEqual(generateConfig(7), generateConfig(7));
  assert.notDeepEqual(generateConfig(7).commands, generateConfig(8).commands);
  const r = prng(1);
  const xs = Array.from({ length: 1000 }, r);
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  assert.ok(new Set(xs).size > 990);
});

test("microflows name only ports the configuration adds; 20 seeds cover every kind of packet", () => {
  const kinds = new Set<string>();
  for (let seed = 1; seed <= 20; seed++) {
    const cfg = generateConfig(seed);
    const ports = new Set(cfg.commands.filter((c) => c[0] === "lsp-add").map((c) => c[2]));
    assert.ok(cfg.flows.length >= 5, `seed ${seed}: ${cfg.flows.length} microflows`);
    for (const mf of cfg.flows) {
      const inport = /^inport == "([^"]+)"/.exec(mf.flow)?.[1];
      assert.ok(inport !== undefined && ports.has(inport), `seed ${seed}: ${mf.flow}`);
      kinds.add(mf.what.split(" ")[0] ?? "");
    }
  }
  for (const k of ["l2", "routed", "ping", "arp", "outside", "spoofed", "new", "nd", "ping6"])
    assert.ok(kinds.has(k), `no "${k}" microflow in seeds 1..20: ${[...kinds].join(", ")}`);
  assert.ok(
    [...kinds].some((k) => k.startsWith("t")),
    "no microflow to a VIP",
  );
});

test("trace output: the OpenFlow line goes, tunnel keys are masked", () => {
  const out = normaliseTrace(
    '# reg14=0x1,vlan_tci=0x0000,dl_src=0a:00:00:00:00:01\ningress(dp="sw0", inport="p1") {\n    reg15=0x3 metadata=0x2 next;  \n};\n',
  );
  assert.equal(out, 'ingress(dp="sw0", inport="p1") {\n    reg15=<key> metadata=<key> next;\n};');
});

test("harness: sets in matches compare sorted", () => {
  assert.equal(
    sortSets("eth.src == {0a:ff:00:00:00:02, 0a:aa:00:00:00:01} && ip4.dst == {2.2.2.2, 1.1.1.1}"),
    "eth.src == {0a:aa:00:00:00:01, 0a:ff:00:00:00:02} && ip4.dst == {1.1.1.1, 2.2.2.2}",
  );
});

test("trace flows hit: parsed from --detailed; traces part at a tie only at equal table and priority", () => {
  const lines = flowLines(
    [
      " 5. ls_in_pre_lb (northd.c:6033): eth.mcast, priority 110, uuid 8573f1ce",
      "    next;",
      '         1. ls_out_pre_lb: ip && outport == "r", priority 110, uuid ef38bf1c',
    ].join("\n"),
  );
  assert.deepEqual(lines, [
    "5. ls_in_pre_lb: eth.mcast, priority 110",
    '1. ls_out_pre_lb: ip && outport == "r", priority 110',
  ]);
  const a = ["0. s: 1, priority 50", "1. ls_out_pre_lb: eth.mcast, priority 110", "2. x: 1, priority 0"];
  const tie = [
    "0. s: 1, priority 50",
    '1. ls_out_pre_lb: ip && outport == "r", priority 110',
    "3. y: 1, priority 0",
  ];
  const other = ["0. s: 1, priority 50", "1. ls_out_pre_lb: eth.mcast, priority 100"];
  assert.equal(partAtTie(a, tie), true);
  assert.equal(partAtTie(a, other), false);
  assert.equal(partAtTie(a, a), false);
  assert.equal(partAtTie(a, a.slice(0, 2)), false);
});

test("every third seed is half steps; routes are never steps", () => {
  let steps = 0;
  for (let seed = 1; seed <= 20; seed++) {
    const cfg = generateConfig(seed);
    const sc = traceScenario(cfg);
    assert.deepEqual([...sc.commands, ...(sc.steps ?? [])], cfg.commands);
    if (seed % 3 !== 0) assert.equal(sc.steps, undefined);
    assert.ok(!(sc.steps ?? []).some((c) => c.includes("lr-route-add")), `seed ${seed}`);
    steps += sc.steps?.length ?? 0;
  }
  assert.ok(steps >= 30, `only ${steps} steps in seeds 1..20`);
});
