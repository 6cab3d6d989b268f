import type { GroupMod } from "../../openflow/model.js";
import { formatFlowMod } from "../../openflow/text.js";
import type { Flow } from "../lflow/flow.js";
import { compileLogicalFlows, IdAllocators, localDatapaths } from "../lflow/index.js";
import type { SbView } from "../lflow/sb.js";
import { toFlowMod, toGroupMod } from "../lflow/to-model.js";
import { physicalFlows } from "../physical/index.js";
import { requireSnatZones, type ZoneAllocator } from "./zones.js";

export interface DesiredInput {
  readonly view: SbView;
  readonly chassis: string;
  /** OpenFlow port by iface-id, of br-int's VIFs. */
  readonly vifPorts: ReadonlyMap<string, number>;
  /** OpenFlow port of the tunnel to each remote chassis, by chassis name. */
  readonly tunnelPorts: ReadonlyMap<string, number>;
  /** OpenFlow port of br-int's patch port for each localnet logical port (default none). */
  readonly localnetPorts?: ReadonlyMap<string, number>;
  readonly zones: ZoneAllocator;
}

export interface Desired {
  /** In the compiler's form (lflow/to-model.ts toFlowMod makes their FlowMods). */
  readonly flows: readonly Flow[];
  readonly groups: readonly GroupMod[];
  /** Logical flows that did not compile (logged, skipped). */
  readonly errors: readonly string[];
  /** A canonical text of the whole table: equal keys mean nothing to install. */
  readonly key: string;
}

export function desiredState(input: DesiredInput): Desired {
  const { view, chassis, zones } = input;
  const lflows = compileLogicalFlows(view, chassis, new IdAllocators());
  const local = localDatapaths(view, chassis);
  requireSnatZones(zones, view, local);
  const phys = physicalFlows({
    chassis,
    view,
    localDatapaths: local,
    vifPorts: input.vifPorts,
    tunnelPorts: input.tunnelPorts,
    localnetPorts: input.localnetPorts ?? new Map(),
    ctZone: (p) => zones.ctZone(p),
    dnatZone: (d) => zones.dnatZone(d),
    snatZone: (d) => zones.snatZone(d),
    ...(view.lbHairpinUseCtMark === false && { lbHairpinUseCtMark: false }),
  });
  const flows = [...lflows.flows, ...phys];
  const groups = lflows.groups.map(toGroupMod);
  const lines = flows.map((f) => formatFlowMod(toFlowMod(f))).sort();
  const groupLines = groups.map((g) => JSON.stringify(g, (_k, v) => (typeof v === "bigint" ? `${v}n` : v)));
  return { flows, groups, errors: lflows.errors, key: [...groupLines.sort(), ...lines].join("\n") };
}
