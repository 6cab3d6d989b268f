// Answers the controller makes itself (packet-in) and the router's IPv6 neighbour discovery:
// DHCPv4 OFFER contents and ACK, a DNS answer, a Router Advertisement in reply to a Router Solicitation, and
// a Neighbour Advertisement for the router's own IPv6 address.
//
//   sw0: vm1 f0:00:00:00:00:01 10.0.0.11 fd00:1::11 (hv1), DHCPv4 options for 10.0.0.0/24,
//        DNS records vm2.ovn.test → 10.0.0.12
//   lr0: r0 00:00:00:00:ff:01 10.0.0.1/24 fd00:1::1/64, ipv6_ra_configs:address_mode=slaac
import assert from "node:assert/strict";
import {
  DHCP_ACK,
  DHCP_OFFER,
  decodeDhcp4,
  decodeDns,
  decodeNd,
  dhcpIpv4Option,
  dhcpMessageType,
  dhcpOption,
  linkLocalFromMac,
  ND_NA_ROUTER,
  ND_NA_SOLICITED,
} from "../../../src/packet/index.js";
import type { Stack, Vif } from "../../support/chassis.js";
import { decode, dhcpDiscover, dhcpRequest, dnsQuery, ns6, rs6 } from "../../support/frames.js";
import { waitUntil } from "../../support/wait.js";
import { expectDelivered, matrix, routerPeer, SETTLE_MS } from "../matrix.js";

const VM1 = { mac: "f0:00:00:00:00:01", ip: "10.0.0.11", ip6: "fd00:1::11" };
const R0 = { mac: "00:00:00:00:ff:01", ip: "10.0.0.1", ip6: "fd00:1::1" };

interface Topo {
  vm1: Vif;
}

function udpOf(f: Uint8Array, srcPort: number) {
  const d = decode(f);
  if (d.l3.kind !== "ipv4" || d.l3.l4.kind !== "udp" || d.l3.l4.udp.srcPort !== srcPort) return undefined;
  return { eth: d.eth, ip: d.l3.ip, udp: d.l3.l4.udp };
}

function icmp6Of(f: Uint8Array, type: number) {
  const d = decode(f);
  if (d.l3.kind !== "ipv6" || d.l3.l4.kind !== "icmp6" || d.l3.l4.icmp.type !== type) return undefined;
  return { eth: d.eth, ip: d.l3.ip, icmp: d.l3.l4.icmp };
}

matrix<Topo>({
  title: "controller answers: DHCPv4, DNS, IPv6 RA and router NA",
  chassis: 1,
  setup: async (s: Stack) => {
    await s.nbctl("ls-add", "sw0");
    await s.nbctl("lr-add", "lr0");
    await s.nbctl("lrp-add", "lr0", "r0", R0.mac, `${R0.ip}/24`, `${R0.ip6}/64`);
    await s.nbctl("set", "Logical_Router_Port", "r0", "ipv6_ra_configs:address_mode=slaac");
    await routerPeer(s, "sw0", "sw0-r0", "r0");
    await s.nbctl(
      "lsp-add",
      "sw0",
      "vm1",
      "--",
      "lsp-set-addresses",
      "vm1",
      `${VM1.mac} ${VM1.ip} ${VM1.ip6}`,
    );
    const dhcp = (
      await s.nbctl(
        "create",
        "DHCP_Options",
        "cidr=10.0.0.0/24",
        `options="lease_time"="3600" "router"="${R0.ip}" "server_id"="${R0.ip}" "server_mac"="${R0.mac}" "dns_server"="8.8.8.8"`,
      )
    ).trim();
    await s.nbctl("lsp-set-dhcpv4-options", "vm1", dhcp);
    const dns = (await s.nbctl("create", "DNS", 'records={"vm2.ovn.test"="10.0.0.12"}')).trim();
    await s.nbctl("add", "Logical_Switch", "sw0", "dns_records", dns);
    const vm1 = await (s.hv[0] as Stack["hv"][0]).addVif("vm1");
    await waitUntil(
      async () => (await s.nbctl("get", "Logical_Switch_Port", "vm1", "up")).trim() === "true",
      SETTLE_MS,
      {
        what: "vm1 up",
      },
    );
    await s.syncHv();
    return { vm1 };
  },
  scenarios: [
    {
      name: "DHCPv4: DISCOVER gets an OFFER of 10.0.0.11 with the configured options",
      run: async (_s, { vm1 }) => {
        const [got] = await expectDelivered(
          vm1,
          dhcpDiscover({ mac: VM1.mac, xid: 0x1234abcd }),
          vm1,
          (f) => udpOf(f, 67) !== undefined,
        );
        const u = udpOf(got as Uint8Array, 67);
        assert.ok(u !== undefined);
        assert.equal(u.eth.src, R0.mac);
        assert.equal(u.eth.dst, VM1.mac);
        assert.equal(u.ip.src, R0.ip);
        assert.equal(u.ip.dst, VM1.ip);
        assert.equal(u.udp.dstPort, 68);
        const d = decodeDhcp4(u.udp.payload);
        assert.ok(d.ok, "DHCP decodes");
        const m = d.value;
        assert.equal(m.op, 2);
        assert.equal(m.xid, 0x1234abcd);
        assert.equal(m.yiaddr, VM1.ip);
        assert.equal(dhcpMessageType(m), DHCP_OFFER);
        assert.equal(dhcpIpv4Option(m, 54), R0.ip, "server identifier");
        assert.equal(dhcpIpv4Option(m, 1), "255.255.255.0", "netmask");
        assert.equal(dhcpIpv4Option(m, 3), R0.ip, "router");
        assert.equal(dhcpIpv4Option(m, 6), "8.8.8.8", "DNS server");
        assert.deepEqual([...(dhcpOption(m, 51) ?? [])], [0, 0, 0x0e, 0x10], "lease time 3600");
      },
    },
    {
      name: "DHCPv4: REQUEST for the offered address gets an ACK",
      run: async (_s, { vm1 }) => {
        const req = dhcpRequest({ mac: VM1.mac, xid: 0x1234abce, requested: VM1.ip, serverId: R0.ip });
        const isAck = (f: Uint8Array) => {
          const u = udpOf(f, 67);
          if (u === undefined) return false;
          const d = decodeDhcp4(u.udp.payload);
          return d.ok && d.value.xid === 0x1234abce;
        };
        const [got] = await expectDelivered(vm1, req, vm1, isAck);
        const u = udpOf(got as Uint8Array, 67);
        assert.ok(u !== undefined);
        const d = decodeDhcp4(u.udp.payload);
        assert.ok(d.ok);
        assert.equal(dhcpMessageType(d.value), DHCP_ACK);
        assert.equal(d.value.yiaddr, VM1.ip);
        assert.equal(dhcpIpv4Option(d.value, 54), R0.ip);
      },
    },
    {
      name: "DNS: a query for vm2.ovn.test is answered with 10.0.0.12",
      run: async (_s, { vm1 }) => {
        const q = dnsQuery({
          src: VM1.mac,
          dst: R0.mac,
          sip: VM1.ip,
          dip: "10.0.0.1",
          id: 0x4242,
          name: "vm2.ovn.test",
        });
        const [got] = await expectDelivered(vm1, q, vm1, (f) => udpOf(f, 53) !== undefined);
        const u = udpOf(got as Uint8Array, 53);
        assert.ok(u !== undefined);
        assert.equal(u.ip.src, "10.0.0.1");
        assert.equal(u.ip.dst, VM1.ip);
        assert.equal(u.eth.dst, VM1.mac);
        const d = decodeDns(u.udp.payload);
        assert.ok(d.ok, "DNS decodes");
        assert.equal(d.value.id, 0x4242);
        assert.ok((d.value.flags & 0x8000) !== 0, "a response");
        assert.deepEqual(
          d.value.answers.map((a) => [a.name, a.type, a.data]),
          [["vm2.ovn.test", 1, { kind: "a", address: "10.0.0.12" }]],
        );
      },
    },
    {
      name: "IPv6 RA: a Router Solicitation gets an RA with prefix fd00:1::/64 (SLAAC) from the router",
      run: async (_s, { vm1 }) => {
        const rs = rs6({ src: VM1.mac, sip: linkLocalFromMac(VM1.mac) });
        const [got] = await expectDelivered(vm1, rs, vm1, (f) => icmp6Of(f, 134) !== undefined);
        const ra = icmp6Of(got as Uint8Array, 134);
        assert.ok(ra !== undefined);
        assert.equal(ra.eth.src, R0.mac);
        assert.equal(ra.ip.src, linkLocalFromMac(R0.mac));
        assert.equal(ra.ip.hopLimit, 255);
        const nd = decodeNd(134, ra.icmp.body);
        assert.ok(nd.ok && nd.value.kind === "ra");
        const prefixes = nd.value.options.flatMap((o) => (o.kind === "prefix" ? [o] : []));
        assert.deepEqual(
          prefixes.map((p) => [p.prefix, p.prefixLength, (p.flags & 0x40) !== 0]),
          [["fd00:1::", 64, true]],
          "one prefix, autonomous",
        );
        assert.ok(
          nd.value.options.some((o) => o.kind === "sll" && o.mac === R0.mac),
          "source link-layer option is the router's MAC",
        );
      },
    },
    {
      name: "IPv6 ND: a solicitation for fd00:1::1 gets a router NA with the router's MAC",
      run: async (_s, { vm1 }) => {
        const ns = ns6({ src: VM1.mac, sip: VM1.ip6, target: R0.ip6 });
        const [got] = await expectDelivered(vm1, ns, vm1, (f) => icmp6Of(f, 136) !== undefined);
        const na = icmp6Of(got as Uint8Array, 136);
        assert.ok(na !== undefined);
        assert.equal(na.eth.src, R0.mac);
        assert.equal(na.eth.dst, VM1.mac);
        assert.equal(na.ip.src, R0.ip6);
        assert.equal(na.ip.dst, VM1.ip6);
        const nd = decodeNd(136, na.icmp.body);
        assert.ok(nd.ok && nd.value.kind === "na");
        assert.equal(nd.value.target, R0.ip6);
        assert.ok((nd.value.flags & ND_NA_ROUTER) !== 0, "router flag");
        assert.ok((nd.value.flags & ND_NA_SOLICITED) !== 0, "solicited flag");
        assert.ok(nd.value.options.some((o) => o.kind === "tll" && o.mac === R0.mac));
      },
    },
  ],
});
