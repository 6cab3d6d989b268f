// Keeps the golden files honest: their expectations are checked against the real OVN 23.03.
//  - annotate.txt: ovn-trace prints the annotated form of a microflow it finds ambiguous; each input is
//    wrapped as `(reg9 == 1 || reg9 == 2) && (INPUT)` to make it so, and the text must equal ours for
//    the same wrapped input (or the parse error must be the same).
//  - actions.txt: every action list becomes a logical flow in the Southbound database; ovn-trace reports
//    the ones it cannot parse (the error must be ours) and prints the others as it executes them (the
//    text must be ours).  Lines OVN does not print (a lone `next;`, actions ovn-trace cannot execute)
//    are skipped; so are the few lines where we print differently on purpose (listed below).

import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { actionContext } from "../../actions/context.js";
import { DEFAULT_DHCPV4_OPTIONS, DEFAULT_DHCPV6_OPTIONS } from "../../actions/dhcp-options.js";
import { parseActions } from "../../actions/parser.js";
import { formatActions } from "../../actions/printer.js";
import { annotateExpr } from "../annotate.js";
import { evaluate } from "../eval.js";
import { GOLDEN_PORT_GROUPS, GOLDEN_SETS } from "../golden-sets.js";
import { DEFAULT_CONTEXT, type ExprContext, parseExpr } from "../parser.js";
import { printExpr } from "../printer.js";
import { haveOvn, OvnSandbox } from "./sandbox.js";

const GOLDEN = fileURLToPath(new URL("../../../../test/golden/expr/", import.meta.url));

/** Inputs we deliberately print differently from OVN, because OVN's text would not parse back: a
 *  masked zero printed as a decimal with a hex mask, strings printed without their escapes. */
const DEVIATIONS = new Set([
  "ct_commit(ct_mark=0x0/0x1);",
  'bind_vport("a\\"b", inport);',
  'log(name="a\\"b", verdict=allow);',
]);

interface GoldenLine {
  readonly input: string;
  readonly context: Record<string, string>;
}

function goldenInputs(file: string): GoldenLine[] {
  const out: GoldenLine[] = [];
  let context: Record<string, string> = {};
  for (const line of readFileSync(`${GOLDEN}${file}`, "utf8").split("\n")) {
    if (line.startsWith("%")) {
      context = { ...context };
      for (const kv of line.slice(1).trim().split(/\s+/)) {
        const [k, v] = kv.split("=");
        if (k !== undefined && v !== undefined) context[k] = v;
      }
      continue;
    }
    if (line.trim() === "" || line.startsWith("#")) continue;
    const sep = line.indexOf(" => ");
    out.push({ input: sep < 0 ? line : line.slice(0, sep), context });
  }
  return out;
}

let sb: OvnSandbox | undefined;
const skip = !haveOvn();

before(async () => {
  if (skip) return;
  sb = await OvnSandbox.start({ northd: false });
  // The DHCP option catalogues, as ovn-northd would write them.
  const ops: unknown[] = [];
  for (const [table, opts] of [
    ["DHCP_Options", DEFAULT_DHCPV4_OPTIONS],
    ["DHCPv6_Options", DEFAULT_DHCPV6_OPTIONS],
  ] as const) {
    for (const o of opts.values())
      ops.push({ op: "insert", table, row: { name: o.name, code: o.code, type: o.type } });
  }
  // The address sets and port groups the golden files use.  Port groups of logical flows are per
  // datapath, named `<datapath key>_<name>` (the datapaths below have keys 1 and 2); ovn-trace looks
  // up those of a microflow by their plain name.
  for (const [name, addrs] of Object.entries(GOLDEN_SETS)) {
    ops.push({ op: "insert", table: "Address_Set", row: { name, addresses: ["set", addrs] } });
  }
  for (const [name, ports] of Object.entries(GOLDEN_PORT_GROUPS)) {
    for (const n of [name, `1_${name}`, `2_${name}`]) {
      ops.push({ op: "insert", table: "Port_Group", row: { name: n, ports: ["set", ports] } });
    }
  }
  transact(ops);
});

after(async () => {
  await sb?.close();
});

function transact(ops: unknown[]): void {
  if (sb === undefined) throw new Error("no sandbox");
  const reply = execFileSync(
    "ovsdb-client",
    ["transact", sb.db, JSON.stringify(["OVN_Southbound", ...ops])],
    {
      encoding: "utf8",
    },
  );
  if (reply.includes('"error"')) throw new Error(`transaction failed: ${reply}`);
}

/** Inserts a logical switch datapath `name` with port `port`; its named UUID is `dp<name>`. */
function datapathOps(name: string, port: string, key: number): unknown[] {
  const id = `dp${name.replaceAll("-", "_")}`;
  return [
    {
      op: "insert",
      table: "Datapath_Binding",
      "uuid-name": id,
      row: {
        tunnel_key: key,
        external_ids: [
          "map",
          [
            ["name", name],
            ["logical-switch", "00000000-0000-0000-0000-000000000000"],
          ],
        ],
      },
    },
    {
      op: "insert",
      table: "Port_Binding",
      row: { datapath: ["named-uuid", id], logical_port: port, tunnel_key: 1 },
    },
  ];
}

function trace(datapath: string, microflow: string): { out: string; ok: boolean } {
  if (sb === undefined) throw new Error("no sandbox");
  const r = spawnSync("ovn-trace", [`--db=${sb.db}`, datapath, microflow], {
    encoding: "utf8",
    env: sb.env(),
  });
  return { out: `${r.stdout}${r.stderr}`, ok: r.status === 0 };
}

const WRAP = "(reg9 == 1 || reg9 == 2) && ";

const ctx: ExprContext = {
  ...DEFAULT_CONTEXT,
  addressSets: (n) => GOLDEN_SETS[n],
  portGroups: (n) => GOLDEN_PORT_GROUPS[n],
};

test("parse.txt agrees with OVN on what it accepts and on every error", { skip, timeout: 60000 }, () => {
  const inputs = [...new Set(goldenInputs("parse.txt").map((l) => l.input))];
  transact(datapathOps("parse", "lp", 2));
  const uuid =
    sb?.sbctl("--bare", "--columns=_uuid", "find", "Datapath_Binding", "tunnel_key=2").trim() ?? "";
  const flows = inputs.map((match, i) => ({
    op: "insert",
    table: "Logical_Flow",
    row: {
      logical_datapath: ["uuid", uuid],
      pipeline: "ingress",
      table_id: 1,
      priority: i,
      match,
      actions: "next;",
    },
  }));
  for (let i = 0; i < flows.length; i += 100) transact(flows.slice(i, i + 100));
  const errors = new Map<string, string>();
  for (const line of trace("parse", 'inport == "lp"').out.split("\n")) {
    const m = /\|ovntrace\|WARN\|(.*): parsing expression failed \((.*)\)$/.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined) errors.set(m[1], m[2]);
  }
  const mismatches: string[] = [];
  for (const input of inputs) {
    const r = parseExpr(input, ctx);
    const ours = r.ok ? "accepted" : r.error;
    const theirs = errors.get(input) ?? "accepted";
    if (ours !== theirs) mismatches.push(`${input}\n  ours:   ${ours}\n  theirs: ${theirs}`);
  }
  transact([{ op: "delete", table: "Logical_Flow", where: [] }]);
  assert.deepEqual(mismatches, []);
  assert.ok(errors.size > 100);
});

test("annotate.txt agrees with ovn-trace", { skip, timeout: 60000 }, () => {
  transact(datapathOps("ann", "lpann", 1));
  let compared = 0;
  for (const { input } of goldenInputs("annotate.txt")) {
    const microflow = `${WRAP}(${input})`;
    const first = trace("ann", microflow)
      .out.split("\n")
      .find((l) => !/^\d{4}-\d\d-\d\dT\S*\|/.test(l) && l.trim() !== "");
    if (first === undefined || !first.startsWith("error parsing flow: ")) continue;
    const theirs = first.slice("error parsing flow: ".length);
    if (theirs.startsWith("Constraints are contradictory")) continue;
    const r = parseExpr(microflow, ctx);
    const ours = r.ok ? `Constraints are ambiguous: ${printExpr(annotateExpr(r.value, ctx))}.` : r.error;
    assert.equal(ours, theirs, input);
    compared++;
  }
  assert.ok(compared > 200, `only ${compared} lines compared`);
});

/** Microflows to trace an action list with; the first one meeting the actions' prerequisites is used. */
const MICROFLOWS: [string, Record<string, bigint>][] = [
  ["arp", { "eth.type": 0x806n }],
  ["ip4 && tcp && ip.ttl == 64", { "eth.type": 0x800n, "ip.proto": 6n, "ip.ttl": 64n }],
  ["ip6 && tcp && ip.ttl == 64", { "eth.type": 0x86ddn, "ip.proto": 6n, "ip.ttl": 64n }],
  ["ip4 && udp && ip.ttl == 64", { "eth.type": 0x800n, "ip.proto": 17n, "ip.ttl": 64n }],
  ["ip6 && udp && ip.ttl == 64", { "eth.type": 0x86ddn, "ip.proto": 17n, "ip.ttl": 64n }],
  ["ip4 && sctp", { "eth.type": 0x800n, "ip.proto": 132n }],
  [
    "ip6 && icmp6.type == 135 && icmp6.code == 0 && ip.ttl == 255 && nd.target == fe80::1",
    { "eth.type": 0x86ddn, "ip.proto": 58n, "icmp6.type": 135n, "icmp6.code": 0n, "ip.ttl": 255n },
  ],
  [
    "ip6 && icmp6.type == 136 && icmp6.code == 0 && ip.ttl == 255 && nd.target == fe80::1",
    { "eth.type": 0x86ddn, "ip.proto": 58n, "icmp6.type": 136n, "icmp6.code": 0n, "ip.ttl": 255n },
  ],
  ["vlan.present && arp", { "eth.type": 0x806n, "vlan.tci": 0x1000n }],
  ["rarp", { "eth.type": 0x8035n }],
];

test("actions.txt agrees with ovn-trace", { skip, timeout: 60000 }, () => {
  const actx = actionContext(ctx);
  const lines = goldenInputs("actions.txt").filter(
    (l) =>
      (l.context.pipeline ?? "ingress") === "ingress" &&
      (l.context.table ?? "0") === "0" &&
      !DEVIATIONS.has(l.input),
  );
  const inputs = [...new Set(lines.map((l) => l.input))];
  const ops = inputs.map((actions, i) => [
    ...datapathOps(`a${i}`, `p${i}`, 100 + i),
    {
      op: "insert",
      table: "Logical_Flow",
      row: {
        logical_datapath: ["named-uuid", `dpa${i}`],
        pipeline: "ingress",
        table_id: 0,
        priority: 90,
        match: "1",
        actions,
        external_ids: ["map", [["stage-name", "s0"]]],
      },
    },
  ]);
  // A few flows per transaction: the whole set is too long for one command line.
  for (let i = 0; i < ops.length; i += 50) transact(ops.slice(i, i + 50).flat());
  // One run reports every flow ovn-trace cannot parse.
  const errors = new Map<string, string>();
  for (const line of trace("a0", 'inport == "p0"').out.split("\n")) {
    const m = /\|ovntrace\|WARN\|(.*): parsing actions failed \((.*)\)$/.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined) errors.set(m[1], m[2]);
  }
  let compared = 0;
  const mismatches: string[] = [];
  const check = (ours: string, theirs: string, input: string): void => {
    if (ours !== theirs) mismatches.push(`${input}\n  ours:   ${ours}\n  theirs: ${theirs}`);
  };
  inputs.forEach((input, i) => {
    const r = parseActions(input, actx);
    const theirError = errors.get(input);
    if (theirError !== undefined) {
      check(r.ok ? `(accepted) ${formatActions(r.value.actions, actx)}` : r.error, theirError, input);
      compared++;
      return;
    }
    if (!r.ok) {
      mismatches.push(`${input}\n  OVN accepts it, we say: ${r.error}`);
      return;
    }
    const prereqs = r.value.prereqs === null ? null : annotateExpr(r.value.prereqs);
    const mf = MICROFLOWS.find(
      ([, fields]) => prereqs === null || evaluate(prereqs, { fields: new Map(Object.entries(fields)) }),
    );
    if (mf === undefined) return;
    const t = trace(`a${i}`, `inport == "p${i}" && eth.src == 00:00:00:00:00:01 && ${mf[0]}`);
    const out = t.out.split("\n");
    const at = out.findIndex((l) => /^ {1}0\. s0: 1, priority 90/.test(l));
    if (!t.ok || at < 0) return;
    const printed: string[] = [];
    for (const l of out.slice(at + 1)) {
      if (!l.startsWith("    ") || l.startsWith("     ")) break;
      // ovn-trace adds what happened after an action (`/* ... */`, `*** ...`), sometimes on a line of its own.
      const text = l
        .trim()
        .replace(/ ?\/\*[^*]*\*\//g, "")
        .replace(/ ?\*\*\*.*$/, "");
      if (text !== "") printed.push(text);
    }
    check(formatActions(r.value.actions, actx), printed.join(" "), input);
    compared++;
  });
  assert.deepEqual(mismatches, []);
  assert.ok(compared > 300, `only ${compared} lines compared`);
});
