// Polling instead of sleeping: a condition is retried until it holds or a deadline passes, and the
// timeout error says what was awaited and why the last attempt failed.

export interface WaitOptions {
  /** Pause between attempts (default 50 ms). */
  intervalMs?: number;
  /** Named in the timeout error ("br-int to exist"). */
  what?: string;
  /**
   * Checked before every attempt; a throw here ends the wait at once with that error (e.g. "the daemon
   * we are waiting for has exited"), instead of counting as "not yet".
   */
  unless?: () => void;
}

/**
 * Calls `fn` until it returns a value other than false/undefined/null (which is then returned) or
 * `timeoutMs` elapses. A throw counts as "not yet"; its message ends up in the timeout error.
 */
export async function waitUntil<T>(
  fn: () => T | Promise<T>,
  timeoutMs: number,
  opts: WaitOptions = {},
): Promise<Exclude<T, false | undefined | null>> {
  const deadline = Date.now() + timeoutMs;
  let last = "condition was false";
  for (;;) {
    opts.unless?.();
    try {
      const v = await fn();
      if (v !== false && v !== undefined && v !== null) return v as Exclude<T, false | undefined | null>;
      last = `last result: ${JSON.stringify(v)}`;
    } catch (e) {
      last = `last error: ${e instanceof Error ? e.message : String(e)}`;
    }
    if (Date.now() >= deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${opts.what ?? "condition"}; ${last}`);
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 50));
  }
}
