// The packet-in front door: per-kind token buckets admit packet-ins into one bounded queue; `drain`
// handles up to a budget of them per call so the agent's main loop keeps its turn. Time comes in;
// every outcome (handled, rate-limited, queue full, malformed) is counted.
import { logger } from "../../base/log.js";
import type { Dhcp6Config } from "./dhcp6.js";
import { type HandleContext, handlePacketIn } from "./handle.js";
import { BoundedQueue, TokenBucket } from "./ratelimit.js";
import type { ActionKind, Effect, PacketIn, PinctrlState } from "./types.js";

const log = logger("pinctrl");

export interface PinctrlOptions {
  readonly queueCapacity: number;
  /** Packet-ins per second admitted for each action kind, and the burst. */
  readonly ratePerSec: number;
  readonly burst: number;
  readonly dhcp6?: Dhcp6Config;
}

export const DEFAULT_OPTIONS: PinctrlOptions = { queueCapacity: 1000, ratePerSec: 1000, burst: 200 };

export class Pinctrl {
  private readonly queue: BoundedQueue<PacketIn>;
  private readonly buckets = new Map<ActionKind, TokenBucket>();
  readonly counters = new Map<string, number>();

  constructor(private readonly options: PinctrlOptions = DEFAULT_OPTIONS) {
    this.queue = new BoundedQueue(options.queueCapacity);
  }

  private count(name: string): void {
    this.counters.set(name, (this.counters.get(name) ?? 0) + 1);
  }

  /** Offers a packet-in; false if it was refused (rate limit or full queue) and counted as such. */
  submit(pin: PacketIn, nowMs: number): boolean {
    let bucket = this.buckets.get(pin.action.kind);
    if (bucket === undefined) {
      bucket = new TokenBucket(this.options.ratePerSec, this.options.burst);
      this.buckets.set(pin.action.kind, bucket);
    }
    if (!bucket.take(nowMs)) {
      this.count(`ratelimit-${pin.action.kind}`);
      return false;
    }
    if (!this.queue.push(pin)) {
      this.count("queue-full");
      return false;
    }
    return true;
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Handles up to `budget` queued packet-ins and returns their effects in order. */
  drain(state: PinctrlState, nowMs: number, budget = 50): Effect[] {
    const ctx: HandleContext = {
      state,
      nowMs,
      ...(this.options.dhcp6 !== undefined ? { dhcp6: this.options.dhcp6 } : {}),
    };
    const out: Effect[] = [];
    for (let i = 0; i < budget; i++) {
      const pin = this.queue.shift();
      if (pin === undefined) break;
      const r = handlePacketIn(pin, ctx);
      this.count(r.counter);
      if (r.counter.startsWith("drop-") && log.enabled("DBG"))
        log.dbg(`${r.counter} (${pin.packet.length} bytes)`);
      for (const e of r.effects)
        out.push(e.kind === "resume" && pin.origin !== undefined ? { ...e, origin: pin.origin } : e);
    }
    return out;
  }
}
