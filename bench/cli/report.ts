// The Markdown table of the cli benchmark: time per method and speed-up against scripted ovn-nbctl.
export interface CliResult {
  id: string;
  label: string;
  /** Wall time to create all ports, ms. */
  ms: number;
  /** ovn-nbctl invocations or transactions. */
  batches: number;
  ports: number;
}

/** One row per method; `baseId` is the method the speed-ups are relative to. Pure. */
export function renderCliMarkdown(results: readonly CliResult[], baseId: string): string {
  const base = results.find((r) => r.id === baseId);
  const lines = [
    "| method | ports | batches | time (s) | ports/s | speed-up vs scripted ovn-nbctl |",
    "|---|---:|---:|---:|---:|---:|",
  ];
  for (const r of results) {
    const up = base === undefined ? "n/a" : `${(base.ms / r.ms).toFixed(2)}×`;
    lines.push(
      `| ${r.label} | ${r.ports} | ${r.batches} | ${(r.ms / 1000).toFixed(2)} | ${Math.round((r.ports * 1000) / r.ms)} | ${up} |`,
    );
  }
  const lib = results.find((r) => r.id === "library");
  if (base !== undefined && lib !== undefined) {
    const x = base.ms / lib.ms;
    lines.push(
      "",
      `Target (issue 4): library path ≥ 5× faster than scripted ovn-nbctl: ${x.toFixed(2)}× — ${x >= 5 ? "met" : "NOT met"}.`,
    );
  }
  return `${lines.join("\n")}\n`;
}
