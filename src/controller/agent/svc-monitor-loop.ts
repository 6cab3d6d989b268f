// The edge of load-balancer health checks: runs pinctrl's ServiceMonitors on a timer, sends its probes
// to br-int and writes the statuses it decides into Service_Monitor.  Probes leave as the real
// ovn-controller's do (observed in ovs-vswitchd's vconn log): OFPT_PACKET_OUT from CONTROLLER that
// loads the backend's datapath into metadata and its port into reg15, sets the "local only" logical
// flag (reg10 bit 16, so the packet never leaves this chassis) and resubmits to the local output table.
// Replies (handle_svc_check packet-ins) come from the pinctrl loop, rate limited.
// This is I/O edge code: it reads the clock through `now` and schedules with timers.

import { logger } from "../../base/log.js";
import type { OfMessageBody, WireContext } from "../../openflow/index.js";
import type { OvnSbTables } from "../../ovsdb/idl/generated/ovn-sb.js";
import type { Idl } from "../../ovsdb/idl/idl.js";
import { TokenBucket } from "../pinctrl/ratelimit.js";
import {
  ServiceMonitors,
  type SvcAction,
  type SvcMonitorSpec,
  type SvcStatus,
} from "../pinctrl/svc-monitor.js";
import type { PacketIn } from "../pinctrl/types.js";
import { logicalPacketOut } from "./packet-out.js";

const log = logger("pinctrl");

/** handle_svc_check packet-ins admitted per second, and the burst. */
const REPLY_RATE = 1000;
const REPLY_BURST = 200;

/** The shortest gap between two runs of the monitors: probes due within it go out together. */
const TICK_MS = 10;

export interface SvcMonitorLoopDeps {
  readonly now: () => number;
  readonly openflow: () => { send(m: OfMessageBody): unknown; readonly wire: WireContext } | undefined;
  /** The Southbound connection the statuses are written through; undefined when not connected. */
  readonly sb: () => Idl<OvnSbTables> | undefined;
  readonly random?: () => number;
}

/** The packet-out that sends a probe out of logical port `port` of datapath `datapath`, locally. */
export const probeMessage = (packet: Uint8Array, datapath: number, port: number): OfMessageBody =>
  logicalPacketOut(packet, datapath, port, { localOnly: true });

export class SvcMonitorLoop {
  readonly core: ServiceMonitors;
  private readonly own = new Map<string, number>();
  private readonly bucket = new TokenBucket(REPLY_RATE, REPLY_BURST);
  /** Statuses decided and not yet written, by Service_Monitor UUID (the last word wins). */
  private pending = new Map<string, SvcStatus>();
  private writing = false;
  private timer: NodeJS.Timeout | undefined;
  private lastTickMs = Number.NEGATIVE_INFINITY;
  private stopped = false;

  constructor(private readonly deps: SvcMonitorLoopDeps) {
    this.core = new ServiceMonitors(deps.random ?? Math.random);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private count(name: string, n = 1): void {
    this.own.set(name, (this.own.get(name) ?? 0) + n);
  }

  /** The core's counters and the loop's own (sends, writes, rate limiting). */
  counters(): Map<string, number> {
    const all = new Map(this.core.counters);
    for (const [k, v] of this.own) all.set(k, (all.get(k) ?? 0) + v);
    return all;
  }

  /** The monitors of the backends bound here, from each agent pass. */
  setMonitors(specs: readonly SvcMonitorSpec[]): void {
    if (this.stopped) return;
    this.core.sync(specs, this.deps.now());
    this.tick();
  }

  /** A handle_svc_check packet-in. */
  onPacketIn(pin: PacketIn): void {
    if (this.stopped) return;
    const now = this.deps.now();
    if (!this.bucket.take(now)) {
      this.count("ratelimit-svc_check");
      return;
    }
    const r = this.core.onReply(pin.packet, pin.md.datapath, pin.md.inport, now);
    this.count(r.counter);
    if (r.counter.startsWith("drop-") && log.enabled("DBG"))
      log.dbg(`${r.counter} (${pin.packet.length} bytes)`);
    this.apply(r.actions);
    // A reply only moves its monitor's next probe later: a timer already armed wakes early at worst.
    if (this.timer === undefined) this.arm();
  }

  private tick(): void {
    this.timer = undefined;
    if (this.stopped) return;
    this.lastTickMs = this.deps.now();
    this.apply(this.core.run(this.lastTickMs));
    this.arm();
  }

  /** Sleeps until the next probe or timeout; ticks are at least TICK_MS apart (run() visits every monitor). */
  private arm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.stopped) return;
    const wake = this.core.nextWake();
    if (wake === undefined) return;
    const now = this.deps.now();
    this.timer = setTimeout(() => this.tick(), Math.max(wake - now, this.lastTickMs + TICK_MS - now, 0));
    this.timer.unref();
  }

  private apply(actions: readonly SvcAction[]): void {
    for (const a of actions) {
      if (a.kind === "status") {
        log.info(`Service_Monitor ${a.uuid}: ${a.status}`);
        this.pending.set(a.uuid, a.status);
        continue;
      }
      const of = this.deps.openflow();
      if (of === undefined) {
        this.count("svc-probe-no-connection");
        continue;
      }
      try {
        of.send(probeMessage(a.packet, a.datapath, a.port));
        this.count("sent-svc-packet-out");
      } catch (err) {
        this.count("svc-probe-send-failed");
        log.warn(`sending a health check: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    if (this.pending.size > 0) void this.flush();
  }

  /** One transaction for the statuses decided so far; later ones wait for it. */
  private async flush(): Promise<void> {
    if (this.writing) return;
    const sb = this.deps.sb();
    if (sb === undefined) {
      this.count("svc-status-no-connection", this.pending.size);
      this.pending.clear();
      return;
    }
    const batch = this.pending;
    this.pending = new Map();
    this.writing = true;
    try {
      await sb.transact((txn) => {
        for (const [uuid, status] of batch)
          if (sb.get("Service_Monitor", uuid as never) !== undefined)
            txn.update("Service_Monitor", uuid as never, { status });
      });
      this.count("svc-status-written", batch.size);
    } catch (err) {
      this.count("svc-status-write-failed");
      log.warn(`Service_Monitor status write failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.writing = false;
    }
    if (this.pending.size > 0 && !this.stopped) void this.flush();
  }
}
