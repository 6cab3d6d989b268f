// Flood protection for packet-ins: a token bucket per operation (time passed in, milliseconds) and a
// bounded queue between receiving packet-ins and handling them, so a storm of one kind cannot starve
// the agent or the other kinds. Both count what they refuse.

export class TokenBucket {
  private tokens: number;
  private lastMs: number | undefined;

  /** `ratePerSec` tokens are added per second, up to `burst`. */
  constructor(
    private readonly ratePerSec: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }

  /** Takes one token if there is one at `nowMs`. */
  take(nowMs: number): boolean {
    if (this.lastMs !== undefined && nowMs > this.lastMs)
      this.tokens = Math.min(this.burst, this.tokens + ((nowMs - this.lastMs) * this.ratePerSec) / 1000);
    if (this.lastMs === undefined || nowMs > this.lastMs) this.lastMs = nowMs;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export class BoundedQueue<T> {
  private items: T[] = [];
  private head = 0;

  constructor(readonly capacity: number) {}

  get length(): number {
    return this.items.length - this.head;
  }

  /** False (and nothing queued) when full. */
  push(x: T): boolean {
    if (this.length >= this.capacity) return false;
    this.items.push(x);
    return true;
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const x = this.items[this.head++];
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return x;
  }
}
