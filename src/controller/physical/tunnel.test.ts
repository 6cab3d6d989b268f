// Tunnel encapsulations as the physical flows print them: the choice of encapsulation per remote
// chassis, and for VXLAN the VNI layout and input flows the real ovn-controller 23.03 installs
// (observed with two chassis on ovn-encap-type=vxlan: `ovs-ofctl dump-flows br-int`).

import assert from "node:assert/strict";
import { test } from "node:test";
import { formatFlow } from "../../openflow/text.js";
import { localDatapaths } from "../lflow/context.js";
import type { Flow } from "../lflow/flow.js";
import type { SbChassis, SbPortBinding, SbView } from "../lflow/sb.js";
import { toFlowMod } from "../lflow/to-model.js";
import { type PhysicalInput, physicalFlows } from "./index.js";
import { preferredEncap, tunnelTypeTo, vxlanEgressKey } from "./tunnel.js";

const SW = "00000000-0000-0000-0000-0000000000a1";

function port(uuid: string, name: string, key: number, chassis: string): SbPortBinding {
  return {
    uuid,
    logicalPort: name,
    datapath: SW,
    type: "",
    tunnelKey: key,
    options: {},
    chassis,
    mac: [],
    portSecurity: [],
    tag: null,
    parentPort: null,
    haChassis: [],
  };
}

const ch = (name: string, ...types: string[]): SbChassis => ({
  uuid: `uuid-${name}`,
  name,
  encaps: types.map((type) => ({ type, ip: `ip-${name}` })),
});

function viewWith(chassis: SbChassis[]): SbView {
  return {
    flows: [],
    datapaths: [{ uuid: SW, tunnelKey: 5, name: "sw0", isRouter: false }],
    ports: [
      port("aaaaaaa1-0000-0000-0000-000000000000", "p1", 1, "hv1"),
      port("aaaaaaa2-0000-0000-0000-000000000000", "p2", 2, "hv2"),
      port("aaaaaaa3-0000-0000-0000-000000000000", "p3", 3, "hv3"),
    ],
    mcGroups: [
      {
        uuid: "bbbbbbb1-0000-0000-0000-000000000000",
        datapath: SW,
        name: "_MC_flood",
        tunnelKey: 0x8000,
        ports: ["p1", "p2", "p3"],
      },
    ],
    macBindings: [],
    chassis,
    addressSets: {},
    portGroups: {},
    dhcpv4Options: [],
    dhcpv6Options: [],
    loadBalancers: [],
    fdbs: [],
  };
}

function flowsFor(chassis: SbChassis[]): string[] {
  const view = viewWith(chassis);
  const input: PhysicalInput = {
    chassis: "hv1",
    view,
    localDatapaths: localDatapaths(view, "hv1"),
    vifPorts: new Map([["p1", 7]]),
    tunnelPorts: new Map([
      ["hv2", 2],
      ["hv3", 3],
    ]),
    localnetPorts: new Map(),
    ctZone: () => 1,
    dnatZone: () => 2,
    snatZone: () => 3,
  };
  return physicalFlows(input).map((f: Flow) => formatFlow(toFlowMod(f)).trim());
}

function has(lines: string[], line: string): void {
  assert.ok(
    lines.includes(line),
    `missing: ${line}\nhave:\n${lines.filter((l) => /^(priority|.*table=39)/.test(l)).join("\n")}`,
  );
}

test("preferredEncap: Geneve over STT over VXLAN, among the types this chassis speaks", () => {
  const remote = [
    { type: "vxlan", ip: "1" },
    { type: "geneve", ip: "2" },
  ];
  assert.equal(preferredEncap(["geneve", "vxlan"], remote)?.ip, "2");
  assert.equal(preferredEncap(["vxlan", "geneve"], remote)?.ip, "2");
  assert.equal(preferredEncap(["vxlan"], remote)?.ip, "1");
  assert.equal(preferredEncap(["stt"], remote), undefined);
  assert.equal(preferredEncap(["geneve"], [{ type: "stt", ip: "3" }]), undefined);
});

test("tunnelTypeTo follows the Encap rows of both chassis; Geneve when the view does not say", () => {
  const view = viewWith([ch("hv1", "geneve", "vxlan"), ch("hv2", "vxlan"), ch("hv3", "vxlan", "geneve")]);
  assert.equal(tunnelTypeTo({ view, chassis: "hv1" }, "hv2"), "vxlan");
  assert.equal(tunnelTypeTo({ view, chassis: "hv1" }, "hv3"), "geneve");
  assert.equal(tunnelTypeTo({ view, chassis: "hv1" }, "hv9"), "geneve");
  assert.equal(tunnelTypeTo({ view: viewWith([]), chassis: "hv1" }, "hv2"), "geneve");
});

test("VXLAN egress keys: unicast as is, multicast 0x8000+n folded to 0x800+n", () => {
  assert.equal(vxlanEgressKey(2), 2);
  assert.equal(vxlanEgressKey(0x8000), 0x800);
  assert.equal(vxlanEgressKey(0x8004), 0x804);
});

test("VXLAN: table 0 reads datapath and egress port from the VNI (multicast at 105); table 39 writes them", () => {
  const lines = flowsFor([ch("hv1", "vxlan"), ch("hv2", "vxlan"), ch("hv3", "vxlan")]);
  has(
    lines,
    "priority=105,tun_id=0x800000/0x800000,in_port=2 actions=set_field:0x8000/0x8000->reg15,move:NXM_NX_TUN_ID[12..22]->NXM_NX_REG15[0..10],move:NXM_NX_TUN_ID[0..11]->OXM_OF_METADATA[0..11],resubmit(,40)",
  );
  has(
    lines,
    "priority=100,in_port=2 actions=move:NXM_NX_TUN_ID[12..23]->NXM_NX_REG15[0..11],move:NXM_NX_TUN_ID[0..11]->OXM_OF_METADATA[0..11],resubmit(,40)",
  );
  has(
    lines,
    "cookie=0xaaaaaaa2, table=39, priority=100,reg15=0x2,metadata=0x5 actions=set_field:0x2005/0xffffff->tun_id,output:2,resubmit(,40)",
  );
  has(
    lines,
    "cookie=0xbbbbbbb1, table=39, priority=100,reg15=0x8000,metadata=0x5 actions=set_field:0x800005/0xffffff->tun_id,output:2,output:3,resubmit(,40)",
  );
  assert.ok(
    !lines.some((l) => l.includes("tun_metadata0") || l.includes("TUN_METADATA0")),
    "no Geneve option",
  );
});

test("mixed: a flood sets each encapsulation before the tunnels of that type", () => {
  const lines = flowsFor([ch("hv1", "geneve", "vxlan"), ch("hv2", "vxlan"), ch("hv3", "geneve")]);
  has(
    lines,
    "cookie=0xbbbbbbb1, table=39, priority=100,reg15=0x8000,metadata=0x5 actions=set_field:0x5/0xffffff->tun_id,set_field:0x8000->tun_metadata0,move:NXM_NX_REG14[0..14]->NXM_NX_TUN_METADATA0[16..30],output:3,set_field:0x800005/0xffffff->tun_id,output:2,resubmit(,40)",
  );
  // Geneve input on hv3's tunnel, VXLAN input on hv2's.
  has(
    lines,
    "priority=100,in_port=3 actions=move:NXM_NX_TUN_ID[0..23]->OXM_OF_METADATA[0..23],move:NXM_NX_TUN_METADATA0[16..30]->NXM_NX_REG14[0..14],move:NXM_NX_TUN_METADATA0[0..15]->NXM_NX_REG15[0..15],resubmit(,40)",
  );
  assert.ok(lines.some((l) => l.startsWith("priority=105,tun_id=0x800000/0x800000,in_port=2 ")));
  assert.ok(!lines.some((l) => l.startsWith("priority=105,tun_id=0x800000/0x800000,in_port=3 ")));
});

test("STT: the 64-bit tunnel id carries datapath, egress and ingress ports", () => {
  const lines = flowsFor([ch("hv1", "stt"), ch("hv2", "stt"), ch("hv3", "stt")]);
  has(
    lines,
    "cookie=0xaaaaaaa2, table=39, priority=100,reg15=0x2,metadata=0x5 actions=set_field:0x2000005->tun_id,move:NXM_NX_REG14[0..14]->NXM_NX_TUN_ID[40..54],output:2,resubmit(,40)",
  );
  has(
    lines,
    "priority=100,in_port=2 actions=move:NXM_NX_TUN_ID[0..23]->OXM_OF_METADATA[0..23],move:NXM_NX_TUN_ID[40..54]->NXM_NX_REG14[0..14],move:NXM_NX_TUN_ID[24..39]->NXM_NX_REG15[0..15],resubmit(,40)",
  );
});
