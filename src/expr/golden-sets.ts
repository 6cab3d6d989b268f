// The address sets and port groups that the golden files under test/golden/expr/ refer to, shared by
// the golden runner and the peer test that checks the golden files against OVN.

export const GOLDEN_SETS: Readonly<Record<string, readonly string[]>> = {
  set1: ["10.0.0.1", "10.0.0.2"],
  set2: ["10.0.0.0/24", "192.168.0.1"],
  set6: ["fe80::1", "fd00::/64"],
  macs: ["00:00:00:00:00:01", "00:00:00:00:00:02"],
  empty: [],
};

export const GOLDEN_PORT_GROUPS: Readonly<Record<string, readonly string[]>> = {
  pg1: ["lp1", "lp2"],
  pgempty: [],
};
