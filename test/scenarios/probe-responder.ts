// What the health-check scenarios (IPv4 and IPv6) share: the backends' TCP stacks (every probe a backend's
// VIF sends is answered at once, as that backend's mode says), the Service_Monitor rows, the reset check.

import assert from "node:assert/strict";
import { TCP_ACK, TCP_RST, TCP_SYN } from "../../src/packet/index.js";
import type { Stack, Vif } from "../support/chassis.js";
import { waitUntil } from "../support/wait.js";
import { PACKET_MS, SETTLE_MS, sentSince } from "./matrix.js";

export type ProbeMode = "syn-ack" | "rst" | "silent";

/** What the responder reads of a probe. */
export interface SeenProbe {
  readonly eth: { readonly src: string; readonly dst: string };
  readonly ip: { readonly src: string; readonly dst: string };
  readonly tcp: { readonly srcPort: number; readonly dstPort: number; readonly seq: number };
}

/** The answer's addresses and TCP header, for the address family's frame builder. */
export interface TcpAnswer {
  src: string;
  dst: string;
  sip: string;
  dip: string;
  sport: number;
  dport: number;
  flags: number;
  seq: number;
  ack: number;
}

export class ProbeResponder {
  readonly modes = new Map<string, ProbeMode>();
  private readonly seen = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  private stopped = false;
  /** The first error a poll hit while the responder was running (injecting into a live VIF fails only on a bug). */
  failure: unknown;

  constructor(
    private readonly vifs: readonly Vif[],
    private readonly probeOf: (f: Uint8Array) => SeenProbe | undefined,
    private readonly build: (a: TcpAnswer) => Uint8Array,
  ) {
    for (const v of vifs) this.seen.set(v.lport, v.sent().length);
  }

  start(): void {
    // A poll still in flight when the sandbox is torn down (after stop(), or after a failed scenario)
    // fails to inject: caught here, never an unhandled rejection.
    this.timer = setInterval(() => {
      this.poll().catch((e: unknown) => {
        if (!this.stopped) this.failure ??= e;
      });
    }, 20);
    // A failed scenario may never reach stop(): the poller must not keep the test process alive.
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    if (this.failure !== undefined) throw this.failure;
  }

  private async poll(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (const v of this.vifs) {
        const frames = sentSince(v, this.seen.get(v.lport) ?? 0);
        this.seen.set(v.lport, (this.seen.get(v.lport) ?? 0) + frames.length);
        const mode = this.modes.get(v.lport) ?? "silent";
        for (const f of frames) {
          const p = this.probeOf(f);
          if (p === undefined || mode === "silent") continue;
          await v.inject(
            this.build({
              src: p.eth.dst,
              dst: p.eth.src,
              sip: p.ip.dst,
              dip: p.ip.src,
              sport: p.tcp.dstPort,
              dport: p.tcp.srcPort,
              flags: mode === "syn-ack" ? TCP_SYN | TCP_ACK : TCP_RST | TCP_ACK,
              seq: mode === "syn-ack" ? 5000 : 0,
              ack: (p.tcp.seq + 1) >>> 0,
            }),
          );
        }
      }
    } finally {
      this.busy = false;
    }
  }
}

/**
 * Plugs each VM's VIF on the stack's first chassis, waits until every one is up and the chassis has
 * caught up, then starts a responder for the first two (the backends).
 */
export async function plugBackends(
  s: Stack,
  vms: readonly { readonly lport: string }[],
  probeOf: (f: Uint8Array) => SeenProbe | undefined,
  build: (a: TcpAnswer) => Uint8Array,
): Promise<{ vifs: Vif[]; responder: ProbeResponder }> {
  const h = s.hv[0] as Stack["hv"][0];
  const vifs: Vif[] = [];
  for (const v of vms) vifs.push(await h.addVif(v.lport));
  await waitUntil(
    async () =>
      (await Promise.all(vms.map((v) => s.nbctl("get", "Logical_Switch_Port", v.lport, "up")))).every(
        (u) => u.trim() === "true",
      ),
    SETTLE_MS,
    { what: `${vms.map((v) => v.lport).join(", ")} up` },
  );
  await s.syncHv();
  const responder = new ProbeResponder(vifs.slice(0, 2), probeOf, build);
  responder.start();
  return { vifs, responder };
}

/** Service_Monitor rows by "lport" (or "lport/udp") as "ip port src_ip src_mac status". */
export async function serviceMonitors(s: Stack): Promise<Record<string, string>> {
  const out = await s.sbctl(
    "--format=csv",
    "--data=bare",
    "--no-headings",
    "--columns=logical_port,protocol,ip,port,src_ip,src_mac,status",
    "list",
    "Service_Monitor",
  );
  const r: Record<string, string> = {};
  for (const line of out.split("\n").filter((l) => l.trim() !== "")) {
    const [lport = "", proto = "", ip = "", port = "", srcIp = "", srcMac = "", status = ""] =
      line.split(",");
    r[proto === "udp" ? `${lport}/udp` : lport] = `${ip} ${port} ${srcIp} ${srcMac} ${status}`;
  }
  return r;
}

/** Waits until each named Service_Monitor row has the wanted status. */
export async function expectStatus(s: Stack, want: Record<string, string>, what: string): Promise<void> {
  await waitUntil(
    async () => {
      const got = await serviceMonitors(s);
      return Object.entries(want).every(([k, v]) => got[k]?.endsWith(` ${v}`)) ? got : false;
    },
    15_000,
    { what },
  );
}

/** A TCP segment as the scenarios read it (the IP header's fields differ by family). */
export interface SeenSegment<Ip> {
  readonly ip: Ip;
  readonly tcp: SeenProbe["tcp"] & { readonly flags: number; readonly ack: number; readonly window: number };
}

/**
 * The controller's answer to a backend's SYN-ACK, sent on `vif` after its `before`th frame: checked to be
 * RST+ACK acknowledging the responder's SYN-ACK (seq 5000) and one past the probe it closes (the latest
 * with the same source port: it may have left just before the responder switched to SYN-ACK).
 */
export async function expectReset<Ip>(
  vif: Vif,
  before: number,
  fromMonitor: (f: Uint8Array) => SeenSegment<Ip> | undefined,
): Promise<SeenSegment<Ip>> {
  const rst = await waitUntil(
    () =>
      sentSince(vif, before)
        .map(fromMonitor)
        .find((t) => t !== undefined && t.tcp.flags !== TCP_SYN),
    PACKET_MS,
    { what: "the controller's answer to the SYN-ACK" },
  );
  assert.equal(rst.tcp.flags, TCP_RST | TCP_ACK);
  assert.equal(rst.tcp.ack, 5001);
  const probe = vif
    .sent()
    .map((p) => fromMonitor(p.data))
    .findLast((t) => t !== undefined && t.tcp.flags === TCP_SYN && t.tcp.srcPort === rst.tcp.srcPort);
  assert.ok(probe !== undefined);
  assert.equal(rst.tcp.seq, (probe.tcp.seq + 2) >>> 0);
  return rst;
}
