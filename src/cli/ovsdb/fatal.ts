import type { OvsdbError } from "../../ovsdb/error.js";
import { type OJson, serializeOvsJson } from "./ovs-json.js";

// How the C tools give up: "PROGRAM: MESSAGE" on stderr and exit status 1 (ovs_fatal). Commands throw a
// Fatal; the program's entry point prints it.
export class Fatal extends Error {
  override readonly name = "Fatal";
  constructor(
    message: string,
    readonly status = 1,
  ) {
    super(message);
  }
}

/** C's ovsdb_error_to_string: `syntax "JSON": TAG: DETAILS`, parts omitted when absent. */
export function ovsdbErrorText(e: OvsdbError): string {
  const syntax = e.syntax !== undefined ? `syntax "${serializeOvsJson(e.syntax as OJson)}": ` : "";
  return `${syntax}${e.tag}${e.details !== undefined ? `: ${e.details}` : ""}`;
}
