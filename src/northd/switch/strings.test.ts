// The string builders of the ARP/ND, LB and DHCP stages.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ipv6Net, parseIpv6 } from "../addr.js";
import type { LbVip, LoadBalancer } from "../model.js";
import { arpReply, ndReply, nsMatch } from "./arp-nd.js";
import { optionList } from "./dhcp.js";
import { backendList, hostPort, lbAction } from "./lb.js";

test("ARP and ND replies", () => {
  assert.equal(
    arpReply("00:00:00:00:00:01", "10.0.0.1"),
    "eth.dst = eth.src; eth.src = 00:00:00:00:00:01; arp.op = 2; /* ARP reply */ arp.tha = arp.sha; arp.sha = 00:00:00:00:00:01; " +
      "arp.tpa = arp.spa; arp.spa = 10.0.0.1; outport = inport; flags.loopback = 1; output;",
  );
  assert.equal(
    ndReply("nd_na_router", "00:00:00:00:ff:01", "fd00::fe"),
    "nd_na_router { eth.src = 00:00:00:00:ff:01; ip6.src = fd00::fe; nd.target = fd00::fe; nd.tll = 00:00:00:00:ff:01; outport = inport; flags.loopback = 1; output; };",
  );
  const n = ipv6Net(parseIpv6("fe80::200:ff:fe00:ff01") ?? 0n, 64);
  assert.equal(
    nsMatch(n),
    "nd_ns && ip6.dst == {fe80::200:ff:fe00:ff01, ff02::1:ff00:ff01} && nd.target == fe80::200:ff:fe00:ff01",
  );
});

test("LB backends: IPv6 in brackets only with a port", () => {
  assert.equal(hostPort("fd00::1", 6, 80), "[fd00::1]:80");
  assert.equal(hostPort("fd00::1", 6, undefined), "fd00::1");
  assert.equal(
    backendList([
      { ip: "10.0.0.1", family: 4, port: 8080 },
      { ip: "10.0.0.2", family: 4, port: undefined },
    ]),
    "10.0.0.1:8080,10.0.0.2",
  );
});

test("LB action: balance, hash fields, drop or reject without backends", () => {
  const vip: LbVip = {
    key: "10.0.0.100:80",
    ip: "10.0.0.100",
    family: 4,
    port: 80,
    backendsText: "10.0.0.1:80",
    backends: [{ ip: "10.0.0.1", family: 4, port: 80 }],
  };
  const lb = (
    options: [string, string][],
    fields: LoadBalancer["nb"]["selectionFields"] = [],
  ): LoadBalancer =>
    ({
      protocol: "tcp",
      nb: { options: new Map(options), selectionFields: fields },
    }) as unknown as LoadBalancer;
  assert.equal(lbAction(lb([]), vip), "reg0[1] = 0; ct_lb_mark(backends=10.0.0.1:80);");
  assert.equal(
    lbAction(lb([], ["ip_src", "ip_dst"]), vip),
    'reg0[1] = 0; ct_lb_mark(backends=10.0.0.1:80; hash_fields="ip_dst,ip_src");',
  );
  assert.equal(lbAction(lb([]), vip, []), "drop;");
  assert.equal(
    lbAction(lb([["reject", "true"]]), vip, []),
    "reg0 = 0; reject { outport <-> inport; next(pipeline=egress,table=5);};",
  );
});

test("DHCP option lists are sorted by name, values as written", () => {
  const opts = new Map([
    ["server_mac", "c0:ff:ee:00:00:01"],
    ["router", "10.0.0.1"],
    ["dns_server", "{8.8.8.8, 8.8.4.4}"],
    ["lease_time", "3600"],
  ]);
  assert.equal(
    optionList(opts, ["server_mac"]),
    "dns_server = {8.8.8.8, 8.8.4.4}, lease_time = 3600, router = 10.0.0.1",
  );
});
