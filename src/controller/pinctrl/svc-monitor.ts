// Load-balancer health checks (ovn-sb(5) Service_Monitor), the pure core: one state machine per
// monitor whose backend port is bound to this chassis.  Time and randomness come in; what to send and
// which status to write go out as data (SvcAction), applied by agent/svc-monitor-loop.ts.
//
// The cycle, as the real ovn-controller 23.03 runs it (observed with interval 1 s, timeout 1 s in
// test/scenarios/peer/lb-health.test.ts): a probe goes out, then the monitor waits for a reply or for
// `timeout`, whichever comes first; that is the verdict, and the next probe goes out `interval` after
// the verdict (or a late answer to the last probe).  TCP: a SYN-ACK acknowledging the probe is a success (answered with a RST), a RST is a
// failure, silence is a failure.  UDP: an ICMP port unreachable quoting the probe is a failure, silence
// a success.  Every `success_count`-th success makes the backend online and every `failure_count`-th
// failure offline, the two counted apart (not runs: see verdict()); the status is written when it
// differs from the Southbound row's.
import {
  buildTcpProbe,
  buildTcpSyn,
  buildUdpProbe,
  isRst,
  isSynAck,
  type ProbeEnds,
  parseSvcReply,
  probePort,
  RST_ACK,
} from "./svc-probe.js";

export type SvcProtocol = "tcp" | "udp";
export type SvcStatus = "online" | "offline";

/** One Service_Monitor row of a local backend, resolved to tunnel keys and the backend's MAC. */
export interface SvcMonitorSpec {
  readonly uuid: string;
  /** Tunnel keys of the backend's logical datapath and port. */
  readonly datapath: number;
  readonly port: number;
  readonly protocol: SvcProtocol;
  /** The backend's IPv4 or IPv6 address in canonical text (as replies are decoded); srcIp the same family. */
  readonly ip: string;
  readonly servicePort: number;
  readonly srcMac: string;
  readonly srcIp: string;
  /** The backend's MAC (its Port_Binding address that holds `ip`). */
  readonly dstMac: string;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly successCount: number;
  readonly failureCount: number;
  /** The row's status column as the replica has it now. */
  readonly status: string | undefined;
}

export type SvcAction =
  /** Send `packet` out of the backend's logical port (datapath, port), on this chassis only. */
  | { readonly kind: "send"; readonly packet: Uint8Array; readonly datapath: number; readonly port: number }
  /** Write Service_Monitor.status of row `uuid`. */
  | { readonly kind: "status"; readonly uuid: string; readonly status: SvcStatus };

export interface SvcReplyResult {
  readonly actions: readonly SvcAction[];
  /** What became of the reply ("svc-check-success", "drop-svc-check-…"). */
  readonly counter: string;
}

/** At most this many monitors are run; more are counted and ignored (a bound on timers and memory). */
export const MAX_MONITORS = 10_000;

interface Monitor {
  spec: SvcMonitorSpec;
  /** The spec without its status: a change here restarts the monitor. */
  config: string;
  waiting: boolean;
  nextSendMs: number;
  deadlineMs: number;
  /** The probe outstanding: its source port and (TCP) sequence number. */
  probePort: number;
  seq: number;
  /** UDP probes keep one source port for the monitor's life. */
  udpPort: number;
  /** Successes and failures since each last reached its count. */
  successes: number;
  failures: number;
  /** The status the Southbound row has, or that this chassis last wrote. */
  status: string | undefined;
}

const monitorKey = (datapath: number, port: number, ip: string, servicePort: number, protocol: SvcProtocol) =>
  `${datapath}:${port}:${ip}:${servicePort}:${protocol}`;

function configText(s: SvcMonitorSpec): string {
  const { status: _status, ...rest } = s;
  return JSON.stringify(rest);
}

export class ServiceMonitors {
  private readonly byUuid = new Map<string, Monitor>();
  private readonly byKey = new Map<string, Monitor>();
  readonly counters = new Map<string, number>();

  /** `random` draws uniformly from [0, 1): TCP source ports and sequence numbers, UDP source ports. */
  constructor(private readonly random: () => number) {}

  private count(name: string, n = 1): void {
    this.counters.set(name, (this.counters.get(name) ?? 0) + n);
  }

  get size(): number {
    return this.byUuid.size;
  }

  private randomPort(): number {
    return probePort(this.random());
  }

  /**
   * The local monitors now: new ones (and ones whose configuration changed) probe at once, removed
   * ones stop; a monitor that is unchanged keeps its counts and only learns the row's status.
   */
  sync(specs: readonly SvcMonitorSpec[], nowMs: number): void {
    const seen = new Set<string>();
    for (const spec of specs) {
      if (seen.has(spec.uuid)) continue;
      const config = configText(spec);
      const old = this.byUuid.get(spec.uuid);
      if (old !== undefined && old.config === config) {
        old.spec = spec;
        old.status = spec.status;
        seen.add(spec.uuid);
        continue;
      }
      if (old === undefined && this.byUuid.size >= MAX_MONITORS) {
        this.count("svc-monitor-over-limit");
        continue;
      }
      if (old !== undefined) this.remove(old);
      const m: Monitor = {
        spec,
        config,
        waiting: false,
        nextSendMs: nowMs,
        deadlineMs: 0,
        probePort: 0,
        seq: 0,
        udpPort: this.randomPort(),
        successes: 0,
        failures: 0,
        status: spec.status,
      };
      this.byUuid.set(spec.uuid, m);
      this.byKey.set(monitorKey(spec.datapath, spec.port, spec.ip, spec.servicePort, spec.protocol), m);
      seen.add(spec.uuid);
    }
    for (const m of [...this.byUuid.values()]) if (!seen.has(m.spec.uuid)) this.remove(m);
  }

  private remove(m: Monitor): void {
    const s = m.spec;
    this.byUuid.delete(s.uuid);
    const k = monitorKey(s.datapath, s.port, s.ip, s.servicePort, s.protocol);
    if (this.byKey.get(k) === m) this.byKey.delete(k);
  }

  /** When run() next has something to do, or undefined when there are no monitors. */
  nextWake(): number | undefined {
    let wake: number | undefined;
    for (const m of this.byUuid.values()) {
      const t = m.waiting ? m.deadlineMs : m.nextSendMs;
      if (wake === undefined || t < wake) wake = t;
    }
    return wake;
  }

  /** Timeouts that expired and probes that are due at `nowMs`. */
  run(nowMs: number): SvcAction[] {
    const out: SvcAction[] = [];
    for (const m of this.byUuid.values()) {
      if (m.waiting && nowMs >= m.deadlineMs) {
        this.count(`svc-check-timeout-${m.spec.protocol}`);
        // Silence fails a TCP check (no SYN-ACK) but passes a UDP one (no port unreachable).
        this.verdict(m, m.spec.protocol === "udp", nowMs, out);
      }
      if (!m.waiting && nowMs >= m.nextSendMs) this.probe(m, nowMs, out);
    }
    return out;
  }

  private ends(m: Monitor, srcPort: number): ProbeEnds {
    const s = m.spec;
    return {
      srcMac: s.srcMac,
      srcIp: s.srcIp,
      dstMac: s.dstMac,
      dstIp: s.ip,
      srcPort,
      dstPort: s.servicePort,
    };
  }

  private send(m: Monitor, packet: Uint8Array, out: SvcAction[]): void {
    out.push({ kind: "send", packet, datapath: m.spec.datapath, port: m.spec.port });
  }

  private probe(m: Monitor, nowMs: number, out: SvcAction[]): void {
    if (m.spec.protocol === "tcp") {
      m.probePort = this.randomPort();
      m.seq = Math.floor(this.random() * 0x1_0000_0000) >>> 0;
      this.send(m, buildTcpSyn(this.ends(m, m.probePort), m.seq), out);
    } else {
      m.probePort = m.udpPort;
      this.send(m, buildUdpProbe(this.ends(m, m.probePort)), out);
    }
    this.count(`svc-probe-${m.spec.protocol}`);
    m.waiting = true;
    m.deadlineMs = nowMs + m.spec.timeoutMs;
  }

  private verdict(m: Monitor, success: boolean, nowMs: number, out: SvcAction[]): void {
    m.waiting = false;
    m.nextSendMs = nowMs + m.spec.intervalMs;
    // Two independent tallies, each starting over when it reaches its count (observed: with both counts
    // at 2, successes and failures taking turns still flip the status every second verdict of a kind).
    let status: SvcStatus | undefined;
    if (success) {
      if (++m.successes >= m.spec.successCount) {
        status = "online";
        m.successes = 0;
      }
    } else if (++m.failures >= m.spec.failureCount) {
      status = "offline";
      m.failures = 0;
    }
    if (status !== undefined && status !== m.status) {
      m.status = status;
      out.push({ kind: "status", uuid: m.spec.uuid, status });
    }
  }

  /**
   * A frame a handle_svc_check flow sent up from logical port `port` of datapath `datapath`.  Total:
   * a frame that is malformed or answers no outstanding probe is dropped and counted.
   */
  onReply(frame: Uint8Array, datapath: number, port: number, nowMs: number): SvcReplyResult {
    const r = parseSvcReply(frame);
    if (!r.ok) return { actions: [], counter: `drop-svc-check-${r.error}` };
    const reply = r.value;
    const protocol: SvcProtocol = reply.kind === "tcp" ? "tcp" : "udp";
    const m = this.byKey.get(monitorKey(datapath, port, reply.ip, reply.port, protocol));
    if (m === undefined) return { actions: [], counter: "drop-svc-check-no-monitor" };
    // The last probe's answer counts even after its timeout was judged (observed: a SYN-ACK 1.5 s after
    // a probe with a 1 s timeout turned the offline backend online and was reset).
    if (m.probePort === 0 || reply.probePort !== m.probePort)
      return { actions: [], counter: "drop-svc-check-no-probe" };
    const out: SvcAction[] = [];
    if (reply.kind === "udp-unreachable") {
      this.verdict(m, false, nowMs, out);
      return { actions: out, counter: "svc-check-udp-unreachable" };
    }
    // Only an answer to this probe counts: it acknowledges the SYN's sequence number.
    if (reply.ack !== (m.seq + 1) >>> 0 || reply.dstIp !== m.spec.srcIp)
      return { actions: [], counter: "drop-svc-check-bad-ack" };
    if (isSynAck(reply.flags)) {
      // Close the half-open connection the probe made.
      this.send(m, buildTcpProbe(this.ends(m, m.probePort), RST_ACK, reply.ack + 1, reply.seq + 1), out);
      this.verdict(m, true, nowMs, out);
      return { actions: out, counter: "svc-check-tcp-syn-ack" };
    }
    if (isRst(reply.flags)) {
      this.verdict(m, false, nowMs, out);
      return { actions: out, counter: "svc-check-tcp-rst" };
    }
    return { actions: [], counter: "drop-svc-check-tcp-flags" };
  }
}
