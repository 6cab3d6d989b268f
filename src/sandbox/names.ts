// How a sandbox names what it creates on the host.  Every namespace and host-visible object carries the
// run's prefix ("ovnts-<tag>-"), so two sandboxes (or a sandbox and the host's own OVS) never collide;
// the tag defaults to the sandbox's pid.  Links live inside the namespaces, where short fixed names
// ("eth0", "vm1") cannot collide with anything.  The user types the full namespace names, which the
// sandbox prints ready to copy.

export interface SandboxNames {
  readonly prefix: string;
  /** Namespace of the chassis (ovs-vswitchd and the VMs' host-side veth ends). */
  readonly hv: string;
  /** Namespace of the host on the public network, the SNAT target. */
  readonly outside: string;
  /** Namespace of VM i (1-based). */
  vm(i: number): string;
}

export function sandboxNames(tag: string): SandboxNames {
  const prefix = `ovnts-${tag}-`;
  return {
    prefix,
    hv: `${prefix}hv1`,
    outside: `${prefix}outside`,
    vm: (i) => `${prefix}vm${i}`,
  };
}

/** True for a namespace a sandbox with this prefix made (for cleanup checks). */
export function isSandboxNetns(name: string, prefix = "ovnts-"): boolean {
  return name.startsWith(prefix);
}
