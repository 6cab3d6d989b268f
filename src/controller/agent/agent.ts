// The `ovnts controller` agent: the I/O edge that joins the local Open_vSwitch database, the
// Southbound database and br-int's OpenFlow connection.  Every change in either database schedules one
// full pass (step()): read the local configuration, make br-int and the tunnels, register the chassis,
// claim and release ports, compute the desired flow table and, when it differs from what is installed,
// replace br-int's table in one atomic bundle; then report ports up and acknowledge nb_cfg.  Passes never
// overlap; a change during a pass makes another pass run after it.

import { logger } from "../../base/log.js";
import { bridgeMgmtPath, OfConnection } from "../../openflow/conn.js";
import { connectIdl } from "../../ovsdb/idl/connect.js";
import { type OvnSbTables, ovnSbModel } from "../../ovsdb/idl/generated/ovn-sb.js";
import { type VswitchTables, vswitchModel } from "../../ovsdb/idl/generated/vswitch.js";
import type { Idl } from "../../ovsdb/idl/idl.js";
import { sbViewFromTables } from "../lflow/sb.js";
import { planBindings } from "./bindings.js";
import { type LocalConfig, localConfig } from "./config.js";
import { InstalledTable } from "../ofctrl/installed.js";
import { desiredState } from "./desired.js";
import { tablesAsJson } from "./sb-json.js";
import { ZoneAllocator } from "./zones.js";

const log = logger("controller");

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
}

export class ControllerAgent {
  readonly ovs: Idl<VswitchTables>;
  sb: Idl<OvnSbTables> | undefined;
  private sbRemote: string | undefined;
  private of: OfConnection | undefined;
  private ofConnecting = false;
  private installedKey: string | undefined;
  /** br-int's flow table as installed on the current connection (incremental updates). */
  private readonly installed = new InstalledTable();
  /** flow_mods and group_mods sent in installs, for tests and status. */
  modsSent = 0;
  private readonly zones = new ZoneAllocator();
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
  }

  stop(): void {
    this.stopped = true;
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
    if (await this.ensureBridge(cfg)) return;
    const sb = this.sbFor(cfg.remote);
    if (!sb.isSynced) return;
    if (await this.registerChassis(sb, cfg)) return;
    if (await this.ensureTunnels(sb, cfg)) return;

    const { vifPorts, tunnelPorts, ifaceByLport } = this.brIntPorts(cfg.bridge);
    const view = sbViewFromTables(tablesAsJson(ovnSbModel, sb as never, VIEW_TABLES));
    const plan = planBindings(view.ports, new Set(vifPorts.keys()), cfg.systemId);
    if (plan.claim.length > 0 || plan.release.length > 0) {
      await this.changeBindings(sb, cfg.systemId, plan.claim, plan.release);
      return; // the Port_Binding update brings us back with the new owner in the view
    }
    const nbCfg = sb.first("SB_Global")?.nbCfg ?? 0;
    const desired = desiredState({ view, chassis: cfg.systemId, vifPorts, tunnelPorts, zones: this.zones });
    for (const e of desired.errors) log.dbg(`logical flow skipped: ${e}`);
    if (desired.key !== this.installedKey) {
      const of = await this.openflow(cfg.bridge);
      if (of === undefined) return;
      const plan = this.installed.plan(desired.flows, desired.groups);
      if (plan.messages.length > 0) await of.bundle(plan.messages, { atomic: true, ordered: true });
      this.installed.commit(plan);
      this.installedKey = desired.key;
      this.installs++;
      this.modsSent += plan.messages.length;
      log.info(
        `installed ${desired.flows.length} flows, ${desired.groups.length} groups ` +
          (plan.full ? "(full replace)" : `(incremental: ${plan.messages.length} flow/group mods)`),
      );
    }
    await this.reportUp(sb, plan.bound, ifaceByLport);
    await this.ackNbCfg(sb, cfg.systemId, nbCfg);
  }

  // ---- local Open vSwitch ----------------------------------------------------------------------

  /** Creates the integration bridge if missing; true when a transaction was made (wait for it). */
  private async ensureBridge(cfg: LocalConfig): Promise<boolean> {
    if (this.ovs.rows("Bridge").some((b) => b.name === cfg.bridge)) return false;
    log.info(`creating bridge ${cfg.bridge} (datapath_type "${cfg.datapathType}")`);
    await this.ovs.transact((txn) => {
      const root = this.ovs.first("Open_vSwitch");
      if (root === undefined || this.ovs.rows("Bridge").some((b) => b.name === cfg.bridge)) return;
      const iface = txn.insert("Interface", { name: cfg.bridge, type: "internal" });
      const port = txn.insert("Port", { name: cfg.bridge, interfaces: [iface] });
      const bridge = txn.insert("Bridge", {
        name: cfg.bridge,
        ports: [port],
        failMode: "secure",
        datapathType: cfg.datapathType,
        otherConfig: new Map([["disable-in-band", "true"]]),
      });
      txn.mutate("Open_vSwitch", root._uuid, "bridges", "insert", [bridge]);
    });
    return true;
  }

  /** One tunnel port per remote chassis with an encapsulation we share; true when something changed. */
  private async ensureTunnels(sb: Idl<OvnSbTables>, cfg: LocalConfig): Promise<boolean> {
    const bridge = this.ovs.rows("Bridge").find((b) => b.name === cfg.bridge);
    if (bridge === undefined || cfg.encapIp === undefined) return false;
    const wanted = new Map<string, { type: string; ip: string }>();
    const encaps = new Map(sb.rows("Encap").map((e) => [e._uuid as string, e]));
    for (const ch of sb.rows("Chassis")) {
      if (ch.name === cfg.systemId) continue;
      const e = ch.encaps
        .map((u) => encaps.get(u))
        .find((x) => x !== undefined && cfg.encapTypes.includes(x.type));
      if (e !== undefined) wanted.set(ch.name, { type: e.type, ip: e.ip });
    }
    const have = new Map<string, { port: string; type: string; ip: string | undefined }>();
    for (const pu of bridge.ports) {
      const p = this.ovs.get("Port", pu);
      for (const iu of p?.interfaces ?? []) {
        const i = this.ovs.get("Interface", iu);
        const ch = i?.externalIds.get("ovn-chassis-id");
        if (i !== undefined && ch !== undefined)
          have.set(ch, { port: pu, type: i.type, ip: i.options.get("remote_ip") });
      }
    }
    const stale = [...have].filter(([ch, h]) => {
      const w = wanted.get(ch);
      return w === undefined || w.type !== h.type || w.ip !== h.ip;
    });
    const missing = [...wanted].filter(([ch, w]) => {
      const h = have.get(ch);
      return h === undefined || h.type !== w.type || h.ip !== w.ip;
    });
    if (stale.length === 0 && missing.length === 0) return false;
    await this.ovs.transact((txn) => {
      if (stale.length > 0)
        txn.mutate(
          "Bridge",
          bridge._uuid,
          "ports",
          "delete",
          stale.map(([, h]) => h.port as never),
        );
      const added = missing.map(([ch, w], n) => {
        const name = `ovn-${ch.slice(0, 6)}-${n}`;
        const iface = txn.insert("Interface", {
          name,
          type: w.type,
          options: new Map([
            ["remote_ip", w.ip],
            ["local_ip", cfg.encapIp as string],
            ["key", "flow"],
            ["csum", "true"],
          ]),
          externalIds: new Map([["ovn-chassis-id", ch]]),
        });
        return txn.insert("Port", {
          name,
          interfaces: [iface],
          externalIds: new Map([["ovn-chassis-id", ch]]),
        });
      });
      if (added.length > 0) txn.mutate("Bridge", bridge._uuid, "ports", "insert", added);
    });
    return true;
  }

  /** br-int's VIFs (by iface-id) and tunnels (by remote chassis) that have an OpenFlow port. */
  private brIntPorts(bridgeName: string): {
    vifPorts: Map<string, number>;
    tunnelPorts: Map<string, number>;
    ifaceByLport: Map<string, { uuid: string; installed: boolean }>;
  } {
    const vifPorts = new Map<string, number>();
    const tunnelPorts = new Map<string, number>();
    const ifaceByLport = new Map<string, { uuid: string; installed: boolean }>();
    const bridge = this.ovs.rows("Bridge").find((b) => b.name === bridgeName);
    for (const pu of bridge?.ports ?? []) {
      for (const iu of this.ovs.get("Port", pu)?.interfaces ?? []) {
        const i = this.ovs.get("Interface", iu);
        if (i === undefined || i.ofport === undefined || i.ofport <= 0) continue;
        const id = i.externalIds.get("iface-id");
        const ch = i.externalIds.get("ovn-chassis-id");
        if (id !== undefined) {
          vifPorts.set(id, i.ofport);
          ifaceByLport.set(id, { uuid: i._uuid, installed: i.externalIds.get("ovn-installed") === "true" });
        } else if (ch !== undefined) tunnelPorts.set(ch, i.ofport);
      }
    }
    return { vifPorts, tunnelPorts, ifaceByLport };
  }

  private async openflow(bridge: string): Promise<OfConnection | undefined> {
    if (this.of !== undefined && !this.of.isClosed) return this.of;
    if (this.ofConnecting) return undefined;
    this.ofConnecting = true;
    try {
      const path = bridgeMgmtPath(this.opts.ovsRundir, bridge);
      const of = await OfConnection.connect(`unix:${path}`, {
        wire: { tlvLengths: new Map([[GENEVE_TLV.index, GENEVE_TLV.optLen]]) },
        probeIntervalMs: 5000,
        onClose: (err) => {
          if (this.of === of) this.of = undefined;
          this.installedKey = undefined;
          this.installed.reset();
          if (!this.stopped) {
            log.warn(`${path}: OpenFlow connection closed${err !== undefined ? `: ${err.message}` : ""}`);
            this.retryLater();
          }
        },
      });
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
    const sb = connectIdl(ovnSbModel, remote);
    sb.onChange(() => this.schedule());
    this.sb = sb;
    this.sbRemote = remote;
    this.installedKey = undefined;
    return sb;
  }

  /** Chassis, its Encaps and Chassis_Private; true when a transaction was made. */
  private async registerChassis(sb: Idl<OvnSbTables>, cfg: LocalConfig): Promise<boolean> {
    const name = cfg.systemId as string;
    const ch = sb.rows("Chassis").find((c) => c.name === name);
    const priv = sb.rows("Chassis_Private").find((c) => c.name === name);
    const encapsOk =
      ch !== undefined &&
      cfg.encapIp !== undefined &&
      ch.encaps.length === cfg.encapTypes.length &&
      ch.encaps.every((u) => {
        const e = sb.get("Encap", u);
        return e !== undefined && e.ip === cfg.encapIp && cfg.encapTypes.includes(e.type);
      });
    const otherConfig = new Map([
      ["datapath-type", cfg.datapathType],
      ["ovn-bridge-mappings", cfg.bridgeMappings],
      ["is-interconn", "false"],
    ]);
    if (ch !== undefined && (encapsOk || cfg.encapIp === undefined) && priv?.chassis === ch._uuid)
      return false;
    log.info(`registering chassis ${name}`);
    await sb.transact((txn) => {
      let chUuid = sb.rows("Chassis").find((c) => c.name === name)?._uuid;
      const encaps =
        cfg.encapIp === undefined
          ? []
          : cfg.encapTypes.map((type) =>
              txn.insert("Encap", {
                type: type as "geneve",
                ip: cfg.encapIp as string,
                chassisName: name,
                options: new Map([["csum", "true"]]),
              }),
            );
      if (chUuid === undefined) {
        chUuid = txn.insert("Chassis", { name, hostname: this.opts.hostname, encaps, otherConfig });
      } else if (!encapsOk) {
        txn.update("Chassis", chUuid, { encaps, otherConfig });
      }
      const p = sb.rows("Chassis_Private").find((c) => c.name === name);
      if (p === undefined) txn.insert("Chassis_Private", { name, chassis: chUuid });
      else if (p.chassis !== chUuid) txn.update("Chassis_Private", p._uuid, { chassis: chUuid });
    });
    return true;
  }

  private async changeBindings(
    sb: Idl<OvnSbTables>,
    chassis: string,
    claim: readonly string[],
    release: readonly string[],
  ): Promise<void> {
    for (const p of claim) log.info(`claiming lport ${p} for this chassis`);
    for (const p of release) log.info(`releasing lport ${p} from this chassis`);
    await sb.transact((txn) => {
      const ch = sb.rows("Chassis").find((c) => c.name === chassis);
      if (ch === undefined) return;
      const byName = new Map(sb.rows("Port_Binding").map((p) => [p.logicalPort, p]));
      for (const n of claim) {
        const pb = byName.get(n);
        if (pb !== undefined) txn.update("Port_Binding", pb._uuid, { chassis: ch._uuid, up: false });
      }
      for (const n of release) {
        const pb = byName.get(n);
        if (pb !== undefined && pb.chassis === ch._uuid)
          txn.update("Port_Binding", pb._uuid, { chassis: undefined, up: false });
      }
    });
  }

  /** After installation: Port_Binding.up and the interface's external_ids:ovn-installed. */
  private async reportUp(
    sb: Idl<OvnSbTables>,
    bound: readonly string[],
    ifaces: ReadonlyMap<string, { uuid: string; installed: boolean }>,
  ): Promise<void> {
    const byName = new Map(sb.rows("Port_Binding").map((p) => [p.logicalPort, p]));
    const notUp = bound.filter((n) => byName.get(n)?.up !== true);
    if (notUp.length > 0)
      await sb.transact((txn) => {
        for (const n of notUp) {
          const pb = byName.get(n);
          if (pb !== undefined) txn.update("Port_Binding", pb._uuid, { up: true });
        }
      });
    const notInstalled = bound.flatMap((n) => {
      const i = ifaces.get(n);
      return i !== undefined && !i.installed ? [i.uuid] : [];
    });
    if (notInstalled.length > 0)
      await this.ovs.transact((txn) => {
        for (const u of notInstalled)
          txn.mutate(
            "Interface",
            u as never,
            "externalIds",
            "insert",
            new Map([["ovn-installed", "true"]]) as never,
          );
      });
  }

  /** Chassis_Private.nb_cfg := the SB_Global.nb_cfg whose flows are now installed. */
  private async ackNbCfg(sb: Idl<OvnSbTables>, chassis: string, nbCfg: number): Promise<void> {
    const p = sb.rows("Chassis_Private").find((c) => c.name === chassis);
    if (p === undefined || p.nbCfg === nbCfg) return;
    await sb.transact((txn) => {
      txn.update("Chassis_Private", p._uuid, { nbCfg, nbCfgTimestamp: this.opts.now() });
    });
  }
}
