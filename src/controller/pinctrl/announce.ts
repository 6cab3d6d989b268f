// Gratuitous ARP / RARP announcements of NAT and port addresses, sent with exponential backoff as
// ovn-controller does after a port or NAT address appears: at once, then after 1, 2, 4, 8 and 16
// seconds, then no more (unless a repeat period is configured). Pure: the caller passes the time in
// and sends what `due` returns.
import { gratuitousArp, reverseArp } from "./arp.js";
import type { Effect } from "./types.js";

export interface Announcement {
  readonly datapath: number;
  readonly port: number;
  readonly mac: string;
  /** IPv4 addresses to announce; none means one RARP. */
  readonly ips: readonly string[];
}

interface Entry {
  readonly a: Announcement;
  nextMs: number;
  backoffMs: number;
}

export const FIRST_BACKOFF_MS = 1000;
export const MAX_BACKOFF_MS = 16000;

export class Announcer {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly repeatMs = 0) {}

  private static key(a: Announcement): string {
    return `${a.datapath}:${a.port}:${a.mac}`;
  }

  /** Starts (or restarts, if the addresses changed) announcing. */
  add(a: Announcement, nowMs: number): void {
    const k = Announcer.key(a);
    const old = this.entries.get(k);
    if (old !== undefined && old.a.ips.join(" ") === a.ips.join(" ")) return;
    this.entries.set(k, { a, nextMs: nowMs, backoffMs: FIRST_BACKOFF_MS });
  }

  remove(a: Pick<Announcement, "datapath" | "port" | "mac">): void {
    this.entries.delete(`${a.datapath}:${a.port}:${a.mac}`);
  }

  /** The frames due at `nowMs`; advances each entry's schedule. */
  due(nowMs: number): Effect[] {
    const out: Effect[] = [];
    for (const [k, e] of this.entries) {
      if (e.nextMs > nowMs) continue;
      const frames =
        e.a.ips.length === 0 ? [reverseArp(e.a.mac)] : e.a.ips.map((ip) => gratuitousArp(e.a.mac, ip));
      for (const packet of frames)
        out.push({ kind: "send", packet, datapath: e.a.datapath, outport: e.a.port });
      if (e.backoffMs > MAX_BACKOFF_MS) {
        if (this.repeatMs > 0) e.nextMs = nowMs + this.repeatMs;
        else this.entries.delete(k);
      } else {
        e.nextMs = nowMs + e.backoffMs;
        e.backoffMs *= 2;
      }
    }
    return out;
  }

  /** When `due` next has something to send (for the caller's timer), or undefined. */
  nextWake(): number | undefined {
    let best: number | undefined;
    for (const e of this.entries.values()) if (best === undefined || e.nextMs < best) best = e.nextMs;
    return best;
  }
}
