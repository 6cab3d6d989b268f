// The output forms of a trace, in ovn-trace's shapes:
//   detailed  every section under a dashed header, each matching flow with its table, stage, match,
//             priority and UUID prefix, then its actions; sections are listed one after another rather
//             than nested, except the ports of a multicast group, which are indented under it;
//   summary   the same as nested braces, actions only;
//   minimal   only what changes the packet, where it is output, and generated packets;
//   json      (ovnts only) the trace tree itself.

import type { TraceNode } from "./node.js";

const pad = (level: number) => "    ".repeat(level);

export function formatDetailed(nodes: readonly TraceNode[]): string {
  const out: string[] = [];
  detailed(nodes, 0, out);
  return out.join("\n");
}

const printsInDetail = (n: TraceNode) => n.kind !== "modify" && n.kind !== "output";

/** Prints the nodes of a section whose flows are at `level`. */
function detailed(nodes: readonly TraceNode[], level: number, out: string[]): void {
  for (const [i, n] of nodes.entries()) {
    switch (n.kind) {
      case "section": {
        // A generated packet followed by more of its flow's actions (`clone { ... }; next;`) is
        // indented under the flow; otherwise sections follow one another at the same level.
        const inner = n.role === "nested" && nodes.slice(i + 1).some(printsInDetail) ? 1 : 0;
        out.push("", pad(level + inner) + n.title, pad(level + inner) + "-".repeat(n.title.length));
        if (n.role === "multicast") detailedMulticast(n.children, level + 1, out);
        else detailed(n.children, level + 2 * inner, out);
        break;
      }
      case "table":
        out.push(pad(level) + n.title);
        detailed(n.children, level, out);
        break;
      case "action":
        out.push(pad(level + 1) + n.text);
        break;
      case "comment":
        out.push(`${pad(level + 1)}/* ${n.text} */`);
        break;
      case "error":
        out.push(pad(level + 1) + n.text);
        break;
      case "modify":
      case "output":
        break;
    }
  }
}

/** The egress pipelines of a multicast group are indented under it, their flows one level more;
 *  but ovn-trace prints the last one at the group's own level when it ran no flow (output to it was
 *  omitted), as it does for any last section. */
function detailedMulticast(nodes: readonly TraceNode[], level: number, out: string[]): void {
  const sections = nodes.filter((n) => n.kind === "section");
  sections.forEach((n, i) => {
    const flat = i === sections.length - 1 && n.children.every((c) => c.kind === "comment");
    const at = flat ? level - 1 : level;
    out.push("", pad(at) + n.title, pad(at) + "-".repeat(n.title.length));
    detailed(n.children, flat ? at : at + 1, out);
  });
}

export function formatSummary(nodes: readonly TraceNode[]): string {
  const out: string[] = [];
  braces(nodes, 0, out, "summary");
  return out.join("\n");
}

export function formatMinimal(nodes: readonly TraceNode[]): string {
  const out: string[] = [];
  braces(nodes, 0, out, "minimal");
  return out.join("\n");
}

function braces(
  nodes: readonly TraceNode[],
  level: number,
  out: string[],
  form: "summary" | "minimal",
): void {
  for (const n of nodes) {
    switch (n.kind) {
      case "section": {
        if (form === "minimal" && n.role !== "nested") {
          braces(n.children, level, out, form);
          break;
        }
        const inner: string[] = [];
        braces(n.children, level + 1, inner, form);
        if (inner.length === 0) out.push(`${pad(level)}${n.title};`);
        else out.push(`${pad(level)}${n.title} {`, ...inner, `${pad(level)}};`);
        break;
      }
      case "table":
        braces(n.children, level, out, form);
        break;
      case "action":
        if (form === "summary" && !n.detailedOnly) out.push(pad(level) + n.text);
        break;
      case "comment":
        // The summary ends the remarks that stand for an action (output to a port) with `;`.
        if (form === "summary" || n.minimal)
          out.push(`${pad(level)}/* ${n.text} */${n.semicolon ? ";" : ""}`);
        break;
      case "error":
        out.push(`${pad(level)}${n.text};`);
        break;
      case "modify":
        if (form === "minimal") out.push(`${pad(level)}${n.text};`);
        break;
      case "output":
        if (form === "minimal") out.push(`${pad(level)}output("${n.port}");`);
        break;
    }
  }
}

/** The trace as JSON: the tree of sections, tables, actions, changes and outputs. */
export function formatJson(microflow: string, nodes: readonly TraceNode[]): string {
  return JSON.stringify({ microflow, trace: nodes }, null, 2);
}
