// The compile memo (memo.ts) is invisible: compiling with it gives the flows a fresh compile gives, for
// datapaths whose lookups answer differently, and a caller recording lookups sees the ones a fresh
// compile makes.

import assert from "node:assert/strict";
import { test } from "node:test";
import { DEFAULT_DHCPV4_OPTIONS, DEFAULT_DHCPV6_OPTIONS } from "../../actions/dhcp-options.js";
import { IdAllocators } from "./alloc.js";
import { clearCompileMemo, compileForDatapath } from "./compile.js";
import { type DatapathLookups, datapathContext } from "./context.js";
import type { Flow } from "./flow.js";
import type { SbDatapath, SbLogicalFlow } from "./sb.js";

const flow = (
  match: string,
  actions: string,
  uuid = "0000000a-0000-0000-0000-000000000000",
): SbLogicalFlow => ({
  uuid,
  pipeline: "ingress",
  table: 3,
  priority: 100,
  match,
  actions,
  datapaths: [],
  controllerMeter: null,
  inOutPort: null,
});

const dp = (n: number): SbDatapath => ({ uuid: `dp${n}`, tunnelKey: n, name: `sw${n}`, isRouter: false });

interface World {
  ports: Record<string, number>;
  sets: Record<string, string[]>;
  groups: Record<string, string[]>;
  resident: Set<string>;
}

/** Lookups over `w`, writing each question and answer to `log`, as the incremental cache does. */
function lookups(
  w: World,
  log: string[],
  dhcp = { v4: DEFAULT_DHCPV4_OPTIONS, v6: DEFAULT_DHCPV6_OPTIONS },
): DatapathLookups {
  const note = <T>(q: string, a: T): T => {
    log.push(`${q}=${JSON.stringify(a)}`);
    return a;
  };
  return {
    addressSet: (n) => note(`as ${n}`, w.sets[n]),
    portGroup: (n) => note(`pg ${n}`, w.groups[n]),
    portKey: (n) => note(`key ${n}`, w.ports[n]),
    isChassisResident: (n) => note(`res ${n}`, w.resident.has(n)),
    dhcpv4: dhcp.v4,
    dhcpv6: dhcp.v6,
  };
}

const FLOWS = [
  flow('inport == "p1" && ip4.src == $set1', 'outport = "p2"; output;'),
  flow("ip4 && tcp.dst == {80, 443} && ip4.src == $set1 && reg0[0] == 1", "next;"),
  flow('outport == @pg1 && is_chassis_resident("p1")', "ct_next;"),
  flow("nd || nd_ra || nd_rs || mldv1 || mldv2", "next;"),
  flow("ip4.dst == 10.0.0.1", 'icmp4 { eth.dst <-> eth.src; outport = "p2"; output; };'),
];

const WORLDS: World[] = [
  {
    ports: { p1: 1, p2: 2 },
    sets: { set1: ["10.0.0.1", "10.0.0.2"] },
    groups: { pg1: ["p1", "p2"] },
    resident: new Set(["p1"]),
  },
  {
    ports: { p1: 5, p2: 2 },
    sets: { set1: ["10.0.0.1", "10.0.0.2"] },
    groups: { pg1: ["p2"] },
    resident: new Set(),
  },
  {
    ports: { p1: 1, p2: 2 },
    sets: { set1: ["10.0.0.3"] },
    groups: { pg1: ["p1", "p2"] },
    resident: new Set(["p1"]),
  },
  { ports: { p2: 7 }, sets: { set1: [] }, groups: { pg1: [] }, resident: new Set(["p1"]) },
];
// A datapath answering as the first one does: its compiles are reused, with its own metadata.
WORLDS.push(WORLDS[0] as World);

function compileAll(worlds: readonly World[], fresh: boolean): { flows: Flow[][]; logs: string[][] } {
  const alloc = new IdAllocators();
  // One DHCP catalogue object per run, as chassisContext makes one per compile run.
  const dhcp = { v4: new Map(DEFAULT_DHCPV4_OPTIONS), v6: new Map(DEFAULT_DHCPV6_OPTIONS) };
  const flows: Flow[][] = [];
  const logs: string[][] = [];
  worlds.forEach((w, i) => {
    for (const f of FLOWS) {
      if (fresh) clearCompileMemo();
      const log: string[] = [];
      flows.push(compileForDatapath(f, datapathContext(dp(i + 1), lookups(w, log, dhcp)), alloc));
      logs.push([...new Set(log)].sort());
    }
  });
  return { flows, logs };
}

test("memo: the same flows as fresh compiles, across datapaths whose lookups differ", () => {
  const fresh = compileAll(WORLDS, true);
  const memo = compileAll(WORLDS, false);
  assert.deepEqual(memo.flows, fresh.flows);
  assert.ok(memo.flows.flat().length > 20);
});

test("memo: a reused result replays the lookups a fresh compile makes", () => {
  const fresh = compileAll(WORLDS, true);
  const memo = compileAll(WORLDS, false);
  // Every lookup a fresh compile made is seen with the memo too (a reuse may ask more: other variants).
  memo.logs.forEach((l, i) => {
    for (const q of fresh.logs[i] ?? []) assert.ok(l.includes(q), `compile ${i}: ${q} not asked`);
  });
});

test("memo: a new compile run forgets, and a changed answer within a run recompiles", () => {
  clearCompileMemo();
  const w: World = { ports: { p1: 1, p2: 2 }, sets: { set1: ["10.0.0.1"] }, groups: {}, resident: new Set() };
  const f = FLOWS[0] as SbLogicalFlow;
  const dhcp = { v4: new Map(DEFAULT_DHCPV4_OPTIONS), v6: new Map(DEFAULT_DHCPV6_OPTIONS) };
  const one = compileForDatapath(f, datapathContext(dp(1), lookups(w, [], dhcp)), new IdAllocators());
  w.sets.set1 = ["10.0.0.9"];
  const two = compileForDatapath(f, datapathContext(dp(1), lookups(w, [], dhcp)), new IdAllocators());
  assert.notDeepEqual(two, one);
  clearCompileMemo();
  const again = compileForDatapath(f, datapathContext(dp(1), lookups(w, [], dhcp)), new IdAllocators());
  assert.deepEqual(two, again);
});

test("memo: errors are those of a fresh compile (a bad match is reported before bad actions)", () => {
  clearCompileMemo();
  const w = WORLDS[0] as World;
  const ctx = datapathContext(dp(1), lookups(w, []));
  assert.throws(
    () => compileForDatapath(flow("ip4 &&", "bogus;"), ctx, new IdAllocators()),
    /^Error: match: /,
  );
  assert.throws(
    () => compileForDatapath(flow("ip4", "bogus;"), ctx, new IdAllocators()),
    /^Error: actions: /,
  );
});
