// Accepted plain (unix, tcp) connections read into one process-wide buffer instead of a fresh 64 KiB
// allocation per read. net.Socket supports this (`onread: { buffer, callback }`), but net.Server offers
// no way to ask for it on the sockets it accepts; so the server is created with pauseOnConnect, and each
// accepted socket's handle is moved, before it has read a byte, into a new net.Socket that has `onread`.
// The callback then runs straight from the read, without the Readable stream's push, 'data' event and
// per-read process.nextTick: a few microseconds of each request's round trip.
//
// This leans on undocumented parts of node's net module (≥ 12): a socket's `_handle`, net.Socket's
// `handle` option, and the server's connection count kept through `_server`. adoptWithSharedBuffer
// checks that the handle looks as expected and otherwise returns null, and the caller keeps the socket
// as it was. Measured (bench/ovsdb sequential, server CPU per transaction, A/B together with the write
// change in socket-duplex.ts): ~9 µs less per round trip.

import { Socket } from "node:net";

/** Reads of every adopted socket land here; valid only until the read callback returns. */
const SHARED = new Uint8Array(64 * 1024);

/**
 * Views of SHARED's first n bytes for small n, made once: a request of a given size is usually followed
 * by many of about the same size, and a view is ~100 bytes of garbage per read otherwise.
 */
const VIEWS_UP_TO = 1024;
const views: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(VIEWS_UP_TO + 1).fill(undefined);

function sharedView(n: number): Uint8Array {
  if (n > VIEWS_UP_TO) return SHARED.subarray(0, n);
  let v = views[n];
  if (v === undefined) {
    v = SHARED.subarray(0, n);
    views[n] = v;
  }
  return v;
}

interface NetInternals {
  _handle?: { readStart?: unknown; readStop?: unknown; useUserBuffer?: unknown } | null;
  _server?: { _connections?: number } | null;
  server?: unknown;
}

/**
 * Moves a freshly accepted, still paused socket into a new net.Socket whose reads call `onBytes` with a
 * view of the shared buffer (valid only during the call). Returns the new socket (paused), or null if
 * this node's internals do not allow it (then `accepted` is untouched).
 */
export function adoptWithSharedBuffer(accepted: Socket, onBytes: (bytes: Uint8Array) => void): Socket | null {
  const old = accepted as unknown as NetInternals;
  const handle = old._handle;
  if (
    handle === null ||
    handle === undefined ||
    typeof handle.readStart !== "function" ||
    typeof handle.useUserBuffer !== "function"
  )
    return null;
  old._handle = null;
  const socket = new Socket({
    handle,
    readable: true,
    writable: true,
    pauseOnCreate: true,
    onread: {
      buffer: SHARED,
      callback: (n: number) => {
        onBytes(sharedView(n));
      },
    },
  } as ConstructorParameters<typeof Socket>[0]);
  // The server counts its connections (server.close() waits for them) and the socket that closes
  // decrements the count through `_server`: hand that duty to the new socket.
  const fresh = socket as unknown as NetInternals;
  fresh._server = old._server ?? null;
  fresh.server = old.server;
  old._server = null;
  accepted.destroy();
  return socket;
}
