// The few file-system primitives LogFile uses, behind an interface so tests can count fsyncs and make a
// chosen step fail (crash simulation). nodeIo is the real implementation over node:fs.

import * as crypto from "node:crypto";
import { createHash } from "node:crypto";
import { writeSync } from "node:fs";
import { type FileHandle, open, readFile, rename, stat, unlink } from "node:fs/promises";

export interface IoHandle {
  /** Writes all of `bytes` at `position`. */
  write(bytes: Uint8Array, position: number): Promise<void>;
  /** fsync(2). */
  sync(): Promise<void>;
  /**
   * Writes all of `bytes` at `position` before returning, if the handle can (a plain write(2) to the
   * page cache takes microseconds; going through the thread pool costs more than the write itself).
   */
  writeNow?(bytes: Uint8Array, position: number): void;
  truncate(length: number): Promise<void>;
  close(): Promise<void>;
}

export interface LogIo {
  /** The whole file, or null if it does not exist. */
  readFile(path: string): Promise<Uint8Array | null>;
  /** "existing" opens for writing without truncation; "fresh" creates or truncates with `perm`. */
  open(path: string, how: "existing" | "fresh", perm?: number): Promise<IoHandle>;
  /** Size and permission bits, or null if the file does not exist. */
  stat(path: string): Promise<{ size: number; mode: number } | null>;
  rename(from: string, to: string): Promise<void>;
  /** Removes a file; no error if it does not exist. */
  unlink(path: string): Promise<void>;
  /** fsync(2) on a directory, making a rename in it durable. */
  syncDir(dir: string): Promise<void>;
  sha1(bytes: Uint8Array): string;
}

// crypto.hash() (node 20.12+) hashes in one call, without a Hash object per record.
const oneShotHash = (crypto as { hash?: (alg: string, data: Uint8Array, enc: "hex") => string }).hash;

function isNotFound(e: unknown): boolean {
  return (e as NodeJS.ErrnoException).code === "ENOENT";
}

class NodeHandle implements IoHandle {
  constructor(private readonly fh: FileHandle) {}
  writeNow(bytes: Uint8Array, position: number): void {
    let done = 0;
    while (done < bytes.length)
      done += writeSync(this.fh.fd, bytes, done, bytes.length - done, position + done);
  }
  async write(bytes: Uint8Array, position: number): Promise<void> {
    let done = 0;
    while (done < bytes.length) {
      const { bytesWritten } = await this.fh.write(bytes, done, bytes.length - done, position + done);
      done += bytesWritten;
    }
  }
  sync(): Promise<void> {
    return this.fh.sync();
  }
  truncate(length: number): Promise<void> {
    return this.fh.truncate(length);
  }
  close(): Promise<void> {
    return this.fh.close();
  }
}

export const nodeIo: LogIo = {
  async readFile(path) {
    try {
      return await readFile(path);
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  },
  async open(path, how, perm) {
    return new NodeHandle(await open(path, how === "existing" ? "r+" : "w", perm));
  },
  async stat(path) {
    try {
      const s = await stat(path);
      return { size: s.size, mode: s.mode & 0o7777 };
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  },
  rename,
  async unlink(path) {
    try {
      await unlink(path);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  },
  async syncDir(dir) {
    const fh = await open(dir, "r");
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  },
  sha1:
    oneShotHash === undefined
      ? (bytes) => createHash("sha1").update(bytes).digest("hex")
      : (bytes) => oneShotHash("sha1", bytes, "hex"),
};
