// Where control sockets live, as ovs-appctl(8) and the daemons' --unixctl option describe it:
// by default RUNDIR/PROGRAM.PID.ctl; a --unixctl value not starting with "/" is relative to RUNDIR; and
// `ovs-appctl -t NAME` (no leading "/") reads RUNDIR/NAME.pid to find RUNDIR/NAME.PID.ctl.

/** The socket a daemon listens on, given its --unixctl value (if any). */
export function unixctlSocketPath(opts: {
  rundir: string;
  program: string;
  pid: number;
  option?: string | undefined;
}): string {
  const { rundir, program, pid, option } = opts;
  if (option === undefined || option === "") return `${rundir}/${program}.${pid}.ctl`;
  return option.startsWith("/") ? option : `${rundir}/${option}`;
}

/** The pidfile `ovs-appctl -t TARGET` reads when TARGET is a name, not a path. */
export function appctlPidfile(rundir: string, target: string): string {
  return `${rundir}/${target}.pid`;
}
