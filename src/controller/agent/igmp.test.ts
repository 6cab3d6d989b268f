// The IGMP agent with a fake br-int and Southbound: a report packet-in becomes an IGMP_Group row of
// this chassis (and is passed on to _MC_mrouter_flood), a querier switch gets its queries sent, a
// leave deletes the row, other actions' packet-ins and bad packets are ignored or counted; another
// router's query is flooded and makes its port a multicast router port in the "mrouters" row.
import assert from "node:assert/strict";
import { mock, test } from "node:test";
import type { OfMessage, OfMessageBody } from "../../openflow/index.js";
import { formatActions } from "../../openflow/text-actions.js";
import type { OvnSbTables } from "../../ovsdb/idl/generated/ovn-sb.js";
import type { Idl } from "../../ovsdb/idl/idl.js";
import { igmpGeneralQuery } from "../pinctrl/igmp-query.js";
import { igmpv3Report } from "../pinctrl/igmp-report.js";
import { DEFAULT_SNOOP } from "../pinctrl/igmp-snoop.js";
import { IgmpAgent } from "./igmp.js";

type Op = { op: string; table: string; row?: unknown; uuid?: string };

function fakeSb(rows: Record<string, unknown[]>, applyUpdates = false): { sb: Idl<OvnSbTables>; ops: Op[] } {
  const ops: Op[] = [];
  const sb = {
    isSynced: true,
    rows: (t: string) => rows[t] ?? [],
    transact: async (fn: (txn: unknown) => void) => {
      fn({
        insert: (table: string, row: unknown) => {
          ops.push({ op: "insert", table, row });
          const list = rows[table] ?? [];
          rows[table] = list;
          list.push({ _uuid: `new-${(row as { address: string }).address}`, ...(row as object) });
        },
        update: (table: string, uuid: string, row: unknown) => {
          ops.push({ op: "update", table, uuid, row });
          if (applyUpdates)
            rows[table] = (rows[table] ?? []).map((r) =>
              (r as { _uuid: string })._uuid === uuid ? { ...(r as object), ...(row as object) } : r,
            );
        },
        delete: (table: string, uuid: string) => {
          ops.push({ op: "delete", table, uuid });
          rows[table] = (rows[table] ?? []).filter((r) => (r as { _uuid: string })._uuid !== uuid);
        },
      });
    },
  };
  return { sb: sb as unknown as Idl<OvnSbTables>, ops };
}

const userdata = (opcode: number) => Uint8Array.of(0, 0, 0, opcode, 0, 0, 0, 0);

function packetIn(packet: Uint8Array, opcode = 16): OfMessage {
  return {
    kind: "packet_in2",
    xid: 0,
    packet,
    userdata: userdata(opcode),
    metadata: [
      { field: "metadata", value: 1n },
      { field: "reg14", value: 2n },
    ],
  } as OfMessage;
}

const flush = () => new Promise((r) => setImmediate(r));

test("IGMP agent: report → row and mrouter flood, queries sent, leave → row deleted", async () => {
  const { sb, ops } = fakeSb({
    Chassis: [{ _uuid: "ch1", name: "hv1" }],
    Datapath_Binding: [{ _uuid: "dp1", tunnelKey: 1 }],
    Port_Binding: [{ _uuid: "pb-vm1", datapath: "dp1", tunnelKey: 2 }],
    IP_Multicast: [
      {
        datapath: "dp1",
        enabled: true,
        querier: true,
        ethSrc: "0a:00:00:00:05:00",
        ip4Src: "10.0.0.254",
        ip6Src: "",
        idleTimeout: 300,
        queryInterval: 150,
        queryMaxResp: 1,
      },
    ],
    IGMP_Group: [],
  });
  const sent: OfMessageBody[] = [];
  let now = 1000;
  const agent = new IgmpAgent({
    now: () => now,
    openflow: () => ({ send: (m: OfMessageBody) => sent.push(m), wire: {} }),
    sb: () => sb,
  });
  try {
    agent.configure(sb, "hv1");
    await flush();
    // One IGMPv3 query (no ip6_src: no MLD query), and the "mrouters" row.
    assert.equal(sent.length, 1);
    assert.deepEqual(ops, [
      {
        op: "insert",
        table: "IGMP_Group",
        row: { address: "mrouters", datapath: "dp1", chassis: "ch1", ports: [] },
      },
    ]);
    ops.length = 0;
    sent.length = 0;

    const host = { mac: "f0:00:00:00:00:01", ip4: "10.0.0.11" };
    agent.onMessage(packetIn(igmpv3Report(host, [{ op: "join", group: "239.1.1.1" }])));
    await flush();
    assert.deepEqual(ops, [
      {
        op: "insert",
        table: "IGMP_Group",
        row: { address: "239.1.1.1", datapath: "dp1", chassis: "ch1", ports: ["pb-vm1"] },
      },
    ]);
    // The report goes on to _MC_mrouter_flood (32770) with its ingress port.
    assert.equal(sent.length, 1);
    const out = sent[0];
    assert.ok(out?.kind === "packet_out");
    assert.ok(out.actions.some((a) => a.kind === "set_field" && a.field === "reg15" && a.value === 32770n));
    assert.ok(out.actions.some((a) => a.kind === "set_field" && a.field === "reg14" && a.value === 2n));
    ops.length = 0;

    // Other actions' packet-ins, and a corrupted report, change nothing.
    agent.onMessage(packetIn(igmpv3Report(host, [{ op: "leave", group: "239.1.1.1" }]), 0));
    const bad = igmpv3Report(host, [{ op: "leave", group: "239.1.1.1" }]);
    bad[bad.length - 1] = (bad[bad.length - 1] ?? 0) ^ 0xff;
    agent.onMessage(packetIn(bad));
    await flush();
    assert.deepEqual(ops, []);
    assert.equal(agent.counters().get("drop-igmp-malformed"), 1);

    agent.onMessage(packetIn(igmpv3Report(host, [{ op: "leave", group: "239.1.1.1" }])));
    await flush();
    assert.deepEqual(ops, [{ op: "delete", table: "IGMP_Group", uuid: "new-239.1.1.1" }]);
    assert.equal(agent.counters().get("igmp-report-v4"), 2);
    // The next query is due one query interval later.
    now += 150_000;
    sent.length = 0;
    agent.configure(sb, "hv1");
    assert.equal(sent.length, 1);
  } finally {
    agent.stop();
  }
});

test("IGMP agent: another router's query → flooded to _MC_flood_l2 and its port in the mrouters row; packet-outs as C's", async () => {
  const { sb, ops } = fakeSb({
    Chassis: [{ _uuid: "ch1", name: "hv1" }],
    Datapath_Binding: [{ _uuid: "dp1", tunnelKey: 1 }],
    Port_Binding: [{ _uuid: "pb-vm1", datapath: "dp1", tunnelKey: 2 }],
    IP_Multicast: [{ datapath: "dp1", enabled: true, querier: false, ethSrc: "", ip4Src: "", ip6Src: "" }],
    IGMP_Group: [],
  });
  const sent: OfMessageBody[] = [];
  const agent = new IgmpAgent({
    now: () => 1000,
    openflow: () => ({ send: (m: OfMessageBody) => sent.push(m), wire: {} }),
    sb: () => sb,
  });
  try {
    agent.configure(sb, "hv1");
    await flush();
    ops.length = 0;
    const router = { ...DEFAULT_SNOOP, ethSrc: "f0:00:00:00:00:01", ip4Src: "10.0.0.11" };
    agent.onMessage(packetIn(igmpGeneralQuery(router) as Uint8Array));
    await flush();
    assert.deepEqual(ops, [
      { op: "update", table: "IGMP_Group", uuid: "new-mrouters", row: { ports: ["pb-vm1"] } },
    ]);
    // From the start of the output stage, so that it reaches other chassis; the forwarded report's
    // packet-out as the real controller's reads in ovs-vswitchd's vconn log (captured on the `ref` stack of
    // test/scenarios/peer/igmp-mrouter.test.ts): set_field:0x1->metadata,set_field:0x2->reg14,
    // set_field:0x8002->reg15,resubmit(CONTROLLER,37).
    const text = (m: OfMessageBody | undefined) => (m?.kind === "packet_out" ? formatActions(m.actions) : "");
    assert.equal(
      text(sent[0]),
      "set_field:0x1->metadata,set_field:0x2->reg14,set_field:0x8004->reg15,resubmit(CONTROLLER,37)",
    );
    agent.onMessage(
      packetIn(
        igmpv3Report({ mac: "f0:00:00:00:00:02", ip4: "10.0.0.12" }, [{ op: "join", group: "239.1.1.1" }]),
      ),
    );
    assert.equal(
      text(sent[1]),
      "set_field:0x1->metadata,set_field:0x2->reg14,set_field:0x8002->reg15,resubmit(CONTROLLER,37)",
    );
  } finally {
    agent.stop();
  }
});

test("IGMP agent: a query-learned router port leaves the mrouters row 180 s after the last query (mocked clock)", async () => {
  const { sb, ops } = fakeSb(
    {
      Chassis: [{ _uuid: "ch1", name: "hv1" }],
      Datapath_Binding: [{ _uuid: "dp1", tunnelKey: 1 }],
      Port_Binding: [{ _uuid: "pb-vm1", datapath: "dp1", tunnelKey: 2 }],
      IP_Multicast: [{ datapath: "dp1", enabled: true, querier: false, ethSrc: "", ip4Src: "", ip6Src: "" }],
      IGMP_Group: [],
    },
    true,
  );
  mock.timers.enable({ apis: ["setTimeout"] });
  let now = 1000;
  const agent = new IgmpAgent({
    now: () => now,
    openflow: () => ({ send: () => undefined, wire: {} }),
    sb: () => sb,
  });
  // Moves the clock and the mocked timers together, then lets the write settle.
  const advance = async (ms: number) => {
    now += ms;
    mock.timers.tick(ms);
    await flush();
  };
  try {
    agent.configure(sb, "hv1");
    await flush();
    ops.length = 0;
    const router = { ...DEFAULT_SNOOP, ethSrc: "f0:00:00:00:00:01", ip4Src: "10.0.0.11" };
    agent.onMessage(packetIn(igmpGeneralQuery(router) as Uint8Array));
    await flush();
    assert.deepEqual(ops, [
      { op: "update", table: "IGMP_Group", uuid: "new-mrouters", row: { ports: ["pb-vm1"] } },
    ]);
    // A second query 60 s later renews the port: nothing to write, and the expiry moves to 240 s.
    await advance(60_000);
    agent.onMessage(packetIn(igmpGeneralQuery(router) as Uint8Array));
    await flush();
    await advance(179_999);
    assert.equal(ops.length, 1, "still a router port 1 ms before the expiry");
    await advance(1);
    assert.deepEqual(ops.slice(1), [
      { op: "update", table: "IGMP_Group", uuid: "new-mrouters", row: { ports: [] } },
    ]);
    assert.deepEqual(agent.table.mrouters(1), []);
  } finally {
    agent.stop();
    mock.timers.reset();
  }
});
