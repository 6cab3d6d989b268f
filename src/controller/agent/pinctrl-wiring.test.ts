// The agent's pinctrl wiring as pure functions: NXT_PACKET_IN2 → PacketIn, effects → OpenFlow
// messages, Southbound write batching, zones in external_ids, patch ports, announcements, and the
// PinctrlLoop fed random and truncated packet-ins (never throws, every packet-in counted).

import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  decodeMessage,
  encodeMessage,
  type MatchField,
  type OfMessage,
  type OfMessageBody,
  type PacketIn2,
} from "../../openflow/index.js";
import { fromHex } from "../../packet/bytes.js";
import { capture } from "../../packet/fixtures/captures.js";
import type { SbPortBinding, SbView } from "../lflow/sb.js";
import { sbPortBinding } from "../lflow/sb-fixture.js";
import { USERDATA } from "../pinctrl/fixture-userdata.js";
import { announcements } from "./announcements.js";
import { planBindings } from "./bindings.js";
import { effectMessage, registerBit, withResultBit } from "./effects.js";
import { frameIsIpv6, packetInFromMessage } from "./packet-in.js";
import { parseBridgeMappings, patchPairs } from "./patch-ports.js";
import { PinctrlLoop } from "./pinctrl-loop.js";
import { pinctrlState } from "./pinctrl-state.js";
import { planSbWrites, type SbRowOp } from "./sb-writes.js";
import {
  ZoneAllocator,
  zoneExternalIdsToRemove,
  zoneExternalIdsToWrite,
  zonesFromExternalIds,
} from "./zones.js";

const hex = (s: string): Uint8Array => fromHex(s) ?? new Uint8Array();

/** The pipeline fields of a packet-in on datapath 1 from port 1 (reg0 already holds a value). */
const FIELDS: MatchField[] = [
  { field: "in_port", value: 3n },
  { field: "metadata", value: 1n },
  { field: "reg0", value: 0x10n },
  { field: "reg14", value: 1n },
  { field: "reg15", value: 2n },
];

function packetIn2(userdata: string, packet: string, extra: Partial<PacketIn2> = {}): PacketIn2 {
  return {
    kind: "packet_in2",
    packet: hex(capture(packet).hex),
    reason: "action",
    tableId: 27,
    cookie: 0x1234n,
    metadata: FIELDS,
    userdata: hex(userdata),
    continuation: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8),
    ...extra,
  };
}

function pb(logicalPort: string, type: string, extra: Partial<SbPortBinding> = {}): SbPortBinding {
  return sbPortBinding({ logicalPort, type, ...extra });
}

function view(ports: SbPortBinding[], extra: Partial<SbView> = {}): SbView {
  return {
    flows: [],
    datapaths: [
      { uuid: "dp1", tunnelKey: 1, name: "sw0", isRouter: false },
      { uuid: "dp2", tunnelKey: 2, name: "lr0", isRouter: true },
    ],
    ports,
    mcGroups: [],
    macBindings: [],
    chassis: [],
    addressSets: {},
    portGroups: {},
    loadBalancers: [],
    fdbs: [],
    ...extra,
  } as unknown as SbView;
}

test("packetInFromMessage: userdata, logical registers and origin from an NXT_PACKET_IN2", () => {
  const d = packetInFromMessage(packetIn2(USERDATA.putDhcpOpts, "req_dhcp_discover"));
  assert.ok(d.ok);
  assert.equal(d.value.action.kind, "put_dhcp_opts");
  assert.deepEqual(
    { datapath: d.value.md.datapath, inport: d.value.md.inport, outport: d.value.md.outport },
    { datapath: 1, inport: 1, outport: 2 },
  );
  assert.equal(d.value.md.regs[0], 0x10);
  assert.deepEqual(d.value.origin?.metadata, FIELDS);
  assert.deepEqual([...(d.value.origin?.continuation ?? [])], [1, 2, 3, 4, 5, 6, 7, 8]);
  // icmp4 {} and icmp6 {} share an opcode: the frame decides.
  const v6 = packetInFromMessage(packetIn2(USERDATA.icmp4PortUnreach, "req_udp6_router"));
  assert.ok(v6.ok && v6.value.action.kind === "icmp6");
  assert.equal(frameIsIpv6(hex(capture("req_udp_router").hex)), false);
  assert.deepEqual(packetInFromMessage(packetIn2("", "req_udp_router", { userdata: undefined as never })), {
    ok: false,
    error: "no-userdata",
    truncated: false,
  });
  const noMatch = packetInFromMessage(packetIn2(USERDATA.putArp, "req_udp_router", { reason: "no_match" }));
  assert.equal(noMatch.ok, false);
});

test("registerBit and withResultBit: xxreg0[99] is reg0[3], other fields untouched", () => {
  assert.deepEqual(registerBit("xxreg0", 99), { reg: 0, bit: 3 });
  assert.deepEqual(registerBit("xxreg1", 0), { reg: 7, bit: 0 });
  assert.deepEqual(registerBit("xreg0", 32), { reg: 0, bit: 0 });
  assert.deepEqual(registerBit("reg9", 31), { reg: 9, bit: 31 });
  assert.equal(registerBit("reg9", 32), undefined);
  assert.equal(registerBit("metadata", 1), undefined);
  const set = withResultBit(FIELDS, { header: 0x0001de10, ofs: 99, value: 1 });
  assert.ok(set.ok);
  assert.deepEqual(
    set.value.find((f) => f.field === "reg0"),
    { field: "reg0", value: 0x18n },
  );
  assert.deepEqual(
    set.value.filter((f) => f.field !== "reg0"),
    FIELDS.filter((f) => f.field !== "reg0"),
  );
  const absent = withResultBit([], { header: 0x0001de10, ofs: 100, value: 1 });
  assert.deepEqual(absent, { ok: true, value: [{ field: "reg0", value: 0x10n }] });
  assert.equal(withResultBit([], { header: 0x12345678, ofs: 0, value: 1 }).ok, false);
});

test("effectMessage: resume carries the packet, the result bit and the continuation; it round-trips", () => {
  const pin = packetInFromMessage(packetIn2(USERDATA.putDhcpOpts, "req_dhcp_discover"));
  assert.ok(pin.ok);
  const m = effectMessage({
    kind: "resume",
    packet: Uint8Array.of(9, 9),
    result: { header: 0x0001de10, ofs: 99, value: 1 },
    ...(pin.value.origin !== undefined ? { origin: pin.value.origin } : {}),
  });
  assert.ok(m.ok && m.value.kind === "resume");
  const back = decodeMessage(encodeMessage({ ...m.value, xid: 7 } as OfMessage));
  assert.ok(back.ok && back.message.kind === "resume");
  assert.deepEqual([...back.message.packet], [9, 9]);
  assert.deepEqual([...(back.message.continuation ?? [])], [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual(
    back.message.metadata?.find((f) => f.field === "reg0"),
    { field: "reg0", value: 0x18n },
  );
  assert.equal(effectMessage({ kind: "resume", packet: Uint8Array.of() }).ok, false);
});

test("effectMessage: packet-out reloads the registers, then the nested actions; send enters table 40", () => {
  const ud = hex(USERDATA.ndNaVm2).subarray(8);
  const out = effectMessage({
    kind: "packet-out",
    packet: Uint8Array.of(1),
    actions: ud,
    md: { datapath: 5, inport: 1, outport: 0, regs: [0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1] },
  });
  assert.ok(out.ok && out.value.kind === "packet_out");
  assert.deepEqual(out.value.match, [{ field: "in_port", value: 0xfffdn }]);
  assert.deepEqual(out.value.actions.slice(0, 3), [
    { kind: "set_field", field: "reg0", value: 0x10n },
    { kind: "set_field", field: "reg14", value: 1n },
    { kind: "set_field", field: "metadata", value: 5n },
  ]);
  assert.ok(out.value.actions.length > 3, "nested actions follow");
  const back = decodeMessage(encodeMessage({ ...out.value, xid: 1 } as OfMessage));
  assert.ok(back.ok && back.message.kind === "packet_out");
  assert.equal(
    effectMessage({
      kind: "packet-out",
      packet: Uint8Array.of(),
      actions: Uint8Array.of(0, 0, 0),
      md: { datapath: 1, inport: 1, outport: 0, regs: [] },
    }).ok,
    false,
  );
  const send = effectMessage({ kind: "send", packet: Uint8Array.of(1), datapath: 3, outport: 4 });
  assert.ok(send.ok && send.value.kind === "packet_out");
  assert.deepEqual(send.value.actions, [
    { kind: "set_field", field: "metadata", value: 3n },
    { kind: "set_field", field: "reg15", value: 4n },
    { kind: "resubmit", port: 0xfff8, table: 40, ct: false },
  ]);
});

/** An empty_lb_backends event write for a VIP. */
function ev(vip: string, protocol: string) {
  return {
    table: "Controller_Event",
    eventType: "empty_lb_backends",
    info: new Map([
      ["vip", vip],
      ["load_balancer", `lb-${vip}`],
      ["protocol", protocol],
    ]),
  } as const;
}

test("planSbWrites: last write per key wins, unchanged rows left alone, existing rows updated", () => {
  const w = (ip: string, mac: string, t = 1) =>
    ({ table: "MAC_Binding", datapath: 2, port: 1, logicalPort: "lrp1", ip, mac, timestamp: t }) as const;
  const ops = planSbWrites(
    [
      w("20.0.0.2", "00:00:00:00:00:01", 1),
      w("20.0.0.2", "00:00:00:00:00:02", 2),
      w("20.0.0.3", "00:00:00:00:00:03"),
      w("20.0.0.4", "00:00:00:00:00:05"),
      {
        table: "MAC_Binding",
        datapath: 99,
        port: 1,
        logicalPort: "x",
        ip: "1.1.1.1",
        mac: "00:00:00:00:00:09",
        timestamp: 1,
      },
      { table: "FDB", datapath: 1, port: 3, mac: "00:00:00:00:00:AA", timestamp: 1 },
      { table: "FDB", datapath: 1, port: 4, mac: "00:00:00:00:00:bb", timestamp: 1 },
      { table: "Port_Binding", logicalPort: "vip", virtualParent: "p1" },
      { table: "Port_Binding", logicalPort: "vip2", virtualParent: "p2" },
      { table: "Port_Binding", logicalPort: "not-virtual", virtualParent: "p2" },
      ev("10.0.0.200:80", "tcp"),
      ev("10.0.0.200:80", "tcp"),
      ev("10.0.0.201:53", "udp"),
      ev("10.0.0.202:80", "tcp"),
    ],
    {
      macBindings: [
        { uuid: "m3", logicalPort: "lrp1", ip: "20.0.0.3", mac: "00:00:00:00:00:03" },
        { uuid: "m4", logicalPort: "lrp1", ip: "20.0.0.4", mac: "00:00:00:00:00:04" },
      ],
      fdbs: [{ uuid: "f1", mac: "00:00:00:00:00:aa", dpKey: 1, portKey: 3 }],
      datapathByKey: new Map([[2, "dp2"]]),
      virtualPorts: [
        { uuid: "v1", logicalPort: "vip", virtualParent: "p2", chassis: "ch1" },
        { uuid: "v2", logicalPort: "vip2", virtualParent: "p2", chassis: "ch1" },
      ],
      chassis: "ch1",
      events: [{ eventType: "empty_lb_backends", info: ev("10.0.0.201:53", "udp").info }],
      nextEventSeq: 7,
    },
  );
  assert.deepEqual(ops, [
    {
      op: "insert-mac-binding",
      logicalPort: "lrp1",
      ip: "20.0.0.2",
      mac: "00:00:00:00:00:02",
      datapath: "dp2",
      timestamp: 2,
    },
    { op: "update-mac-binding", uuid: "m4", mac: "00:00:00:00:00:05", timestamp: 1 },
    { op: "insert-fdb", mac: "00:00:00:00:00:bb", dpKey: 1, portKey: 4, timestamp: 1 },
    { op: "bind-vport", uuid: "v1", virtualParent: "p1", chassis: "ch1" },
    {
      op: "insert-event",
      eventType: "empty_lb_backends",
      info: ev("10.0.0.200:80", "tcp").info,
      chassis: "ch1",
      seqNum: 7,
    },
    {
      op: "insert-event",
      eventType: "empty_lb_backends",
      info: ev("10.0.0.202:80", "tcp").info,
      chassis: "ch1",
      seqNum: 8,
    },
  ]);
});

test("zones: read from and written to external_ids as ct-zone-<owner>; restored zones are not reused", () => {
  const ids = new Map([
    ["ct-zone-p1", "7"],
    ["ct-zone-dp1_dnat", "1"],
    ["ct-zone-bad", "x"],
    ["ct-zone-big", "70000"],
    ["other", "3"],
  ]);
  const kept = zonesFromExternalIds(ids);
  assert.deepEqual(kept, [
    ["p1", 7],
    ["dp1_dnat", 1],
  ]);
  const z = new ZoneAllocator(kept);
  assert.equal(z.ctZone("p1"), 7);
  assert.equal(z.dnatZone("dp1"), 1);
  assert.equal(z.snatZone("dp1"), 2);
  assert.equal(z.ctZone("p2"), 3);
  assert.deepEqual(
    zoneExternalIdsToWrite(z, ids),
    new Map([
      ["ct-zone-dp1_snat", "2"],
      ["ct-zone-p2", "3"],
    ]),
  );
  // Only the zones given afresh need a flush; restored ones keep their connections.
  assert.deepEqual(z.takeFresh(), [2, 3]);
  assert.deepEqual(z.takeFresh(), []);
  // A pass that no longer asks for p1: its zone is released, its key goes, and the number is reused.
  assert.deepEqual(z.sweep(), []);
  z.dnatZone("dp1");
  z.snatZone("dp1");
  z.ctZone("p2");
  assert.deepEqual(z.sweep(), ["p1"]);
  assert.deepEqual(zoneExternalIdsToRemove(z, new Map([...ids, ["ct-zone-p2", "3"]])), [
    "ct-zone-p1",
    "ct-zone-bad",
    "ct-zone-big",
  ]);
  assert.equal(z.ctZone("p9"), 4);
  assert.deepEqual(z.takeFresh(), [4]);
  assert.deepEqual(z.sweep().sort(), ["dp1_dnat", "dp1_snat", "p2"]);
  // Released numbers are handed out again, lowest first, and count as fresh (they need a flush).
  assert.equal(z.ctZone("p10"), 1);
  assert.deepEqual(z.takeFresh(), [1]);
});

test("patch ports: one pair per mapped localnet port of a local datapath, named as ovn-controller", () => {
  const m = parseBridgeMappings("physnet1:br-phys, physnet2:br-two,bad,:x");
  assert.deepEqual(
    m,
    new Map([
      ["physnet1", "br-phys"],
      ["physnet2", "br-two"],
    ]),
  );
  const ports = [
    pb("ln1", "localnet", { options: { network_name: "physnet1" } }),
    pb("ln9", "localnet", { options: { network_name: "unmapped" } }),
    pb("lnx", "localnet", { datapath: "dpX", options: { network_name: "physnet2" } }),
  ];
  const ln1 = {
    lport: "ln1",
    bridge: "br-phys",
    intName: "patch-br-int-to-ln1",
    physName: "patch-ln1-to-br-int",
    tag: "ovn-localnet-port",
  };
  assert.deepEqual(patchPairs(ports, new Set(["dp1"]), m, "br-int"), [ln1]);
  // An l2gateway port: only on the chassis its options:l2gateway-chassis names, local datapath or not.
  const l2 = [
    pb("l2p", "l2gateway", {
      datapath: "dpX",
      options: { network_name: "physnet2", "l2gateway-chassis": "hv1" },
    }),
    pb("l2q", "l2gateway", { options: { network_name: "physnet1", "l2gateway-chassis": "hv2" } }),
  ];
  assert.deepEqual(patchPairs([...ports, ...l2], new Set(["dp1"]), m, "br-int", "hv1"), [
    {
      lport: "l2p",
      bridge: "br-two",
      intName: "patch-br-int-to-l2p",
      physName: "patch-l2p-to-br-int",
      tag: "ovn-l2gateway-port",
    },
    ln1,
  ]);
  assert.deepEqual(patchPairs(l2, new Set(["dp1", "dpX"]), m, "br-int"), []);
});

test("announcements: VIFs (first entry, first IPv4) and NAT addresses from their own ports, on localnet switches", () => {
  const v = view([
    pb("ln1", "localnet", { tunnelKey: 3 }),
    pb("p1", "", {
      chassis: "hv1",
      tunnelKey: 4,
      mac: ["00:00:00:00:00:01 10.0.0.1 10.0.0.9 fe80::1", "00:00:00:00:00:09 10.0.0.99"],
    }),
    pb("p2", "", { chassis: "hv2", tunnelKey: 5, mac: ["00:00:00:00:00:02 10.0.0.2"] }),
    pb("p3", "", { chassis: "hv1", tunnelKey: 6, mac: ["00:00:00:00:00:03"] }),
    // A container port and a localport: no announcement.
    pb("c1", "", {
      chassis: "hv1",
      tunnelKey: 9,
      parentPort: "p1",
      tag: 10,
      mac: ["00:00:00:00:00:0c 10.0.0.12"],
    }),
    pb("lp", "localport", { tunnelKey: 10, mac: ["00:00:00:00:00:0d 10.0.0.13"] }),
    pb("gw", "l3gateway", { chassis: "hv1", tunnelKey: 7 }),
    pb("gw2", "l3gateway", { chassis: "hv2", tunnelKey: 11 }),
    pb("ext-lr", "patch", { tunnelKey: 8 }),
    pb("cr-lrp", "chassisredirect", { datapath: "dp2", chassis: "hv1" }),
    // A VIF bound here on a switch with no localnet port: none either.
    pb("q1", "", { datapath: "dp2", chassis: "hv1", mac: ["00:00:00:00:00:0e 10.0.0.14"] }),
  ]);
  const nat = new Map([
    ["gw", ["00:00:00:00:FF:01 172.16.0.10 172.16.0.11"]],
    ["gw2", ["00:00:00:00:FF:04 172.16.0.40"]],
    [
      "ext-lr",
      [
        '00:00:00:00:ff:02 172.16.0.1 is_chassis_resident("cr-lrp")',
        '00:00:00:00:ff:02 172.16.0.2 is_chassis_resident("cr-lrp")',
        '00:00:00:00:ff:03 172.16.0.3 is_chassis_resident("cr-elsewhere")',
      ],
    ],
  ]);
  assert.deepEqual(announcements(v, "hv1", new Set(["ln1"]), nat), [
    { datapath: 1, port: 4, mac: "00:00:00:00:00:01", ips: ["10.0.0.1"] },
    { datapath: 1, port: 6, mac: "00:00:00:00:00:03", ips: [] },
    { datapath: 1, port: 7, mac: "00:00:00:00:ff:01", ips: ["172.16.0.10", "172.16.0.11"] },
    { datapath: 1, port: 8, mac: "00:00:00:00:ff:02", ips: ["172.16.0.1", "172.16.0.2"] },
  ]);
  assert.deepEqual(announcements(v, "hv1", new Set(), nat), []);
});

test("planBindings: l3gateway by l3gateway-chassis, chassisredirect by HA priority, virtual and container by parent", () => {
  const ports = [
    pb("gw-here", "l3gateway", { options: { "l3gateway-chassis": "hv1" } }),
    pb("gw-left", "l3gateway", { options: { "l3gateway-chassis": "hv2" }, chassis: "hv1" }),
    pb("l2-here", "l2gateway", { options: { "l2gateway-chassis": "hv1" } }),
    pb("l2-left", "l2gateway", { options: { "l2gateway-chassis": "hv2" }, chassis: "hv1" }),
    pb("l2-bound", "l2gateway", { options: { "l2gateway-chassis": "hv1" }, chassis: "hv1" }),
    pb("cr-here", "chassisredirect", {
      haChassis: [
        { chassis: "hv1", priority: 20 },
        { chassis: "hv2", priority: 10 },
      ],
    }),
    pb("cr-other", "chassisredirect", { haChassis: [{ chassis: "hv2", priority: 20 }], chassis: "hv1" }),
    pb("cr-bound", "chassisredirect", { haChassis: [{ chassis: "hv1", priority: 1 }], chassis: "hv1" }),
    pb("cr-nogroup", "chassisredirect"),
    // External ports: bound by the HA group's master, never by an interface naming them.
    pb("ext-here", "external", { haChassis: [{ chassis: "hv1", priority: 5 }] }),
    pb("ext-iface", "external"),
    pb("ext-left", "external", { haChassis: [{ chassis: "hv2", priority: 5 }], chassis: "hv1" }),
    pb("vip-here", "virtual", { chassis: "hv1" }),
    pb("vip-orphan", "virtual", { chassis: "hv1" }),
    pb("vip-other", "virtual", { chassis: "hv2" }),
    pb("vip-unbound", "virtual"),
    pb("vip-parented", "virtual"),
    pb("cc-claim", "", { parentPort: "p1", tag: 42 }),
    pb("cc-bound", "", { parentPort: "p1", tag: 43, chassis: "hv1" }),
    pb("cc-gone", "", { parentPort: "p9", tag: 44, chassis: "hv1" }),
    pb("cc-other", "", { parentPort: "p9", tag: 45, chassis: "hv2" }),
    // requested_chassis: only the chassis it names binds the VIF.
    pb("rq-here", "", { requestedChassis: "hv1" }),
    pb("rq-left", "", { requestedChassis: "hv2", chassis: "hv1" }),
    pb("rq-away", "", { requestedChassis: "hv2" }),
    pb("rq-none", "", { requestedChassis: null }),
  ];
  const parents = new Map([
    ["vip-here", "p1"],
    ["vip-orphan", "gone"],
    ["vip-other", "p1"],
    ["vip-parented", "p1"],
  ]);
  const ifaces = new Set(["p1", "vip-unbound", "ext-iface", "rq-here", "rq-left", "rq-away", "rq-none"]);
  assert.deepEqual(planBindings(ports, ifaces, "hv1", parents), {
    claim: [
      "cc-claim",
      "cr-here",
      "ext-here",
      "gw-here",
      "l2-here",
      "rq-here",
      "rq-none",
      "vip-other",
      "vip-parented",
    ],
    release: ["cc-gone", "cr-other", "ext-left", "gw-left", "l2-left", "rq-left", "vip-orphan"],
    bound: ["cc-bound", "vip-here"],
  });
});

test("planBindings: a multichassis port is bound by its requested chassis, and as additional_chassis by the others", () => {
  const ports = [
    pb("mc-main", "", { requestedChassis: "hv1", requestedAdditionalChassis: ["hv2"] }),
    pb("mc-extra", "", { requestedChassis: "hv2", requestedAdditionalChassis: ["hv1"], chassis: "hv2" }),
    pb("mc-kept", "", {
      requestedChassis: "hv2",
      requestedAdditionalChassis: ["hv1"],
      additionalChassis: ["hv1"],
    }),
    pb("mc-dropped", "", { requestedChassis: "hv2", additionalChassis: ["hv1"] }),
  ];
  const ifaces = new Set(["mc-main", "mc-extra", "mc-kept", "mc-dropped"]);
  // mc-extra and mc-kept are bound here as additional chassis: their interfaces get ovn-installed.
  assert.deepEqual(planBindings(ports, ifaces, "hv1"), {
    claim: ["mc-main"],
    release: [],
    bound: ["mc-extra", "mc-kept"],
    additional: { claim: ["mc-extra"], release: ["mc-dropped"] },
  });
  assert.deepEqual(planBindings(ports.slice(0, 1), ifaces, "hv1"), {
    claim: ["mc-main"],
    release: [],
    bound: [],
  });
});

test("pinctrlState: port names and MAC bindings by tunnel keys, DNS records by datapath key", () => {
  const v = view([pb("p1", "", { tunnelKey: 4 }), pb("lrp1", "patch", { datapath: "dp2", tunnelKey: 2 })], {
    macBindings: [
      { uuid: "m", logicalPort: "lrp1", ip: "20.0.0.2", mac: "00:00:00:00:00:02", datapath: "dp2" },
    ],
  });
  const s = pinctrlState(v, [
    { records: new Map([["VM1.ovn.org", "10.0.0.1"]]), datapaths: ["dp1", "gone"] },
  ]);
  assert.deepEqual(
    s.portNames,
    new Map([
      ["1:4", "p1"],
      ["2:2", "lrp1"],
    ]),
  );
  assert.deepEqual(s.macBindings, new Map([["2:2:20.0.0.2", "00:00:00:00:00:02"]]));
  assert.deepEqual(s.dnsRecords, new Map([[1, new Map([["vm1.ovn.org", "10.0.0.1"]])]]));
});

/** A PinctrlLoop whose OpenFlow and Southbound edges are arrays. */
function loopWithStubs(): { loop: PinctrlLoop; sent: OfMessageBody[]; txns: (readonly SbRowOp[])[] } {
  const sent: OfMessageBody[] = [];
  const txns: (readonly SbRowOp[])[] = [];
  let t = 0;
  const loop = new PinctrlLoop({
    now: () => (t += 1),
    openflow: () => ({ send: (m: OfMessageBody) => sent.push(m), wire: {} }),
    sbContext: () => ({
      macBindings: [],
      fdbs: [],
      datapathByKey: new Map([[1, "dp1"]]),
      virtualPorts: [],
      chassis: undefined,
      events: [],
      nextEventSeq: 1,
    }),
    writeSb: async (ops) => {
      txns.push(ops);
    },
  });
  return { loop, sent, txns };
}

test("PinctrlLoop: a burst of packet-ins is handled 50 per turn; its MAC bindings go in one transaction", async () => {
  const { loop, txns } = loopWithStubs();
  loop.setState({ portNames: new Map([["1:1", "lrp1"]]), macBindings: new Map(), dnsRecords: new Map() });
  const putArp = (ip: number) => ({
    ...packetIn2(USERDATA.putArp, "req_udp_router", {
      metadata: [
        { field: "metadata", value: 1n },
        { field: "reg0", value: BigInt(ip) },
        { field: "reg14", value: 1n },
      ],
    }),
    xid: 0,
  });
  // 120 put_arp packet-ins for three addresses: the same neighbours learnt over and over.
  for (let i = 0; i < 120; i++) loop.onMessage(putArp(0x0a000002 + (i % 3)));
  loop.drain();
  assert.equal(loop.pinctrl.pending, 70, "one turn handles at most 50");
  // The rest follows on later turns of the event loop, by itself.
  for (let i = 0; i < 200 && loop.pinctrl.pending > 0; i++) await new Promise((r) => setImmediate(r));
  await new Promise((r) => setTimeout(r, 10));
  loop.stop();
  assert.equal(loop.pinctrl.pending, 0);
  assert.equal(loop.counters().get("put_arp"), 120);
  // Each turn's writes are one transaction without duplicates (the stub database never gains the rows).
  assert.ok(txns.length >= 1 && txns.length <= 3, `${txns.length} transactions`);
  for (const ops of txns)
    assert.deepEqual(ops.map((o) => (o.op === "insert-mac-binding" ? o.ip : o.op)).sort(), [
      "10.0.0.2",
      "10.0.0.3",
      "10.0.0.4",
    ]);
});

test("PinctrlLoop: a DHCPDISCOVER packet-in is answered by one NXT_RESUME with the result bit", () => {
  const { loop, sent } = loopWithStubs();
  loop.onMessage({ ...packetIn2(USERDATA.putDhcpOpts, "req_dhcp_discover"), xid: 0 });
  loop.drain();
  loop.stop();
  assert.equal(sent.length, 1);
  const m = sent[0];
  assert.ok(m?.kind === "resume");
  assert.deepEqual(
    m.metadata?.find((f) => f.field === "reg0"),
    { field: "reg0", value: 0x18n },
  );
  assert.equal(loop.counters().get("dhcp4-offer"), 1);
  assert.equal(loop.counters().get("sent-resume"), 1);
});

test("PinctrlLoop: random and truncated packet-ins never throw and every one is counted", () => {
  const valid = Object.values(USERDATA).flatMap((ud) =>
    ["req_dhcp_discover", "req_udp_router", "req_dns_a", "req_ns_vm2"].map((p) =>
      encodeMessage({ ...packetIn2(ud, p), xid: 0 } as OfMessage),
    ),
  );
  fc.assert(
    fc.property(
      fc.oneof(
        // A well-formed message whose packet and userdata are cut short.
        fc
          .tuple(
            fc.constantFrom(...Object.values(USERDATA)),
            fc.constantFrom("req_dhcp_discover", "req_dns_a", "req_ns_vm2", "req_rs", "req_tcp_router"),
            fc.nat(),
            fc.nat(),
          )
          .map(([ud, p, a, b]) => {
            const m = packetIn2(ud, p);
            const cut = {
              ...m,
              packet: m.packet.subarray(0, a % (m.packet.length + 1)),
              userdata: (m.userdata ?? new Uint8Array()).subarray(0, b % ((m.userdata?.length ?? 0) + 1)),
            };
            return encodeMessage({ ...cut, xid: 0 } as OfMessage);
          }),
        // A valid message cut short (its length field fixed up so the codec sees a whole message).
        fc.tuple(fc.constantFrom(...valid), fc.nat()).map(([b, n]) => {
          const cut = b.slice(0, 16 + (n % Math.max(1, b.length - 16)));
          cut[2] = cut.length >> 8;
          cut[3] = cut.length & 0xff;
          return cut;
        }),
        // A valid message with bytes flipped after the header.
        fc
          .tuple(
            fc.constantFrom(...valid),
            fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: 8 }),
          )
          .map(([b, flips]) => {
            const x = b.slice();
            for (const [at, v] of flips) {
              const i = 16 + (at % (x.length - 16));
              x[i] = (x[i] ?? 0) ^ v;
            }
            return x;
          }),
        // Random properties behind a PACKET_IN2 header.
        fc.uint8Array({ minLength: 0, maxLength: 200 }).map((body) => {
          const h = Uint8Array.of(6, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0x23, 0x20, 0, 0, 0, 30);
          const x = new Uint8Array(h.length + body.length);
          x.set(h);
          x.set(body, h.length);
          x[2] = x.length >> 8;
          x[3] = x.length & 0xff;
          return x;
        }),
      ),
      (bytes) => {
        const { loop } = loopWithStubs();
        const d = decodeMessage(bytes);
        if (d.ok) {
          loop.onMessage(d.message);
          loop.drain();
        }
        loop.stop();
        const c = loop.counters();
        if (!d.ok || d.message.kind !== "packet_in2") return;
        // Each packet-in ends as exactly one outcome: a decode drop or one handler's counter.
        let outcomes = 0;
        for (const [k, v] of c)
          if (k !== "packet-in" && !k.startsWith("sent-") && !k.endsWith("-unencodable")) outcomes += v;
        assert.equal(c.get("packet-in"), 1);
        assert.equal(outcomes, 1, JSON.stringify([...c]));
      },
    ),
    { numRuns: 2000, seed: 2026 },
  );
});
