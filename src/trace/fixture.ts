// A small hand-made Southbound database for the tracer's golden tests, as OVSDB would return it
// (RFC 7047 JSON rows): switch sw0 (lsp1, lsp2 and a patch port to router lr0), a flood group, and
// a router that answers ICMP and loops packets back through the patch port.

import type { JsonRow, TraceTables } from "./sb.js";

const uuid = (n: number) => `${n.toString(16).padStart(8, "0")}-0000-4000-8000-000000000000`;
const ref = (n: number) => ["uuid", uuid(n)];
const map = (o: Record<string, string>) => ["map", Object.entries(o)];

const SW0 = 1;
const LR0 = 2;

function flow(
  n: number,
  dp: number,
  pipeline: "ingress" | "egress",
  table: number,
  priority: number,
  match: string,
  actions: string,
): [string, JsonRow] {
  return [
    uuid(n),
    {
      logical_datapath: ref(dp),
      logical_dp_group: ["set", []],
      pipeline,
      table_id: table,
      priority,
      match,
      actions,
      external_ids: map({
        "stage-name": `${dp === SW0 ? "ls" : "lr"}_${pipeline === "ingress" ? "in" : "out"}_t${table}`,
        source: `fixture:${n}`,
      }),
    },
  ];
}

function port(
  n: number,
  name: string,
  dp: number,
  key: number,
  type = "",
  options: Record<string, string> = {},
): [string, JsonRow] {
  return [
    uuid(n),
    {
      logical_port: name,
      datapath: ref(dp),
      tunnel_key: key,
      type,
      options: map(options),
      mac: ["set", []],
      port_security: ["set", []],
    },
  ];
}

export const FIXTURE_TABLES: TraceTables = {
  Datapath_Binding: {
    [uuid(SW0)]: { tunnel_key: 1, external_ids: map({ name: "sw0", "logical-switch": uuid(90) }) },
    [uuid(LR0)]: { tunnel_key: 2, external_ids: map({ name: "lr0", "logical-router": uuid(91) }) },
  },
  Port_Binding: Object.fromEntries([
    port(11, "lsp1", SW0, 1),
    port(12, "lsp2", SW0, 2),
    port(13, "sw0-lr0", SW0, 3, "patch", { peer: "lrp0" }),
    port(14, "lrp0", LR0, 1, "patch", { peer: "sw0-lr0" }),
  ]),
  Multicast_Group: {
    [uuid(20)]: {
      datapath: ref(SW0),
      name: "_MC_flood",
      tunnel_key: 32768,
      ports: ["set", [ref(12), ref(11)]],
    },
  },
  Logical_Flow: Object.fromEntries([
    flow(100, SW0, "ingress", 0, 100, "eth.src[40]", "drop;"),
    flow(101, SW0, "ingress", 0, 50, "1", "next;"),
    flow(102, SW0, "ingress", 1, 100, "ip4 && tcp", "ct_next;"),
    flow(103, SW0, "ingress", 1, 0, "1", "next;"),
    flow(104, SW0, "ingress", 2, 100, "ct.est && tcp.dst == 22", "drop;"),
    flow(105, SW0, "ingress", 2, 0, "1", "next;"),
    flow(106, SW0, "ingress", 3, 70, "eth.mcast", 'outport = "_MC_flood"; output;'),
    flow(107, SW0, "ingress", 3, 50, "eth.dst == 00:00:00:00:00:02", 'outport = "lsp2"; output;'),
    flow(108, SW0, "ingress", 3, 50, "eth.dst == 00:00:00:00:00:ff", 'outport = "sw0-lr0"; output;'),
    flow(109, SW0, "egress", 0, 0, "1", "output;"),
    flow(
      110,
      LR0,
      "ingress",
      0,
      90,
      "icmp4 && icmp4.type == 8",
      "icmp4 { eth.dst <-> eth.src; ip4.dst <-> ip4.src; icmp4.type = 0; outport = inport; flags.loopback = 1; output; };",
    ),
    flow(
      111,
      LR0,
      "ingress",
      0,
      50,
      "ip4",
      'ip.ttl--; reg0 = ip4.dst; eth.src = 00:00:00:00:00:ff; get_arp(outport, reg0); outport = "lrp0"; next;',
    ),
    flow(112, LR0, "ingress", 1, 0, "1", "output;"),
    flow(113, LR0, "egress", 0, 0, "1", "output;"),
  ]),
};
