// Address predicates on text, for values read from the Southbound database.
import { parseIpv4, parseIpv6 } from "../../packet/bytes.js";

export const isIpv4Address = (s: string): boolean => parseIpv4(s) !== undefined;
export const isIpv6Address = (s: string): boolean => s.includes(":") && parseIpv6(s) !== undefined;
