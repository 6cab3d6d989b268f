// src/openflow: the OpenFlow 1.5 + Nicira model, its ovs-ofctl text form and its wire codec.  The
// network edge (conn.ts) is imported on its own so that this index stays free of node:* modules.

export { canonicalActions, canonicalFlowMatch, canonicalFlowMod } from "./canonical.js";
export { errorByName, errorName } from "./errors.js";
export {
  FIELD_NAMES,
  FIELDS,
  type FieldFormat,
  type FieldInfo,
  fieldInfo,
  fullMask,
  isFieldName,
  lookupField,
  subfieldName,
} from "./fields.js";
export * from "./messages.js";
export * from "./model.js";
export { type DecodeResult, decodeMessage, encodeMessage, splitMessages } from "./msg-codec.js";
export { canonicalMatch, type WireContext } from "./oxm.js";
export * from "./text.js";
