// Lookups the physical flows make for every port, group and binding (its datapath, its switch's
// localnet port, a peer or parent by name), built once per Southbound view instead of a scan of all
// ports each time: with thousands of ports the scans made one pass quadratic.  A view is immutable,
// so its index is kept (weakly) for as long as the view itself.

import type { SbDatapath, SbPortBinding, SbView } from "../lflow/sb.js";

export interface ViewIndex {
  readonly datapathByUuid: ReadonlyMap<string, SbDatapath>;
  readonly datapathByKey: ReadonlyMap<number, SbDatapath>;
  /** The first port of each logical port name (names are unique in a consistent Southbound). */
  readonly portByName: ReadonlyMap<string, SbPortBinding>;
  /** Ports of each datapath, in view order. */
  readonly portsByDatapath: ReadonlyMap<string, readonly SbPortBinding[]>;
  /** The localnet ports of each datapath, in view order. */
  readonly localnetsByDatapath: ReadonlyMap<string, readonly SbPortBinding[]>;
}

const cache = new WeakMap<SbView, ViewIndex>();

export function viewIndex(view: SbView): ViewIndex {
  const hit = cache.get(view);
  if (hit !== undefined) return hit;
  const datapathByUuid = new Map<string, SbDatapath>();
  const datapathByKey = new Map<number, SbDatapath>();
  for (const d of view.datapaths) {
    if (!datapathByUuid.has(d.uuid)) datapathByUuid.set(d.uuid, d);
    if (!datapathByKey.has(d.tunnelKey)) datapathByKey.set(d.tunnelKey, d);
  }
  const portByName = new Map<string, SbPortBinding>();
  const portsByDatapath = new Map<string, SbPortBinding[]>();
  const localnetsByDatapath = new Map<string, SbPortBinding[]>();
  for (const p of view.ports) {
    if (!portByName.has(p.logicalPort)) portByName.set(p.logicalPort, p);
    const list = portsByDatapath.get(p.datapath);
    if (list === undefined) portsByDatapath.set(p.datapath, [p]);
    else list.push(p);
    if (p.type === "localnet") {
      const ln = localnetsByDatapath.get(p.datapath);
      if (ln === undefined) localnetsByDatapath.set(p.datapath, [p]);
      else ln.push(p);
    }
  }
  const index: ViewIndex = {
    datapathByUuid,
    datapathByKey,
    portByName,
    portsByDatapath,
    localnetsByDatapath,
  };
  cache.set(view, index);
  return index;
}

/** The port named `name` in datapath `datapath` (the first one, as a scan would find). */
export function portIn(view: SbView, datapath: string, name: string): SbPortBinding | undefined {
  const byName = viewIndex(view).portByName.get(name);
  if (byName === undefined) return undefined;
  if (byName.datapath === datapath) return byName;
  // A name reused across datapaths (an inconsistent Southbound): fall back to that datapath's ports.
  return viewIndex(view)
    .portsByDatapath.get(datapath)
    ?.find((p) => p.logicalPort === name);
}

/**
 * The datapath's localnet port that is plugged in on this chassis (its patch port is in
 * `localnetPorts`), if any: ovn-controller's "localnet port of a local datapath".  Such a switch
 * reaches other chassis through the physical network, never through tunnels.
 */
export function pluggedLocalnet(
  view: SbView,
  localnetPorts: ReadonlyMap<string, number>,
  datapath: string,
): SbPortBinding | undefined {
  return viewIndex(view)
    .localnetsByDatapath.get(datapath)
    ?.find((p) => localnetPorts.has(p.logicalPort));
}

/**
 * Makes `index` the index of `view`: a stand-in view whose lookups are recorded
 * (incremental/physical-cache.ts) answers through `index` instead of one built from its fields.
 */
export function setViewIndex(view: SbView, index: ViewIndex): void {
  cache.set(view, index);
}
