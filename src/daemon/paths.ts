// Where daemons put their files by default, honouring OVS_RUNDIR/OVS_LOGDIR/OVS_DBDIR (and the OVN_*
// twins for OVN daemons), like the C tools.
import { join } from "node:path";

function env(names: string[], fallback: string): string {
  for (const n of names) {
    const v = process.env[n];
    if (v !== undefined && v !== "") return v;
  }
  return fallback;
}

export function runDir(ovn = false): string {
  return env(
    ovn ? ["OVN_RUNDIR", "OVS_RUNDIR"] : ["OVS_RUNDIR"],
    ovn ? "/var/run/ovn" : "/var/run/openvswitch",
  );
}

export function logDir(ovn = false): string {
  return env(
    ovn ? ["OVN_LOGDIR", "OVS_LOGDIR"] : ["OVS_LOGDIR"],
    ovn ? "/var/log/ovn" : "/var/log/openvswitch",
  );
}

export function dbDir(ovn = false): string {
  return env(ovn ? ["OVN_DBDIR", "OVS_DBDIR"] : ["OVS_DBDIR"], ovn ? "/var/lib/ovn" : "/etc/openvswitch");
}

/** `--pidfile` with no value means RUNDIR/NAME.pid; a relative value is relative to RUNDIR. */
export function resolveIn(dir: string, value: string, dflt: string): string {
  const v = value === "" ? dflt : value;
  return v.startsWith("/") ? v : join(dir, v);
}
