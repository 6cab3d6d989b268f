// Time as a dependency. The core asks a Clock for the time and for timers; the daemon's edge passes the
// system clock (transport/system-clock.ts), tests pass a ManualClock and move time by hand.

export interface Timer {
  /** Stops the timer; harmless if it already fired or was cancelled. */
  cancel(): void;
}

export interface Clock {
  /** Milliseconds on a monotonic scale; only differences are meaningful. */
  now(): number;
  /** Calls `fn` once, `delayMs` (≥ 0) from now. */
  setTimer(delayMs: number, fn: () => void): Timer;
}

interface Pending {
  at: number;
  seq: number;
  fn: () => void;
  live: boolean;
}

/** A clock that only moves when told to; timers fire in time order (ties in creation order). */
export class ManualClock implements Clock {
  private time: number;
  private seq = 0;
  private pending: Pending[] = [];

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimer(delayMs: number, fn: () => void): Timer {
    const p: Pending = { at: this.time + Math.max(0, delayMs), seq: this.seq++, fn, live: true };
    this.pending.push(p);
    return {
      cancel: () => {
        p.live = false;
      },
    };
  }

  /** Number of timers not yet fired or cancelled. */
  get timerCount(): number {
    return this.pending.filter((p) => p.live).length;
  }

  /** Time of the earliest live timer, if any. */
  nextTimerAt(): number | undefined {
    return this.next()?.at;
  }

  /** Moves time forward by `ms`, firing every timer that falls due, including ones they schedule. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (let p = this.next(); p !== undefined && p.at <= end; p = this.next()) {
      this.time = Math.max(this.time, p.at);
      p.live = false;
      p.fn();
    }
    this.time = end;
    this.pending = this.pending.filter((p) => p.live);
  }

  private next(): Pending | undefined {
    let best: Pending | undefined;
    for (const p of this.pending) {
      if (p.live && (best === undefined || p.at < best.at || (p.at === best.at && p.seq < best.seq)))
        best = p;
    }
    return best;
  }
}
