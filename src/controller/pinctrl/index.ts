// pinctrl: ovn-controller's packet-in handlers as pure functions, their flood protection, and the
// adapter from controller-action userdata to their inputs.
export { aclLogMessage, handleAclLog } from "./acl-log.js";
export * from "./announce.js";
export * from "./arp.js";
export { handleControllerEvent } from "./controller-event.js";
export { handlePutDhcpOpts } from "./dhcp4.js";
export { type Dhcp6Config, handlePutDhcpv6Opts } from "./dhcp6.js";
export { answersFor, handleDnsLookup } from "./dns.js";
export { formatPacketFlow } from "./flow-text.js";
export { type HandleContext, handlePacketIn } from "./handle.js";
export { buildIcmp4, buildIcmp6, handleFragMtu, handleIcmp } from "./icmp.js";
export * from "./igmp.js";
export * from "./igmp-query.js";
export * from "./igmp-snoop.js";
export { handleBindVport, handlePutFdb, handlePutNeighbor } from "./mac-learning.js";
export * from "./mld.js";
export { handleNdNa, handleNdNs } from "./nd.js";
export { DEFAULT_OPTIONS, Pinctrl, type PinctrlOptions } from "./pinctrl.js";
export * from "./ra.js";
export * from "./ratelimit.js";
export { buildTcpReset, handleReject, handleTcpReset } from "./tcp-reset.js";
export * from "./types.js";
export { decodeUserdata, OPCODES } from "./userdata.js";
