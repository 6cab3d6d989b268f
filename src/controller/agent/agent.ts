// The `ovnts controller` agent: the I/O edge that joins the local Open_vSwitch database, the
// Southbound database and br-int's OpenFlow connection.  Every change in either database schedules a
// pass (step()): read the local configuration, make br-int and the tunnels, register the chassis, bring
// the Southbound view up to date from the tables that changed, plan claims and releases, narrow the
// Southbound monitor to what this chassis needs (sb-monitor.ts; a pass goes no further until the server
// has applied the conditions it computes, so flows never come from a half-updated replica -- a claiming
// pass (if-status.ts) and a plugged
// VIF's own clauses excepted; at start the conditions are asked from the local datapaths the rows
// suggest, local-guess.ts, before registering and before any view, so the start takes one condition
// round), compute the desired flow table for the ports as they are about to be
// bound (the memories in ../incremental make that cost what changed), install the difference in one
// atomic bundle, and only then write the claims together with Port_Binding.up, ovn-installed and the
// nb_cfg acknowledgement -- so a plug is claimed, installed and reported up in one pass, as
// ovn-controller does in one iteration: up means "the claiming pass's flows installed" (if-status.ts;
// a pass that claims while conditions are on their way installs what the replica holds), --wait=hv
// "every flow installed".  Passes never
// overlap; a change during a pass makes another pass run after it.  Packet-ins from br-int go to the
// pinctrl loop (pinctrl-loop.ts), which each pass gives the current Southbound view.  What a pass does
// to the local Open_vSwitch database (bridge, tunnels, patch ports, conntrack zones kept in br-int's
// external_ids) is in local-ovs.ts; what it writes to the Southbound database, in southbound.ts.

import { logger } from "../../base/log.js";
import type { SslOptions } from "../../jsonrpc/transport/ssl.js";
import { bridgeMgmtPath, OfConnection, OfError } from "../../openflow/conn.js";
import type { MeterMod } from "../../openflow/model.js";
import { formatFlowMod } from "../../openflow/text.js";
import { formatGroup } from "../../openflow/text-group.js";
import { connectIdl } from "../../ovsdb/idl/connect.js";
import { type OvnSbTables, ovnSbModel } from "../../ovsdb/idl/generated/ovn-sb.js";
import { type VswitchTables, vswitchModel } from "../../ovsdb/idl/generated/vswitch.js";
import type { ChangeTracker, Idl } from "../../ovsdb/idl/idl.js";
import { UnixctlError } from "../../unixctl/commands.js";
import { DesiredCache, RowTablesCache } from "../incremental/index.js";
import type { Flow } from "../lflow/flow.js";
import { localDatapaths } from "../lflow/index.js";
import { type SbView, SbViewMemo, sbViewFromRows, withChassis } from "../lflow/sb.js";
import { toFlowMod } from "../lflow/to-model.js";
import { desiredMeters, InstalledMeters, sbMeters } from "../meters/index.js";
import { InstalledTable } from "../ofctrl/installed.js";
import { remoteChassisMacs } from "../physical/chassis-macs.js";
import { announcements } from "./announcements.js";
import type { ControllerIntrospection } from "./appctl.js";
import { ClaimThrottle, localBindingsText, planBindings } from "./bindings.js";
import { type LocalConfig, localConfig } from "./config.js";
import type { Desired } from "./desired.js";
import { installBeforeRows } from "./if-status.js";
import { IgmpAgent } from "./igmp.js";
import { injectionMessage, injectionPacket } from "./inject.js";
import { guessLocalDatapaths } from "./local-guess.js";
import {
  brIntPorts,
  ensureBridge,
  ensurePatchPorts,
  ensureTunnels,
  haActiveMembers,
  restoreZones,
  saveZones,
} from "./local-ovs.js";
import { OVS_MONITOR } from "./ovs-monitor.js";
import { PassTiming } from "./pass-timing.js";
import { PinctrlLoop } from "./pinctrl-loop.js";
import { pinctrlState } from "./pinctrl-state.js";
import { raConfigs } from "./ra-configs.js";
import { SB_MONITOR, SbConditionTracker, type SbMonitorInput, sbConditions } from "./sb-monitor.js";
import {
  ackNbCfg,
  changeBindings,
  ifaceEncapIps,
  markInstalled,
  registerChassis,
  sbWriteContext,
  writeSb,
} from "./southbound.js";
import { localServiceMonitors } from "./svc-monitor-config.js";
import type { ZoneAllocator } from "./zones.js";

const log = logger("controller");
/** ovn-controller's module for what its physical flows' inputs say (ovn-chassis-mac-mappings). */
const physLog = logger("physical");

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

/** Whether a logical port is up in the Southbound (the set made at the first question). */
function upPorts(sb: Idl<OvnSbTables>): (logicalPort: string) => boolean {
  let up: Set<string> | undefined;
  return (n) => {
    up ??= new Set(sb.rows("Port_Binding").flatMap((p) => (p.up === true ? [p.logicalPort] : [])));
    return up.has(n);
  };
}

/** The Geneve option OVN carries the logical ports in (class 0x0102, type 0x80, 4 bytes) → tun_metadata0. */
const GENEVE_TLV = { optClass: 0x0102, optType: 0x80, optLen: 4, index: 0 };

/**
 * Milliseconds of garbage collection so far in this process (a PerformanceObserver of "gc" entries,
 * started at the first call): the install log line says how much of its pass was collection.
 */
let gcMs: (() => number) | undefined;
function gcMillis(): number {
  if (gcMs === undefined) {
    let total = 0;
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) total += e.duration;
      }).observe({ entryTypes: ["gc"] });
    } catch {
      // No gc entries here: counted as none.
    }
    gcMs = () => total;
  }
  return gcMs();
}

/** This process's CPU time so far, ms. */
const cpuMillis = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** How long no pass must run after the first install before afterStartup. */
const SETTLE_QUIET_MS = 1000;

/** The Southbound tables the compiler's view is built from. */
const VIEW_TABLES: readonly (keyof OvnSbTables)[] = [
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
  // options:lb_hairpin_use_ct_mark (lflow/sb.ts): one row; the view stays the same object while it is unchanged.
  "SB_Global",
];

export interface AgentOptions {
  /** Remote of the local Open_vSwitch database ("unix:/var/run/openvswitch/db.sock"). */
  readonly ovsRemote: string;
  /** An IDL of that database already connecting (started while this module was being loaded). */
  readonly ovs?: Idl<VswitchTables>;
  /** Where ovs-vswitchd puts br-int.mgmt. */
  readonly ovsRundir: string;
  readonly hostname: string;
  /** Wall clock in ms (nb_cfg_timestamp). */
  readonly now: () => number;
  /** Key, certificate and CA for an ssl: Southbound remote (the local OVS database never needs them). */
  readonly ssl?: SslOptions;
  /**
   * A Southbound IDL already connecting (the CLI opens it as soon as the local database names the
   * remote, while this module loads), with the tracker that sent its first conditions: adopted when the
   * configuration names that same remote, stopped otherwise.
   */
  readonly sb?: {
    readonly remote: string;
    readonly idl: Idl<OvnSbTables>;
    readonly conds: SbConditionTracker;
  };
  /**
   * Run once when the first full install is done and no pass has run for a while (the CLI logs the
   * settled memory then; heap.ts's optional full collection).
   */
  readonly afterStartup?: () => void;
}

export class ControllerAgent {
  readonly ovs: Idl<VswitchTables>;
  sb: Idl<OvnSbTables> | undefined;
  private sbRemote: string | undefined;
  /** The Southbound tables changed since the last view was built (RowTablesCache looks at no other). */
  private sbChanges: ChangeTracker<OvnSbTables> | undefined;
  private sbFirstView = true;
  /** Generations of the Southbound tables ("*": all of them at once), see step(). */
  private readonly sbGen = new Map<string, number>();
  /** The Southbound monitor conditions asked of `sb` (ovn-monitor-all). */
  private sbConds: SbConditionTracker | undefined;
  /** Passes that waited for a condition change before computing flows, for tests and status. */
  condWaits = 0;
  /** Installs made while conditions were on their way, to claim ports (if-status.ts), for tests and status. */
  earlyInstalls = 0;
  /** A pass with every row its conditions select has installed its flows. */
  private completeInstalled = false;
  private of: OfConnection | undefined;
  /** The connection attempt under way, which every caller of openflow() meanwhile waits for. */
  private ofConnecting: Promise<OfConnection | undefined> | undefined;
  /** The desired table br-int holds (DesiredCache hands back the same object while it is unchanged). */
  private installedDesired: Desired | undefined;
  /** Memories between passes (each gives what its from-scratch function gives: the IDL's rows,
   *  lflow/sb.ts sbViewFromRows, desired.ts desiredState), so a pass costs what changed. */
  private readonly sbRows = new RowTablesCache();
  private readonly viewMemo = new SbViewMemo();
  private readonly desiredCache = new DesiredCache();
  /** br-int's flow table as installed on the current connection (incremental updates). */
  // Fed the compiler's flows; FlowMods are made only to send and compare them (ofctrl/installed.ts).
  private readonly installed = new InstalledTable<Flow>(toFlowMod);
  /** br-int's meters as installed on the current connection. */
  private readonly meters = new InstalledMeters();
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
  /** IGMP/MLD snooping: groups learnt from packet-ins, IGMP_Group rows, queries. */
  readonly igmp: IgmpAgent;
  private running = false;
  private dirty = false;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;
  /** Passes completed, for tests and status. */
  passes = 0;
  installs = 0;

  constructor(private readonly opts: AgentOptions) {
    this.ovs = opts.ovs ?? connectIdl(vswitchModel, opts.ovsRemote, { monitor: OVS_MONITOR });
    this.ovs.onChange(() => this.schedule());
    // An IDL handed in may have synced before anyone listened: the first pass then starts here.
    if (this.ovs.isSynced) queueMicrotask(() => this.schedule());
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
      // The Southbound IDL the health checks' Service_Monitor.status writes go through.
      sb: () => this.sb,
    });
    this.igmp = new IgmpAgent({
      now: opts.now,
      openflow: () => (this.of !== undefined && !this.of.isClosed ? this.of : undefined),
      sb: () => this.sb,
    });
  }

  stop(): void {
    this.stopped = true;
    this.pinctrl.stop();
    this.igmp.stop();
    clearTimeout(this.retryTimer);
    clearTimeout(this.claimRetry);
    this.ovs.stop();
    this.sb?.stop();
    this.of?.close();
  }

  /**
   * Stops the passes (and pinctrl's, IGMP's timers) but keeps the connections, and resolves once the
   * pass under way, if any, is done: what `exit` needs before it unregisters the chassis.
   */
  async halt(): Promise<void> {
    this.stopped = true;
    this.pinctrl.stop();
    this.igmp.stop();
    clearTimeout(this.retryTimer);
    clearTimeout(this.claimRetry);
    await this.looping;
  }

  /** The loop of passes under way. */
  private looping: Promise<void> | undefined;

  /** Runs a pass now, or after the current one. */
  schedule(): void {
    if (this.stopped) return;
    if (this.running) {
      this.dirty = true;
      return;
    }
    this.looping = this.loop();
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
          if (log.enabled("DBG") && this.timing !== undefined)
            log.dbg(`pass ${this.passes}: ${this.timing.format()}`);
        } catch (e) {
          log.warn(`pass failed, retrying: ${e instanceof Error ? e.message : String(e)}`);
          this.retryLater();
        } finally {
          this.sbConds?.flush();
        }
      } while (this.dirty && !this.stopped);
    } finally {
      this.running = false;
    }
  }

  /** debug/delay-nb-cfg-report: how long an nb_cfg is held back once installed, and the one held. */
  private nbCfgDelayMs = 0;
  private heldNbCfg: { nbCfg: number; until: number } | undefined;

  /** What ovn-appctl's runtime commands read and ask (appctl.ts). */
  introspection(): ControllerIntrospection {
    return {
      ctZones: () => this.zones?.entries() ?? [],
      meters: () => this.desiredCache.meterList().map((m) => [m.name, m.id] as const),
      groups: () =>
        (this.installedDesired?.groups ?? []).map(
          (g) =>
            [
              formatGroup(g)
                .trim()
                .replace(/^group_id=\d+,/, ""),
              g.groupId,
            ] as const,
        ),
      lflowCache: () => ({ entries: this.desiredCache.lflows.size, ...this.desiredCache.stats }),
      flushLflowCache: () => {
        this.desiredCache.flushLflows();
        this.schedule();
      },
      recompute: () => {
        // The next pass reads every Southbound table again instead of only the changed ones.
        this.sbFirstView = true;
        this.schedule();
      },
      delayNbCfgReport: (seconds) => {
        this.nbCfgDelayMs = seconds * 1000;
        this.heldNbCfg = undefined;
        this.schedule();
      },
      resetSbClusterState: () => undefined,
      pause: () => {
        this.paused = true;
      },
      resume: () => {
        if (!this.paused) return;
        this.paused = false;
        // What changed meanwhile is in the trackers: the next pass takes it all.
        this.schedule();
      },
      paused: () => this.paused,
      localBindings: () => {
        // iface-id -> the interface carrying the port (the one brIntPorts keeps), as C's dump names it.
        const bridge = localConfig(
          this.ovs.first("Open_vSwitch")?.externalIds ?? new Map(),
          this.ovs.rows("Bridge"),
        ).bridge;
        const locals = new Map<string, string>();
        for (const [id, { uuid }] of brIntPorts(this.ovs, bridge).ifaceByLport) {
          const name = this.ovs.get("Interface", uuid as never)?.name;
          if (name !== undefined) locals.set(id, name);
        }
        const view = this.local?.view;
        return localBindingsText(
          locals,
          view?.ports ?? [],
          this.systemId ?? "",
          (this.derived.get("virtualParents")?.value as ReadonlyMap<string, string> | undefined) ?? new Map(),
        );
      },
      sbConnected: () => this.sb?.isConnected === true,
    };
  }

  /** inject-pkt: the microflow's packet sent through br-int's tables from its inport's interface. */
  async inject(microflow: string): Promise<void> {
    const r = injectionPacket(microflow);
    if (!r.ok) throw new UnixctlError(r.error);
    const iface = this.ovs
      .rows("Interface")
      .find((i) => i.externalIds.get("iface-id") === r.inport && (i.ofport ?? 0) > 0);
    if (iface === undefined) throw new UnixctlError(`${r.inport}: no such port on this chassis`);
    const bridge = localConfig(
      this.ovs.first("Open_vSwitch")?.externalIds ?? new Map(),
      this.ovs.rows("Bridge"),
    ).bridge;
    const of = await this.openflow(bridge);
    if (of === undefined) throw new UnixctlError(`${bridge}: not connected over OpenFlow`);
    await of.transact([injectionMessage(r.packet, iface.ofport as number)]);
  }

  /** Acknowledges nb_cfg now, or once debug/delay-nb-cfg-report's delay has passed since it was installed. */
  private async reportNbCfg(
    sb: Idl<OvnSbTables>,
    chassis: string,
    nbCfg: number,
    bridge: string,
  ): Promise<void> {
    if (this.nbCfgDelayMs > 0) {
      const now = this.opts.now();
      if (this.heldNbCfg?.nbCfg !== nbCfg) this.heldNbCfg = { nbCfg, until: now + this.nbCfgDelayMs };
      const wait = this.heldNbCfg.until - now;
      if (wait > 0) {
        clearTimeout(this.retryTimer);
        this.retryTimer = setTimeout(() => this.schedule(), wait);
        return;
      }
    }
    // Also br-int's external_ids:ovn-nb-cfg, ovn-nb-cfg-ts and ovn-startup-ts, as ovn-controller keeps them.
    await ackNbCfg(sb, chassis, nbCfg, this.opts.now(), {
      ovs: this.ovs,
      bridge,
      startupMs: performance.timeOrigin,
    });
  }

  /** debug/pause: no pass runs (no installs, no database writes) until debug/resume. */
  private paused = false;

  private async step(): Promise<void> {
    if (this.paused) return;
    const timing = new PassTiming(() => performance.now());
    const cpuAt = cpuMillis();
    // (The observer costs ~30 ms of a start: only when the pass timings are logged anyway.)
    const gcAt = log.enabled("DBG") ? gcMillis() : undefined;
    this.timing = timing;
    if (!this.ovs.isSynced) return;
    const cfgRow = this.ovs.first("Open_vSwitch");
    if (cfgRow === undefined) return;
    const cfg = localConfig(cfgRow.externalIds, this.ovs.rows("Bridge"));
    if (cfg.systemId === undefined || cfg.remote === undefined) {
      log.info("waiting for external_ids:system-id and ovn-remote in Open_vSwitch");
      return;
    }
    if (await ensureBridge(this.ovs, cfg)) return;
    // br-int's handshake (hello, packet-in format, Geneve TLV map: three round trips) goes on while the
    // Southbound replies and the first desired table is computed, instead of after them.
    void this.openflow(cfg.bridge);
    if (this.zones === undefined) this.zones = restoreZones(this.ovs, cfg.bridge);
    const zones = this.zones;
    const sb = this.sbFor(cfg.remote);
    const { vifPorts, tunnelPorts, localnetPorts, ifaceByLport } = brIntPorts(this.ovs, cfg.bridge);
    const conds = this.sbConds as SbConditionTracker;
    if (!sb.isSynced) {
      // Asked before the first monitor request goes out, so even the first reply holds only these rows.
      // After a reconnection the conditions stay as they were: the replica then resumes where it was.
      if (conds.untouched) this.applyConditions(conds, cfg, vifPorts.keys(), undefined, new Set());
      return;
    }
    // The local datapaths as the rows suggest them (local-guess.ts), asked for before registering and
    // before any view: a replica about to change under new conditions would make that view for nothing
    // (claims excepted, see below).  The server answers in order, so the rows are here before the
    // registration's reply and the pass that claims has them all: registering first (as
    // ovn-controller does) lets that pass run before them, installing the physical flows alone, and a
    // second pass the rest -- measured: no gain in node (two cold passes; up 1,276-1,955 ms against
    // 969-2,893, installed later, load 2.7-6.6).
    const guessSettled = this.applyGuess(conds, sb, cfg, vifPorts);
    if (await registerChassis(sb, cfg, this.opts.hostname, cfgRow)) return;
    if (await ensureTunnels(this.ovs, sb, cfg)) return;
    timing.mark("local");
    // `partial`: the replica still lacks rows that conditions on their way will bring.  Such a pass
    // goes on only to claim ports (if-status.ts): it installs what the replica holds (the claimed
    // ports' physical flows and whatever logical flows are already there) and marks them up once that
    // is acknowledged, as ovn-controller does in the iteration that claims; the rows' arrival schedules
    // the pass that installs the rest.  nb_cfg is acknowledged only by a pass that is not partial.
    let partial = !guessSettled;

    const { gen, plan, view } = this.viewAndPlan(sb, cfg, cfg.systemId, vifPorts);
    timing.mark("view");
    // Other chassis's ovn-chassis-mac-mappings that do not parse, warned about as ovn-controller does
    // (again when the Chassis rows change).
    const systemId = cfg.systemId;
    this.derive("chassisMacWarnings", [view.chassis, systemId], () => {
      const chassis = view.chassis.map((c) => ({ name: c.name, macMappings: c.macMappings }));
      for (const w of remoteChassisMacs(systemId, chassis).warnings) physLog.warn(w);
    });
    // An unchanged view (SbViewMemo hands back the same object) has the same local datapaths.
    if (this.local?.view !== view || this.local.chassis !== cfg.systemId)
      this.local = { view, chassis: cfg.systemId, set: localDatapaths(view, cfg.systemId) };
    const local = this.local.set;
    const chassisUuid = sb.rows("Chassis").find((c) => c.name === cfg.systemId)?._uuid;
    // While the guessed conditions are on their way the view's local datapaths are not asked for: the
    // guess is what the rows will be checked against once they are here.
    if (!partial) partial = !this.applyConditions(conds, cfg, vifPorts.keys(), chassisUuid, local);
    if (partial && !installBeforeRows(plan, upPorts(sb))) {
      // The replica is (or is about to be) changing under new conditions and there is nothing to claim:
      // a view taken now may lack rows of a datapath that just became local. The server's reply
      // schedules the next pass.
      this.condWaits++;
      return;
    }
    if (!partial)
      this.derive("pinctrlState", [view, sb, gen("DNS")], () =>
        this.pinctrl.setState(pinctrlState(view, sb.rows("DNS"))),
      );
    this.systemId = cfg.systemId;
    timing.mark("bind");
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
    // A partial view may lack owners that still hold zones (e.g. localnet ports of a datapath whose rows
    // are on their way): only a complete pass gives zones back.
    if (!partial) zones.sweep();
    this.zonesToFlush.push(...zones.takeFresh());
    timing.mark("desired");
    for (const e of desired.errors) log.dbg(`logical flow skipped: ${e}`);
    // Meters the flows use, from the Southbound's Meter rows: a band changed alters no flow, only a meter.
    const meters = this.derive("meters", [desired, sb, gen("Meter"), gen("Meter_Band")], () => {
      const allocated = this.desiredCache.meterList();
      if (allocated.length === 0) return []; // no flow was given a meter: nothing to look for
      const m = desiredMeters(desired.flows, allocated, sbMeters(sb));
      for (const n of m.missing) log.dbg(`meter ${n}: no Southbound Meter row`);
      return m.meters;
    });
    let installed = desired === this.installedDesired && this.meters.inSync(meters);
    if (!installed) installed = await this.install(cfg.bridge, desired, meters, timing);
    // Releases wait for a complete replica (a partial one may lack what keeps a port here).
    const release = partial ? [] : plan.release;
    // Port_Binding.encap from the interfaces' external_ids:encap-ip, as ovn-controller sets it.
    const encapIps = ifaceEncapIps(this.ovs, [...plan.bound, ...plan.claim], ifaceByLport);
    const bindings = {
      claim: plan.claim,
      release,
      up: installed ? plan.bound : [],
      additional: plan.additional,
      encapIps,
    };
    if (!installed) {
      // br-int is not reachable yet: claim now all the same, up follows the install.
      await Promise.all([changeBindings(sb, cfg.systemId, bindings), saveZones(this.ovs, cfg.bridge, zones)]);
      return;
    }
    if (partial) {
      this.earlyInstalls++;
      log.dbg(`installed before the conditions' rows to claim ${plan.claim.length} ports (if-status.ts)`);
    } else this.completeInstalled = true;
    // The flows of every claimed and bound port are installed: claims, up and ovn-installed now.
    const writes = Promise.all([
      changeBindings(sb, cfg.systemId, { ...bindings, up: [...plan.bound, ...plan.claim] }).then(() =>
        timing.mark("sb-write"),
      ),
      // ovn-installed off the interfaces of ports no longer here waits for a complete replica too.
      markInstalled(
        this.ovs,
        [...plan.bound, ...plan.claim],
        ifaceByLport,
        partial ? undefined : { bridge: cfg.bridge },
        this.opts.now(),
      ),
      saveZones(this.ovs, cfg.bridge, zones),
    ]);
    // Behind the claims on the wire (SbConditionTracker.flush): a transaction goes out a few
    // microtasks after transact() is called, before the next macrotask.
    // Only while this pass is the current one: a later pass's held-back changes wait for its own writes.
    // Announce only what the installed flows can deliver (a partial install delivers nothing yet).  Made
    // once the claims and up are on the wire (below): pinctrl's settings are not what up waits for.
    const configurePinctrl = (): void => {
      if (!partial) {
        this.derive(
          "announcements",
          [view, cfg.systemId, [...localnetPorts.keys()].join(" "), sb, gen("Port_Binding")],
          () =>
            this.pinctrl.setAnnouncements(
              announcements(
                view,
                cfg.systemId as string,
                new Set(localnetPorts.keys()),
                new Map(sb.rows("Port_Binding").map((p) => [p.logicalPort, p.natAddresses])),
              ),
            ),
        );
        this.derive("raConfigs", [view, local], () => this.pinctrl.setRaConfigs(raConfigs(view, local)));
        // Load-balancer health checks of the backends bound here (a status write is a Service_Monitor change).
        this.derive("svcMonitors", [view, sb, gen("Service_Monitor"), cfg.systemId], () =>
          this.pinctrl.setServiceMonitors(
            localServiceMonitors(view, sb.rows("Service_Monitor"), cfg.systemId as string),
          ),
        );
        // IGMP/MLD snooping settings of the local switches (IP_Multicast is conditioned to local datapaths).
        this.derive(
          "igmp",
          [sb, gen("IP_Multicast"), gen("Port_Binding"), gen("Datapath_Binding"), cfg.systemId],
          () => this.igmp.configure(sb, cfg.systemId as string),
        );
      }
    };
    const pass = this.passes;
    setImmediate(() => {
      if (this.passes === pass && this.running) conds.flush();
      // (Before the writes' replies can be read, so before this pass goes on.)
      configurePinctrl();
      // The record of a full replace (InstalledTable.commit) is made while the writes' replies are
      // on their way (the bench sees up from the server, not from us), rather than by the next plan.
      this.installed.settle();
    });
    await writes;
    if (!partial) await this.reportNbCfg(sb, cfg.systemId, nbCfg, cfg.bridge);
    timing.mark("report");
    if (this.lastInstall !== undefined) {
      // CPU and collection of the whole pass (the latter as the observer has been told so far).
      const gc = gcAt !== undefined ? `, gc ${Math.round(gcMillis() - gcAt)} ms` : "";
      const cpu = `cpu ${Math.round(cpuMillis() - cpuAt)} ms${gc}`;
      log.info(`${this.lastInstall}; pass ${timing.format()}; ${cpu}`);
      this.lastInstall = undefined;
    }
  }

  /**
   * The Southbound view brought up to date from the tables that changed since the last one, the
   * claims and releases it asks for, and the view with them made (what the pass computes flows for).
   */
  private viewAndPlan(
    sb: Idl<OvnSbTables>,
    cfg: LocalConfig,
    systemId: string,
    vifPorts: ReadonlyMap<string, number>,
  ): { gen: (t: string) => string; plan: ReturnType<typeof planBindings>; view: SbView } {
    // Only the tables with changes since the last view are looked at (the tracker keeps what passes
    // that stopped earlier did not take).
    const changes = this.sbChanges?.take();
    const changed =
      changes === undefined || changes.resync || this.sbFirstView
        ? undefined
        : new Set<string>(changes.tables());
    this.sbFirstView = false;
    // A generation per table, moved by every change: what derive() keys on for rows it reads itself.
    for (const t of changed ?? ["*"]) this.sbGen.set(t, (this.sbGen.get(t) ?? 0) + 1);
    const gen = (t: string) => `${this.sbGen.get("*") ?? 0}/${this.sbGen.get(t) ?? 0}`;
    const sbView = sbViewFromRows(this.sbRows.tables(sb as never, VIEW_TABLES, changed), this.viewMemo);
    const virtualParents = this.derive(
      "virtualParents",
      [sb, gen("Port_Binding")],
      () =>
        new Map(
          sb
            .rows("Port_Binding")
            .flatMap((p) =>
              p.virtualParent !== undefined ? [[p.logicalPort, p.virtualParent] as const] : [],
            ),
        ),
    );
    const planned = planBindings(
      sbView.ports,
      new Set(vifPorts.keys()),
      systemId,
      virtualParents,
      // Made again only when an HA group, a binding, a chassis or the local OVS (tunnels' bfd_status) changed.
      this.derive(
        "haActive",
        [
          sb,
          gen("Port_Binding"),
          gen("HA_Chassis_Group"),
          gen("HA_Chassis"),
          gen("Chassis"),
          this.ovs.sequence,
          systemId,
          cfg.bridge,
        ],
        () => haActiveMembers(this.ovs, sb, cfg),
      ),
    );
    // A port another chassis holds is claimed again only 500 ms after this chassis's last claim of it
    // (ovn-controller's pace; bindings.ts ClaimThrottle): a pass then comes back for it.
    const throttled = this.claimThrottle.apply(planned, sbView.ports, systemId, this.opts.now());
    const plan = throttled.plan;
    if (throttled.retryAtMs !== undefined) {
      clearTimeout(this.claimRetry);
      this.claimRetry = setTimeout(() => this.schedule(), Math.max(0, throttled.retryAtMs - this.opts.now()));
    }
    // Flows are computed for the ports as this pass is about to bind them (ovn-controller too claims
    // and computes flows in one iteration); the claim is written once they are installed, together
    // with up, so the Southbound's confirmation brings back the view this pass used.
    const view = withChassis(
      sbView,
      new Map([
        ...plan.claim.map((n) => [n, systemId] as const),
        ...plan.release.map((n) => [n, null] as const),
      ]),
      this.viewMemo,
    );
    return { gen, plan, view };
  }

  /** Holds back re-claims of ports another chassis holds (see viewAndPlan), and the pass that retries them. */
  private readonly claimThrottle = new ClaimThrottle();
  private claimRetry: NodeJS.Timeout | undefined;

  /** What derive() made last, with what it was made from. */
  private readonly derived = new Map<string, { deps: readonly unknown[]; value: unknown }>();

  /**
   * `make()` again only when a dependency is not the same as last time (a fresh `{}` always differs:
   * "changed"); otherwise what it gave then.  What a pass hands pinctrl and reads off the Southbound
   * rows is made only when what it is made from changed.
   */
  private derive<T>(name: string, deps: readonly unknown[], make: () => T): T {
    const hit = this.derived.get(name);
    if (hit !== undefined && hit.deps.length === deps.length && hit.deps.every((d, i) => d === deps[i]))
      return hit.value as T;
    const value = make();
    this.derived.set(name, { deps, value });
    return value;
  }

  /** The local datapaths of the last view. */
  private local: { view: SbView; chassis: string; set: ReadonlySet<string> } | undefined;

  /** The stages of the current (or last) pass. */
  private timing: PassTiming | undefined;

  /** What the last install did, logged with the timing of its pass once the pass is done. */
  private lastInstall: string | undefined;

  /** Brings br-int's table to `desired`; false when br-int is not reachable (a retry is scheduled). */
  private async install(
    bridge: string,
    desired: Desired,
    meters: readonly MeterMod[],
    timing: PassTiming,
  ): Promise<boolean> {
    const of = await this.openflow(bridge);
    if (of === undefined) return false;
    if (this.zonesToFlush.length > 0) {
      // A zone given afresh may still hold connections of an earlier owner (or an earlier run).  Not
      // waited for: the switch handles one connection's messages in order, so the flush is done
      // before the bundle below installs flows that use the zone.
      for (const zone of this.zonesToFlush) of.send({ kind: "ct_flush_zone", zone });
      this.zonesToFlush = [];
    }
    const plan = this.installed.plan(desired.flows, desired.groups);
    // Planned after openflow(): a new connection has reset what the switch is known to hold.
    const meterPlan = this.meters.plan(meters);
    timing.mark("plan");
    // Meter mods cannot go into an OVS bundle: new and changed meters before the flows using them,
    // unused ones removed after.
    if (meterPlan.before.length > 0) await of.transact(meterPlan.before);
    if (plan.messages.length > 0) {
      // The record of a full replace is made when the next plan needs it (InstalledTable.commit), not
      // between the bundle's chunks: the switch parses 9.4k flow_mods in ~30 ms of its own CPU, faster
      // than we encode them, so keying them meanwhile only delayed the stream (~40 ms and its garbage).
      await of.bundle(plan.messages, { atomic: true, ordered: true }).catch((e: unknown) => {
        throw rejectedFlow(e);
      });
    }
    timing.mark("bundle");
    this.installed.commit(plan);
    if (meterPlan.after.length > 0) await of.transact(meterPlan.after);
    this.meters.commit(meterPlan);
    this.installedDesired = desired;
    if (plan.messages.length === 0 && !plan.full && meterPlan.before.length + meterPlan.after.length === 0)
      return true; // the same table in new objects
    if (this.installs === 0) this.settleLater();
    this.installs++;
    this.modsSent += plan.messages.length;
    this.lastInstall =
      `installed ${desired.flows.length} flows, ${desired.groups.length} groups ` +
      (plan.full
        ? "(full replace)"
        : `(${plan.next.kind === "delta" ? "incremental" : "whole-table diff"}: ${plan.messages.length} flow/group mods)`) +
      ` after ${this.passes - this.passesAtInstall + 1} passes`;
    this.passesAtInstall = this.passes + 1;
    return true;
  }

  private passesAtInstall = 0;

  /**
   * Once a second has gone by without a pass after the first install (a pass meanwhile starts the wait
   * again): the caches drop what only the start-up needed, then afterStartup.
   */
  private settleLater(): void {
    let seen = -1;
    const check = (): void => {
      if (this.stopped) return;
      if (this.running || this.passes !== seen) {
        seen = this.passes;
        setTimeout(check, SETTLE_QUIET_MS).unref();
        return;
      }
      this.desiredCache.trim();
      this.opts.afterStartup?.();
    };
    check();
  }

  /**
   * Asks for the Southbound conditions for this chassis now (sb-monitor.ts); true when the replica holds
   * what they select.  The conditions are made again only when what they are made of changed (most
   * passes: nothing did).
   */
  private applyConditions(
    conds: SbConditionTracker,
    cfg: LocalConfig,
    ifaceIds: Iterable<string>,
    chassisUuid: string | undefined,
    local: ReadonlySet<string>,
  ): boolean {
    const input = this.conditionInput(cfg, ifaceIds, chassisUuid, local);
    const key = JSON.stringify([
      input.monitorAll,
      input.chassisName,
      input.chassisUuid ?? null,
      [...input.ifaceIds].sort(),
      input.localDatapaths.map((d) => `${d.uuid}/${d.tunnelKey}`).sort(),
      [...input.dpGroups].sort(),
    ]);
    if (this.condKey?.tracker === conds && this.condKey.key === key) return conds.settled;
    this.condKey = { tracker: conds, key };
    return conds.apply(sbConditions(input));
  }

  /**
   * Asks for the conditions of the guessed local datapaths when the guess differs from the last pass's
   * (so that a guess the real view corrects is not asked for again and again); false when a pass must
   * wait for the replica to change before building a view.  Guessed again at every Southbound change
   * until the first install of a complete replica, later only for another set of VIFs or another chassis row (a plug on a
   * new datapath); other ways a datapath becomes local are found from the view (applyConditions).
   */
  private applyGuess(
    conds: SbConditionTracker,
    sb: Idl<OvnSbTables>,
    cfg: LocalConfig,
    vifPorts: ReadonlyMap<string, unknown>,
  ): boolean {
    if (cfg.monitorAll) return true;
    const chassisUuid = sb.rows("Chassis").find((c) => c.name === cfg.systemId)?._uuid;
    const local = this.derive(
      "guessLocal",
      // (Installs made to claim ports before the rows were here do not count: if-status.ts.)
      [sb, this.completeInstalled ? -1 : sb.sequence, chassisUuid, [...vifPorts.keys()].join(" ")],
      () =>
        guessLocalDatapaths({
          ports: sb.rows("Port_Binding"),
          haGroups: (u) => sb.get("HA_Chassis_Group", u as never),
          haChassis: (u) => sb.get("HA_Chassis", u as never),
          ifaceIds: new Set(vifPorts.keys()),
          chassisName: cfg.systemId as string,
          chassisUuid,
        }),
    );
    const key = [...local].sort().join(" ");
    if (this.lastGuess === key) return conds.settled;
    this.lastGuess = key;
    return this.applyConditions(conds, cfg, vifPorts.keys(), chassisUuid, local);
  }

  /** The local datapaths guessed at the last pass (applyGuess). */
  private lastGuess: string | undefined;

  /** What the last conditions asked of a tracker were made of (applyConditions). */
  private condKey: { tracker: SbConditionTracker; key: string } | undefined;

  private conditionInput(
    cfg: LocalConfig,
    ifaceIds: Iterable<string>,
    chassisUuid: string | undefined,
    local: ReadonlySet<string>,
  ): SbMonitorInput {
    if (cfg.monitorAll)
      return {
        monitorAll: true,
        chassisName: "",
        chassisUuid,
        ifaceIds: [],
        localDatapaths: [],
        dpGroups: [],
      };
    const sb = this.sb;
    const dps =
      sb === undefined
        ? []
        : [...local].flatMap((u) => {
            const d = sb.get("Datapath_Binding", u);
            return d === undefined ? [] : [{ uuid: u, tunnelKey: d.tunnelKey }];
          });
    // Made again only for other local datapaths or a changed Logical_DP_Group table.
    const dpGroups =
      sb === undefined || local.size === 0
        ? []
        : this.derive("dpGroups", [local, sb, this.sbGen.get("*"), this.sbGen.get("Logical_DP_Group")], () =>
            sb
              .rows("Logical_DP_Group")
              .filter((g) => g.datapaths.some((d) => local.has(d)))
              .map((g) => g._uuid),
          );
    return {
      monitorAll: false,
      chassisName: cfg.systemId as string,
      chassisUuid,
      ifaceIds: [...ifaceIds],
      localDatapaths: dps,
      dpGroups,
    };
  }

  /**
   * br-int's OpenFlow connection, connecting if there is none; undefined when it cannot be had now (a
   * retry is scheduled).  Callers during a connection attempt wait for that same attempt.
   */
  private openflow(bridge: string): Promise<OfConnection | undefined> {
    if (this.of !== undefined && !this.of.isClosed) return Promise.resolve(this.of);
    if (this.ofConnecting === undefined)
      this.ofConnecting = this.connectOpenflow(bridge).finally(() => {
        this.ofConnecting = undefined;
      });
    return this.ofConnecting;
  }

  private async connectOpenflow(bridge: string): Promise<OfConnection | undefined> {
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
          this.installedDesired = undefined;
          this.installed.reset();
          this.meters.reset();
          if (!this.stopped) {
            log.warn(`${path}: OpenFlow connection closed${err !== undefined ? `: ${err.message}` : ""}`);
            this.retryLater();
          }
        },
      });
      of.onMessage = (m) => {
        this.pinctrl.onMessage(m);
        this.igmp.onMessage(m);
      };
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
      this.installedDesired = undefined;
      this.installed.reset();
      this.meters.reset();
      return of;
    } catch (e) {
      log.info(`br-int not reachable over OpenFlow yet: ${e instanceof Error ? e.message : String(e)}`);
      this.retryLater(500);
      return undefined;
    }
  }

  // ---- Southbound --------------------------------------------------------------------------------

  private sbFor(remote: string): Idl<OvnSbTables> {
    if (this.sb !== undefined && this.sbRemote === remote) return this.sb;
    this.sb?.stop();
    // The CLI's early connection is used once, and only for the remote it was opened for.
    const early = this.sb === undefined ? this.opts.sb : undefined;
    const adopt = early?.remote === remote ? early : undefined;
    if (early !== undefined && adopt === undefined) early.idl.stop();
    log.info(`${adopt !== undefined ? "using" : "connecting to"} Southbound database ${remote}`);
    const sb =
      adopt?.idl ??
      connectIdl(ovnSbModel, remote, {
        monitor: SB_MONITOR,
        ...(this.opts.ssl !== undefined && { ssl: this.opts.ssl }),
      });
    sb.onChange(() => this.schedule());
    this.sbChanges?.stop();
    this.sbChanges = sb.trackChanges();
    this.sbFirstView = true; // the view cache may hold another database's rows
    this.sbConds = adopt?.conds ?? new SbConditionTracker(sb, () => this.schedule());
    this.lastGuess = undefined; // the new tracker has asked for nothing yet
    this.sb = sb;
    this.sbRemote = remote;
    this.installedDesired = undefined;
    return sb;
  }
}
