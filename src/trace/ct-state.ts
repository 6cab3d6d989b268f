// Connection-tracking state flags as ovn-trace reports them (`ct_state=est|trk`), in Open vSwitch's
// CS_* bit order, and the remark it adds when a state was not given with --ct.

const CT_BITS: Record<string, number> = { new: 0, est: 1, rel: 2, rpl: 3, inv: 4, trk: 5, snat: 6, dnat: 7 };
const CT_NAMES = Object.entries(CT_BITS).sort((a, b) => a[1] - b[1]);

export const DEFAULT_CT = " /* default (use --ct to customize) */";

/** `est|trk` for a ct_state value. */
export function formatCtState(state: bigint): string {
  return CT_NAMES.filter(([, bit]) => (state >> BigInt(bit)) & 1n)
    .map(([n]) => n)
    .join("|");
}

/** The ct_state for flags as given to --ct ("new", "est,rpl"); trk is always set. */
export function parseCtFlags(given: string): bigint {
  let state = 1n << 5n;
  for (const f of given.split(/[,\s|]+/)) {
    const bit = CT_BITS[f];
    if (bit !== undefined) state |= 1n << BigInt(bit);
  }
  return state;
}
