// The `ovnts controller` agent: the I/O edge that joins the local Open_vSwitch database, the
// Southbound database and br-int's OpenFlow connection.  Every change in either database schedules one
// full pass (step()): read the local configuration, make br-int and the tunnels, register the chassis,
// narrow the Southbound monitor to what this chassis needs (sb-monitor.ts; a pass goes no further until
// the server has applied the conditions it computes, so flows never come from a half-updated replica),
// claim and release ports, compute the desired flow table and, when it differs from what is installed,
// replace br-int's table in one atomic bundle; then report ports up and acknowledge nb_cfg.  Passes never
// overlap; a change during a pass makes another pass run after it.  Packet-ins from br-int go to the
// pinctrl loop (pinctrl-loop.ts), which each pass gives the current Southbound view.  What a pass does
// to the local Open_vSwitch database (bridge, tunnels, patch ports, conntrack zones kept in br-int's
// external_ids) is in local-ovs.ts; what it writes to the Southbound database, in southbound.ts.

import { logger } from "../../base/log.js";
import type { SslOptions } from "../../jsonrpc/transport/ssl.js";
import { bridgeMgmtPath, OfConnection, OfError } from "../../openflow/conn.js";
import { formatFlowMod } from "../../openflow/text.js";
import { connectIdl } from "../../ovsdb/idl/connect.js";
import { type OvnSbTables, ovnSbModel } from "../../ovsdb/idl/generated/ovn-sb.js";
import { type VswitchTables, vswitchModel } from "../../ovsdb/idl/generated/vswitch.js";
import type { Idl } from "../../ovsdb/idl/idl.js";
import { DesiredCache, JsonRowsCache } from "../incremental/index.js";
import { localDatapaths } from "../lflow/index.js";
import { SbViewMemo, sbViewFromTables } from "../lflow/sb.js";
import { InstalledTable } from "../ofctrl/installed.js";
import { announcements } from "./announcements.js";
import { planBindings } from "./bindings.js";
import { type LocalConfig, localConfig } from "./config.js";
import {
  brIntPorts,
  ensureBridge,
  ensurePatchPorts,
  ensureTunnels,
  restoreZones,
  saveZones,
} from "./local-ovs.js";
import { PinctrlLoop } from "./pinctrl-loop.js";
import { pinctrlState } from "./pinctrl-state.js";
import { raConfigs } from "./ra-configs.js";
import { type SbConditions, SbConditionTracker, sbConditions } from "./sb-monitor.js";
import {
  ackNbCfg,
  changeBindings,
  registerChassis,
  reportUp,
  sbWriteContext,
  writeSb,
} from "./southbound.js";
import type { ZoneAllocator } from "./zones.js";

const log = logger("controller");

/** A bundle error with the flow the switch refused spelled out (the logical flow behind it is a bug). */
function rejectedFlow(e: unknown): unknown {
  if (!(e instanceof OfError)) return e;
  const req = e.request;
  const m = req?.kind === "bundle_add" ? req.message : undefined;
  const what =
    m?.kind === "flow_mod"
      ? formatFlowMod(m.flowMod)
      : m?.kind === "group_mod"
        ? `group ${m.groupMod.groupId}`
        : "";
  return what === "" ? e : new Error(`${e.message}: ${what}`);
}

/** The Geneve option OVN carries the logical ports in (class 0x0102, type 0x80, 4 bytes) → tun_metadata0. */
const GENEVE_TLV = { optClass: 0x0102, optType: 0x80, optLen: 4, index: 0 };

/** The Southbound tables the compiler's view is built from. */
const VIEW_TABLES = [
  "Logical_Flow",
  "Logical_DP_Group",
  "Chassis",
  "HA_Chassis",
  "HA_Chassis_Group",
  "Encap",
  "Datapath_Binding",
  "Port_Binding",
  "Multicast_Group",
  "MAC_Binding",
  "Address_Set",
  "Port_Group",
  "DHCP_Options",
  "DHCPv6_Options",
  "FDB",
  "Load_Balancer",
];

export interface AgentOptions {
  /** Remote of the local Open_vSwitch database ("unix:/var/run/openvswitch/db.sock"). */
  readonly ovsRemote: string;
  /** Where ovs-vswitchd puts br-int.mgmt. */
  readonly ovsRundir: string;
  readonly hostname: string;
  /** Wall clock in ms (nb_cfg_timestamp). */
  readonly now: () => number;
  /** Key, certificate and CA for an ssl: Southbound remote (the local OVS database never needs them). */
  readonly ssl?: SslOptions;
}

export class ControllerAgent {
  readonly ovs: Idl<VswitchTables>;
  sb: Idl<OvnSbTables> | undefined;
  private sbRemote: string | undefined;
  /** The Southbound monitor conditions asked of `sb` (ovn-monitor-all). */
  private sbConds: SbConditionTracker | undefined;
  /** Passes that waited for a condition change before computing flows, for tests and status. */
  condWaits = 0;
  private of: OfConnection | undefined;
  private ofConnecting = false;
  private installedKey: string | undefined;
  /** Memories between passes (each gives what its from-scratch function gives: sb-json.ts tablesAsJson,
   *  lflow/sb.ts sbViewFromTables, desired.ts desiredState), so a pass costs what changed. */
  private readonly sbJson = new JsonRowsCache(ovnSbModel);
  private readonly viewMemo = new SbViewMemo();
  private readonly desiredCache = new DesiredCache();
  /** br-int's flow table as installed on the current connection (incremental updates). */
  private readonly installed = new InstalledTable();
  /** flow_mods and group_mods sent in installs, for tests and status. */
  modsSent = 0;
  /** Made at the first pass that sees br-int, from the zones recorded in its external_ids. */
  private zones: ZoneAllocator | undefined;
  /** Zones handed out afresh and not yet flushed in the switch's conntrack. */
  private zonesToFlush: number[] = [];
  /** seq_num of the next Controller_Event row. */
  private nextEventSeq = 1;
  /** external_ids:system-id as last read (the chassis pinctrl's Southbound writes name). */
  private systemId: string | undefined;
  /** The packet-in loop (pinctrl handlers, their effects, gratuitous ARPs). */
  readonly pinctrl: PinctrlLoop;
  private running = false;
  private dirty = false;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;
  /** Passes completed, for tests and status. */
  passes = 0;
  installs = 0;

  constructor(private readonly opts: AgentOptions) {
    this.ovs = connectIdl(vswitchModel, opts.ovsRemote);
    this.ovs.onChange(() => this.schedule());
    this.pinctrl = new PinctrlLoop({
      now: opts.now,
      openflow: () => (this.of !== undefined && !this.of.isClosed ? this.of : undefined),
      sbContext: () =>
        this.sb !== undefined ? sbWriteContext(this.sb, this.systemId, this.nextEventSeq) : undefined,
      writeSb: (ops) => {
        if (this.sb === undefined) throw new Error("not connected to the Southbound database");
        // seq_num counts the events this process wrote (ovn-controller's counter starts at 1 too).
        this.nextEventSeq += ops.filter((o) => o.op === "insert-event").length;
        return writeSb(this.sb, ops);
      },
    });
  }

  stop(): void {
    this.stopped = true;
    this.pinctrl.stop();
    clearTimeout(this.retryTimer);
    this.ovs.stop();
    this.sb?.stop();
    this.of?.close();
  }

  /** Runs a pass now, or after the current one. */
  schedule(): void {
    if (this.stopped) return;
    if (this.running) {
      this.dirty = true;
      return;
    }
    void this.loop();
  }

  private retryLater(ms = 1000): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.schedule(), ms);
  }

  private async loop(): Promise<void> {
    this.running = true;
    try {
      do {
        this.dirty = false;
        try {
          await this.step();
          this.passes++;
        } catch (e) {
          log.warn(`pass failed, retrying: ${e instanceof Error ? e.message : String(e)}`);
          this.retryLater();
        }
      } while (this.dirty && !this.stopped);
    } finally {
      this.running = false;
    }
  }

  private async step(): Promise<void> {
    if (!this.ovs.isSynced) return;
    const cfgRow = this.ovs.first("Open_vSwitch");
    if (cfgRow === undefined) return;
    const cfg = localConfig(cfgRow.externalIds, this.ovs.rows("Bridge"));
    if (cfg.systemId === undefined || cfg.remote === undefined) {
      log.info("waiting for external_ids:system-id and ovn-remote in Open_vSwitch");
      return;
    }
    if (await ensureBridge(this.ovs, cfg)) return;
    if (this.zones === undefined) this.zones = restoreZones(this.ovs, cfg.bridge);
    const zones = this.zones;
    const sb = this.sbFor(cfg.remote);
    const { vifPorts, tunnelPorts, localnetPorts, ifaceByLport } = brIntPorts(this.ovs, cfg.bridge);
    const conds = this.sbConds as SbConditionTracker;
    if (!sb.isSynced) {
      // Asked before the first monitor request goes out, so even the first reply holds only these rows.
      // After a reconnection the conditions stay as they were: the replica then resumes where it was.
      if (conds.untouched) conds.apply(this.conditions(cfg, vifPorts.keys(), undefined, new Set()));
      return;
    }
    if (await registerChassis(sb, cfg, this.opts.hostname)) return;
    if (await ensureTunnels(this.ovs, sb, cfg)) return;

    const view = sbViewFromTables(this.sbJson.tables(sb as never, VIEW_TABLES), this.viewMemo);
    const local = localDatapaths(view, cfg.systemId);
    const chassisUuid = sb.rows("Chassis").find((c) => c.name === cfg.systemId)?._uuid;
    if (!conds.apply(this.conditions(cfg, vifPorts.keys(), chassisUuid, local))) {
      // The replica is (or is about to be) changing under new conditions: a view taken now may lack
      // rows of a datapath that just became local. The server's reply schedules the next pass.
      this.condWaits++;
      return;
    }
    this.pinctrl.setState(pinctrlState(view, sb.rows("DNS")));
    this.systemId = cfg.systemId;
    const virtualParents = new Map(
      sb
        .rows("Port_Binding")
        .flatMap((p) => (p.virtualParent !== undefined ? [[p.logicalPort, p.virtualParent] as const] : [])),
    );
    const plan = planBindings(view.ports, new Set(vifPorts.keys()), cfg.systemId, virtualParents);
    if (plan.claim.length > 0 || plan.release.length > 0) {
      await changeBindings(sb, cfg.systemId, plan.claim, plan.release);
      return; // the Port_Binding update brings us back with the new owner in the view
    }
    if (await ensurePatchPorts(this.ovs, cfg, view)) return;
    const nbCfg = sb.first("SB_Global")?.nbCfg ?? 0;
    const desired = this.desiredCache.state({
      view,
      chassis: cfg.systemId,
      vifPorts,
      tunnelPorts,
      localnetPorts,
      zones,
    });
    zones.sweep();
    this.zonesToFlush.push(...zones.takeFresh());
    await saveZones(this.ovs, cfg.bridge, zones);
    for (const e of desired.errors) log.dbg(`logical flow skipped: ${e}`);
    if (desired.key !== this.installedKey) {
      const of = await this.openflow(cfg.bridge);
      if (of === undefined) return;
      if (this.zonesToFlush.length > 0) {
        // A zone given afresh may still hold connections of an earlier owner (or an earlier run).
        await of.transact(this.zonesToFlush.map((zone) => ({ kind: "ct_flush_zone", zone }) as const));
        this.zonesToFlush = [];
      }
      const plan = this.installed.plan(desired.flows, desired.groups);
      if (plan.messages.length > 0)
        await of.bundle(plan.messages, { atomic: true, ordered: true }).catch((e: unknown) => {
          throw rejectedFlow(e);
        });
      this.installed.commit(plan);
      this.installedKey = desired.key;
      this.installs++;
      this.modsSent += plan.messages.length;
      log.info(
        `installed ${desired.flows.length} flows, ${desired.groups.length} groups ` +
          (plan.full ? "(full replace)" : `(incremental: ${plan.messages.length} flow/group mods)`),
      );
    }
    // Announce only what the installed flows can deliver.
    this.pinctrl.setAnnouncements(
      announcements(
        view,
        cfg.systemId,
        new Set(localnetPorts.keys()),
        new Map(sb.rows("Port_Binding").map((p) => [p.logicalPort, p.natAddresses])),
      ),
    );
    this.pinctrl.setRaConfigs(raConfigs(view, local));
    await reportUp(sb, this.ovs, plan.bound, ifaceByLport);
    await ackNbCfg(sb, cfg.systemId, nbCfg, this.opts.now());
  }

  /** The Southbound conditions for this chassis now (sb-monitor.ts). */
  private conditions(
    cfg: LocalConfig,
    ifaceIds: Iterable<string>,
    chassisUuid: string | undefined,
    local: ReadonlySet<string>,
  ): SbConditions {
    if (cfg.monitorAll)
      return sbConditions({
        monitorAll: true,
        chassisName: "",
        chassisUuid,
        ifaceIds: [],
        localDatapaths: [],
        dpGroups: [],
      });
    const sb = this.sb;
    const dps =
      sb === undefined
        ? []
        : [...local].flatMap((u) => {
            const d = sb.get("Datapath_Binding", u);
            return d === undefined ? [] : [{ uuid: u, tunnelKey: d.tunnelKey }];
          });
    const dpGroups =
      sb === undefined || local.size === 0
        ? []
        : sb
            .rows("Logical_DP_Group")
            .filter((g) => g.datapaths.some((d) => local.has(d)))
            .map((g) => g._uuid);
    return sbConditions({
      monitorAll: false,
      chassisName: cfg.systemId as string,
      chassisUuid,
      ifaceIds,
      localDatapaths: dps,
      dpGroups,
    });
  }

  private async openflow(bridge: string): Promise<OfConnection | undefined> {
    if (this.of !== undefined && !this.of.isClosed) return this.of;
    if (this.ofConnecting) return undefined;
    this.ofConnecting = true;
    try {
      const path = bridgeMgmtPath(this.opts.ovsRundir, bridge);
      // Declared before the call: onClose also runs for a connection that fails during its hello,
      // before connect() settles (it then rejects, and the catch below schedules the retry).
      let of: OfConnection | undefined;
      of = await OfConnection.connect(`unix:${path}`, {
        wire: { tlvLengths: new Map([[GENEVE_TLV.index, GENEVE_TLV.optLen]]) },
        probeIntervalMs: 5000,
        onClose: (err) => {
          if (of === undefined) return;
          if (this.of === of) this.of = undefined;
          this.installedKey = undefined;
          this.installed.reset();
          if (!this.stopped) {
            log.warn(`${path}: OpenFlow connection closed${err !== undefined ? `: ${err.message}` : ""}`);
            this.retryLater();
          }
        },
      });
      of.onMessage = (m) => this.pinctrl.onMessage(m);
      // Packet-ins as NXT_PACKET_IN2 with the whole packet: pinctrl needs the userdata, the pipeline
      // fields and the continuation that only that format carries.
      await of.transact([
        { kind: "set_packet_in_format", format: "nxt_packet_in2" },
        { kind: "set_config", flags: 0, missSendLen: 0xffff },
      ]);
      // Map OVN's Geneve option to tun_metadata0; "already mapped" (from an earlier run) is fine.
      await of
        .transact([{ kind: "tlv_table_mod", command: "add", mappings: [GENEVE_TLV] }])
        .catch((e: unknown) => {
          log.dbg(`tlv_table_mod: ${e instanceof Error ? e.message : String(e)}`);
        });
      this.of = of;
      this.installedKey = undefined;
      this.installed.reset();
      return of;
    } catch (e) {
      log.info(`br-int not reachable over OpenFlow yet: ${e instanceof Error ? e.message : String(e)}`);
      this.retryLater(500);
      return undefined;
    } finally {
      this.ofConnecting = false;
    }
  }

  // ---- Southbound --------------------------------------------------------------------------------

  private sbFor(remote: string): Idl<OvnSbTables> {
    if (this.sb !== undefined && this.sbRemote === remote) return this.sb;
    this.sb?.stop();
    log.info(`connecting to Southbound database ${remote}`);
    const sb = connectIdl(ovnSbModel, remote, this.opts.ssl !== undefined ? { ssl: this.opts.ssl } : {});
    sb.onChange(() => this.schedule());
    this.sbConds = new SbConditionTracker(sb, () => this.schedule());
    this.sb = sb;
    this.sbRemote = remote;
    this.installedKey = undefined;
    return sb;
  }
}
