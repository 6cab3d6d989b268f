// Where one agent pass spends its time, stage by stage, for the one log line an install writes (and
// for tests and status).  The clock is passed in; pure otherwise.

export class PassTiming {
  private readonly stages: [string, number][] = [];
  private last: number;
  private readonly start: number;

  constructor(private readonly now: () => number) {
    this.start = now();
    this.last = this.start;
  }

  /** Ends the stage that ran since the previous mark (or the start) and names it. */
  mark(stage: string): void {
    const t = this.now();
    this.stages.push([stage, t - this.last]);
    this.last = t;
  }

  get totalMs(): number {
    return this.last - this.start;
  }

  /** "12 ms (view 3, desired 5, ...)": stages under half a millisecond are left out. */
  format(): string {
    const parts = this.stages.filter(([, ms]) => ms >= 0.5).map(([s, ms]) => `${s} ${ms.toFixed(0)}`);
    return `${this.totalMs.toFixed(0)} ms (${parts.join(", ")})`;
  }
}
