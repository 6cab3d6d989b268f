// The agent's packet-in loop: br-int's NXT_PACKET_IN2 messages are decoded (packet-in.ts), admitted by
// pinctrl's rate limits into its queue, handled a bounded number per turn of the event loop, and their
// effects applied: OpenFlow messages to br-int at once, Southbound rows batched into one transaction
// per turn (sb-writes.ts).  Gratuitous ARPs are sent on the Announcer's schedule and periodic router
// advertisements at random intervals between each port's minimum and maximum; ACL log lines go to the
// acl_log module.  Every packet-in is counted under what became of it (debug/dump-pinctrl-counters).
// Load-balancer health checks (svc-monitor-loop.ts) run beside it: their replies (handle_svc_check
// packet-ins) go there instead of into the queue, as they feed per-monitor state rather than answers.
// This is I/O edge code: it reads the clock through `now` and schedules with timers.

import { logger } from "../../base/log.js";
import type { OfMessage, OfMessageBody, WireContext } from "../../openflow/index.js";
import type { OvnSbTables } from "../../ovsdb/idl/generated/ovn-sb.js";
import type { Idl } from "../../ovsdb/idl/idl.js";
import { type Announcement, Announcer } from "../pinctrl/announce.js";
import { DEFAULT_OPTIONS, Pinctrl, type PinctrlOptions } from "../pinctrl/pinctrl.js";
import { buildPeriodicRa, nextRaTime, type RaConfig } from "../pinctrl/ra.js";
import type { SvcMonitorSpec } from "../pinctrl/svc-monitor.js";
import { type Effect, EMPTY_STATE, type PinctrlState, type SbWrite } from "../pinctrl/types.js";
import { OPCODES } from "../pinctrl/userdata.js";
import { effectMessage } from "./effects.js";
import { packetInFromMessage } from "./packet-in.js";
import { planSbWrites, type SbRowOp, type SbWriteContext } from "./sb-writes.js";
import { SvcMonitorLoop } from "./svc-monitor-loop.js";

const log = logger("pinctrl");
/** ACL log lines, under the module name (with the thread) ovn-controller writes them with, so that
 *  tools that read ovn-controller's log for "acl_log" find them. */
const aclLog = logger("acl_log(ovn_pinctrl0)");

/** Packet-ins handled per turn before yielding to the rest of the agent. */
const DRAIN_BUDGET = 50;

export interface PinctrlLoopDeps {
  readonly now: () => number;
  /** Sends to br-int; undefined when there is no OpenFlow connection. */
  readonly openflow: () => { send(m: OfMessageBody): unknown; readonly wire: WireContext } | undefined;
  /** Southbound rows to compare against; undefined when not connected. */
  readonly sbContext: () => SbWriteContext | undefined;
  readonly writeSb: (ops: readonly SbRowOp[]) => Promise<void>;
  readonly options?: PinctrlOptions;
  /** A uniform draw from [0, 1) for the RA intervals and health-check probes (default Math.random). */
  readonly random?: () => number;
  /** The Southbound connection health-check statuses are written through (none: they are counted). */
  readonly sb?: () => Idl<OvnSbTables> | undefined;
}

export class PinctrlLoop {
  readonly pinctrl: Pinctrl;
  /** Load-balancer health checks of the backends bound here. */
  readonly svcMonitor: SvcMonitorLoop;
  private readonly own = new Map<string, number>();
  private state: PinctrlState = EMPTY_STATE;
  private drainQueued = false;
  private writes: SbWrite[] = [];
  private writing = false;
  private readonly announcer = new Announcer();
  private announced = new Map<string, Announcement>();
  /** Periodic RAs by `${datapath}:${port}`, with the configuration's text to notice changes. */
  private ras = new Map<string, { config: RaConfig; text: string; nextMs: number }>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly deps: PinctrlLoopDeps) {
    this.pinctrl = new Pinctrl(deps.options ?? DEFAULT_OPTIONS);
    this.svcMonitor = new SvcMonitorLoop({
      now: deps.now,
      openflow: deps.openflow,
      sb: deps.sb ?? (() => undefined),
      ...(deps.random !== undefined ? { random: deps.random } : {}),
    });
  }

  stop(): void {
    this.stopped = true;
    this.svcMonitor.stop();
    clearTimeout(this.timer);
  }

  private count(name: string, n = 1): void {
    this.own.set(name, (this.own.get(name) ?? 0) + n);
  }

  /** Every counter: packet-ins by outcome (pinctrl's) and the loop's own (decode drops, sends, writes). */
  counters(): Map<string, number> {
    const all = new Map(this.pinctrl.counters);
    for (const [k, v] of this.own) all.set(k, (all.get(k) ?? 0) + v);
    for (const [k, v] of this.svcMonitor.counters()) all.set(k, (all.get(k) ?? 0) + v);
    return new Map([...all].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  /** The Southbound view the handlers read, refreshed by each agent pass. */
  setState(state: PinctrlState): void {
    this.state = state;
  }

  /** An unsolicited message from br-int. */
  onMessage(m: OfMessage): void {
    if (m.kind === "error") {
      this.count("openflow-error");
      log.warn(`br-int error reply: ${m.name}`);
      return;
    }
    if (m.kind !== "packet_in2") return;
    this.count("packet-in");
    const pin = packetInFromMessage(m);
    if (!pin.ok) {
      this.count(`drop-packet-in-${pin.error}`);
      return;
    }
    const a = pin.value.action;
    if (a.kind === "other" && a.opcode === OPCODES.handle_svc_check) {
      this.svcMonitor.onPacketIn(pin.value);
      return;
    }
    if (this.pinctrl.submit(pin.value, this.deps.now())) this.drainSoon();
  }

  private drainSoon(): void {
    if (this.drainQueued || this.stopped) return;
    this.drainQueued = true;
    setImmediate(() => {
      this.drainQueued = false;
      this.drain();
    });
  }

  /** Handles up to a budget of queued packet-ins and applies their effects; more later if left. */
  drain(): void {
    if (this.stopped) return;
    const effects = this.pinctrl.drain(this.state, this.deps.now(), DRAIN_BUDGET);
    this.apply(effects);
    if (this.pinctrl.pending > 0) this.drainSoon();
  }

  private apply(effects: readonly Effect[]): void {
    for (const e of effects) {
      if (e.kind === "sb-write") {
        this.writes.push(e.write);
        continue;
      }
      if (e.kind === "log") {
        aclLog.info(e.message);
        continue;
      }
      const of = this.deps.openflow();
      if (of === undefined) {
        this.count(`${e.kind}-no-connection`);
        continue;
      }
      const m = effectMessage(e, of.wire);
      if (!m.ok) {
        this.count(`${e.kind}-unencodable`);
        log.warn(`cannot send ${e.kind}: ${m.error}`);
        continue;
      }
      try {
        of.send(m.value);
        this.count(`sent-${m.value.kind}`);
      } catch (err) {
        this.count(`${e.kind}-send-failed`);
        log.warn(`sending ${m.value.kind}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    if (this.writes.length > 0) void this.flushWrites();
  }

  /** One Southbound transaction for the writes gathered so far; later ones wait for it. */
  private async flushWrites(): Promise<void> {
    if (this.writing) return;
    const ctx = this.deps.sbContext();
    if (ctx === undefined) {
      this.count("sb-write-no-connection", this.writes.length);
      this.writes = [];
      return;
    }
    const ops = planSbWrites(this.writes, ctx);
    this.writes = [];
    if (ops.length === 0) return;
    this.writing = true;
    try {
      await this.deps.writeSb(ops);
      this.count("sb-rows-written", ops.length);
    } catch (err) {
      this.count("sb-write-failed");
      log.warn(`Southbound write failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.writing = false;
    }
    if (this.writes.length > 0 && !this.stopped) void this.flushWrites();
  }

  /** The Service_Monitor rows of backends bound here (svc-monitor-config.ts), from each agent pass. */
  setServiceMonitors(specs: readonly SvcMonitorSpec[]): void {
    this.svcMonitor.setMonitors(specs);
  }

  /** The addresses to announce now; new or changed ones start their backoff schedule. */
  setAnnouncements(list: readonly Announcement[]): void {
    const now = this.deps.now();
    const next = new Map(list.map((a) => [`${a.datapath}:${a.port}:${a.mac}`, a]));
    for (const [k, a] of this.announced) if (!next.has(k)) this.announcer.remove(a);
    for (const [k, a] of next) {
      const old = this.announced.get(k);
      if (old === undefined || old.ips.join(" ") !== a.ips.join(" ")) this.announcer.add(a, now);
    }
    this.announced = next;
    this.arm();
  }

  /**
   * The router ports that advertise periodically. As ovn-controller 23.03 (peer/garp-diff.test.ts): a new
   * one sends its first RA one interval (a draw from [min, max]) later, not at once; a changed one keeps
   * its schedule unless its intervals changed, and sends the new contents when it is due.
   */
  setRaConfigs(list: readonly RaConfig[]): void {
    const now = this.deps.now();
    const draw = () => (this.deps.random ?? Math.random)();
    const next = new Map<string, { config: RaConfig; text: string; nextMs: number }>();
    for (const config of list) {
      const k = `${config.datapath}:${config.port}`;
      const text = JSON.stringify(config);
      const old = this.ras.get(k);
      const sameIntervals =
        old !== undefined &&
        old.config.minInterval === config.minInterval &&
        old.config.maxInterval === config.maxInterval;
      const nextMs = sameIntervals ? old.nextMs : nextRaTime(config, now, draw());
      next.set(k, old !== undefined && old.text === text ? old : { config, text, nextMs });
    }
    this.ras = next;
    this.arm();
  }

  /** Sends the GARPs and RAs that are due; none while br-int is not connected. */
  private periodic(): void {
    if (this.deps.openflow() === undefined) return;
    const now = this.deps.now();
    const due = this.announcer.due(now);
    this.count("garp", due.length);
    for (const ra of this.ras.values()) {
      if (ra.nextMs > now) continue;
      due.push({
        kind: "send",
        packet: buildPeriodicRa(ra.config),
        datapath: ra.config.datapath,
        outport: ra.config.port,
      });
      this.count("periodic-ra");
      ra.nextMs = nextRaTime(ra.config, now, (this.deps.random ?? Math.random)());
    }
    this.apply(due);
  }

  /** Sleeps until the next GARP or RA is due. */
  private arm(): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    let wake = this.announcer.nextWake();
    for (const ra of this.ras.values()) if (wake === undefined || ra.nextMs < wake) wake = ra.nextMs;
    if (wake === undefined) return;
    this.timer = setTimeout(
      () => {
        this.periodic();
        this.arm();
      },
      Math.max(wake - this.deps.now(), 50),
    );
    this.timer.unref();
  }
}
