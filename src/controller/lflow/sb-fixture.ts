// A Southbound Port_Binding as the controller's view holds it, with every field not given left at its
// empty value: for the unit tests of bindings, physical flows and the compiler.
import type { SbPortBinding } from "./sb.js";

export function sbPortBinding(
  fields: Partial<SbPortBinding> & { readonly logicalPort: string },
): SbPortBinding {
  return {
    uuid: `u-${fields.logicalPort}`,
    datapath: "dp1",
    type: "",
    tunnelKey: 1,
    options: {},
    chassis: null,
    mac: [],
    portSecurity: [],
    tag: null,
    parentPort: null,
    haChassis: [],
    ...fields,
  };
}
