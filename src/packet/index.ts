// The packet codecs: one module per protocol, each with a total decoder and an encoder.
export * from "./arp.js";
export * from "./bytes.js";
export * from "./checksum.js";
export * from "./dhcp4.js";
export * from "./dhcp6.js";
export * from "./dns.js";
export * from "./dns-name.js";
export * from "./ethernet.js";
export * from "./frame.js";
export * from "./icmp4.js";
export * from "./icmp6.js";
export * from "./ipv4.js";
export * from "./ipv6.js";
export * from "./result.js";
export * from "./sctp.js";
export * from "./tcp.js";
export * from "./udp.js";
