// Database locks (RFC 7047 §4.1.8–4.1.10): per lock name, the owner and a queue of waiters.
// Pure: returns who must be notified; the server sends "locked" / "stolen" notifications.

export interface LockHolder {
  readonly lockNotify: (method: "locked" | "stolen", lock: string) => void;
}

interface LockState {
  owner: LockHolder | undefined;
  waiters: LockHolder[];
}

export class LockTable {
  private readonly locks = new Map<string, LockState>();

  private state(name: string): LockState {
    let s = this.locks.get(name);
    if (s === undefined) {
      s = { owner: undefined, waiters: [] };
      this.locks.set(name, s);
    }
    return s;
  }

  owner(name: string): LockHolder | undefined {
    return this.locks.get(name)?.owner;
  }

  /** Queues `who` for the lock; true when granted at once. */
  lock(name: string, who: LockHolder): boolean {
    const s = this.state(name);
    if (s.owner === undefined) {
      s.owner = who;
      return true;
    }
    s.waiters.push(who);
    return false;
  }

  /** Takes the lock from its owner, who is told "stolen" and keeps waiting for it. */
  steal(name: string, who: LockHolder): void {
    const s = this.state(name);
    const prev = s.owner;
    s.waiters = s.waiters.filter((w) => w !== who);
    s.owner = who;
    if (prev !== undefined && prev !== who) {
      s.waiters.push(prev);
      prev.lockNotify("stolen", name);
    }
  }

  /** Releases or stops waiting; the next waiter, if any, is told "locked". */
  unlock(name: string, who: LockHolder): void {
    const s = this.locks.get(name);
    if (s === undefined) return;
    s.waiters = s.waiters.filter((w) => w !== who);
    if (s.owner === who) {
      s.owner = s.waiters.shift();
      s.owner?.lockNotify("locked", name);
    }
    if (s.owner === undefined && s.waiters.length === 0) this.locks.delete(name);
  }
}
