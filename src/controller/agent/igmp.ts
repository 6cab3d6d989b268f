// The edge of IGMP/MLD snooping (ovn-sb(5) IP_Multicast, IGMP_Group; the `igmp;` action): packet-ins
// of the `igmp` controller action update the snooping table (../pinctrl/igmp-snoop.ts) of the switch
// they came from; what the table learned is written to IGMP_Group (one row per datapath and group for
// this chassis, igmp-sb.ts), which ovn-northd turns into the Multicast_Group and the flows that
// forward the group's traffic to the joined ports only. Memberships expire after the switch's
// idle_timeout; a querier switch sends IGMPv3 and MLDv2 general queries every query_interval (the
// first when snooping starts), from this chassis to its own ports only (the "local only" logical
// flag), into the switch's _MC_flood group. Reports are passed on to the switch's _MC_mrouter_flood
// group (relaying routers, ports with mcast_flood_reports, router ports learned from queries), and
// queries to its _MC_flood_l2 group, on every chassis (as ovn-controller 23.03 does). A query makes its
// port a multicast router port, written in this chassis's "mrouters" IGMP_Group row.
// This is I/O edge code: it reads the clock through `now` and schedules with timers.

import { logger } from "../../base/log.js";
import type { OfMessage, OfMessageBody, WireContext } from "../../openflow/index.js";
import type { OvnSbTables } from "../../ovsdb/idl/generated/ovn-sb.js";
import type { Idl } from "../../ovsdb/idl/idl.js";
import { decodeMembership } from "../pinctrl/igmp.js";
import { igmpGeneralQuery, mldGeneralQuery } from "../pinctrl/igmp-query.js";
import { type SnoopConfig, SnoopTable } from "../pinctrl/igmp-snoop.js";
import { TokenBucket } from "../pinctrl/ratelimit.js";
import { OPCODES } from "../pinctrl/userdata.js";
import { type IgmpRowOp, planIgmpGroups, snoopConfigs } from "./igmp-sb.js";
import { packetInFromMessage } from "./packet-in.js";
import { logicalPacketOut } from "./packet-out.js";

const log = logger("pinctrl");

/** Tunnel keys of the fixed multicast groups (ovn-sb(5) Multicast_Group, as ovn-northd numbers them). */
const MC_FLOOD = 32768;
const MC_MROUTER_FLOOD = 32770;
const MC_FLOOD_L2 = 32772;
/** IGMP/MLD packet-ins admitted per second, and the burst. */
const RATE = 1000;
const BURST = 200;

export interface IgmpAgentDeps {
  readonly now: () => number;
  readonly openflow: () => { send(m: OfMessageBody): unknown; readonly wire: WireContext } | undefined;
  /** The Southbound connection IGMP_Group is written through; undefined when not connected. */
  readonly sb: () => Idl<OvnSbTables> | undefined;
}

export class IgmpAgent {
  readonly table = new SnoopTable();
  private readonly own = new Map<string, number>();
  private readonly bucket = new TokenBucket(RATE, BURST);
  private configs = new Map<number, SnoopConfig>();
  /** Next general query per querier switch (ms). */
  private queries = new Map<number, number>();
  private chassis: string | undefined;
  private dirty = false;
  private writing = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly deps: IgmpAgentDeps) {}

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private count(name: string, n = 1): void {
    this.own.set(name, (this.own.get(name) ?? 0) + n);
  }

  counters(): Map<string, number> {
    return new Map(this.own);
  }

  /**
   * From each agent pass: the snooping settings of the local switches (their IP_Multicast rows) and
   * this chassis's name. Switches that stopped snooping forget what they learned.
   */
  configure(sb: Idl<OvnSbTables>, chassisName: string): void {
    if (this.stopped) return;
    const keyOf = new Map(sb.rows("Datapath_Binding").map((d) => [d._uuid as string, d.tunnelKey]));
    this.configs = snoopConfigs(sb.rows("IP_Multicast"), (u) => keyOf.get(u));
    this.chassis = chassisName;
    const now = this.deps.now();
    const queries = new Map<number, number>();
    for (const [dp, cfg] of this.configs)
      if (cfg.enabled && cfg.querier) queries.set(dp, this.queries.get(dp) ?? now);
    this.queries = queries;
    if (this.table.retain((dp) => this.configs.get(dp)?.enabled === true)) this.dirty = true;
    // Rows written before a restart, or by a chassis whose table now differs, are brought in line.
    this.dirty = true;
    this.tick();
  }

  /** A message from br-int: only packet-ins of the `igmp` action are looked at. */
  onMessage(m: OfMessage): void {
    if (this.stopped || m.kind !== "packet_in2") return;
    // Most packet-ins are other actions': look at the opcode before decoding anything.
    const u = m.userdata;
    if (u === undefined || u.length < 4 || u[0] !== 0 || u[1] !== 0 || u[2] !== 0 || u[3] !== OPCODES.igmp)
      return;
    const pin = packetInFromMessage(m);
    if (!pin.ok || pin.value.action.kind !== "igmp") return;
    const now = this.deps.now();
    if (!this.bucket.take(now)) {
      this.count("ratelimit-igmp");
      return;
    }
    const { packet, md } = pin.value;
    const msg = decodeMembership(packet);
    if (!msg.ok) {
      this.count(msg.truncated ? "drop-igmp-truncated" : "drop-igmp-malformed");
      if (log.enabled("DBG")) log.dbg(`IGMP/MLD packet dropped: ${msg.error}`);
      return;
    }
    const cfg = this.configs.get(md.datapath);
    if (cfg === undefined) {
      this.count("drop-igmp-no-ip-multicast");
      return;
    }
    const r = this.table.apply(md.datapath, md.inport, msg.value, cfg, now);
    this.count(r.counter);
    if (r.changed) this.dirty = true;
    // Routers and hosts that asked for reports hear them as if the switch flooded them; a query goes to
    // the whole L2 domain (not towards logical routers).
    if (cfg.enabled) {
      const report = msg.value.kind === "report";
      const out = logicalPacketOut(packet, md.datapath, report ? MC_MROUTER_FLOOD : MC_FLOOD_L2, {
        inport: md.inport,
        allChassis: true,
      });
      this.send(out, report ? "report" : "forwarded-query");
    }
    this.tick();
  }

  private send(m: OfMessageBody, what: string): void {
    const of = this.deps.openflow();
    if (of === undefined) {
      this.count(`igmp-${what}-no-connection`);
      return;
    }
    try {
      of.send(m);
      this.count(`sent-igmp-${what}`);
    } catch (err) {
      this.count(`igmp-${what}-send-failed`);
      log.warn(`sending an IGMP ${what}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Expires memberships, sends the queries that are due, writes changes, and sleeps until the next. */
  private tick(): void {
    if (this.stopped) return;
    const now = this.deps.now();
    if (this.table.expire(now)) this.dirty = true;
    for (const [dp, due] of this.queries) {
      if (due > now) continue;
      const cfg = this.configs.get(dp);
      if (cfg === undefined) continue;
      for (const q of [igmpGeneralQuery(cfg), mldGeneralQuery(cfg)])
        if (q !== undefined) this.send(logicalPacketOut(q, dp, MC_FLOOD, { localOnly: true }), "query");
      this.queries.set(dp, now + cfg.queryInterval * 1000);
    }
    if (this.dirty) void this.flush();
    this.arm(now);
  }

  private arm(now: number): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    let wake = this.table.nextExpiry();
    for (const due of this.queries.values()) if (wake === undefined || due < wake) wake = due;
    if (wake === undefined) return;
    this.timer = setTimeout(() => this.tick(), Math.max(wake - now, 10));
    this.timer.unref();
  }

  /** One transaction that brings this chassis's IGMP_Group rows to the table; later changes wait for it. */
  private async flush(): Promise<void> {
    if (this.writing) return;
    const sb = this.deps.sb();
    const name = this.chassis;
    if (sb === undefined || !sb.isSynced || name === undefined) return;
    const chassis = sb.rows("Chassis").find((c) => c.name === name)?._uuid;
    if (chassis === undefined) return;
    this.dirty = false;
    const datapathByKey = new Map(sb.rows("Datapath_Binding").map((d) => [d.tunnelKey, d._uuid as string]));
    const dpKey = new Map(sb.rows("Datapath_Binding").map((d) => [d._uuid as string, d.tunnelKey]));
    const portByKeys = new Map<string, string>();
    for (const p of sb.rows("Port_Binding")) {
      const k = dpKey.get(p.datapath);
      if (k !== undefined) portByKeys.set(`${k}:${p.tunnelKey}`, p._uuid);
    }
    const ops = planIgmpGroups(this.table.groups(), {
      chassis,
      datapathByKey,
      portByKeys,
      existing: sb.rows("IGMP_Group"),
      snooping: [...this.configs].flatMap(([dp, cfg]) => (cfg.enabled ? [dp] : [])),
      mrouters: (dp) => this.table.mrouters(dp),
    });
    if (ops.length === 0) return;
    this.writing = true;
    try {
      await sb.transact((txn) => applyOps(txn, ops));
      this.count("igmp-group-rows-written", ops.length);
    } catch (err) {
      this.dirty = true;
      this.count("igmp-group-write-failed");
      log.warn(`IGMP_Group write failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.writing = false;
    }
    if (this.dirty && !this.stopped) void this.flush();
  }
}

function applyOps(
  txn: Parameters<Parameters<Idl<OvnSbTables>["transact"]>[0]>[0],
  ops: readonly IgmpRowOp[],
): void {
  for (const o of ops)
    switch (o.op) {
      case "insert":
        txn.insert("IGMP_Group", {
          address: o.address,
          datapath: o.datapath as never,
          chassis: o.chassis as never,
          ports: o.ports as never,
        });
        break;
      case "update":
        txn.update("IGMP_Group", o.uuid as never, { ports: o.ports as never });
        break;
      case "delete":
        txn.delete("IGMP_Group", o.uuid as never);
        break;
    }
}
