// ovn-nbctl command lists the northd peer tests build their NBs from (each command an argv array).

/** The switch side of a router port: a router-type LSP peering `lrp`, with extra options. */
export const routerLsp = (ls: string, lsp: string, lrp: string, opts: string[] = []): string[][] => [
  ["lsp-add", ls, lsp],
  ["lsp-set-type", lsp, "router"],
  ["lsp-set-addresses", lsp, "router"],
  ["lsp-set-options", lsp, `router-port=${lrp}`, ...opts],
];

/** A router port and its switch-side peer `LS-LR` (with extra options on the switch port). */
export const link = (
  lr: string,
  lrp: string,
  mac: string,
  nets: string[],
  ls: string,
  opts: string[] = [],
): string[][] => [["lrp-add", lr, lrp, mac, ...nets], ...routerLsp(ls, `${ls}-${lr}`, lrp, opts)];

/** A localnet port on `net`. */
export const localnet = (ls: string, p: string, net: string): string[][] => [
  ["lsp-add", ls, p],
  ["lsp-set-type", p, "localnet"],
  ["lsp-set-addresses", p, "unknown"],
  ["lsp-set-options", p, `network_name=${net}`],
];
