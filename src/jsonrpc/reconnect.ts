// When to connect, probe and give up: the client-side connection state machine, numbers only. The caller
// reports events (connecting, connected, connectFailed, disconnected, activity) and calls tick(now), which
// says what to do next; timeout(now) says when to call tick again. Observed behaviour of the C clients
// (ovn-northd, ovs-vsctl --retry, 3.1) that this reproduces, with the default 1 s / 8 s backoff:
//   - first attempt at once; after a failure wait 1 s, then 2 s ("waiting 2 seconds before reconnect"),
//     4 s, then 8 s from then on ("continuing to reconnect in the background but suppressing further
//     logging": later attempts log at debug level only, until a connection succeeds);
//   - a connection that stayed up at least as long as the current backoff was healthy: when it drops, the
//     backoff restarts from the minimum (1 s); one that drops sooner keeps growing the backoff;
//   - with several remotes (a cluster), each remote is tried once without waiting before backoff applies;
//   - when nothing has been received for the probe interval, send a probe (state IDLE); if nothing arrives
//     within another interval, disconnect ("no response to inactivity probe after 5 seconds").

import { logger } from "../base/log.js";

const log = logger("reconnect");

export type ReconnectState = "void" | "backoff" | "connecting" | "active" | "idle" | "reconnect";

/** What tick() asks the caller to do. */
export type ReconnectAction = "connect" | "disconnect" | "probe" | undefined;

export interface ReconnectOptions {
  /** Log prefix, normally the remote ("unix:/run/ovn/ovnnb_db.sock"). */
  name: string;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** 0 disables probing. */
  probeIntervalMs?: number;
  /** Connection attempts allowed before the machine stops (state void); undefined = forever. */
  maxTries?: number;
  /** Attempts that may follow a failure without waiting (number of remotes minus one). */
  freeTries?: number;
}

export const DEFAULT_MIN_BACKOFF_MS = 1000;
export const DEFAULT_MAX_BACKOFF_MS = 8000;
export const DEFAULT_PROBE_INTERVAL_MS = 5000;

export class Reconnect {
  name: string;
  private minBackoff: number;
  private maxBackoff: number;
  private probeInterval: number;
  private maxTries: number | undefined;
  private freeTriesAllowed: number;

  private st: ReconnectState = "void";
  private stateEntered: number;
  private backoff = 0;
  private freeTriesLeft = 0;
  private triesLeft: number | undefined;
  private suppressed = false;
  private lastActivity: number;
  private lastConnected: number | undefined;
  private lastDisconnected: number | undefined;
  private connections = 0;

  constructor(opts: ReconnectOptions, now: number) {
    this.name = opts.name;
    this.minBackoff = opts.minBackoffMs ?? DEFAULT_MIN_BACKOFF_MS;
    this.maxBackoff = Math.max(this.minBackoff, opts.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS);
    this.probeInterval = opts.probeIntervalMs ?? DEFAULT_PROBE_INTERVAL_MS;
    this.maxTries = opts.maxTries;
    this.freeTriesAllowed = opts.freeTries ?? 0;
    this.stateEntered = now;
    this.lastActivity = now;
  }

  get state(): ReconnectState {
    return this.st;
  }

  /** Current wait between attempts, ms. */
  get backoffMs(): number {
    return this.backoff;
  }

  get isConnected(): boolean {
    return this.st === "active" || this.st === "idle";
  }

  /** Successful connections so far. */
  get connectionCount(): number {
    return this.connections;
  }

  get lastConnectedAt(): number | undefined {
    return this.lastConnected;
  }

  get lastDisconnectedAt(): number | undefined {
    return this.lastDisconnected;
  }

  setProbeInterval(ms: number): void {
    this.probeInterval = ms;
  }

  setBackoff(minMs: number, maxMs: number): void {
    this.minBackoff = minMs;
    this.maxBackoff = Math.max(minMs, maxMs);
    if (this.backoff > this.maxBackoff) this.backoff = this.maxBackoff;
  }

  /** Starts connecting (at the next tick). */
  enable(now: number): void {
    if (this.st !== "void") return;
    this.backoff = 0;
    this.freeTriesLeft = this.freeTriesAllowed;
    this.triesLeft = this.maxTries;
    this.suppressed = false;
    this.enter("backoff", now);
  }

  /** Stops: no more connecting or probing. The caller closes any connection. */
  disable(now: number): void {
    if (this.st !== "void") this.enter("void", now);
  }

  /** Asks for the current connection to be dropped and a new one made (tick says "disconnect"). */
  forceReconnect(now: number): void {
    if (this.st === "active" || this.st === "idle") this.enter("reconnect", now);
  }

  /** The caller has started a connection attempt. */
  connecting(now: number): void {
    if (this.st === "connecting") return;
    if (!this.suppressed) log.info(`${this.name}: connecting...`);
    if (this.triesLeft !== undefined) this.triesLeft -= 1;
    this.enter("connecting", now);
  }

  connected(now: number): void {
    if (this.isConnected) return;
    this.connecting(now);
    log.info(`${this.name}: connected`);
    this.suppressed = false;
    this.connections += 1;
    this.lastConnected = now;
    this.lastActivity = now;
    this.freeTriesLeft = this.freeTriesAllowed;
    this.enter("active", now);
  }

  /** The attempt started by connecting() failed; `error` is strerror-like text for the log. */
  connectFailed(now: number, error?: string): void {
    this.connecting(now);
    if (!this.suppressed) {
      log.info(`${this.name}: connection attempt failed${error === undefined ? "" : ` (${error})`}`);
    }
    this.disconnected(now, undefined);
  }

  /**
   * The connection (or attempt) ended. Pass `error` to have it logged ("connection dropped (...)");
   * the caller may already have logged the cause itself.
   */
  disconnected(now: number, error: string | undefined): void {
    if (this.st === "void" || this.st === "backoff") return;
    if (error !== undefined) log.info(`${this.name}: connection dropped (${error})`);
    const wasConnected = this.isConnected || this.st === "reconnect";
    this.lastDisconnected = now;
    if (this.st === "reconnect") {
      // Deliberate: go straight on to the next attempt.
      this.backoff = 0;
    } else if (this.freeTriesLeft > 0) {
      this.freeTriesLeft -= 1;
      this.backoff = 0;
    } else if (wasConnected && now - (this.lastConnected ?? now) >= this.backoff) {
      this.backoff = this.minBackoff;
    } else {
      this.growBackoff();
    }
    if (this.triesLeft !== undefined && this.triesLeft <= 0) {
      this.enter("void", now);
      return;
    }
    this.enter("backoff", now);
  }

  /** Something was received: the peer is alive. */
  activity(now: number): void {
    this.lastActivity = now;
    if (this.st === "idle") this.enter("active", now);
  }

  /** What to do now. "probe" also moves to IDLE; the caller sends the probe. */
  tick(now: number): ReconnectAction {
    switch (this.st) {
      case "void":
        return undefined;
      case "backoff":
        return now >= this.stateEntered + this.backoff ? "connect" : undefined;
      case "connecting":
        return now >= this.stateEntered + this.connectTimeout() ? "disconnect" : undefined;
      case "active": {
        if (this.probeInterval <= 0) return undefined;
        const base = Math.max(this.lastActivity, this.stateEntered);
        if (now < base + this.probeInterval) return undefined;
        log.dbg(`${this.name}: idle ${Math.round(now - base)} ms, sending inactivity probe`);
        this.enter("idle", now);
        return "probe";
      }
      case "idle":
        if (this.probeInterval <= 0 || now < this.stateEntered + this.probeInterval) return undefined;
        log.err(
          `${this.name}: no response to inactivity probe after ${Math.round(this.probeInterval / 1000)} seconds, disconnecting`,
        );
        return "disconnect";
      case "reconnect":
        return "disconnect";
    }
  }

  /** Milliseconds until tick() may have something to do; undefined when only an event can change that. */
  timeout(now: number): number | undefined {
    const until = (at: number): number => Math.max(0, at - now);
    switch (this.st) {
      case "void":
        return undefined;
      case "backoff":
        return until(this.stateEntered + this.backoff);
      case "connecting":
        return until(this.stateEntered + this.connectTimeout());
      case "active":
        return this.probeInterval > 0
          ? until(Math.max(this.lastActivity, this.stateEntered) + this.probeInterval)
          : undefined;
      case "idle":
        return this.probeInterval > 0 ? until(this.stateEntered + this.probeInterval) : undefined;
      case "reconnect":
        return 0;
    }
  }

  /** An attempt may take as long as the backoff, but at least a second. */
  private connectTimeout(): number {
    return Math.max(1000, this.backoff);
  }

  private growBackoff(): void {
    if (this.backoff < this.minBackoff) {
      this.backoff = this.minBackoff;
    } else if (this.backoff < this.maxBackoff / 2) {
      this.backoff = Math.max(this.minBackoff, this.backoff * 2);
      if (!this.suppressed) log.info(`${this.name}: waiting ${this.backoff / 1000} seconds before reconnect`);
    } else {
      if (!this.suppressed) {
        log.info(`${this.name}: continuing to reconnect in the background but suppressing further logging`);
      }
      this.backoff = this.maxBackoff;
      this.suppressed = true;
    }
  }

  private enter(state: ReconnectState, now: number): void {
    if (state !== this.st) log.dbg(`${this.name}: entering ${state.toUpperCase()}`);
    this.st = state;
    this.stateEntered = now;
  }
}
