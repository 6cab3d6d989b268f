// The result of a trace: a tree of what happened, from which each output form (detailed, summary,
// minimal, JSON) is printed.  The tree mirrors the packet's path: a pipeline holds the tables it went
// through, a table the actions its flow executed, and an action the pipelines or generated packets it
// led to (output to egress, through a patch port, to each port of a multicast group, `arp { ... }`).

export type SectionRole = "pipeline" | "multicast" | "nested";

export type TraceNode =
  /** `ingress(dp="sw0", inport="lsp1")`, `multicast(...)`, or a generated packet (`arp`). */
  | {
      readonly kind: "section";
      readonly role: SectionRole;
      readonly title: string;
      readonly children: TraceNode[];
    }
  /** A logical flow that matched: ` 0. ls_in_check_port_sec (northd.c:8432): 1, priority 50, uuid ...`. */
  | { readonly kind: "table"; readonly title: string; readonly children: TraceNode[] }
  /** An action as the flow wrote it. */
  | { readonly kind: "action"; readonly text: string; readonly detailedOnly?: true }
  /** A remark such as `/* No MAC binding. *\/`, text without the comment markers. */
  | {
      readonly kind: "comment";
      readonly text: string;
      /** Ended with `;` in the summary (remarks standing for an action). */
      readonly semicolon?: true;
      /** Shown in the minimal form too. */
      readonly minimal?: true;
    }
  /** Something the tracer cannot simulate: `*** dns_lookup action not implemented`. */
  | { readonly kind: "error"; readonly text: string }
  /** A visible change to the packet, as `--minimal` shows it (`eth.dst = 00:00:00:00:00:01`). */
  | { readonly kind: "modify"; readonly text: string }
  /** The packet leaves OVN through a port. */
  | { readonly kind: "output"; readonly port: string; readonly type: string };

export function section(role: SectionRole, title: string): Extract<TraceNode, { kind: "section" }> {
  return { kind: "section", role, title, children: [] };
}
