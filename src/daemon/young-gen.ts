// A young generation that may grow while a large request is read and handled, and shrinks back after.
//
// The database server keeps V8's young generation at its initial 1 MiB (heap.ts): small transactions
// leave little behind, and RSS stays low. A large transaction (a CMS creating 10k ports at once) is
// the opposite: everything it parses and builds stays alive until it commits, so each scavenge of a
// 1 MiB young generation copies all of it and walks the old-to-new references of the transaction's
// large maps and arrays again; bench/ovsdb figure 3 (one 10k-row transaction) ran ~37 scavenges of
// 1–14 ms each per transaction. Letting the young generation grow during such a request (V8 grows it
// at a scavenge that finds most of it alive, by --semi-space-growth-factor, up to its maximum, 16 MiB
// here) took four such transactions from 147–152 scavenges to 18–19, and their collection time from
// 470–513 ms to 245–345 ms (--trace-gc, two runs each, loaded machine).
//
// A large request is recognised by its reads: a read that completes a request is answered (something
// is written before its callback returns), so a run of reads that write nothing, adding up to
// LARGE_BYTES, is a large message arriving. (Read sizes alone do not tell: the kernel hands over a
// large message in pieces of varying size.) Growth is allowed from then until a read that writes has
// been handled: the request it completed was executed and answered within that read's callback. A
// pipelined burst of small requests is answered read by read, and does not qualify. A bigger young
// generation costs RSS (up to ~30 MiB) until V8 shrinks it, which it does at a collection once the
// allocation rate of the last 5 s is low: a scavenge SHRINK_AFTER_MS after the large request, and
// again every SHRINK_AFTER_MS (at most MAX_SHRINK_TRIES times) until the young generation is back to
// about its initial size, gives it that chance. Requests of a few hundred KiB (figure 7's 1,300-row
// transactions) do not qualify.
//
// The policy (LargeRequestPolicy) is pure: read sizes go in, what to do comes out.
import { getHeapSpaceStatistics, setFlagsFromString } from "node:v8";
import { addAfterReadHook } from "../jsonrpc/transport/socket-duplex.js";
import { exposeGc } from "./expose-gc.js";

/** Bytes of consecutive reads that answer nothing that make a request large. */
export const LARGE_BYTES = 512 * 1024;
/** Growth factor while a large request is handled (1 MiB → 4 → 16); 1 otherwise (heap.ts). */
const LARGE_GROWTH_FACTOR = 4;
const NORMAL_GROWTH_FACTOR = 1;
/** V8 judges the allocation rate over the last 5 s before it shrinks the young generation. */
export const SHRINK_AFTER_MS = 6000;
/** Tries at shrinking after a large request (a busy server may not let V8 shrink for a while). */
const MAX_SHRINK_TRIES = 20;

export type YoungGenAction = "grow" | "restore" | undefined;

export class LargeRequestPolicy {
  /** Bytes of the current run of reads that wrote nothing. */
  private run = 0;
  private large = false;

  constructor(private readonly largeBytes: number = LARGE_BYTES) {}

  /** Whether a large request is being read or handled. */
  get growing(): boolean {
    return this.large;
  }

  /**
   * A read of `bytes` has been handled; `wrote`: whether anything was written meanwhile. "grow": a
   * large request is arriving, let the young generation grow; "restore": the read that completed it
   * has been handled, stop the growth.
   */
  read(bytes: number, wrote: boolean): YoungGenAction {
    if (!wrote) {
      this.run += bytes;
      if (this.large || this.run < this.largeBytes) return undefined;
      this.large = true;
      return "grow";
    }
    this.run = 0;
    if (!this.large) return undefined;
    this.large = false;
    return "restore";
  }
}

function newSpaceBytes(): number {
  for (const s of getHeapSpaceStatistics()) if (s.space_name === "new_space") return s.space_size;
  return 0;
}

let installed = false;

/**
 * Installs the policy for this process. Only for a process running with the growth factor at 1 (the
 * database server's own V8 flags, heap.ts); returns false if the collector cannot be had.
 */
export function installLargeRequestYoungGen(): boolean {
  if (installed) return true;
  const gc = exposeGc();
  if (gc === undefined) return false;
  installed = true;
  const initial = newSpaceBytes();
  const policy = new LargeRequestPolicy();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let tries = 0;
  const tryShrink = (): void => {
    timer = undefined;
    if (policy.growing) return; // the next "restore" re-arms
    gc({ type: "minor" });
    // Back to (about) its initial size: V8 may keep twice that after a collection of its own.
    if (newSpaceBytes() > 2 * initial && ++tries < MAX_SHRINK_TRIES) arm();
  };
  const arm = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(tryShrink, SHRINK_AFTER_MS);
    timer.unref();
  };
  addAfterReadHook((bytes, wrote) => {
    const action = policy.read(bytes, wrote);
    if (action === "grow") setFlagsFromString(`--semi-space-growth-factor=${LARGE_GROWTH_FACTOR}`);
    else if (action === "restore") {
      setFlagsFromString(`--semi-space-growth-factor=${NORMAL_GROWTH_FACTOR}`);
      tries = 0;
      arm();
    }
  });
  return true;
}
