// The NB_Global settings C northd invents when they are missing: a random locally administered MAC
// prefix for dynamic addresses and a random service-monitor MAC. The randomness is the caller's
// (the CLI passes crypto.getRandomValues); tests pass fixed values.
import { formatMac } from "./addr.js";
import type { GlobalDefaults } from "./model-build.js";

/** Defaults from random bytes (6 for the monitor MAC, 3 for the prefix). */
export function defaultsFrom(bytes: Uint8Array): GlobalDefaults {
  const b = (i: number): number => bytes[i % bytes.length] ?? 0;
  // Locally administered, unicast: bit 1 of the first byte set, bit 0 clear.
  const prefix = [(b(6) & 0xfe) | 0x02, b(7), b(8)];
  let mac = 0;
  for (let i = 0; i < 6; i++) mac = mac * 256 + (i === 0 ? (b(0) & 0xfe) | 0x02 : b(i));
  return {
    macPrefix: prefix.map((x) => x.toString(16).padStart(2, "0")).join(":"),
    svcMonitorMac: formatMac(mac),
  };
}

export function randomDefaults(): GlobalDefaults {
  return defaultsFrom(globalThis.crypto.getRandomValues(new Uint8Array(9)));
}
