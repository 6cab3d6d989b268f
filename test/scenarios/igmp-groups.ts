// IGMP_Group rows of a scenario stack's Southbound, read with names instead of uuids (shared by the
// IGMP/MLD snooping scenario files).
import type { Stack } from "../support/chassis.js";
import { waitUntil } from "../support/wait.js";
import { SETTLE_MS } from "./matrix.js";

/** IGMP_Group rows as "address chassis [ports]" with names, sorted. */
export async function groups(s: Stack): Promise<string[]> {
  const names = new Map<string, string>();
  for (const [table, col] of [
    ["Port_Binding", "logical_port"],
    ["Chassis", "name"],
  ] as const)
    for (const l of (
      await s.sbctl("--format=csv", "--no-headings", "--data=bare", `--columns=_uuid,${col}`, "list", table)
    ).split("\n")) {
      const [u, n] = l.split(",");
      if (u !== undefined && n !== undefined) names.set(u, n);
    }
  const out = await s.sbctl(
    "--format=csv",
    "--no-headings",
    "--data=bare",
    "--columns=address,ports,chassis",
    "list",
    "IGMP_Group",
  );
  return out
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => {
      const [addr, ports, ch] = l.split(",");
      const p = (ports ?? "")
        .split(" ")
        .filter((x) => x !== "")
        .map((u) => names.get(u) ?? u)
        .sort();
      return `${addr} ${names.get(ch ?? "") ?? ch} [${p.join(" ")}]`;
    })
    .sort();
}

export async function waitGroups(s: Stack, want: string[]): Promise<void> {
  await waitUntil(async () => JSON.stringify(await groups(s)) === JSON.stringify(want), SETTLE_MS, {
    what: `IGMP_Group rows ${JSON.stringify(want)}`,
  }).catch(async (e: unknown) => {
    throw new Error(`${(e as Error).message}; have ${JSON.stringify(await groups(s))}`);
  });
}
