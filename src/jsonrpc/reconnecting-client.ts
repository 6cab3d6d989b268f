// A JSON-RPC client that stays connected: the Reconnect state machine drives dialing, probing and
// backoff over a list of active remotes tried in turn (a clustered database's servers). Each new
// connection is announced through onConnect, where an IDL re-sends its monitors. Dialing is injected
// (transport/index.ts plugs in the real one), so this file is as testable as the state machine.

import { logger } from "../base/log.js";
import type { Clock, Timer } from "./clock.js";
import type { ByteDuplex } from "./duplex.js";
import { ConnectionClosedError } from "./errors.js";
import type { FramerOptions } from "./framing.js";
import type { Json } from "./json.js";
import { DEFAULT_PROBE_INTERVAL_MS, Reconnect, type ReconnectState } from "./reconnect.js";
import { type CloseReason, JsonRpcConnection, type JsonRpcHandlers } from "./session.js";

const log = logger("reconnect");

export type DisconnectReason = CloseReason | { readonly kind: "connect-failed"; readonly message: string };

export interface ReconnectingClientOptions
  extends Pick<JsonRpcHandlers, "onRequest" | "onNotification" | "onDrain" | "onUnexpectedReply"> {
  /** Active remotes ("unix:/run/nb.sock", "tcp:10.0.0.1:6641" ...), tried in this order, round robin. */
  remotes: readonly string[];
  /** Opens a stream to a remote; rejects with an Error whose `reason` (or message) says why. */
  dial: (remote: string) => Promise<ByteDuplex>;
  clock: Clock;
  /** Default 5 s for tcp:/ssl:, none for unix: (as the C clients). 0 disables. */
  probeIntervalMs?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Stop after this many failed attempts in a row (undefined: never). */
  maxTries?: number;
  framing?: FramerOptions;
  /** See JsonRpcConnectionOptions.maxBacklogBytes. */
  maxBacklogBytes?: number;
  onConnect?: (conn: JsonRpcConnection, remote: string) => void;
  onDisconnect?: (reason: DisconnectReason, remote: string) => void;
}

export class ReconnectingClient {
  private readonly fsm: Reconnect;
  private readonly remotes: readonly string[];
  private index = -1;
  private conn: JsonRpcConnection | undefined;
  private attempt = 0;
  private timer: Timer | undefined;
  private closingBecause: CloseReason | undefined;
  private stopped = false;
  private waiters: Array<{ resolve(conn: JsonRpcConnection): void; reject(e: Error): void }> = [];

  constructor(private readonly opts: ReconnectingClientOptions) {
    if (opts.remotes.length === 0) throw new Error("ReconnectingClient: no remotes");
    this.remotes = opts.remotes;
    const fsmOpts = {
      name: opts.remotes[0] as string,
      freeTries: opts.remotes.length - 1,
      ...(opts.minBackoffMs !== undefined && { minBackoffMs: opts.minBackoffMs }),
      ...(opts.maxBackoffMs !== undefined && { maxBackoffMs: opts.maxBackoffMs }),
      ...(opts.maxTries !== undefined && { maxTries: opts.maxTries }),
    };
    this.fsm = new Reconnect(fsmOpts, opts.clock.now());
  }

  get state(): ReconnectState {
    return this.fsm.state;
  }

  /** The live connection, if any. */
  get connection(): JsonRpcConnection | undefined {
    return this.conn;
  }

  /** The remote of the live connection or of the attempt in progress. */
  get currentRemote(): string | undefined {
    return this.index < 0 ? undefined : this.remotes[this.index];
  }

  get connectionCount(): number {
    return this.fsm.connectionCount;
  }

  start(): void {
    this.stopped = false;
    this.fsm.enable(this.opts.clock.now());
    this.run();
  }

  /** Disconnects for good; pending requests are rejected. */
  stop(): void {
    this.stopped = true;
    this.fsm.disable(this.opts.clock.now());
    this.attempt += 1;
    this.timer?.cancel();
    this.timer = undefined;
    this.closeConnection({ kind: "local" });
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.reject(new ConnectionClosedError("client stopped"));
  }

  /** Drops the current connection and connects again (to the next remote), e.g. when it is not the leader. */
  forceReconnect(): void {
    this.fsm.forceReconnect(this.opts.clock.now());
    this.run();
  }

  /** Sends a request on the live connection; rejects with ConnectionClosedError when there is none. */
  request(method: string, params: Json[]): Promise<Json> {
    if (this.conn === undefined) return Promise.reject(new ConnectionClosedError("not connected"));
    return this.conn.request(method, params);
  }

  notify(method: string, params: Json[]): void {
    this.conn?.notify(method, params);
  }

  /** Resolves with the live connection, now or when the next one is made; rejects once stopped. */
  connected(): Promise<JsonRpcConnection> {
    if (this.conn !== undefined) return Promise.resolve(this.conn);
    if (this.stopped) return Promise.reject(new ConnectionClosedError("client stopped"));
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Acts on whatever the state machine wants now, then sleeps until it may want something else. */
  private run(): void {
    const clock = this.opts.clock;
    for (let guard = 0; guard < 8; guard++) {
      const now = clock.now();
      const action = this.fsm.tick(now);
      if (action === undefined) break;
      if (action === "connect") this.connect(now);
      else if (action === "probe") this.conn?.sendProbe();
      else this.disconnect(now);
    }
    this.timer?.cancel();
    this.timer = undefined;
    const wait = this.fsm.timeout(clock.now());
    if (wait !== undefined) {
      this.timer = clock.setTimer(wait, () => {
        this.timer = undefined;
        this.run();
      });
    }
  }

  private connect(now: number): void {
    this.index = (this.index + 1) % this.remotes.length;
    const remote = this.remotes[this.index] as string;
    this.fsm.name = remote;
    this.fsm.setProbeInterval(
      this.opts.probeIntervalMs ?? (remote.startsWith("unix:") ? 0 : DEFAULT_PROBE_INTERVAL_MS),
    );
    this.fsm.connecting(now);
    const attempt = ++this.attempt;
    this.opts.dial(remote).then(
      (duplex) => {
        if (attempt !== this.attempt) {
          duplex.close(); // abandoned (timed out or stopped) while dialing
          return;
        }
        this.onDialed(duplex, remote);
      },
      (e: unknown) => {
        if (attempt !== this.attempt) return;
        const reason = reasonOf(e);
        this.fsm.connectFailed(this.opts.clock.now(), reason);
        this.opts.onDisconnect?.({ kind: "connect-failed", message: reason }, remote);
        this.run();
      },
    );
  }

  private onDialed(duplex: ByteDuplex, remote: string): void {
    const o = this.opts;
    const conn = new JsonRpcConnection(duplex, {
      clock: o.clock,
      name: remote,
      ...(o.framing !== undefined && { framing: o.framing }),
      ...(o.maxBacklogBytes !== undefined && { maxBacklogBytes: o.maxBacklogBytes }),
      ...(o.onRequest !== undefined && { onRequest: o.onRequest }),
      ...(o.onNotification !== undefined && { onNotification: o.onNotification }),
      ...(o.onDrain !== undefined && { onDrain: o.onDrain }),
      ...(o.onUnexpectedReply !== undefined && { onUnexpectedReply: o.onUnexpectedReply }),
    });
    // An observer, not handlers: onConnect may install its own handlers on the connection.
    conn.observe({
      onActivity: () => this.fsm.activity(o.clock.now()),
      onClose: (reason, c) => this.onConnectionClosed(c, reason, remote),
    });
    this.conn = conn;
    this.fsm.connected(o.clock.now());
    o.onConnect?.(conn, remote);
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.resolve(conn);
    this.run();
  }

  private disconnect(now: number): void {
    if (this.conn !== undefined) {
      const why: CloseReason = this.fsm.state === "idle" ? { kind: "probe-timeout" } : { kind: "local" };
      this.closeConnection(why);
    } else {
      // Still dialing: give up on this attempt.
      this.attempt += 1;
      this.fsm.connectFailed(now, "Connection timed out");
      this.opts.onDisconnect?.(
        { kind: "connect-failed", message: "Connection timed out" },
        this.currentRemote ?? "",
      );
    }
  }

  private closeConnection(why: CloseReason): void {
    const conn = this.conn;
    if (conn === undefined) return;
    this.closingBecause = why;
    conn.close(); // onConnectionClosed runs from inside close()
    this.closingBecause = undefined;
  }

  private onConnectionClosed(conn: JsonRpcConnection, reason: CloseReason, remote: string): void {
    if (conn !== this.conn) return;
    this.conn = undefined;
    const why = this.closingBecause ?? reason;
    const now = this.opts.clock.now();
    if (why.kind === "eof") log.info(`${remote}: connection closed by peer`);
    this.fsm.disconnected(now, why.kind === "io" ? why.message : undefined);
    this.opts.onDisconnect?.(why, remote);
    if (this.closingBecause === undefined) this.run();
  }
}

function reasonOf(e: unknown): string {
  if (typeof e === "object" && e !== null) {
    const r = (e as { reason?: unknown }).reason;
    if (typeof r === "string") return r;
    if (e instanceof Error) return e.message;
  }
  return String(e);
}
