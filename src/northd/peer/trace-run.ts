// Runs the real ovn-trace on an SB and normalises its output, for the ovn-trace differential
// (./trace-diff.test.ts): what the packet does must not depend on which northd wrote the flows.
import { run, type Sandbox } from "../../../test/support/sandbox.js";
import type { Microflow } from "./trace-gen.js";

/**
 * The --summary output of `ovn-trace --db=REMOTE [OPTIONS] MICROFLOW`, normalised: the first line (the
 * microflow in OpenFlow syntax, with datapath and port tunnel keys) is dropped, and tunnel keys that
 * appear elsewhere are masked, since the two northds may number datapaths and ports differently.
 */
export async function traceSummary(sb: Sandbox, remote: string, mf: Microflow): Promise<string> {
  // --select-id: ECMP routes pick a next hop at random otherwise.
  const r = await run("ovn-trace", [`--db=${remote}`, "--summary", "--select-id=1", ...mf.options, mf.flow], {
    env: sb.env,
    timeoutMs: 60_000,
  });
  if (r.code !== 0) return `ovn-trace failed (${r.code}): ${r.stderr.trim()}`;
  return normaliseTrace(r.stdout);
}

export function normaliseTrace(text: string): string {
  const lines = text.split("\n");
  // "# reg14=0x1,vlan_tci=0x0000,dl_src=...": the microflow as OpenFlow fields.
  if (lines[0]?.startsWith("#") === true) lines.shift();
  return lines
    .map((l) => l.replace(/\b(metadata|reg14|reg15|tun_id)=0x[0-9a-f]+/g, "$1=<key>").trimEnd())
    .join("\n")
    .trim();
}

/**
 * The logical flows a packet hits, in order, from `ovn-trace --detailed`: one "TABLE. STAGE: MATCH,
 * priority P" line per flow, without the flow's uuid and northd source line (C northd writes one,
 * ovnts none).
 */
export async function traceFlowsHit(sb: Sandbox, remote: string, mf: Microflow): Promise<string[]> {
  const r = await run(
    "ovn-trace",
    [`--db=${remote}`, "--detailed", "--select-id=1", ...mf.options, mf.flow],
    {
      env: sb.env,
      timeoutMs: 60_000,
    },
  );
  return flowLines(r.stdout);
}

export function flowLines(detailed: string): string[] {
  const out: string[] = [];
  for (const l of detailed.split("\n")) {
    const m = /^\s*(\d+)\. (\w+)(?: \([^)]*\))?: (.*), priority (\d+), uuid [0-9a-f]+$/.exec(l);
    if (m !== null) out.push(`${m[1]}. ${m[2]}: ${m[3]}, priority ${m[4]}`);
  }
  return out;
}

/**
 * Whether two traces part at a tie: at the first flow they differ in, both hit a flow of the same table
 * and priority with different matches. With equal flow tables (compared separately) that is no
 * difference between the northds: the packet matches two flows of equal priority — an overlap in
 * ovn-northd's own flows, which ovn-trace (like OVS) resolves by the order it happens to hold the rows
 * in, and the two SBs hold their rows under different uuids.
 */
export function partAtTie(a: readonly string[], b: readonly string[]): boolean {
  const i = a.findIndex((x, k) => x !== b[k]);
  if (i < 0) return false;
  const key = (l: string | undefined): string => {
    const m = l === undefined ? null : /^(\d+)\. \w+: .*, priority (\d+)$/.exec(l);
    return m === null ? "?" : `${m[1]}/${m[2]}`;
  };
  return key(a[i]) !== "?" && key(a[i]) === key(b[i]);
}
