// The whole text `ovnts trace` prints for one microflow, as ovn-trace prints it: the microflow as an
// OpenFlow flow, then each form asked for (detailed when none is), each under a banner when there are
// several.  Shared by the command and the golden tests.

import { flowLine } from "./flow-line.js";
import { formatDetailed, formatJson, formatMinimal, formatSummary } from "./format.js";
import type { DbIndex } from "./index-db.js";
import { type TraceOptions, trace } from "./interp.js";

export type TraceForm = "detailed" | "summary" | "minimal" | "json";

const FORMS: readonly { form: TraceForm; banner: string }[] = [
  { form: "detailed", banner: "Detailed" },
  { form: "summary", banner: "Summary" },
  { form: "minimal", banner: "Minimal" },
];

/** Renders the trace of `microflow` entering `datapath` in the given forms. */
export function renderTrace(
  index: DbIndex,
  datapath: string,
  microflow: string,
  forms: readonly TraceForm[],
  opts: TraceOptions = {},
): string {
  const r = trace(index, datapath, microflow, opts);
  if (!r.ok)
    return r.error.startsWith("unknown datapath") ? `${r.error}\n` : `error parsing flow: ${r.error}\n`;
  if (forms.includes("json")) return `${formatJson(microflow, r.nodes)}\n`;
  const shown = FORMS.filter((f) => forms.includes(f.form));
  const list = shown.length === 0 ? FORMS.slice(0, 1) : shown;
  const inKey = index.port(r.packet.str("inport"))?.tunnelKey ?? 0;
  let text = `${flowLine(r.packet, inKey)}\n`;
  for (const { form, banner } of list) {
    if (list.length > 1) text += `# ${banner} trace.\n`;
    const body =
      form === "detailed"
        ? formatDetailed(r.nodes)
        : form === "summary"
          ? formatSummary(r.nodes)
          : formatMinimal(r.nodes);
    if (body !== "") text += `${body}\n`;
  }
  return text;
}
