// The tunnel ports a chassis wants, as the real ovn-controller 23.03 makes them (observed with three
// chassis: hv1 ovn-transport-zones=tz1, ovn-encap-tos=inherit, ovn-encap-df_default=false; hv2 tz1,tz2 and
// ovn-encap-csum=false; hv3 no zone → hv1's only tunnel goes to hv2 with csum=false df_default=false
// key=flow remote_ip=… tos=inherit, hv2's only to hv1 with csum=true, hv3 has none).

import assert from "node:assert/strict";
import { test } from "node:test";
import { localConfig } from "./config.js";
import { type RemoteChassis, sameTunnel, wantedTunnels, zonesOverlap } from "./tunnel-ports.js";

const chassis = (name: string, zones: string[], csum: string, ...types: string[]): RemoteChassis => ({
  name,
  transportZones: zones,
  encaps: types.map((type) => ({ type, ip: `ip-${name}`, options: new Map([["csum", csum]]) })),
});

const ALL = [
  chassis("hv1", ["tz1"], "true", "geneve"),
  chassis("hv2", ["tz1", "tz2"], "false", "geneve"),
  chassis("hv3", [], "true", "geneve"),
];

const cfg = (ids: [string, string][]) => localConfig(new Map([["ovn-encap-ip", "ip-me"], ...ids]), []);

const text = (m: Map<string, { type: string; options: ReadonlyMap<string, string> }>) =>
  [...m].map(([ch, w]) => `${ch} ${w.type} ${[...w.options].map(([k, v]) => `${k}=${v}`).join(" ")}`);

test("transport zones: shared zone, or none on both sides", () => {
  assert.ok(zonesOverlap([], []));
  assert.ok(zonesOverlap(["tz1"], ["tz2", "tz1"]));
  assert.ok(!zonesOverlap(["tz1"], []));
  assert.ok(!zonesOverlap([], ["tz1"]));
  assert.ok(!zonesOverlap(["tz1"], ["tz2"]));
});

test("wantedTunnels: zones, csum from the remote Encap, tos and df_default from here", () => {
  const hv1 = cfg([
    ["system-id", "hv1"],
    ["ovn-transport-zones", "tz1"],
    ["ovn-encap-tos", "inherit"],
    ["ovn-encap-df_default", "false"],
  ]);
  assert.deepEqual(text(wantedTunnels(hv1, ALL)), [
    "hv2 geneve remote_ip=ip-hv2 key=flow csum=false tos=inherit df_default=false",
  ]);
  const hv2 = cfg([
    ["system-id", "hv2"],
    ["ovn-transport-zones", "tz1,tz2"],
  ]);
  assert.deepEqual(text(wantedTunnels(hv2, ALL)), ["hv1 geneve remote_ip=ip-hv1 key=flow csum=true"]);
  assert.deepEqual(text(wantedTunnels(cfg([["system-id", "hv3"]]), ALL)), []);
});

test("wantedTunnels: encapsulation preference, local_ip on request, nothing without an encap IP", () => {
  const remote = [chassis("a", [], "true", "vxlan", "geneve"), chassis("b", [], "true", "vxlan")];
  const me = cfg([
    ["system-id", "me"],
    ["ovn-encap-type", "vxlan,geneve"],
    ["ovn-set-local-ip", "true"],
  ]);
  assert.deepEqual(text(wantedTunnels(me, remote)), [
    "a geneve remote_ip=ip-a local_ip=ip-me key=flow csum=true",
    "b vxlan remote_ip=ip-b local_ip=ip-me key=flow csum=true",
  ]);
  assert.equal(wantedTunnels(localConfig(new Map([["system-id", "me"]]), []), remote).size, 0);
});

test("sameTunnel compares type and every option", () => {
  const w = {
    type: "geneve",
    options: new Map([
      ["remote_ip", "x"],
      ["key", "flow"],
    ]),
  };
  assert.ok(
    sameTunnel(w, {
      type: "geneve",
      options: new Map([
        ["key", "flow"],
        ["remote_ip", "x"],
      ]),
    }),
  );
  assert.ok(!sameTunnel(w, { type: "vxlan", options: w.options }));
  assert.ok(!sameTunnel(w, { type: "geneve", options: new Map([["remote_ip", "x"]]) }));
  assert.ok(!sameTunnel(w, { type: "geneve", options: new Map([...w.options, ["csum", "true"]]) }));
});
