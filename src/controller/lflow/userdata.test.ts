// Controller-action userdata against the bytes the real ovn-controller 23.03 installed
// (pinctrl/fixture-userdata.ts, from `ovs-ofctl dump-flows`) and, for the IPv6 RA options the fixture
// does not use, against the options of the RA the real pinctrl sent for them (observed by the pinctrl
// differential test, pinctrl/peer/actions-diff.test.ts).

import assert from "node:assert/strict";
import { test } from "node:test";
import { formatFlow } from "../../openflow/text.js";
import { USERDATA } from "../pinctrl/fixture-userdata.js";
import { IdAllocators } from "./alloc.js";
import { compileLogicalFlow } from "./compile.js";
import { chassisContext } from "./context.js";
import type { SbView } from "./sb.js";
import { toFlowMod } from "./to-model.js";

const SW = "00000000-0000-0000-0000-0000000000a1";

const VIEW: SbView = {
  flows: [],
  datapaths: [{ uuid: SW, tunnelKey: 1, name: "sw0", isRouter: false }],
  // A port bound here makes the switch local.
  ports: [
    {
      uuid: "00000001-0000-0000-0000-000000000001",
      logicalPort: "p1",
      datapath: SW,
      type: "",
      tunnelKey: 1,
      options: {},
      chassis: "hv1",
      mac: [],
      portSecurity: [],
      tag: null,
      parentPort: null,
      haChassis: [],
    },
  ],
  mcGroups: [],
  macBindings: [],
  chassis: [],
  addressSets: {},
  portGroups: {},
  dhcpv4Options: [
    { name: "offerip", code: 0, type: "ipv4" },
    { name: "router", code: 3, type: "ipv4" },
    { name: "T1", code: 58, type: "uint32" },
    { name: "bootfile_name", code: 67, type: "str" },
    { name: "next_server", code: 253, type: "ipv4" },
    { name: "bootfile_name_alt", code: 254, type: "str" },
  ],
  dhcpv6Options: [
    { name: "server_id", code: 2, type: "mac" },
    { name: "ia_addr", code: 5, type: "ipv6" },
    { name: "dns_server", code: 23, type: "ipv6" },
    { name: "domain_search", code: 24, type: "str" },
  ],
  loadBalancers: [],
  fdbs: [],
};

/** The userdata of the controller action the logical flow's actions compile to. */
function userdata(actions: string): string {
  const r = compileLogicalFlow(
    {
      uuid: "12345678-aaaa-bbbb-cccc-dddddddddddd",
      pipeline: "ingress",
      table: 20,
      priority: 100,
      match: "1",
      actions,
      datapaths: [SW],
      controllerMeter: null,
      inOutPort: null,
    },
    chassisContext(VIEW, "hv1"),
    new IdAllocators(),
  );
  assert.deepEqual(r.errors, []);
  const text = r.flows.map((f) => formatFlow(toFlowMod(f))).join("\n");
  const m = /userdata=([0-9a-f.]+)/.exec(text);
  assert.ok(m !== null, text);
  return m[1] as string;
}

test("put_dhcpv6_opts: domain_search is the plain string, as ovn-controller writes it", () => {
  assert.equal(
    userdata(
      'reg0[3] = put_dhcpv6_opts(ia_addr = 2001:db8::10, dns_server = {2001:db8::53}, domain_search = "example.org", server_id = 00:00:00:00:ff:02); next;',
    ),
    USERDATA.putDhcpv6Opts,
  );
});

test("put_nd_ra_opts: options in argument order, DNSSL included", () => {
  assert.equal(
    userdata(
      'reg0[5] = put_nd_ra_opts(addr_mode = "slaac", slla = 00:00:00:00:ff:01, mtu = 1450, rdnss = 2001:db8::53, dnssl = "example.org", prefix = 2001:db8::/64); next;',
    ),
    USERDATA.putNdRaOpts,
  );
});

test("put_nd_ra_opts: DNSSL of two domains and route information options", () => {
  const hex = (s: string) => s.replace(/ /g, "").replace(/(..)(?!$)/g, "$1.");
  const got = userdata(
    'reg0[5] = put_nd_ra_opts(addr_mode = "slaac", slla = 00:00:00:00:ff:01, dnssl = "ovn.test,a.b", route_info = "HIGH-aef1::11/48,LOW-aef2::11/96,x-aef3::/0", prefix = 2001:db8::/64); next;',
  );
  const ra = got.slice(got.indexOf("86.00.00.00"));
  assert.equal(
    ra,
    hex(
      "86000000 ff00ffff 00000000 00000000" +
        "0101 00000000ff01" +
        // DNSSL: type 31, 3 x 8 bytes: reserved, lifetime, 03ovn 04test 00 01a 01b 00, one byte of padding.
        "1f03 0000 ffffffff 036f766e 0474657374 00 0161 0162 00 00" +
        // Route information, HIGH /48 and LOW /96 (the prefix masked), medium ::/0 without prefix bytes.
        "18023008ffffffffaef1000000000000" +
        "18036018ffffffffaef20000000000000000000000000000" +
        "18010000ffffffff" +
        // The prefix information, last as given.
        "030440c0ffffffffffffffff0000000020010db8000000000000000000000000",
    ),
  );
});

test("put_dhcp_opts: offered address, then bootfile_name, bootfile_name_alt, next_server, then the rest in order", () => {
  const got = userdata(
    'reg0[3] = put_dhcp_opts(offerip = 10.0.0.11, T1 = 1000, bootfile_name_alt = "a", bootfile_name = "boot.ipxe", next_server = 10.0.0.69, router = 10.0.0.1); next;',
  );
  // After the 8-byte header and the result field (reg0 bit 3, 8 bytes).
  const body = got.split(".").slice(16).join("");
  assert.equal(
    body,
    "0a00000b" + // offerip
      "4309626f6f742e69707865" + // 67 "boot.ipxe"
      "fe0161" + // 254 "a"
      "fd040a000045" + // 253 10.0.0.69
      "3a04000003e8" + // T1 1000, in argument order from here
      "03040a000001", // router
  );
});
