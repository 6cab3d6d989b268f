// Which Debian package provides each host tool the chassis and the sandbox run, so that a missing tool
// is reported with the one command that installs it.  Pure: the lookup itself lives in host.ts.

export const TOOL_PACKAGES: Readonly<Record<string, string>> = {
  "ovs-vswitchd": "openvswitch-switch",
  "ovs-vsctl": "openvswitch-switch",
  "ovs-appctl": "openvswitch-common",
  "ovs-ofctl": "openvswitch-common",
  ip: "iproute2",
  ping: "iputils-ping",
  udhcpc: "udhcpc",
  ethtool: "ethtool",
};

/** "missing ovs-vswitchd, udhcpc: apt-get install openvswitch-switch udhcpc", or undefined when none is. */
export function missingToolsMessage(missing: readonly string[]): string | undefined {
  if (missing.length === 0) return undefined;
  const pkgs = [...new Set(missing.map((t) => TOOL_PACKAGES[t] ?? t))];
  return `missing ${missing.join(", ")}: install with\n  apt-get install ${pkgs.join(" ")}`;
}
