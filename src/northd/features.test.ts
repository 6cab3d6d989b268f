import assert from "node:assert/strict";
import { test } from "node:test";
import { ALL_FEATURES, chassisFeatures, ctBits, ctLb, featuresList, sameFeatures } from "./features.js";

const ch = (o: Record<string, string>) => ({ otherConfig: new Map(Object.entries(o)) });
const FULL = { "ct-no-masked-label": "true", "ovn-ct-lb-related": "true", "mac-binding-timestamp": "true" };

test("features: all local chassis must have one", () => {
  assert.deepEqual(chassisFeatures([]), ALL_FEATURES);
  assert.deepEqual(chassisFeatures([ch(FULL)]), ALL_FEATURES);
  assert.deepEqual(chassisFeatures([ch(FULL), ch({})]), {
    ctNoMaskedLabel: false,
    ctLbRelated: false,
    macBindingTimestamp: false,
  });
  // Only "true" in any case counts; "yes" or "1" do not (an OVS smap boolean defaulting to false).
  assert.deepEqual(
    chassisFeatures([
      ch({ "ct-no-masked-label": "TRUE", "ovn-ct-lb-related": "yes", "mac-binding-timestamp": "1" }),
    ]),
    { ctNoMaskedLabel: true, ctLbRelated: false, macBindingTimestamp: false },
  );
  // Remote (ovn-ic) chassis are left out.
  assert.deepEqual(chassisFeatures([ch(FULL), ch({ "is-remote": "true" })]), ALL_FEATURES);
  assert.equal(chassisFeatures([ch({ "is-remote": "false" })]).ctNoMaskedLabel, false);
});

test("features: the names flows use, and the unixctl list", () => {
  const none = chassisFeatures([ch({})]);
  assert.equal(ctBits(ALL_FEATURES), "ct_mark");
  assert.equal(ctBits(none), "ct_label");
  assert.equal(ctLb(ALL_FEATURES), "ct_lb_mark");
  assert.equal(ctLb(none), "ct_lb");
  assert.ok(sameFeatures(ALL_FEATURES, chassisFeatures([])));
  assert.ok(!sameFeatures(ALL_FEATURES, none));
  assert.equal(
    featuresList(none),
    "ct_no_masked_label:    false\nct_lb_related:         false\nmac_binding_timestamp: false\n",
  );
});
