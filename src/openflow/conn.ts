// The OpenFlow network edge: one connection to a switch's management socket
// (unix:$OVS_RUNDIR/br-int.mgmt), speaking OpenFlow 1.5.
// - hello with a version bitmap; the connection fails unless both sides offer 1.5;
// - echo requests are answered; an optional probe sends echoes when the switch is quiet and drops
//   the connection if one goes unanswered for a whole interval;
// - xids are allocated here; request() waits for the reply with the same xid, multipart() gathers
//   every part, transact() follows messages with a barrier and fails on the first error among them;
// - bundle() installs messages in one atomic, ordered OpenFlow bundle;
// - messages nobody waits for (packet-ins, port status, stray errors) go to the `onMessage` handler.
// This file is the only one in src/openflow that touches node:net or the clock.

import { connect, type Socket } from "node:net";
import { logger } from "../base/log.js";
import { Writer } from "./bytes.js";
import type { BundleControlType, OfMessage, OfMessageBody } from "./messages.js";
import { OFP15_VERSION } from "./messages.js";
import { decodeMessage, encodeMessage, encodeMessageInto, splitMessages } from "./msg-codec.js";
import type { WireContext } from "./oxm.js";

const log = logger("ofconn");

/** Messages per write of streamBatch (~40 KB of flow_mods: ~3 ms of encoding). */
const STREAM_CHUNK = 256;

/**
 * Messages given by position: an array, or a list that makes each message when asked (a start-up install
 * is ~9.5k flow_mods; made one chunk at a time, they die young instead of all living until the stream
 * ends: made up front, the scavenges that copied and promoted them were about half of that stage's time
 * in a start's profile, ~75 of ~150 ms).
 */
export interface MessageList {
  readonly length: number;
  at(i: number): OfMessageBody | undefined;
}

/** The bundle_adds of one bundle being installed: their xids are from..from+count-1. */
interface BundleAdds {
  readonly from: number;
  readonly count: number;
  /** The bundle_add sent with xid `xid` (made again, for the error it caused). */
  request(xid: number): OfMessageBody;
  readonly errors: OfError[];
}

/** An OpenFlow error the switch answered with. */
export class OfError extends Error {
  constructor(
    readonly reply: Extract<OfMessage, { kind: "error" }>,
    readonly request?: OfMessageBody,
  ) {
    super(`${reply.name}${request !== undefined ? ` (in reply to ${request.kind})` : ""}`);
  }
}

export interface OfConnOptions {
  /** Tunnel-metadata option lengths (from the TLV map) for encoding and decoding tun_metadata. */
  readonly wire?: WireContext;
  /** Send an echo after this long without traffic; 0 or absent: never. */
  readonly probeIntervalMs?: number;
  /** How long connect() waits for the switch's hello (default 10 s). */
  readonly helloTimeoutMs?: number;
  /** Unsolicited messages: packet-ins, port status, flow removed, errors for no pending request. */
  readonly onMessage?: (m: OfMessage) => void;
  /** Called once when the connection ends, with the reason if it was an error. */
  readonly onClose?: (err?: Error) => void;
}

interface Pending {
  readonly request: OfMessageBody;
  readonly parts: OfMessage[];
  readonly multipart: boolean;
  resolve(m: OfMessage[]): void;
  reject(e: Error): void;
}

/** "unix:/path" or a bare path → the socket path. */
export function socketPath(target: string): string {
  return target.startsWith("unix:") ? target.slice(5) : target;
}

/** The management socket of a bridge: $OVS_RUNDIR/BRIDGE.mgmt. */
export function bridgeMgmtPath(rundir: string, bridge: string): string {
  return `${rundir.replace(/\/$/, "")}/${bridge}.mgmt`;
}

export class OfConnection {
  private nextXid = 1;
  private readonly pending = new Map<number, Pending>();
  /** Bundles whose adds are in flight: one entry per bundle, not per add (whose replies are errors only). */
  private readonly bundleAdds: BundleAdds[] = [];
  private buf: Uint8Array = new Uint8Array(0);
  private closed = false;
  private lastRx = Date.now();
  private probeXid: number | undefined;
  private probeTimer: NodeJS.Timeout | undefined;
  private bundleIds = 1;
  private helloWaiter: ((m: OfMessage) => void) | undefined;
  onMessage: ((m: OfMessage) => void) | undefined;

  private constructor(
    private readonly sock: Socket,
    private readonly opts: OfConnOptions,
  ) {
    this.onMessage = opts.onMessage;
    this.wireCtx = opts.wire ?? {};
  }

  /** Connects, exchanges hellos and checks that both sides speak OpenFlow 1.5. */
  static connect(target: string, opts: OfConnOptions = {}): Promise<OfConnection> {
    const path = socketPath(target);
    return new Promise((resolve, reject) => {
      const sock = connect(path);
      const conn = new OfConnection(sock, opts);
      let settled = false;
      const fail = (e: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        sock.destroy();
        reject(e);
      };
      const timer = setTimeout(
        () => fail(new Error(`${path}: no OpenFlow hello within ${opts.helloTimeoutMs ?? 10_000} ms`)),
        opts.helloTimeoutMs ?? 10_000,
      );
      sock.once("error", (e) => fail(e));
      sock.once("connect", () => {
        conn.helloWaiter = (m) => {
          conn.helloWaiter = undefined;
          if (m.kind !== "hello" || !m.versions.includes(OFP15_VERSION)) {
            conn.sendRaw({
              kind: "error",
              xid: m.xid,
              type: 0,
              code: 0,
              name: "OFPHFC_INCOMPATIBLE",
              data: new TextEncoder().encode("OpenFlow 1.5 required"),
            });
            fail(
              new Error(
                `${path}: switch does not offer OpenFlow 1.5 (${m.kind === "hello" ? `versions ${m.versions.join(",")}` : m.kind})`,
              ),
            );
            return;
          }
          settled = true;
          clearTimeout(timer);
          sock.removeAllListeners("error");
          sock.on("error", (e) => conn.shutdown(e));
          conn.startProbe();
          log.info(`${path}: connected (OpenFlow 1.5)`);
          resolve(conn);
        };
        conn.sendRaw({ kind: "hello", xid: conn.allocXid(), versions: [OFP15_VERSION] });
      });
      sock.on("data", (d: Buffer) => conn.receive(d));
      sock.on("close", () => {
        fail(new Error(`${path}: connection closed during hello`));
        conn.shutdown();
      });
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private wireCtx: WireContext = {};

  /** The wire context (TLV option lengths) used to encode and decode tun_metadata fields. */
  get wire(): WireContext {
    return this.wireCtx;
  }

  /** Replaces the wire context, e.g. after a TLV table change. */
  setWire(ctx: WireContext): void {
    this.wireCtx = ctx;
  }

  /** `n` consecutive xids (none wraps around); the first. */
  private allocXids(n: number): number {
    if (this.nextXid + n > 0xffffffff) this.nextXid = 1;
    const x = this.nextXid;
    this.nextXid += n;
    if (this.nextXid > 0xffffffff) this.nextXid = 1;
    return x;
  }

  allocXid(): number {
    const x = this.nextXid;
    this.nextXid = this.nextXid >= 0xffffffff ? 1 : this.nextXid + 1;
    return x;
  }

  private sendRaw(m: OfMessage): void {
    if (this.closed) throw new Error("OpenFlow connection is closed");
    const bytes = encodeMessage(m, this.wire);
    if (log.enabled("DBG")) log.dbg(`send ${m.kind} xid=${m.xid} (${bytes.length} bytes)`);
    this.write(bytes);
  }

  /**
   * Bytes written while a batch is being streamed (streamBatch), in order: they go out after it, so the
   * wire holds messages in the order they were sent, as if the batch had been one write.
   */
  private behindStream: Uint8Array[] | undefined;

  private write(bytes: Uint8Array): void {
    if (this.behindStream !== undefined) this.behindStream.push(bytes);
    else this.sock.write(bytes);
  }

  /** Sends messages with one socket write (one buffer), in order. */
  private sendBatch(ms: readonly OfMessage[]): void {
    if (this.closed) throw new Error("OpenFlow connection is closed");
    const w = new Writer();
    for (const m of ms) encodeMessageInto(w, m, this.wire);
    if (log.enabled("DBG")) log.dbg(`send ${ms.length} messages (${w.length} bytes)`);
    this.write(w.finish());
  }

  /**
   * Sends a long run of messages in order as it encodes them: a chunk of STREAM_CHUNK messages is
   * made (`at(i)`), encoded and written, then the event loop runs once (the socket drains into the
   * switch, replies are read) before the next.  The switch thus parses the first messages while the rest are encoded (a
   * start-up install is ~9.5k bundle_adds, 1.5 MB, 60-130 ms to encode); written at once, its parsing
   * began only when our encoding ended (the socket's buffer holds ~200 KB, so a synchronous loop of
   * writes does not help).  Measured with the real ovs-vswitchd and 9k flow_mods, bundle() to commit:
   * 78-95 -> 64-82 ms warm, 142 -> 132 ms cold (its commit stays at the end).  Whatever else is sent meanwhile waits
   * behind the run (write()).  The first chunk is encoded before this returns, so an encoding error
   * there throws as sendBatch's would; a later one (a bug) closes the connection, which fails every
   * request waiting on it.
   */
  private streamBatch(count: number, at: (i: number) => OfMessage): void {
    if (count <= STREAM_CHUNK || this.behindStream !== undefined) {
      this.sendBatch(Array.from({ length: count }, (_, i) => at(i)));
      return;
    }
    if (this.closed) throw new Error("OpenFlow connection is closed");
    const w = new Writer();
    let next = 0;
    let bytes = 0;
    const chunk = (): void => {
      const end = Math.min(count, next + STREAM_CHUNK);
      for (; next < end; next++) encodeMessageInto(w, at(next), this.wire);
      bytes += w.length;
      this.sock.write(w.finish());
      w.reset();
    };
    chunk();
    const behind: Uint8Array[] = [];
    this.behindStream = behind;
    const more = (): void => {
      if (this.closed) return;
      try {
        chunk();
      } catch (e) {
        this.shutdown(e instanceof Error ? e : new Error(String(e)));
        return;
      }
      if (next < count) {
        setImmediate(more);
        return;
      }
      this.behindStream = undefined;
      for (const b of behind) this.sock.write(b);
      if (log.enabled("DBG")) log.dbg(`sent ${count} messages (${bytes} bytes) in a stream`);
    };
    setImmediate(more);
  }

  /** Sends a message without waiting for anything; returns its xid. */
  send(m: OfMessageBody, xid = this.allocXid()): number {
    this.sendRaw({ ...m, xid } as OfMessage);
    return xid;
  }

  /** Sends a request and resolves with its single reply (an error reply rejects with OfError). */
  async request(m: OfMessageBody): Promise<OfMessage> {
    const [reply] = await this.expect(m, false);
    if (reply === undefined) throw new Error(`no reply to ${m.kind}`);
    return reply;
  }

  /** Sends a multipart request and resolves with every reply part. */
  multipart(m: OfMessageBody): Promise<OfMessage[]> {
    return this.expect(m, true);
  }

  private expect(m: OfMessageBody, multipart: boolean): Promise<OfMessage[]> {
    return new Promise((resolve, reject) => {
      if (this.closed) {
        reject(new Error("OpenFlow connection is closed"));
        return;
      }
      const xid = this.allocXid();
      this.pending.set(xid, { request: m, parts: [], multipart, resolve, reject });
      try {
        this.sendRaw({ ...m, xid } as OfMessage);
      } catch (e) {
        this.pending.delete(xid);
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  }

  /**
   * Sends the messages, then a barrier; resolves when the barrier is answered.  Rejects with the
   * first OfError the switch returned for any of them (the others were still sent).
   */
  async transact(msgs: readonly OfMessageBody[]): Promise<void> {
    const errors: OfError[] = [];
    const xids = new Map<number, OfMessageBody>();
    for (const m of msgs) {
      const xid = this.allocXid();
      xids.set(xid, m);
      this.pending.set(xid, {
        request: m,
        parts: [],
        multipart: false,
        resolve: () => {},
        reject: (e) => {
          if (e instanceof OfError) errors.push(e);
        },
      });
    }
    this.sendBatch([...xids].map(([xid, m]) => ({ ...m, xid }) as OfMessage));
    try {
      await this.request({ kind: "barrier_request" });
    } finally {
      for (const xid of xids.keys()) this.pending.delete(xid);
    }
    const first = errors[0];
    if (first !== undefined) throw first;
  }

  /**
   * Installs messages (flow_mod, group_mod …) as one OpenFlow bundle: open, add each, commit.  With
   * `atomic` the switch applies all or nothing; `ordered` keeps their order.  On any error the bundle
   * is discarded and the promise rejects with the switch's error.
   */
  async bundle(
    msgs: readonly OfMessageBody[] | MessageList,
    flags: { atomic?: boolean; ordered?: boolean } = {},
  ): Promise<void> {
    const atomic = flags.atomic ?? true;
    const ordered = flags.ordered ?? true;
    const bundleId = this.bundleIds++;
    const control = (type: BundleControlType): OfMessageBody => ({
      kind: "bundle_control",
      bundleId,
      type,
      atomic,
      ordered,
    });
    if (this.closed) throw new Error("OpenFlow connection is closed");
    // Open, adds and commit go out in one run (streamBatch: a long one in chunks, nothing else in
    // between), and only the answers to open and commit are awaited (three round trips were 10+ ms of
    // a plug): the switch handles a connection's messages in order,
    // so when the commit is answered every add has been answered or failed.  An error names the xid
    // of its message: a failed open fails the adds and the commit too and is the one reported; else a
    // failing add is reported before the commit that failed because of it (OFPBFC_MSG_FAILED).
    // The adds have consecutive xids and one record for them all (BundleAdds); each bundle_add is made
    // only as it is encoded.
    const openMsg = { ...control("open_request"), xid: this.allocXid() } as OfMessage;
    const opened = this.reply(openMsg);
    const n = msgs.length;
    const from = this.allocXids(n);
    const add = (i: number): OfMessage => {
      const m = msgs.at(i);
      if (m === undefined) throw new RangeError(`bundle: no message ${i} of ${n}`);
      const xid = from + i;
      return { kind: "bundle_add", bundleId, atomic, ordered, message: { ...m, xid } as OfMessage, xid };
    };
    const adds: BundleAdds = { from, count: n, request: (xid) => add(xid - from), errors: [] };
    this.bundleAdds.push(adds);
    const commitMsg = { ...control("commit_request"), xid: this.allocXid() } as OfMessage;
    const committed = this.reply(commitMsg);
    try {
      this.streamBatch(n + 2, (i) => (i === 0 ? openMsg : i === n + 1 ? commitMsg : add(i - 1)));
      // The install's timeline in the debug log: open and first adds written, commit answered.
      if (log.enabled("DBG")) log.dbg(`bundle ${bundleId}: open and the first adds of ${n} written`);
      const openError = await opened;
      const commitError = await committed;
      if (log.enabled("DBG")) log.dbg(`bundle ${bundleId}: commit answered`);
      const error = openError ?? adds.errors[0] ?? commitError;
      if (error !== undefined) throw error;
    } catch (e) {
      if (!this.closed) await this.request(control("discard_request")).catch(() => {});
      throw e;
    } finally {
      this.pending.delete(openMsg.xid);
      this.pending.delete(commitMsg.xid);
      const k = this.bundleAdds.indexOf(adds);
      if (k >= 0) this.bundleAdds.splice(k, 1);
    }
  }

  /** The bundle whose adds include `xid`. */
  private bundleOf(xid: number): BundleAdds | undefined {
    for (const b of this.bundleAdds) if (xid >= b.from && xid < b.from + b.count) return b;
    return undefined;
  }

  /** Waits for the answer to a message about to be sent: undefined for a reply, or the error. */
  private reply(m: OfMessage): Promise<Error | undefined> {
    return new Promise((resolve) => {
      this.pending.set(m.xid, {
        request: m,
        parts: [],
        multipart: false,
        resolve: () => resolve(undefined),
        reject: (e) => resolve(e),
      });
    });
  }

  /** Closes the connection; pending requests are rejected. */
  close(): void {
    this.shutdown();
  }

  private shutdown(err?: Error): void {
    if (this.closed) return;
    this.closed = true;
    if (this.probeTimer !== undefined) clearInterval(this.probeTimer);
    this.sock.destroy();
    this.behindStream = undefined;
    const e = err ?? new Error("OpenFlow connection closed");
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
    if (err !== undefined) log.warn(`connection dropped: ${err.message}`);
    this.opts.onClose?.(err);
  }

  private startProbe(): void {
    const every = this.opts.probeIntervalMs ?? 0;
    if (every <= 0) return;
    this.probeTimer = setInterval(() => {
      if (this.probeXid !== undefined) {
        this.shutdown(new Error(`no echo reply within ${every} ms`));
        return;
      }
      if (Date.now() - this.lastRx >= every) {
        this.probeXid = this.send({ kind: "echo_request", data: new Uint8Array() });
      }
    }, every);
    this.probeTimer.unref();
  }

  private receive(chunk: Buffer): void {
    this.lastRx = Date.now();
    const joined = new Uint8Array(this.buf.length + chunk.length);
    joined.set(this.buf);
    joined.set(chunk, this.buf.length);
    const { messages, rest, error } = splitMessages(joined);
    this.buf = rest.slice();
    for (const bytes of messages) this.dispatchBytes(bytes);
    if (error !== undefined) this.shutdown(new Error(error));
  }

  private dispatchBytes(bytes: Uint8Array): void {
    const d = decodeMessage(bytes, this.wire);
    if (!d.ok) {
      log.warn(`undecodable message (${d.code}): ${d.error}`);
      if (d.xid !== undefined && this.pending.has(d.xid)) {
        const p = this.pending.get(d.xid);
        this.pending.delete(d.xid);
        p?.reject(new Error(`undecodable reply: ${d.error}`));
      }
      return;
    }
    const m = d.message;
    if (log.enabled("DBG")) log.dbg(`recv ${m.kind} xid=${m.xid}`);
    if (this.helloWaiter !== undefined) {
      this.helloWaiter(m);
      return;
    }
    if (m.kind === "echo_request") {
      if (!this.closed) this.send({ kind: "echo_reply", data: m.data }, m.xid);
      return;
    }
    if (m.kind === "echo_reply" && m.xid === this.probeXid) {
      this.probeXid = undefined;
      return;
    }
    const p = this.pending.get(m.xid);
    if (p === undefined && m.kind === "error" && m.xid !== 0) {
      const b = this.bundleOf(m.xid);
      if (b !== undefined) {
        b.errors.push(new OfError(m, b.request(m.xid)));
        return;
      }
    }
    if (p === undefined || m.xid === 0) {
      this.onMessage?.(m);
      return;
    }
    if (m.kind === "error") {
      this.pending.delete(m.xid);
      p.reject(new OfError(m, p.request));
      return;
    }
    p.parts.push(m);
    const more = p.multipart && "more" in m && m.more === true;
    if (!more) {
      this.pending.delete(m.xid);
      p.resolve(p.parts);
    }
  }
}
