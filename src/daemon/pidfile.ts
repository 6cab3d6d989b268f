// Pidfiles that the real `ovs-appctl -t NAME` accepts.
//
// Observed with ovs-appctl 3.1: it reads RUNDIR/NAME.pid and asks fcntl(F_GETLK) who holds a write lock
// on it. No lock: "cannot read pidfile ... (No such process)", and it deletes the file as stale. A lock
// held by a process other than the one the file names: the same error. Only when the lock holder's pid
// is the pid in the file does it go on to RUNDIR/NAME.PID.ctl. So the daemon process itself must hold
// an fcntl lock on its pidfile for as long as it runs, as the C daemons do.
//
// Node cannot call fcntl(2). A POSIX lock survives execve(2) when its descriptor stays open, though, so
// the lock is taken by a small perl program that then execs the daemon: same process, same pid, lock
// kept. The process the caller started stays in front as a supervisor (as with the C daemons'
// --monitor): it forwards SIGTERM/SIGINT/SIGHUP and exits with the daemon's status, and the daemon is
// SIGKILLed if the supervisor dies (PR_SET_PDEATHSIG), so killing the started process kills the daemon.
// Without perl (a Debian Essential package, so always there on Debian) the pidfile is written unlocked,
// as before, with a warning.
//
// The perl program: refuses to start when an existing pidfile is locked by a running process (unless
// --overwrite-pidfile), writes "<pid>\n" to PIDFILE.tmp<pid>, locks it, renames it over PIDFILE (readers
// never see a half-written file), clears close-on-exec and execs the daemon with OVNTS_PIDFILE and
// OVNTS_PIDFILE_FD set. The daemon must never open and close the pidfile itself: closing any descriptor
// of a file drops the process's locks on it.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { logger } from "../base/log.js";
import { resolveIn, runDir } from "./paths.js";

const log = logger("daemon");

/** The daemons behind the subcommands of bin/ovnts that take --pidfile: their names and directories. */
const DAEMONS: Readonly<Record<string, { name: string; ovn: boolean }>> = {
  "ovsdb-server": { name: "ovsdb-server", ovn: false },
  northd: { name: "ovn-northd", ovn: true },
  central: { name: "ovnts-central", ovn: true },
};

// struct flock on 64-bit Linux: short l_type, short l_whence, 4 bytes padding, off_t l_start, off_t l_len,
// pid_t l_pid, 4 bytes padding (as in storage/lockfile.ts).
const LOCK_AND_EXEC = `use strict; use Fcntl;
my ($path, $overwrite, $prctl, $ppid, @cmd) = @ARGV;
my $lay = "s s x4 q q l x4";
if (!$overwrite && sysopen(my $old, $path, O_RDONLY)) {
  my $q = pack($lay, F_WRLCK, 0, 0, 0, 0);
  if (fcntl($old, F_GETLK, $q)) {
    my ($type, undef, undef, undef, $pid) = unpack($lay, $q);
    if ($type != F_UNLCK) { print STDERR "ovnts: $path: already running as pid $pid, aborting\\n"; exit 1 }
  }
  close $old;
}
my $tmp = "$path.tmp$$";
sysopen(my $fh, $tmp, O_RDWR | O_CREAT | O_TRUNC, 0644) or do { print STDERR "ovnts: $tmp: $!\\n"; exit 1 };
fcntl($fh, F_SETLK, pack($lay, F_WRLCK, 0, 0, 0, 0)) or do { print STDERR "ovnts: $tmp: cannot lock: $!\\n"; unlink $tmp; exit 1 };
syswrite($fh, "$$\\n");
rename($tmp, $path) or do { print STDERR "ovnts: $path: $!\\n"; unlink $tmp; exit 1 };
fcntl($fh, F_SETFD, 0);
$ENV{OVNTS_PIDFILE} = $path; $ENV{OVNTS_PIDFILE_FD} = fileno($fh);
if ($prctl) { syscall($prctl + 0, 1, 9); exit 1 if getppid() != $ppid + 0 }
exec { $cmd[0] } @cmd or do { print STDERR "ovnts: exec $cmd[0]: $!\\n"; exit 1 };`;

/** prctl(2) system call numbers (PR_SET_PDEATHSIG is option 1) where the struct layout above holds. */
const PRCTL: Readonly<Record<string, number>> = { x64: 157, arm64: 167 };

export interface PidfileRequest {
  readonly path: string;
  readonly overwrite: boolean;
}

/** The pidfile `argv` asks for (--pidfile[=FILE], --overwrite-pidfile), for subcommand `sub`. */
export function pidfileRequest(sub: string, argv: readonly string[]): PidfileRequest | undefined {
  const daemon = DAEMONS[sub];
  if (daemon === undefined) return undefined;
  let value: string | undefined;
  for (const a of argv) {
    if (a === "--") break;
    if (a === "--pidfile") value = "";
    else if (a.startsWith("--pidfile=")) value = a.slice("--pidfile=".length);
  }
  if (value === undefined) return undefined;
  const path = resolveIn(runDir(daemon.ovn), value, `${daemon.name}.pid`);
  return { path, overwrite: argv.includes("--overwrite-pidfile") };
}

function findPerl(env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (process.platform !== "linux" || PRCTL[process.arch] === undefined) return undefined;
  for (const dir of (env.PATH ?? "/usr/bin:/bin").split(delimiter)) {
    const p = join(dir, "perl");
    if (dir !== "" && existsSync(p)) return p;
  }
  return undefined;
}

/**
 * What to run to start this same command (node, its flags, the script, `args`) as the holder of a locked
 * pidfile, or undefined when it cannot be done here (no perl, or not Linux on x64/arm64).
 */
export function lockedCommand(
  req: PidfileRequest,
  args: readonly string[],
  opts: { killWithParent: boolean },
): { cmd: string; args: string[] } | undefined {
  const perl = findPerl(process.env);
  if (perl === undefined) {
    log.warn(
      `${req.path}: perl not found, so the pidfile is not locked (ovs-appctl -t NAME will not find us)`,
    );
    return undefined;
  }
  const prctl = opts.killWithParent ? (PRCTL[process.arch] ?? 0) : 0;
  const node = [process.execPath, ...process.execArgv, process.argv[1] as string, ...args];
  return {
    cmd: perl,
    args: [
      "-e",
      LOCK_AND_EXEC,
      req.path,
      req.overwrite ? "1" : "0",
      String(prctl),
      String(process.pid),
      ...node,
    ],
  };
}

/** In the daemon that the perl program started: the pidfile it holds locked, and the env cleaned. */
export function inheritedPidfile(
  env: Record<string, string | undefined>,
): { path: string; fd: number } | undefined {
  const path = env.OVNTS_PIDFILE;
  const fd = Number(env.OVNTS_PIDFILE_FD);
  delete env.OVNTS_PIDFILE;
  delete env.OVNTS_PIDFILE_FD;
  if (path === undefined || !Number.isInteger(fd) || fd < 0) return undefined;
  return { path, fd };
}

const SIGNALS = ["SIGTERM", "SIGINT", "SIGHUP"] as const;
const SIGNAL_NUMBERS: Readonly<Record<string, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

/**
 * Runs the daemon as the holder of its locked pidfile, this process standing in front of it until it
 * exits. Resolves with the exit code to exit with, or undefined if the daemon should run here instead.
 */
export async function superviseLocked(
  req: PidfileRequest,
  args: readonly string[],
): Promise<number | undefined> {
  const locked = lockedCommand(req, args, { killWithParent: true });
  if (locked === undefined) return undefined;
  let child: ChildProcess;
  try {
    child = spawn(locked.cmd, locked.args, { stdio: "inherit" });
  } catch {
    return undefined;
  }
  const forward = (sig: NodeJS.Signals) => child.kill(sig);
  for (const s of SIGNALS) process.on(s, forward);
  return await new Promise<number | undefined>((resolve) => {
    child.once("error", (e) => {
      for (const s of SIGNALS) process.off(s, forward);
      log.warn(`${req.path}: cannot start the pidfile lock holder (${e.message}); pidfile not locked`);
      resolve(undefined);
    });
    child.once("exit", (code, signal) => {
      for (const s of SIGNALS) process.off(s, forward);
      resolve(code ?? 128 + (signal === null ? 0 : (SIGNAL_NUMBERS[signal] ?? 0)));
    });
  });
}
