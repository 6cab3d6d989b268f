// Physical flows as text for a small binding state: one local VIF, one port on another chassis behind
// a Geneve tunnel, a router patch pair, a localnet port and a multicast group.  The shapes are the
// ones the real ovn-controller 23.03 installs (lflow/peer/corpus, compared in lflow/corpus.test.ts);
// zones come from a fixed allocation here.

import assert from "node:assert/strict";
import { test } from "node:test";
import { formatFlow } from "../../openflow/text.js";
import { localDatapaths } from "../lflow/context.js";
import type { Flow } from "../lflow/flow.js";
import type { SbPortBinding, SbView } from "../lflow/sb.js";
import { sbPortBinding } from "../lflow/sb-fixture.js";
import { toFlowMod } from "../lflow/to-model.js";
import { type PhysicalInput, physicalFlows } from "./index.js";

const SW = "00000000-0000-0000-0000-0000000000a1";
const LR = "00000000-0000-0000-0000-0000000000b1";

function port(
  uuid: string,
  name: string,
  dp: string,
  key: number,
  extra: Partial<SbPortBinding> = {},
): SbPortBinding {
  return sbPortBinding({ uuid, logicalPort: name, datapath: dp, tunnelKey: key, chassis: "hv1", ...extra });
}

const view: SbView = {
  flows: [],
  datapaths: [
    { uuid: SW, tunnelKey: 1, name: "sw0", isRouter: false },
    { uuid: LR, tunnelKey: 2, name: "lr0", isRouter: true },
  ],
  ports: [
    port("aaaaaaa1-0000-0000-0000-000000000000", "p1", SW, 1),
    port("aaaaaaa2-0000-0000-0000-000000000000", "p2", SW, 2, { chassis: "hv2" }),
    port("aaaaaaa3-0000-0000-0000-000000000000", "sw0-lr0", SW, 3, {
      type: "patch",
      chassis: null,
      options: { peer: "lrp0" },
    }),
    port("aaaaaaa4-0000-0000-0000-000000000000", "ln", SW, 4, {
      type: "localnet",
      chassis: null,
      options: { network_name: "phys" },
    }),
    port("aaaaaaa5-0000-0000-0000-000000000000", "lrp0", LR, 1, {
      type: "patch",
      chassis: null,
      options: { peer: "sw0-lr0" },
    }),
  ],
  mcGroups: [
    {
      uuid: "bbbbbbb1-0000-0000-0000-000000000000",
      datapath: SW,
      name: "_MC_flood",
      tunnelKey: 0x8000,
      ports: ["p1", "p2", "sw0-lr0", "ln"],
    },
  ],
  macBindings: [],
  chassis: [],
  addressSets: {},
  portGroups: {},
  dhcpv4Options: [],
  dhcpv6Options: [],
  loadBalancers: [],
  fdbs: [],
};

const zones: Record<string, number> = { p1: 11, ln: 12 };
const input: PhysicalInput = {
  chassis: "hv1",
  view,
  localDatapaths: localDatapaths(view, "hv1"),
  vifPorts: new Map([["p1", 5]]),
  tunnelPorts: new Map([["hv2", 1]]),
  localnetPorts: new Map([["ln", 2]]),
  ctZone: (p) => zones[p],
  dnatZone: (dp) => (dp === SW ? 21 : 31),
  snatZone: (dp) => (dp === SW ? 22 : 32),
};

const flowText = (f: Flow) => formatFlow(toFlowMod(f));
const lines = physicalFlows(input).map((f) => flowText(f).trim());
const has = (line: string) => assert.ok(lines.includes(line), `missing: ${line}\nhave:\n${lines.join("\n")}`);

test("a local VIF: input, local output with zones, loopback check, output", () => {
  has(
    "cookie=0xaaaaaaa1, priority=100,in_port=5 actions=set_field:0xb->reg13,set_field:0x15->reg11,set_field:0x16->reg12,set_field:0x1->metadata,set_field:0x1->reg14,resubmit(,8)",
  );
  has(
    "cookie=0xaaaaaaa1, table=40, priority=100,reg15=0x1,metadata=0x1 actions=set_field:0xb->reg13,set_field:0x15->reg11,set_field:0x16->reg12,resubmit(,41)",
  );
  has("cookie=0xaaaaaaa1, table=41, priority=100,reg10=0/0x1,reg14=0x1,reg15=0x1,metadata=0x1 actions=drop");
  has("cookie=0xaaaaaaa1, table=65, priority=100,reg15=0x1,metadata=0x1 actions=output:5");
});

test("a port on another chassis goes through its tunnel when the switch's localnet is not plugged here; tunnel input sets datapath and ports", () => {
  const unplugged = physicalFlows({ ...input, localnetPorts: new Map() }).map((f) => flowText(f).trim());
  const line =
    "cookie=0xaaaaaaa2, table=39, priority=100,reg15=0x2,metadata=0x1 actions=set_field:0x1/0xffffff->tun_id,set_field:0x2->tun_metadata0,move:NXM_NX_REG14[0..14]->NXM_NX_TUN_METADATA0[16..30],output:1,resubmit(,40)";
  assert.ok(unplugged.includes(line), `missing: ${line}`);
  assert.ok(!lines.includes(line), "no tunnel output while the localnet is plugged");
  has(
    "priority=100,in_port=1 actions=move:NXM_NX_TUN_ID[0..23]->OXM_OF_METADATA[0..23],move:NXM_NX_TUN_METADATA0[16..30]->NXM_NX_REG14[0..14],move:NXM_NX_TUN_METADATA0[0..15]->NXM_NX_REG15[0..15],resubmit(,40)",
  );
});

test("a patch port re-enters the peer datapath in a clone", () => {
  const clone = lines.find((l) => l.startsWith("cookie=0xaaaaaaa3, table=65"));
  assert.ok(
    clone?.includes(
      "clone(ct_clear,set_field:0->reg11,set_field:0->reg12,set_field:0->reg13,set_field:0x1f->reg11,set_field:0x20->reg12,set_field:0x2->metadata,set_field:0x1->reg14,set_field:0->reg10,set_field:0->reg15,set_field:0->reg0",
    ),
    clone,
  );
});

test("a patch port to a datapath that is not local here loads no NAT zones for it (it has none)", () => {
  const notLocal = { ...input, localDatapaths: new Set([SW]) };
  const clone = physicalFlows(notLocal)
    .map((f) => flowText(f).trim())
    .find((l) => l.startsWith("cookie=0xaaaaaaa3, table=65"));
  assert.ok(
    clone?.includes(
      "clone(ct_clear,set_field:0->reg11,set_field:0->reg12,set_field:0->reg13,set_field:0x2->metadata,set_field:0x1->reg14,",
    ),
    clone,
  );
});

test("a port on another chassis is reached through the plugged localnet port, like ovn-controller", () => {
  has(
    "cookie=0xaaaaaaa2, table=40, priority=100,reg15=0x2,metadata=0x1 actions=set_field:0x4->reg15,resubmit(,40)",
  );
});

test("localnet: untagged and priority-tagged input, never out from a tunnel or localport", () => {
  has(
    "cookie=0xaaaaaaa4, priority=100,in_port=2,vlan_tci=0x0000/0x1000 actions=set_field:0xc->reg13,set_field:0x15->reg11,set_field:0x16->reg12,set_field:0x1->metadata,set_field:0x4->reg14,resubmit(,8)",
  );
  has(
    "cookie=0xaaaaaaa4, priority=100,in_port=2,dl_vlan=0 actions=pop_vlan,set_field:0xc->reg13,set_field:0x15->reg11,set_field:0x16->reg12,set_field:0x1->metadata,set_field:0x4->reg14,resubmit(,8)",
  );
  has("cookie=0xaaaaaaa4, table=41, priority=160,reg10=0x10/0x10,reg15=0x4,metadata=0x1 actions=drop");
  has("cookie=0xaaaaaaa4, table=65, priority=100,reg15=0x4,metadata=0x1 actions=output:2");
});

test("a multicast group: patch members in table 39, local and localnet members in table 40; no tunnel copy while the localnet is plugged", () => {
  has(
    "cookie=0xbbbbbbb1, table=39, priority=100,reg15=0x8000,metadata=0x1 actions=set_field:0x3->reg15,resubmit(,41),set_field:0x8000->reg15,resubmit(,40)",
  );
  has(
    "cookie=0xbbbbbbb1, table=40, priority=100,reg15=0x8000,metadata=0x1 actions=set_field:0xb->reg13,set_field:0x1->reg15,resubmit(,41),set_field:0xc->reg13,set_field:0x4->reg15,resubmit(,41),set_field:0x8000->reg15",
  );
});

test("a multicast group of a switch without a plugged localnet copies to remote chassis through their tunnels", () => {
  const unplugged = physicalFlows({ ...input, localnetPorts: new Map() }).map((f) => flowText(f).trim());
  const line =
    "cookie=0xbbbbbbb1, table=39, priority=100,reg15=0x8000,metadata=0x1 actions=set_field:0x3->reg15,resubmit(,41),set_field:0x8000->reg15,set_field:0x1/0xffffff->tun_id,set_field:0x8000->tun_metadata0,move:NXM_NX_REG14[0..14]->NXM_NX_TUN_METADATA0[16..30],output:1,resubmit(,40)";
  assert.ok(unplugged.includes(line), `missing: ${line}`);
});

test("the router datapath is local through the patch port", () => {
  assert.deepEqual([...input.localDatapaths].sort(), [SW, LR].sort());
});

test("a tagged localnet: tagged input only, output pushes the tag and pops it after (ovn-controller's mod_vlan_vid)", () => {
  const tagged: SbView = {
    ...view,
    ports: view.ports.map((p) => (p.logicalPort === "ln" ? { ...p, tag: 100 } : p)),
  };
  const out = physicalFlows({ ...input, view: tagged, localDatapaths: localDatapaths(tagged, "hv1") }).map(
    (f) => flowText(f).trim(),
  );
  const want = [
    "cookie=0xaaaaaaa4, priority=100,in_port=2,dl_vlan=100 actions=pop_vlan,set_field:0xc->reg13,set_field:0x15->reg11,set_field:0x16->reg12,set_field:0x1->metadata,set_field:0x4->reg14,resubmit(,8)",
    "cookie=0xaaaaaaa4, table=65, priority=100,reg15=0x4,metadata=0x1 actions=push_vlan:0x8100,set_field:4196->vlan_vid,output:2,pop_vlan",
  ];
  for (const w of want)
    assert.ok(
      out.includes(w),
      `missing: ${w}\nhave:\n${out.filter((l) => l.includes("0xaaaaaaa4")).join("\n")}`,
    );
  assert.ok(!out.some((l) => l.includes("in_port=2,vlan_tci=0x0000/0x1000")), "no untagged input");
});

test("an l3gateway port bound to another chassis is reached through that chassis's tunnel", () => {
  const gw = port("aaaaaaa6-0000-0000-0000-000000000000", "sw0-gw", SW, 6, {
    type: "l3gateway",
    chassis: "hv2",
    options: { peer: "gw-sw0", "l3gateway-chassis": "hv2" },
  });
  const withGw: SbView = { ...view, ports: [...view.ports, gw] };
  const out = physicalFlows({ ...input, view: withGw, localnetPorts: new Map() }).map((f) =>
    flowText(f).trim(),
  );
  const line =
    "cookie=0xaaaaaaa6, table=39, priority=100,reg15=0x6,metadata=0x1 actions=set_field:0x1/0xffffff->tun_id,set_field:0x6->tun_metadata0,move:NXM_NX_REG14[0..14]->NXM_NX_TUN_METADATA0[16..30],output:1,resubmit(,40)";
  assert.ok(
    out.includes(line),
    `missing: ${line}\nhave:\n${out.filter((l) => l.includes("0xaaaaaaa6")).join("\n")}`,
  );
});

test("a bridged gateway port on another chassis: out through the switch's localnet as the router port, no tunnel", () => {
  const cr = port("aaaaaaa7-0000-0000-0000-000000000000", "cr-lrp0", LR, 2, {
    type: "chassisredirect",
    chassis: "hv2",
    mac: ["00:00:00:00:ff:01 10.0.0.1/24"],
    options: { "distributed-port": "lrp0", "redirect-type": "Bridged" },
    haChassis: [{ chassis: "hv2", priority: 10 }],
  });
  const withCr: SbView = { ...view, ports: [...view.ports, cr] };
  const ctx = { ...input, view: withCr, localDatapaths: localDatapaths(withCr, "hv1") };
  const out = physicalFlows(ctx).map((f) => flowText(f).trim());
  const mine = out.filter((l) => l.includes("0xaaaaaaa7"));
  assert.deepEqual(mine, [
    "cookie=0xaaaaaaa7, table=40, priority=100,reg15=0x2,metadata=0x2 actions=set_field:00:00:00:00:ff:01->eth_src,set_field:0x1->metadata,set_field:0x4->reg15,resubmit(,65)",
  ]);
  // Without the localnet plugged here, nothing (not the tunnel): the redirect is dropped.
  const unplugged = physicalFlows({ ...ctx, localnetPorts: new Map() }).map((f) => flowText(f).trim());
  assert.deepEqual(
    unplugged.filter((l) => l.includes("0xaaaaaaa7")),
    [],
  );
});

test("a VTEP gateway port: ramp-switch input from its VXLAN tunnel, output and floods with the switch key as VNI", () => {
  const vtep = port("aaaaaaa8-0000-0000-0000-000000000000", "lp-vtep", SW, 8, {
    type: "vtep",
    chassis: "vtep1",
  });
  const withVtep: SbView = {
    ...view,
    ports: [...view.ports, vtep],
    mcGroups: [
      {
        uuid: "bbbbbbb2-0000-0000-0000-000000000000",
        datapath: SW,
        name: "_MC_unknown",
        tunnelKey: 0x8001,
        ports: ["p1", "lp-vtep"],
      },
    ],
    chassis: [
      {
        uuid: "c1",
        name: "hv1",
        encaps: [
          { type: "geneve", ip: "192.168.0.1" },
          { type: "vxlan", ip: "192.168.0.1" },
        ],
      },
      { uuid: "c2", name: "vtep1", encaps: [{ type: "vxlan", ip: "192.168.0.50" }] },
    ],
  };
  const ctx = {
    ...input,
    view: withVtep,
    localDatapaths: localDatapaths(withVtep, "hv1"),
    localnetPorts: new Map<string, number>(),
    tunnelPorts: new Map([["vtep1", 7]]),
  };
  const out = physicalFlows(ctx).map((f) => flowText(f).trim());
  for (const w of [
    "cookie=0xaaaaaaa8, priority=110,tun_id=0x1,in_port=7 actions=move:NXM_NX_TUN_ID[0..23]->OXM_OF_METADATA[0..23],set_field:0x8/0x7fff->reg14,set_field:0x2/0x2->reg10,resubmit(,8)",
    "cookie=0xaaaaaaa8, table=39, priority=100,reg15=0x8,metadata=0x1 actions=set_field:ANY->in_port,set_field:0x1/0xffffff->tun_id,output:7,resubmit(,40)",
    "cookie=0xbbbbbbb2, table=39, priority=100,reg15=0x8001,metadata=0x1 actions=set_field:0x1/0xffffff->tun_id,output:7,resubmit(,40)",
  ])
    assert.ok(
      out.includes(w),
      `missing: ${w}\nhave:\n${out.filter((l) => /0xaaaaaaa8|0xbbbbbbb2|in_port=7/.test(l)).join("\n")}`,
    );
});

test("a multichassis port (live migration): local on its additional chassis, a copy through the tunnel to its other chassis, in floods too", () => {
  // p1 bound to hv2 with hv1 as additional chassis; the switch's localnet not plugged (tunnels are used).
  const migrating: SbView = {
    ...view,
    ports: view.ports.map((p) =>
      p.logicalPort === "p1" ? { ...p, chassis: "hv2", additionalChassis: ["hv1"] } : p,
    ),
  };
  const got = physicalFlows({ ...input, view: migrating, localnetPorts: new Map() }).map((f) =>
    flowText(f).trim(),
  );
  const want = [
    // Still local here: input from its VIF and output to it.
    "cookie=0xaaaaaaa1, priority=100,in_port=5 actions=set_field:0xb->reg13,set_field:0x15->reg11,set_field:0x16->reg12,set_field:0x1->metadata,set_field:0x1->reg14,resubmit(,8)",
    "cookie=0xaaaaaaa1, table=65, priority=100,reg15=0x1,metadata=0x1 actions=output:5",
    // To the port: first the copy for hv2, then the local delivery.
    "cookie=0xaaaaaaa1, table=39, priority=100,reg15=0x1,metadata=0x1 actions=set_field:0x1/0xffffff->tun_id,set_field:0x1->tun_metadata0,move:NXM_NX_REG14[0..14]->NXM_NX_TUN_METADATA0[16..30],output:1,resubmit(,40)",
  ];
  for (const w of want) assert.ok(got.includes(w), `missing: ${w}\nhave:\n${got.join("\n")}`);
  // The flood reaches hv2 through its tunnel (p2 is there too, but one copy only).
  const flood = got.find((l) => l.startsWith("cookie=0xbbbbbbb1, table=39"));
  assert.equal(flood?.match(/output:1/g)?.length, 1, flood);
  // Seen from a third chassis, both chassis of the port get a copy.
  const third = physicalFlows({
    ...input,
    chassis: "hv3",
    view: {
      ...migrating,
      ports: migrating.ports.map((p) => (p.logicalPort === "p1" ? { ...p, additionalChassis: ["hv1"] } : p)),
    },
    vifPorts: new Map(),
    localnetPorts: new Map(),
    tunnelPorts: new Map([
      ["hv1", 7],
      ["hv2", 8],
    ]),
  }).map((f) => flowText(f).trim());
  const toP1 = third.find((l) => l.startsWith("cookie=0xaaaaaaa1, table=39"));
  assert.ok(toP1?.includes("output:8") && toP1.includes("output:7"), toP1);
});

test("an l2gateway port: like a localnet port on its chassis (no local-only drops), through the tunnel elsewhere", () => {
  const l2: SbView = {
    ...view,
    ports: [
      ...view.ports.filter((p) => p.logicalPort !== "ln"),
      port("aaaaaaa6-0000-0000-0000-000000000000", "l2p", SW, 6, {
        type: "l2gateway",
        options: { network_name: "phys", "l2gateway-chassis": "hv1" },
      }),
    ],
  };
  const here = physicalFlows({ ...input, view: l2, localnetPorts: new Map([["l2p", 3]]) }).map((f) =>
    flowText(f).trim(),
  );
  const want = [
    "cookie=0xaaaaaaa6, table=65, priority=100,reg15=0x6,metadata=0x1 actions=output:3",
    "cookie=0xaaaaaaa6, table=40, priority=100,reg15=0x6,metadata=0x1 actions=set_field:0x15->reg11,set_field:0x16->reg12,resubmit(,41)",
  ];
  for (const w of want) assert.ok(here.includes(w), `missing: ${w}\nhave:\n${here.join("\n")}`);
  assert.ok(
    here.some((l) => l.startsWith("cookie=0xaaaaaaa6, priority=100,in_port=3,")),
    "input from its patch port",
  );
  assert.ok(
    !here.some((l) => l.startsWith("cookie=0xaaaaaaa6, table=41, priority=160")),
    "no local-only drops",
  );
  const there = physicalFlows({
    ...input,
    chassis: "hv2",
    view: { ...l2, ports: l2.ports.map((p) => (p.logicalPort === "p1" ? { ...p, chassis: "hv2" } : p)) },
    localnetPorts: new Map(),
    tunnelPorts: new Map([["hv1", 9]]),
  }).map((f) => flowText(f).trim());
  const out = there.find((l) => l.startsWith("cookie=0xaaaaaaa6, table=39"));
  assert.ok(out?.includes("output:9"), out);
});

test("activation-strategy=rarp: on the additional chassis, only the RARP gets in (to pinctrl) until activated", () => {
  const withP1 = (extra: Partial<SbPortBinding>): SbView => ({
    ...view,
    ports: view.ports.map((p) =>
      p.logicalPort === "p1"
        ? {
            ...p,
            chassis: "hv2",
            additionalChassis: ["hv1"],
            ...extra,
            options: { ...p.options, ...extra.options },
          }
        : p,
    ),
  });
  const text = (v: SbView, chassis = "hv1") =>
    physicalFlows({ ...input, chassis, view: v, localnetPorts: new Map() }).map((f) => flowText(f).trim());
  const pending = text(withP1({ options: { "activation-strategy": "rarp" } }));
  const want = [
    "cookie=0xaaaaaaa1, priority=1010,rarp,in_port=5 actions=set_field:0xb->reg13,set_field:0x15->reg11,set_field:0x16->reg12,set_field:0x1->metadata,set_field:0x1->reg14,controller(userdata=00.00.00.1a.00.00.00.00),resubmit(,8)",
    "cookie=0xaaaaaaa1, priority=1000,in_port=5 actions=drop",
    "cookie=0xaaaaaaa1, table=65, priority=1000,reg15=0x1,metadata=0x1 actions=drop",
  ];
  for (const w of want) assert.ok(pending.includes(w), `missing: ${w}\nhave:\n${pending.join("\n")}`);
  const blocking = (lines: string[]) => lines.filter((l) => /priority=10[01]0/.test(l));
  // Activated here (another chassis listed too): nothing blocks any more.
  const done = text(
    withP1({ options: { "activation-strategy": "rarp", "additional-chassis-activated": "hv3,hv1" } }),
  );
  assert.deepEqual(blocking(done), []);
  // Another strategy, or no strategy: nothing either.
  assert.deepEqual(blocking(text(withP1({ options: { "activation-strategy": "garp" } }))), []);
  // The main chassis never waits.
  const main = text(
    withP1({ chassis: "hv1", additionalChassis: ["hv2"], options: { "activation-strategy": "rarp" } }),
  );
  assert.deepEqual(blocking(main), []);
});

test("LB hairpin: the natted bit in ct_mark, or in ct_label when SB_Global says lb_hairpin_use_ct_mark=false", () => {
  const lb = {
    uuid: "3b130210-0000-0000-0000-000000000000",
    name: "lb0",
    protocol: "tcp",
    vips: { "10.0.0.100:80": "10.0.0.1:8080" },
    datapaths: [SW],
  };
  const chk = (useCtMark: boolean | undefined) =>
    physicalFlows({
      ...input,
      view: { ...view, loadBalancers: [lb] },
      ...(useCtMark === undefined ? {} : { lbHairpinUseCtMark: useCtMark }),
    })
      .map((f) => flowText(f).trim())
      .filter((l) => l.includes("table=68"));
  // As the real ovn-controller 23.03 writes them (observed with a chassis made by chassis-add in the SB).
  const tail = "tcp,reg1=0xa000064,reg2=0x50/0xffff,nw_src=10.0.0.1,nw_dst=10.0.0.1,tp_dst=8080";
  for (const dflt of [chk(undefined), chk(true)]) {
    assert.equal(dflt.length, 1, dflt.join("\n"));
    assert.ok(dflt[0]?.includes(`priority=100,ct_mark=0x2/0x2,${tail}`), dflt[0]);
  }
  const label = chk(false);
  assert.ok(label[0]?.includes(`priority=100,ct_label=0x2/0x2,${tail}`), label[0]);
});
