// Gratuitous ARP / RARP announcements of VIF and NAT addresses, on ovn-controller 23.03's schedule: the
// first one second after the address appears (not at once: a port just bound has no flows yet), then
// 2, 4, 8 and 16 seconds apart -- five in all -- unless a repeat period is configured.  Each frame
// enters the logical switch's ingress pipeline as if the announced port had sent it (datapath and
// inport loaded, resubmit to the first ingress table), so the switch's own flows decide where it goes:
// the localnet port, the other local ports.  Pure: the caller passes the time in and sends what `due`
// returns.
import { encodeActionList } from "../../openflow/actions-wire.js";
import { Writer } from "../../openflow/bytes.js";
import { OFPP_IN_PORT } from "../../openflow/model.js";
import { OFTABLE } from "../lflow/tables.js";
import { gratuitousArp, reverseArp } from "./arp.js";
import type { Effect } from "./types.js";

export interface Announcement {
  readonly datapath: number;
  /** Tunnel key of the logical port the frames come from (the VIF, l3gateway or patch port). */
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

/** Delay of the first announcement. */
export const FIRST_DELAY_MS = 1000;
export const MAX_BACKOFF_MS = 16000;

/** The nested actions of every announcement: on to the ingress pipeline's first table. */
const TO_INGRESS = ((): Uint8Array => {
  const w = new Writer();
  encodeActionList(w, [
    { kind: "resubmit", port: OFPP_IN_PORT, table: OFTABLE.LOG_INGRESS_PIPELINE, ct: false },
  ]);
  return w.finish();
})();

/** The effect that sends `packet` into `datapath`'s ingress pipeline from logical port `inport`. */
export function injectFrom(packet: Uint8Array, datapath: number, inport: number): Effect {
  const regs = new Array<number>(16).fill(0);
  regs[14] = inport;
  return { kind: "packet-out", packet, actions: TO_INGRESS, md: { datapath, inport, outport: 0, regs } };
}

export class Announcer {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly repeatMs = 0) {}

  private static key(a: Pick<Announcement, "datapath" | "port" | "mac">): string {
    return `${a.datapath}:${a.port}:${a.mac}`;
  }

  /** Starts (or restarts, if the addresses changed) announcing. */
  add(a: Announcement, nowMs: number): void {
    const k = Announcer.key(a);
    const old = this.entries.get(k);
    if (old !== undefined && old.a.ips.join(" ") === a.ips.join(" ")) return;
    this.entries.set(k, { a, nextMs: nowMs + FIRST_DELAY_MS, backoffMs: 2 * FIRST_DELAY_MS });
  }

  remove(a: Pick<Announcement, "datapath" | "port" | "mac">): void {
    this.entries.delete(Announcer.key(a));
  }

  /** The frames due at `nowMs`; advances each entry's schedule. */
  due(nowMs: number): Effect[] {
    const out: Effect[] = [];
    for (const [k, e] of this.entries) {
      if (e.nextMs > nowMs) continue;
      const frames =
        e.a.ips.length === 0 ? [reverseArp(e.a.mac)] : e.a.ips.map((ip) => gratuitousArp(e.a.mac, ip));
      for (const packet of frames) out.push(injectFrom(packet, e.a.datapath, e.a.port));
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
