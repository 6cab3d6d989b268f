// The options the controller and e2e benchmarks share: topology size, the switches local to the chassis,
// which implementations run, the chassis name, a profile directory, another ovnts build, --no-save; and the
// VIFs of the local switches both put on br-int.
import type { Impl } from "../../test/support/impl.js";
import { portName, TOPOLOGIES, type Topology } from "../northd/topology.js";
import type { Vif } from "./hypervisor.js";

export interface StackOptions {
  size: string;
  local: number;
  impls: Impl[];
  profileDir: string | undefined;
  systemId: string;
  save: boolean;
  ovntsBin: string | undefined;
}

export function stackDefaults(): StackOptions {
  return {
    size: "M",
    local: 10,
    impls: ["c", "ovnts"],
    profileDir: undefined,
    systemId: "hv2",
    save: true,
    ovntsBin: undefined,
  };
}

/** Applies `arg` when it is one of the shared flags (with a valid value); false otherwise. */
export function applyStackFlag(o: StackOptions, arg: string): boolean {
  const [flag, value = ""] = arg.split(/=(.*)/s, 2);
  const n = Number(value);
  if (flag === "--size") o.size = value;
  else if (flag === "--local" && n > 0) o.local = n;
  else if (flag === "--impls") o.impls = value.split(",") as Impl[];
  else if (flag === "--profile" && value !== "") o.profileDir = value;
  else if (flag === "--system-id" && value !== "") o.systemId = value;
  else if (flag === "--ovnts-bin" && value !== "") o.ovntsBin = value;
  else if (arg === "--no-save") o.save = false;
  else return false;
  return true;
}

/** What is wrong with the shared options once all are read, or undefined. */
export function checkStackOptions(o: StackOptions): string | undefined {
  const t = TOPOLOGIES[o.size];
  if (t === undefined) return `unknown size ${o.size}`;
  if (o.local > t.switches) return `--local=${o.local}: the topology has ${t.switches} switches`;
  if (o.impls.some((i) => i !== "c" && i !== "ovnts")) return `unknown impl in ${o.impls.join(",")}`;
  return undefined;
}

/** One VIF per port of the first `local` switches. */
export function localVifs(t: Topology, local: number): Vif[] {
  const vifs: Vif[] = [];
  for (let s = 0; s < local; s++)
    for (let p = 0; p < t.ports; p++) vifs.push({ name: `vif${s}-${p}`, ifaceId: portName(s, p) });
  return vifs;
}
