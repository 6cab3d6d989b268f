// The write lock on a database file, compatible with Open vSwitch: an fcntl(2) F_SETLK write lock on the
// whole of ".<name>.~lock~" beside the database (what ls shows next to a db opened by the real
// ovsdb-server or ovsdb-tool; the file is never removed). The real server and ours must refuse a
// database the other holds, so the lock has to be a real POSIX record lock.
//
// Node has no fcntl(2), so a tiny helper process takes the lock and holds it while it lives: it prints
// "locked" (or "busy <errno>") and then waits for its stdin to close. POSIX locks belong to the process,
// so the lock is released when the helper exits — on release(), or when our process dies and the pipe
// closes. Helpers, in order: perl (Debian's Essential perl-base), then python3. Without either, we can
// still see a lock held by another process in /proc/locks, but others cannot see ours: logged as a warning.

import { type ChildProcess, spawn } from "node:child_process";
import { readFile, realpath, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { logger } from "../../base/log.js";

const log = logger("lockfile");

export interface FileLock {
  /** The lock file's path. */
  readonly path: string;
  release(): Promise<void>;
}

export class LockError extends Error {
  override readonly name = "LockError";
  constructor(
    message: string,
    /** The process holding the lock, when known. */
    readonly holderPid?: number,
  ) {
    super(message);
  }
}

export type LockHelper = "perl" | "python3";

interface HelperSpec {
  cmd: string;
  args: (lockPath: string) => string[];
  usable: () => boolean;
}

// struct flock on 64-bit Linux: short l_type, short l_whence, 4 bytes padding, off_t l_start, off_t l_len,
// pid_t l_pid, 4 bytes padding. l_start = l_len = 0 locks the whole file.
const PERL = `use strict; use Fcntl; use Fcntl qw(:seek); $| = 1;
sysopen(my $fh, $ARGV[0], O_RDWR | O_CREAT, 0600) or do { print "error ", $!+0, "\\n"; exit 0 };
my $fl = pack("s s x4 q q l x4", F_WRLCK, SEEK_SET, 0, 0, 0);
fcntl($fh, F_SETLK, $fl) or do { print "busy ", $!+0, "\\n"; exit 0 };
print "locked\\n"; my $b; 1 while sysread(STDIN, $b, 4096);`;

const PYTHON = `import fcntl, os, sys
try:
    fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
except OSError as e:
    print("error %d" % e.errno, flush=True); sys.exit(0)
try:
    fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
except OSError as e:
    print("busy %d" % e.errno, flush=True); sys.exit(0)
print("locked", flush=True)
while sys.stdin.buffer.read(4096): pass`;

const HELPERS: Record<LockHelper, HelperSpec> = {
  perl: {
    cmd: "perl",
    args: (p) => ["-e", PERL, p],
    // The pack() layout above is that of 64-bit Linux.
    usable: () =>
      process.platform === "linux" && ["x64", "arm64", "ppc64", "s390x", "riscv64"].includes(process.arch),
  },
  python3: { cmd: "python3", args: (p) => ["-c", PYTHON, p], usable: () => true },
};

/** Lock files held by this process (a second open of the same database here must fail too). */
const heldHere = new Set<string>();

/** ".<name>.~lock~" beside the database, after following symlinks like the C lockfile module. */
export async function lockfileName(dbPath: string): Promise<string> {
  let real: string;
  try {
    real = await realpath(dbPath);
  } catch {
    real = resolve(dbPath);
  }
  return join(dirname(real), `.${basename(real)}.~lock~`);
}

/**
 * Takes the write lock for `dbPath` or throws LockError with the C server's wording:
 * "<db>: failed to lock lockfile (Resource temporarily unavailable)".
 */
export async function acquireLock(
  dbPath: string,
  opts: { helpers?: readonly LockHelper[] } = {},
): Promise<FileLock> {
  const lockPath = await lockfileName(dbPath);
  const busy = async (pid?: number): Promise<LockError> => {
    const holder = pid ?? (await lockHolderPid(lockPath));
    log.warn(
      holder === undefined
        ? `${basename(lockPath)}: cannot lock file because it is already locked`
        : `${basename(lockPath)}: cannot lock file because it is already locked by pid ${holder}`,
    );
    return new LockError(`${dbPath}: failed to lock lockfile (Resource temporarily unavailable)`, holder);
  };
  if (heldHere.has(lockPath)) throw await busy(process.pid);
  heldHere.add(lockPath);
  try {
    for (const name of opts.helpers ?? (["perl", "python3"] as const)) {
      const spec = HELPERS[name];
      if (!spec.usable()) continue;
      const r = await runHelper(spec, lockPath);
      if (r.kind === "locked") return heldByHelper(lockPath, r.child, name);
      if (r.kind === "busy") throw await busy();
      if (r.kind === "error")
        throw new LockError(`${dbPath}: failed to open lockfile ${lockPath} (errno ${r.errno})`);
    }
    // No helper could run: at least do not write to a database another process holds.
    const holder = await lockHolderPid(lockPath);
    if (holder !== undefined) throw await busy(holder);
    log.warn(
      `${basename(lockPath)}: no perl or python3 to take an fcntl lock; other processes cannot see our lock`,
    );
    return { path: lockPath, release: async () => void heldHere.delete(lockPath) };
  } catch (e) {
    heldHere.delete(lockPath);
    throw e;
  }
}

type HelperResult =
  | { kind: "locked"; child: ChildProcess }
  | { kind: "busy" }
  | { kind: "error"; errno: number }
  | { kind: "unavailable" };

function runHelper(spec: HelperSpec, lockPath: string): Promise<HelperResult> {
  return new Promise((done) => {
    // Its own process group: a Ctrl-C or a signal to our group must not take the lock away from a live
    // daemon. It still dies with us: it exits when its stdin (our pipe) closes.
    const child = spawn(spec.cmd, spec.args(lockPath), { stdio: ["pipe", "pipe", "ignore"], detached: true });
    let out = "";
    let settled = false;
    const settle = (r: HelperResult): void => {
      if (settled) return;
      settled = true;
      child.stdout?.destroy();
      done(r);
    };
    child.on("error", () => settle({ kind: "unavailable" }));
    // Not "exit": it can come before the helper's last output has been read.
    child.stdout?.on("close", () => settle({ kind: "unavailable" }));
    child.stdout?.setEncoding("utf8");
    child.stdout?.on("data", (chunk: string) => {
      out += chunk;
      const nl = out.indexOf("\n");
      if (nl < 0) return;
      const [word, errno] = out.slice(0, nl).split(" ");
      if (word === "locked") settle({ kind: "locked", child });
      else if (word === "busy") settle({ kind: "busy" });
      else settle({ kind: "error", errno: Number(errno) });
    });
  });
}

function heldByHelper(lockPath: string, child: ChildProcess, name: string): FileLock {
  let released = false;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  void exited.then(() => {
    if (!released) {
      heldHere.delete(lockPath);
      log.warn(`${basename(lockPath)}: lock helper (${name}) exited; the lock is lost`);
    }
  });
  // Holding the lock must not keep the process alive: when it exits, the pipe closes and the helper ends.
  child.unref();
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return {
    path: lockPath,
    async release() {
      if (released) return;
      released = true;
      child.stdin?.end();
      const timer = setTimeout(() => child.kill("SIGKILL"), 2000);
      await exited;
      clearTimeout(timer);
      heldHere.delete(lockPath);
    },
  };
}

/** The pid holding an fcntl lock on `lockPath`, from /proc/locks (Linux), if any. */
export async function lockHolderPid(lockPath: string): Promise<number | undefined> {
  let text: string;
  let st: { dev: bigint; ino: bigint };
  try {
    [text, st] = await Promise.all([readFile("/proc/locks", "utf8"), stat(lockPath, { bigint: true })]);
  } catch {
    return undefined;
  }
  const major = ((st.dev >> 8n) & 0xfffn) | ((st.dev >> 32n) & ~0xfffn);
  const minor = (st.dev & 0xffn) | ((st.dev >> 12n) & ~0xffn);
  for (const line of text.split("\n")) {
    // "1: POSIX  ADVISORY  WRITE 5922 fe:00:2146333 0 EOF"; blocked waiters have "->" after the number.
    const f = line.trim().split(/\s+/);
    if (f[1] === "->" || (f[1] !== "POSIX" && f[1] !== "OFDLCK")) continue;
    const id = (f[5] ?? "").split(":");
    if (id.length !== 3 || BigInt(id[2] ?? "-1") !== st.ino) continue;
    if (BigInt(`0x${id[0]}`) !== major || BigInt(`0x${id[1]}`) !== minor) continue;
    const pid = Number(f[4]);
    return pid > 0 ? pid : undefined;
  }
  return undefined;
}
