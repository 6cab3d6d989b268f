// Lookups into the SB replica that a scoped (incremental) sync needs without scanning whole tables:
// the Port_Binding and Multicast_Group rows of one datapath, a Port_Binding by name. The daemon
// provides IDL-maintained indexes; without them a scan answers the same.
import type { OvnSbTables } from "../../ovsdb/idl/generated/ovn-sb.js";
import type { Idl } from "../../ovsdb/idl/idl.js";
import type { SbRows } from "../model.js";

type Sb = OvnSbTables;

export interface SbIndex {
  portBindingsOf(sbDp: string): readonly Sb["Port_Binding"][];
  portBindingNamed(name: string): Sb["Port_Binding"] | undefined;
  multicastGroupsOf(sbDp: string): readonly Sb["Multicast_Group"][];
  /** SB Port_Group rows of an NB port group (named "KEY_NAME"). */
  portGroupsOf(pgName: string): readonly Sb["Port_Group"][];
  addressSetNamed(name: string): Sb["Address_Set"] | undefined;
  ipMulticastOf(sbDp: string): readonly Sb["IP_Multicast"][];
  /** SB Load_Balancer rows of an NB load balancer (external_ids:lb_id). */
  loadBalancersOf(lbId: string): readonly Sb["Load_Balancer"][];
}

/** The NB port group name inside an SB Port_Group name "KEY_NAME". */
export function pgNameOfSb(sbName: string): string {
  return sbName.replace(/^[0-9]+_/, "");
}

/** Indexes maintained by the IDL from now on. */
export function idlSbIndex(idl: Idl<Sb>): SbIndex {
  const pbDp = idl.index("Port_Binding", "datapath");
  const pbName = idl.index("Port_Binding", "logicalPort");
  const mcDp = idl.index("Multicast_Group", "datapath");
  const pg = idl.indexBy("Port_Group", (r) => [pgNameOfSb(r.name)]);
  const as = idl.index("Address_Set", "name");
  const ipm = idl.index("IP_Multicast", "datapath");
  const lbs = idl.indexBy("Load_Balancer", (r) => {
    const id = r.externalIds.get("lb_id");
    return id === undefined ? [] : [id];
  });
  return {
    loadBalancersOf: (id) => lbs.get(id),
    ipMulticastOf: (d) => ipm.get(d as never),
    portGroupsOf: (n) => pg.get(n),
    addressSetNamed: (n) => as.first(n),
    portBindingsOf: (d) => pbDp.get(d as never),
    portBindingNamed: (n) => pbName.first(n),
    multicastGroupsOf: (d) => mcDp.get(d as never),
  };
}

/** The same answers by scanning (for replicas without indexes). */
export function scanSbIndex(sb: SbRows): SbIndex {
  return {
    portBindingsOf: (d) => sb.rows("Port_Binding").filter((r) => r.datapath === d),
    portBindingNamed: (n) => sb.rows("Port_Binding").find((r) => r.logicalPort === n),
    multicastGroupsOf: (d) => sb.rows("Multicast_Group").filter((r) => r.datapath === d),
    portGroupsOf: (n) => sb.rows("Port_Group").filter((r) => pgNameOfSb(r.name) === n),
    addressSetNamed: (n) => sb.rows("Address_Set").find((r) => r.name === n),
    ipMulticastOf: (d) => sb.rows("IP_Multicast").filter((r) => r.datapath === d),
    loadBalancersOf: (id) => sb.rows("Load_Balancer").filter((r) => r.externalIds.get("lb_id") === id),
  };
}
