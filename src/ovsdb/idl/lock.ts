// The client side of an OVSDB lock (RFC 7047 §4.1.8–4.1.10), as the C IDL keeps it: the lock the client
// wants, whether the server has granted it, and whether another client holds it. Pure: it says which
// requests to send and the Idl sends them. Observed from the C IDL (ovn-northd 23.03 on OVS 3.1):
//   - "lock" is sent as soon as a connection is up (right behind the first get_schema), and again on
//     every new connection: the server forgets a client's locks when its connection goes;
//   - the reply {"locked": false} means someone else has it ("contended") until a "locked" notification;
//     "stolen" takes it away again (contended);
//   - every transaction of a client that wants a lock ends with {"op": "assert", "lock": NAME}, and one
//     is not sent at all while the lock is not held (status "not locked"); a server answer "not owner"
//     (the lock was lost on the way) is the same outcome.
import type { Json } from "../../jsonrpc/json.js";
import { isJsonObject } from "../../jsonrpc/json.js";

/** A transaction of a client that wants a lock it does not hold: not sent (C IDL: "not locked"). */
export class NotLockedError extends Error {
  override readonly name = "NotLockedError";

  constructor(
    readonly lock: string,
    detail: string,
  ) {
    super(`not locked: ${detail}`);
  }
}

/** A request to send on the current connection. */
export interface LockRequest {
  readonly method: "lock" | "steal" | "unlock";
  readonly lock: string;
}

export class LockState {
  private wanted: string | undefined;
  private held = false;
  private contended = false;
  private readonly listeners = new Set<(hasLock: boolean) => void>();

  /** The lock this client wants (undefined: none). */
  get name(): string | undefined {
    return this.wanted;
  }

  get hasLock(): boolean {
    return this.held;
  }

  /** Another client holds the lock this client asked for. */
  get isContended(): boolean {
    return this.contended;
  }

  /** Calls `listener` whenever ownership changes; returns a function that unsubscribes. */
  onChange(listener: (hasLock: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Wants `name` from now on (undefined: no lock). Returns what to send when connected: an unlock of
   * the lock wanted before, a lock of the new one.
   */
  set(name: string | undefined, connected: boolean): LockRequest[] {
    if (name === this.wanted) return [];
    const out: LockRequest[] = [];
    if (connected && this.wanted !== undefined) out.push({ method: "unlock", lock: this.wanted });
    this.wanted = name;
    this.contended = false;
    this.setHeld(false);
    if (connected && name !== undefined) out.push({ method: "lock", lock: name });
    return out;
  }

  /** A new connection is up: what to ask for on it. */
  connected(): LockRequest[] {
    this.contended = false;
    this.setHeld(false);
    return this.wanted === undefined ? [] : [{ method: "lock", lock: this.wanted }];
  }

  /** The connection went: the server released whatever it had given. */
  disconnected(): void {
    this.contended = false;
    this.setHeld(false);
  }

  /**
   * Takes the wanted lock whoever holds it: what to send on the current connection (nothing when no lock
   * is wanted or it is held). The connection already asked for the lock, and a server refuses a second
   * request for one lock ("must issue unlock before new steal"), so the wait is withdrawn first.
   */
  steal(): LockRequest[] {
    if (this.wanted === undefined || this.held) return [];
    return [
      { method: "unlock", lock: this.wanted },
      { method: "steal", lock: this.wanted },
    ];
  }

  /** The reply to a lock or steal request for `lock`; ignored if that lock is no longer wanted. */
  replied(lock: string, result: Json): void {
    if (lock !== this.wanted) return;
    const locked = isJsonObject(result) && result.locked === true;
    this.contended = !locked;
    this.setHeld(locked);
  }

  /** A "locked" or "stolen" notification; returns false when it is not about the wanted lock. */
  notified(method: "locked" | "stolen", params: readonly Json[]): boolean {
    if (params[0] !== this.wanted || this.wanted === undefined) return false;
    this.contended = method === "stolen";
    this.setHeld(method === "locked");
    return true;
  }

  /** The operation every transaction ends with while a lock is wanted. */
  assertOp(): Json | undefined {
    return this.wanted === undefined ? undefined : { op: "assert", lock: this.wanted };
  }

  /** Why a transaction may not be sent now, or undefined when it may. */
  refusal(): NotLockedError | undefined {
    if (this.wanted === undefined || this.held) return undefined;
    const why = this.contended ? "held by another client" : "not granted yet";
    return new NotLockedError(this.wanted, `lock "${this.wanted}" is ${why}`);
  }

  private setHeld(held: boolean): void {
    if (held === this.held) return;
    this.held = held;
    for (const l of [...this.listeners]) l(held);
  }
}
