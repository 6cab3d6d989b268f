// The logical-flow interpreter behind `ovnts trace` (a drop-in for ovn-trace): the Southbound view it
// reads, the microflow parser, the interpreter and the output forms.

export { fetchTraceDb, type RequestFn } from "./fetch.js";
export { flowLine } from "./flow-line.js";
export { formatDetailed, formatJson, formatMinimal, formatSummary } from "./format.js";
export { DbIndex } from "./index-db.js";
export { formatCtState, type TraceOptions, type TraceResult, trace } from "./interp.js";
export { parseMicroflow } from "./microflow.js";
export type { SectionRole, TraceNode } from "./node.js";
export { renderTrace, type TraceForm } from "./render.js";
export * from "./sb.js";
export { PacketState } from "./state.js";
