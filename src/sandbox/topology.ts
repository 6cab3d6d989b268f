// The sandbox's logical network, as ovn-nbctl commands (one transaction):
//
//   vm1..vmN ── ls0 (10.0.0.0/24, DHCP) ── lr0 ── public (172.16.0.0/24) ── outside (172.16.0.10)
//                                          │ lr0 is a gateway router on the chassis; SNAT 10.0.0.0/24 → 172.16.0.1
//
// Addresses are fixed in the Northbound ports ("MAC IP"), so DHCP hands each VM a predictable address
// and the printed instructions are right before the VMs ask.  Pure.

export interface VmPlan {
  /** 1-based index; the logical port is "vm<i>". */
  readonly index: number;
  readonly lsp: string;
  readonly mac: string;
  readonly ip: string;
  readonly prefixLen: number;
  readonly gateway: string;
}

export interface SandboxTopology {
  readonly vms: readonly VmPlan[];
  readonly outside: VmPlan;
  readonly routerIp: string;
  /** MAC of lr0's port on ls0 (the VMs' gateway). */
  readonly routerMac: string;
  readonly routerPublicIp: string;
  /** The address the outside host sees VMs' traffic come from. */
  readonly snatIp: string;
  readonly subnet: string;
  readonly publicSubnet: string;
  /** ovn-nbctl arguments for the whole network, "--"-chained into one transaction. */
  readonly nbctlArgs: readonly string[];
}

const hex2 = (n: number): string => n.toString(16).padStart(2, "0");

export function vmPlan(index: number): VmPlan {
  return {
    index,
    lsp: `vm${index}`,
    mac: `02:00:0a:00:00:${hex2(index)}`,
    ip: `10.0.0.${10 + index}`,
    prefixLen: 24,
    gateway: "10.0.0.1",
  };
}

/** The "--"-chained form of several ovn-nbctl commands. */
export function chain(cmds: readonly (readonly string[])[]): string[] {
  return cmds.flatMap((c) => ["--", ...c]);
}

export function sandboxTopology(nVms: number, gatewayChassis: string): SandboxTopology {
  if (!Number.isInteger(nVms) || nVms < 1 || nVms > 200)
    throw new Error(`--vms: 1..200 expected, got ${nVms}`);
  const vms = Array.from({ length: nVms }, (_, i) => vmPlan(i + 1));
  const outside: VmPlan = {
    index: 0,
    lsp: "outside",
    mac: "02:00:ac:10:00:0a",
    ip: "172.16.0.10",
    prefixLen: 24,
    gateway: "172.16.0.1",
  };
  const lrpMac = "02:00:0a:00:00:fe";
  const dhcpOptions = ["server_id=10.0.0.1", `server_mac=${lrpMac}`, "lease_time=3600", "router=10.0.0.1"];
  const cmds: string[][] = [
    ["ls-add", "ls0"],
    ["ls-add", "public"],
    ["lr-add", "lr0"],
    ["lrp-add", "lr0", "lr0-ls0", lrpMac, "10.0.0.1/24"],
    ["lrp-add", "lr0", "lr0-public", "02:00:ac:10:00:01", "172.16.0.1/24"],
    ["set", "Logical_Router", "lr0", `options:chassis=${gatewayChassis}`],
    ["lr-nat-add", "lr0", "snat", "172.16.0.1", "10.0.0.0/24"],
    ["--id=@dhcp", "create", "DHCP_Options", "cidr=10.0.0.0/24", ...dhcpOptions.map((o) => `options:${o}`)],
  ];
  for (const [sw, lrp] of [
    ["ls0", "lr0-ls0"],
    ["public", "lr0-public"],
  ] as const) {
    const p = `${sw}-lr0`;
    cmds.push(
      ["lsp-add", sw, p],
      ["lsp-set-type", p, "router"],
      ["lsp-set-addresses", p, "router"],
      ["lsp-set-options", p, `router-port=${lrp}`],
    );
  }
  for (const vm of vms) {
    cmds.push(
      ["lsp-add", "ls0", vm.lsp],
      ["lsp-set-addresses", vm.lsp, `${vm.mac} ${vm.ip}`],
      ["set", "Logical_Switch_Port", vm.lsp, "dhcpv4_options=@dhcp"],
    );
  }
  cmds.push(
    ["lsp-add", "public", outside.lsp],
    ["lsp-set-addresses", outside.lsp, `${outside.mac} ${outside.ip}`],
  );
  return {
    vms,
    outside,
    routerIp: "10.0.0.1",
    routerMac: lrpMac,
    routerPublicIp: "172.16.0.1",
    snatIp: "172.16.0.1",
    subnet: "10.0.0.0/24",
    publicSubnet: "172.16.0.0/24",
    nbctlArgs: chain(cmds),
  };
}
