// Builders for the peer corpora's NB configurations (ovn-nbctl argument lists), so a scenario reads as
// the topology it sets up. Each returns the commands in the order an operator would type them.

type Commands = string[][];

export const sw = (name: string): Commands => [["ls-add", name]];

/** A VIF port P on switch LS with the given addresses entries. */
export const vif = (ls: string, p: string, ...addrs: string[]): Commands => [
  ["lsp-add", ls, p],
  ["lsp-set-addresses", p, ...addrs],
];

/**
 * A switch port of a TYPE: lsp-add (with parent/tag arguments if any), its type, its addresses and its
 * options, each command left out when it has nothing to set.
 */
export function typedPort(
  ls: string,
  p: string,
  type: string,
  addrs: readonly string[],
  options: readonly string[] = [],
  addArgs: readonly string[] = [],
): Commands {
  return [
    ["lsp-add", ls, p, ...addArgs],
    ["lsp-set-type", p, type],
    ...(addrs.length > 0 ? [["lsp-set-addresses", p, ...addrs]] : []),
    ...(options.length > 0 ? [["lsp-set-options", p, ...options]] : []),
  ];
}

/** A localnet port on physical network NETWORK (more options after it). */
export const localnet = (ls: string, p: string, network = "phys", ...opts: string[]): Commands =>
  typedPort(ls, p, "localnet", ["unknown"], [`network_name=${network}`, ...opts]);

/** The switch side P of router port LRP (more options after router-port). */
export const routerPort = (ls: string, p: string, lrp: string, ...opts: string[]): Commands =>
  typedPort(ls, p, "router", ["router"], [`router-port=${lrp}`, ...opts]);

/** A router port LRP on router LR and the switch port (`LS-LRP` unless named) that attaches it to switch LS. */
export const attach = (
  lr: string,
  lrp: string,
  mac: string,
  nets: readonly string[],
  ls: string,
  lsp = `${ls}-${lrp}`,
): Commands => [["lrp-add", lr, lrp, mac, ...nets], ...routerPort(ls, lsp, lrp)];

/**
 * A dnat_and_snat NAT on router LR whose allowed_ext_ips or exempted_ext_ips column names address set SET
 * (lr-nat-add cannot set them: one `get` + `create` + `add` transaction).
 */
export const natWithAddressSet = (
  lr: string,
  externalIp: string,
  logicalIp: string,
  column: "allowed_ext_ips" | "exempted_ext_ips",
  set: string,
): string[] => [
  "--",
  "--id=@a",
  "get",
  "Address_Set",
  set,
  "--",
  "--id=@n",
  "create",
  "NAT",
  "type=dnat_and_snat",
  `external_ip=${externalIp}`,
  `logical_ip=${logicalIp}`,
  `${column}=@a`,
  "--",
  "add",
  "Logical_Router",
  lr,
  "nat",
  "@n",
];

/** A new TABLE row with FIELDS added to COLUMN of PARENT (a row of PARENT_TABLE), in one command. */
export const createIn = (
  table: string,
  fields: readonly string[],
  parentTable: string,
  parent: string,
  column: string,
): string[] => ["--id=@row", "create", table, ...fields, "--", "add", parentTable, parent, column, "@row"];

/** ovs-vsctl arguments that plug interface PORT into BRIDGE for logical port IFACE_ID (more Interface settings after). */
export const plugArgs = (
  port: string,
  ifaceId: string,
  bridge = "br-int",
  ...settings: string[]
): string[] => [
  "add-port",
  bridge,
  port,
  "--",
  "set",
  "Interface",
  port,
  `external_ids:iface-id=${ifaceId}`,
  ...settings,
];
