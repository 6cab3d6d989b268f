// What every chassis of this availability zone supports, as northd reads it from SB Chassis
// other_config (the keys ovn-controller 23.03 advertises). A feature counts only when all local chassis
// have it: a chassis without it (an older controller, or a row made by `ovn-sbctl chassis-add`) makes
// northd fall back to flows that controller can run. Remote chassis (other_config:is-remote=true,
// ovn-ic) install no flows of ours and are left out. With no chassis at all, everything is supported.
//
// What each feature changes in the flows (observed with ovn-northd 23.03):
//   ct-no-masked-label  off: ct_lb instead of ct_lb_mark; the ACL "blocked" bit and the LB/NAT/ECMP
//                       conntrack bits (natted, force_snat, skip_snat, ecmp_reply_port) live in
//                       ct_label instead of ct_mark; SB_Global options:lb_hairpin_use_ct_mark=false.
//   ovn-ct-lb-related   off: related traffic of allowed connections is not ct_commit_nat'ed in the ACL
//                       stages, routers with LB VIPs get no lr_in_dnat ct.rel flows, and router LB
//                       actions lose their "; force_snat" / "; skip_snat" ct_lb argument.
//   mac-binding-timestamp  off: no MAC binding aging.

/** The chassis features northd adapts its output to. */
export interface ChassisFeatures {
  readonly ctNoMaskedLabel: boolean;
  readonly ctLbRelated: boolean;
  readonly macBindingTimestamp: boolean;
}

/** Everything supported: what northd assumes with no chassis, and what every 23.03 controller has. */
export const ALL_FEATURES: ChassisFeatures = {
  ctNoMaskedLabel: true,
  ctLbRelated: true,
  macBindingTimestamp: true,
};

/** The other_config keys, per feature. */
export const FEATURE_KEYS: Readonly<Record<keyof ChassisFeatures, string>> = {
  ctNoMaskedLabel: "ct-no-masked-label",
  ctLbRelated: "ovn-ct-lb-related",
  macBindingTimestamp: "mac-binding-timestamp",
};

/** An other_config boolean that defaults to false: only "true" (any case) is true, like OVS's smaps. */
function isTrue(m: ReadonlyMap<string, string>, key: string): boolean {
  return (m.get(key) ?? "").toLowerCase() === "true";
}

/** The features all local chassis share. */
export function chassisFeatures(
  chassis: Iterable<{ readonly otherConfig: ReadonlyMap<string, string> }>,
): ChassisFeatures {
  let ctNoMaskedLabel = true;
  let ctLbRelated = true;
  let macBindingTimestamp = true;
  for (const c of chassis) {
    if (isTrue(c.otherConfig, "is-remote")) continue;
    ctNoMaskedLabel &&= isTrue(c.otherConfig, FEATURE_KEYS.ctNoMaskedLabel);
    ctLbRelated &&= isTrue(c.otherConfig, FEATURE_KEYS.ctLbRelated);
    macBindingTimestamp &&= isTrue(c.otherConfig, FEATURE_KEYS.macBindingTimestamp);
  }
  return { ctNoMaskedLabel, ctLbRelated, macBindingTimestamp };
}

export function sameFeatures(a: ChassisFeatures, b: ChassisFeatures): boolean {
  return (
    a.ctNoMaskedLabel === b.ctNoMaskedLabel &&
    a.ctLbRelated === b.ctLbRelated &&
    a.macBindingTimestamp === b.macBindingTimestamp
  );
}

/** Where the conntrack bits northd sets live: "ct_mark" or, for controllers without it, "ct_label". */
export function ctBits(f: ChassisFeatures): "ct_mark" | "ct_label" {
  return f.ctNoMaskedLabel ? "ct_mark" : "ct_label";
}

/** The load-balancing conntrack action. */
export function ctLb(f: ChassisFeatures): "ct_lb_mark" | "ct_lb" {
  return f.ctNoMaskedLabel ? "ct_lb_mark" : "ct_lb";
}

/** The text of unixctl debug/chassis-features-list, as ovn-northd prints it. */
export function featuresList(f: ChassisFeatures): string {
  return [
    `ct_no_masked_label:    ${String(f.ctNoMaskedLabel)}`,
    `ct_lb_related:         ${String(f.ctLbRelated)}`,
    `mac_binding_timestamp: ${String(f.macBindingTimestamp)}`,
    "",
  ].join("\n");
}
