// Other chassis's ovn-chassis-mac-mappings (ovn-controller(8): Open_vSwitch external_ids, advertised in
// Chassis other_config): "bridge1:MAC1,bridge2:MAC2", the MAC each chassis uses on each physical
// bridge. Entries without a ":MAC" are reported the way ovn-controller 23.03 logs them (once per bad
// entry whenever it computes its physical flows) and skipped.

/** One parsed mapping: the bridge name and the MAC text after its first ':'. */
export interface ChassisMac {
  readonly chassis: string;
  readonly bridge: string;
  readonly mac: string;
}

export interface ChassisMacs {
  readonly macs: readonly ChassisMac[];
  /** The WARN lines (module "physical") for entries that are not "bridge:MAC". */
  readonly warnings: readonly string[];
}

/**
 * Parses the mappings of every chassis but `self`. Empty entries (",,") are skipped; a bridge name is
 * what precedes the first ':' (leading ':' ignored, as strtok-style splitting does); nothing after it is
 * an error.
 */
export function remoteChassisMacs(
  self: string,
  chassis: Iterable<{ readonly name: string; readonly macMappings: string | undefined }>,
): ChassisMacs {
  const macs: ChassisMac[] = [];
  const warnings: string[] = [];
  for (const c of chassis) {
    if (c.name === self || c.macMappings === undefined) continue;
    for (const entry of c.macMappings.split(",")) {
      if (entry === "") continue;
      const lead = entry.length - entry.replace(/^:+/, "").length;
      const body = entry.slice(lead);
      const colon = body.indexOf(":");
      const mac = colon < 0 ? "" : body.slice(colon + 1);
      if (colon < 0 || mac === "") {
        // (ovn-controller prints the entry as its splitting left it: cut at the bridge's ':'.)
        const shown = colon < 0 ? entry : entry.slice(0, lead + colon);
        warnings.push(
          `Parsing of ovn-chassis-mac-mappings failed for: "${shown}", the correct format is "br-name1:MAC1".`,
        );
        continue;
      }
      macs.push({ chassis: c.name, bridge: body.slice(0, colon), mac });
    }
  }
  return { macs, warnings };
}
