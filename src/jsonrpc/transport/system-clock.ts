// The real clock, for daemons and CLIs: monotonic milliseconds and Node timers. Tests use ManualClock.

import type { Clock, Timer } from "../clock.js";

export const systemClock: Clock = {
  now: () => performance.now(),
  setTimer(delayMs: number, fn: () => void): Timer {
    const t = setTimeout(fn, Math.max(0, delayMs));
    return { cancel: () => clearTimeout(t) };
  },
};
