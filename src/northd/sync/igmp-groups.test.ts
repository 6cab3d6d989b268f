// Learned multicast groups: address families as ovn-northd reads them, and tunnel keys that stay with
// their group and fill the lowest free ones for new groups.
import assert from "node:assert/strict";
import { test } from "node:test";
import { allocateGroupKeys, groupFamily, IP_MCAST_KEY_MIN } from "./igmp-groups.js";

test("group address families: IPv4, IPv4-mapped IPv6 counts as IPv4, IPv6, not an address", () => {
  assert.equal(groupFamily("239.1.1.1"), "ip4");
  assert.equal(groupFamily("::ffff:239.6.6.6"), "ip4");
  assert.equal(groupFamily("ff0e::1234"), "ip6");
  assert.equal(groupFamily("bogus"), undefined);
  assert.equal(groupFamily("mrouters"), undefined);
  assert.equal(groupFamily("239.1.1"), undefined);
});

test("group tunnel keys: existing kept, new ones take the lowest free from 32774", () => {
  const g = (address: string) => ({ address, ipv4: true, ports: ["p"] });
  const keys = allocateGroupKeys(
    [g("239.0.0.1"), g("239.0.0.2"), g("239.0.0.3"), g("239.0.0.4")],
    new Map([
      ["239.0.0.3", IP_MCAST_KEY_MIN],
      ["239.0.0.4", IP_MCAST_KEY_MIN + 2],
      ["gone", IP_MCAST_KEY_MIN + 1],
    ]),
  );
  assert.deepEqual([...keys].sort(), [
    ["239.0.0.1", IP_MCAST_KEY_MIN + 1],
    ["239.0.0.2", IP_MCAST_KEY_MIN + 3],
    ["239.0.0.3", IP_MCAST_KEY_MIN],
    ["239.0.0.4", IP_MCAST_KEY_MIN + 2],
  ]);
  // A key outside the range (a fixed group's) is not reused.
  assert.deepEqual(
    [...allocateGroupKeys([g("239.0.0.9")], new Map([["239.0.0.9", 32768]]))],
    [["239.0.0.9", 32774]],
  );
});
