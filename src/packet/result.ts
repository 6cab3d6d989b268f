// What every decoder returns. Decoders are total: bad bytes give `ok: false` with a reason, never an
// exception. `truncated` says the bytes ended before the structure did (a short capture, a cut
// packet-in), as opposed to bytes that are present but wrong.

export type Decoded<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: string; readonly truncated: boolean };

export function ok<T>(value: T): Decoded<T> {
  return { ok: true, value };
}

export function fail<T>(error: string, truncated = false): Decoded<T> {
  return { ok: false, error, truncated };
}

/** A failure for a structure of `what` that needs `need` bytes but got `got`. */
export function short<T>(what: string, need: number, got: number): Decoded<T> {
  return { ok: false, error: `${what} needs ${need} bytes, got ${got}`, truncated: true };
}
