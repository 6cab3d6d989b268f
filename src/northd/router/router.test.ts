// Unit tests of the router builders' string building, on models built from small NBs through the
// in-memory server (no processes). The byte-for-byte comparison with ovn-northd is in peer/.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { LflowOptions, LflowSink } from "../lflow/api.js";
import type { Datapath, NorthdModel } from "../model.js";
import type { Stage } from "../stages.js";
import { MemNorthd } from "../test/mem-northd.js";
import { routerBuilders } from "./index.js";
import { raOptions } from "./nd-ra.js";
import { orderEcmpGroups, parsePrefix } from "./routing.js";
import { emitterFor } from "./util.js";

interface Flow {
  dp: string;
  stage: Stage;
  priority: number;
  match: string;
  actions: string;
  hint: string | undefined;
}

class Capture implements LflowSink {
  readonly flows: Flow[] = [];
  add(
    dp: Datapath,
    stage: Stage,
    priority: number,
    match: string,
    actions: string,
    opts?: LflowOptions,
  ): void {
    this.flows.push({ dp: dp.name, stage, priority, match, actions, hint: opts?.hint });
  }
  /** "STAGE PRIO match=(M) actions=(A)" lines of one stage, sorted. */
  lines(stage: Stage, dp?: string): string[] {
    return this.flows
      .filter((f) => f.stage === stage && (dp === undefined || f.dp === dp))
      .map((f) => `${f.priority} match=(${f.match}) actions=(${f.actions})`)
      .sort();
  }
}

function runBuilders(model: NorthdModel): Capture {
  const c = new Capture();
  for (const lr of model.routers) for (const b of routerBuilders) b.routerDp?.(lr, model, c);
  return c;
}

async function withModel(
  build: Parameters<MemNorthd["change"]>[0],
  fn: (model: NorthdModel) => void,
): Promise<void> {
  const n = await new MemNorthd([]).started();
  try {
    await n.change(build);
    const m = n.daemon.core.model;
    assert.ok(m !== undefined);
    fn(m);
  } finally {
    n.stop();
  }
}

test("parsePrefix: host bits cleared, hosts get /32 or /128", () => {
  assert.deepEqual(parsePrefix("10.0.0.5/24"), { family: 4, text: "10.0.0.0/24", plen: 24 });
  assert.deepEqual(parsePrefix("50.1.2.3"), { family: 4, text: "50.1.2.3/32", plen: 32 });
  assert.deepEqual(parsePrefix("2001:db8::1/32"), { family: 6, text: "2001:db8::/32", plen: 32 });
  assert.deepEqual(parsePrefix("::/0"), { family: 6, text: "::/0", plen: 0 });
  assert.equal(parsePrefix("10.0.0.0/33"), undefined);
  assert.equal(parsePrefix("discard"), undefined);
});

test("ECMP groups are numbered by the uuid of their second route", () => {
  const r = (u: string) => ({ nb: { _uuid: u } });
  const a = [r("10"), r("90")];
  const b = [r("20"), r("30"), r("95")];
  const c = [r("05"), r("50")];
  assert.deepEqual(orderEcmpGroups([a, b, c]), [b, c, a]);
});

test("the emitter keeps the first of two identical flows (the first hint wins)", () => {
  const c = new Capture();
  const lr = { kind: "router", name: "r" } as unknown as Parameters<typeof emitterFor>[0];
  const emit = emitterFor(lr, c);
  emit("lr_in_policy", 10, "1", "next;", { hint: "aaaaaaaa" });
  emit("lr_in_policy", 10, "1", "next;", { hint: "bbbbbbbb" });
  emit("lr_in_policy", 10, "1", "drop;", { hint: "bbbbbbbb" });
  assert.deepEqual(
    c.flows.map((f) => `${f.actions} ${f.hint}`),
    ["next; aaaaaaaa", "drop; bbbbbbbb"],
  );
});

test("router ports: admission with gateway_mtu, ARP replies, echo, TTL exceeded, connected routes", async () => {
  await withModel(
    (txn) => {
      const p0 = txn.insert("Logical_Router_Port", {
        name: "rp0",
        mac: "00:00:00:00:ff:01",
        networks: ["10.0.0.1/24", "fd00::1/64"],
      });
      const p1 = txn.insert("Logical_Router_Port", {
        name: "rp1",
        mac: "00:00:00:00:ff:02",
        networks: ["192.168.1.1/24"],
        options: new Map([["gateway_mtu", "1400"]]),
      });
      txn.insert("Logical_Router", { name: "r", ports: [p0, p1] });
      txn.insert("Logical_Router", { name: "off", enabled: false });
    },
    (m) => {
      const c = runBuilders(m);
      assert.deepEqual(c.lines("lr_in_admission", "off"), [], "a disabled router has no flows");
      assert.deepEqual(c.lines("lr_in_admission", "r"), [
        "0 match=(1) actions=(drop;)",
        "100 match=(vlan.present || eth.src[40]) actions=(drop;)",
        '50 match=(eth.dst == 00:00:00:00:ff:01 && inport == "rp0") actions=(xreg0[0..47] = 00:00:00:00:ff:01; next;)',
        '50 match=(eth.dst == 00:00:00:00:ff:02 && inport == "rp1") actions=(reg9[1] = check_pkt_larger(1414); xreg0[0..47] = 00:00:00:00:ff:02; next;)',
        '50 match=(eth.mcast && inport == "rp0") actions=(xreg0[0..47] = 00:00:00:00:ff:01; next;)',
        '50 match=(eth.mcast && inport == "rp1") actions=(reg9[1] = check_pkt_larger(1414); xreg0[0..47] = 00:00:00:00:ff:02; next;)',
      ]);
      const ipIn = c.lines("lr_in_ip_input", "r");
      assert.ok(
        ipIn.includes("100 match=(ip4.src == {10.0.0.1, 10.0.0.255} && reg9[0] == 0) actions=(drop;)"),
      );
      assert.ok(ipIn.includes("60 match=(ip6.dst == {fd00::1, fe80::200:ff:fe00:ff01}) actions=(drop;)"));
      assert.ok(
        ipIn.includes(
          "90 match=(ip6.dst == {fd00::1, fe80::200:ff:fe00:ff01} && icmp6.type == 128 && icmp6.code == 0) actions=(ip6.dst <-> ip6.src; ip.ttl = 255; icmp6.type = 129; flags.loopback = 1; next; )",
        ),
      );
      assert.ok(
        ipIn.includes(
          '90 match=(inport == "rp0" && ip6.dst == {fd00::1, ff02::1:ff00:1} && nd_ns && nd.target == fd00::1) actions=(nd_na_router { eth.src = xreg0[0..47]; ip6.src = nd.target; nd.tll = xreg0[0..47]; outport = inport; flags.loopback = 1; output; };)',
        ),
      );
      assert.equal(
        ipIn.filter((l) => l.startsWith("31 ")).length,
        3,
        "TTL exceeded: one per IPv4 network, one per IPv6 network but the link-local one",
      );
      assert.deepEqual(
        c.lines("lr_in_ip_routing", "r").filter((l) => l.startsWith("74 ")),
        [
          '74 match=(ip4.dst == 10.0.0.0/24) actions=(ip.ttl--; reg8[0..15] = 0; reg0 = ip4.dst; reg1 = 10.0.0.1; eth.src = 00:00:00:00:ff:01; outport = "rp0"; flags.loopback = 1; next;)',
          '74 match=(ip4.dst == 192.168.1.0/24) actions=(ip.ttl--; reg8[0..15] = 0; reg0 = ip4.dst; reg1 = 192.168.1.1; eth.src = 00:00:00:00:ff:02; outport = "rp1"; flags.loopback = 1; next;)',
        ],
      );
      assert.deepEqual(c.lines("lr_in_chk_pkt_len", "r"), [
        "0 match=(1) actions=(next;)",
        '50 match=(outport == "rp1") actions=(reg9[1] = check_pkt_larger(1414); next;)',
      ]);
    },
  );
});

test("static routes: priorities, src-ip, discard, ECMP select, IPv6 next-hop solicitation", async () => {
  await withModel(
    (txn) => {
      const p0 = txn.insert("Logical_Router_Port", {
        name: "rp0",
        mac: "00:00:00:00:ff:01",
        networks: ["10.0.0.1/24", "fd00::1/64"],
      });
      const routes = [
        txn.insert("Logical_Router_Static_Route", { ipPrefix: "0.0.0.0/0", nexthop: "10.0.0.254" }),
        txn.insert("Logical_Router_Static_Route", {
          ipPrefix: "10.9.0.0/16",
          nexthop: "10.0.0.9",
          policy: "src-ip",
        }),
        txn.insert("Logical_Router_Static_Route", { ipPrefix: "60.0.0.0/24", nexthop: "discard" }),
        txn.insert("Logical_Router_Static_Route", { ipPrefix: "30.0.0.0/24", nexthop: "10.0.0.11" }),
        txn.insert("Logical_Router_Static_Route", { ipPrefix: "30.0.0.0/24", nexthop: "10.0.0.12" }),
        txn.insert("Logical_Router_Static_Route", { ipPrefix: "2001:db8::/32", nexthop: "fd00::10" }),
        txn.insert("Logical_Router_Static_Route", { ipPrefix: "40.0.0.0/8", nexthop: "99.0.0.1" }),
      ];
      txn.insert("Logical_Router", { name: "r", ports: [p0], staticRoutes: routes });
    },
    (m) => {
      const c = runBuilders(m);
      const routing = c.lines("lr_in_ip_routing", "r");
      assert.ok(
        routing.includes(
          '1 match=(reg7 == 0 && ip4.dst == 0.0.0.0/0) actions=(ip.ttl--; reg8[0..15] = 0; reg0 = 10.0.0.254; reg1 = 10.0.0.1; eth.src = 00:00:00:00:ff:01; outport = "rp0"; flags.loopback = 1; next;)',
        ),
      );
      assert.ok(
        routing.includes(
          '48 match=(ip4.src == 10.9.0.0/16) actions=(ip.ttl--; reg8[0..15] = 0; reg0 = 10.0.0.9; reg1 = 10.0.0.1; eth.src = 00:00:00:00:ff:01; outport = "rp0"; flags.loopback = 1; next;)',
        ),
      );
      assert.ok(routing.includes("73 match=(reg7 == 0 && ip4.dst == 60.0.0.0/24) actions=(drop;)"));
      assert.ok(
        routing.includes(
          "73 match=(reg7 == 0 && ip4.dst == 30.0.0.0/24) actions=(ip.ttl--; flags.loopback = 1; reg8[0..15] = 1; reg8[16..31] = select(1, 2);)",
        ),
      );
      assert.ok(!routing.some((l) => l.includes("40.0.0.0/8")), "an unreachable next hop gives no route");
      assert.equal(c.lines("lr_in_ip_routing_ecmp", "r").filter((l) => l.startsWith("100 ")).length, 2);
      assert.ok(
        c
          .lines("lr_in_arp_request", "r")
          .includes(
            "200 match=(eth.dst == 00:00:00:00:00:00 && ip6 && xxreg0 == fd00::10) actions=(nd_ns { eth.dst = 33:33:ff:00:00:10; ip6.dst = ff02::1:ff00:10; nd.target = fd00::10; output; };)",
          ),
      );
    },
  );
});

test("IPv6 RA options and distributed NAT strings", async () => {
  await withModel(
    (txn) => {
      const gc = txn.insert("Gateway_Chassis", { name: "g", chassisName: "hv1", priority: 1 });
      const p0 = txn.insert("Logical_Router_Port", {
        name: "rp0",
        mac: "00:00:00:00:ff:01",
        networks: ["10.0.0.1/24", "fd00::1/64"],
        ipv6RaConfigs: new Map([
          ["address_mode", "dhcpv6_stateless"],
          ["router_preference", "LOW"],
          ["mtu", "1400"],
        ]),
      });
      const gp = txn.insert("Logical_Router_Port", {
        name: "gp",
        mac: "00:00:00:00:ff:02",
        networks: ["172.16.0.1/24"],
        gatewayChassis: [gc],
      });
      const nat = txn.insert("NAT", {
        type: "dnat_and_snat",
        externalIp: "172.16.0.20",
        logicalIp: "10.0.0.2",
        logicalPort: "p1",
        externalMac: "00:00:00:00:AA:01",
      });
      txn.insert("Logical_Router", { name: "r", ports: [p0, gp], nat: [nat] });
    },
    (m) => {
      const rp0 = m.ports.get("rp0");
      assert.ok(rp0?.kind === "lrp");
      assert.equal(
        raOptions(rp0),
        'addr_mode = "dhcpv6_stateless", slla = 00:00:00:00:ff:01, mtu = 1400, router_preference = "LOW", prefix = fd00::/64',
      );
      const c = runBuilders(m);
      assert.deepEqual(c.lines("lr_in_gw_redirect", "r"), [
        "0 match=(1) actions=(next;)",
        '100 match=(ip4.src == 10.0.0.2 && outport == "gp" && is_chassis_resident("p1")) actions=(eth.src = 00:00:00:00:aa:01; reg1 = 172.16.0.20; next;)',
        '50 match=(outport == "gp") actions=(outport = "cr-gp"; next;)',
      ]);
      assert.ok(
        c
          .lines("lr_out_snat", "r")
          .includes(
            '161 match=(ip && ip4.src == 10.0.0.2 && outport == "gp" && is_chassis_resident("p1")) actions=(eth.src = 00:00:00:00:aa:01; ct_snat_in_czone(172.16.0.20);)',
          ),
      );
      assert.ok(
        c
          .lines("lr_out_undnat", "r")
          .includes(
            '100 match=(ip && ip4.src == 10.0.0.2 && outport == "gp") actions=(eth.src = 00:00:00:00:aa:01; ct_dnat_in_czone;)',
          ),
      );
    },
  );
});
