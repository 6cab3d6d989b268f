// The OVN logical-flow action language as a pure library: parsing with OVN's checks and error texts,
// the prerequisites actions add to a match, and printing as OVN formats actions.

export * from "./ast.js";
export { type ActionContext, actionContext, DEFAULT_ACTION_CONTEXT, LOG_PIPELINE_LEN } from "./context.js";
export * from "./dhcp-options.js";
export { formatField } from "./fields.js";
export { type ParsedActions, parseActions } from "./parser.js";
export { type FormatContext, formatAction, formatActions } from "./printer.js";
