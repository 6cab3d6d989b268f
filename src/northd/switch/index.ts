// The logical switch pipeline's stage builders (ovn-northd(8) "Logical Switch Datapaths").
// The core (src/northd) calls every builder in this list for every logical switch.
import type { StageBuilder } from "../lflow/api.js";
import { aclHints, acls, stateful } from "./acl.js";
import { arpNd } from "./arp-nd.js";
import { dhcp } from "./dhcp.js";
import { dns } from "./dns.js";
import { externalPorts } from "./external.js";
import { fdb } from "./fdb.js";
import { l2Lookup } from "./l2-lookup.js";
import { hairpin, lbStages } from "./lb.js";
import { portSecurity } from "./port-security.js";
import { preAcl, preLb, preStateful } from "./pre.js";
import { qos } from "./qos.js";

export const switchBuilders: readonly StageBuilder[] = [
  portSecurity,
  fdb,
  preAcl,
  preLb,
  preStateful,
  aclHints,
  acls,
  qos,
  lbStages,
  hairpin,
  stateful,
  arpNd,
  dhcp,
  dns,
  externalPorts,
  l2Lookup,
];
