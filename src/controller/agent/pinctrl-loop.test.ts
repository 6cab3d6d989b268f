// The periodic RA schedule of PinctrlLoop, on a mocked clock: as ovn-controller 23.03 (observed in
// src/controller/pinctrl/peer/garp-diff.test.ts), a router port that starts advertising sends its
// first RA one interval later, not at once; a change of contents keeps the schedule, a change of
// intervals draws a new one.
import assert from "node:assert/strict";
import { mock, test } from "node:test";
import type { OfMessageBody } from "../../openflow/index.js";
import type { RaConfig } from "../pinctrl/ra.js";
import { PinctrlLoop } from "./pinctrl-loop.js";

const RA: RaConfig = {
  datapath: 1,
  port: 2,
  srcMac: "00:00:00:00:ff:01",
  srcIp: "fe80::200:ff:fe00:ff01",
  addressMode: "slaac",
  prefixes: [{ prefix: "fd00::", length: 64 }],
  minInterval: 3,
  maxInterval: 4,
};

test("PinctrlLoop: periodic RAs start one interval after the port starts advertising", () => {
  mock.timers.enable({ apis: ["setTimeout"] });
  let now = 0;
  const sent: OfMessageBody[] = [];
  const loop = new PinctrlLoop({
    now: () => now,
    openflow: () => ({ send: (m: OfMessageBody) => sent.push(m), wire: {} }),
    sbContext: () => undefined,
    writeSb: async () => undefined,
    // Every draw is the middle of [min, max]: 3.5 s.
    random: () => 0.5,
  });
  const advance = (ms: number) => {
    now += ms;
    mock.timers.tick(ms);
  };
  try {
    loop.setRaConfigs([RA]);
    advance(3499);
    assert.equal(sent.length, 0, "nothing before the first interval is over");
    advance(1);
    assert.equal(sent.length, 1, "the first RA at 3.5 s");
    // New contents, same intervals: still due at 7 s.
    loop.setRaConfigs([{ ...RA, mtu: 1400 }]);
    advance(3499);
    assert.equal(sent.length, 1);
    advance(1);
    assert.equal(sent.length, 2, "the second RA at 7 s");
    // New intervals: a new draw from now (7 s + 5 s).
    loop.setRaConfigs([{ ...RA, minInterval: 4, maxInterval: 6 }]);
    advance(4999);
    assert.equal(sent.length, 2);
    advance(1);
    assert.equal(sent.length, 3);
  } finally {
    loop.stop();
    mock.timers.reset();
  }
});
