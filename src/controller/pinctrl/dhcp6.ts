// put_dhcpv6_opts (ovn-sb(5), ovn-northd(8)): answer a DHCPv6 client message in place and resume.
// As ovn-controller 23.03 answers (fixtures ovn_dhcp6_*, peer/actions-diff.test.ts): ADVERTISE to
// SOLICIT (rapid commit is not honoured by 23.03; `honourRapidCommit` turns RFC 8415 §18.3.1 behaviour
// on), REPLY to REQUEST, CONFIRM, DECLINE and INFORMATION-REQUEST; RENEW, REBIND and RELEASE are not
// answered, nor is a message other than INFORMATION-REQUEST without an IA_NA (or with IAID 0), nor one
// without a client identifier (those go on, unanswered). Options: the client's identifier, IA_NA (the
// client's IAID, T1 = T2 = infinity; sent to an INFORMATION-REQUEST too when it carries one) holding
// the address with infinite lifetimes, then the flow's options in its order — the server identifier
// as a DUID-LL and the domain search string as a single length-prefixed string (a quirk of 23.03, kept
// for wire compatibility).
import { formatIpv6, formatMac, Writer } from "../../packet/bytes.js";
import {
  DHCP6_ADVERTISE,
  DHCP6_CONFIRM,
  DHCP6_DECLINE,
  DHCP6_INFORMATION_REQUEST,
  DHCP6_OPT_CLIENT_ID,
  DHCP6_OPT_DOMAIN_LIST,
  DHCP6_OPT_IA_NA,
  DHCP6_OPT_IAADDR,
  DHCP6_OPT_RAPID_COMMIT,
  DHCP6_OPT_SERVER_ID,
  DHCP6_REPLY,
  DHCP6_REQUEST,
  DHCP6_SOLICIT,
  type Dhcp6Option,
  duidLl,
  encodeDhcp6,
  encodeIa,
  encodeIaAddress,
} from "../../packet/dhcp6.js";
import { encodeFrame } from "../../packet/frame.js";
import { resumeUnanswered } from "./dhcp4.js";
import { udpOf } from "./packet-util.js";
import {
  dropped,
  type HandlerResult,
  handled,
  type PacketIn,
  type RawOption,
  type ResultField,
} from "./types.js";

const INFINITE = 0xffffffff;
const none = new Uint8Array();

export interface Dhcp6Config {
  readonly honourRapidCommit: boolean;
}

/** How one userdata option appears in the reply (undefined: not copied as is). */
function replyOption(o: RawOption): Dhcp6Option | undefined {
  switch (o.code) {
    case DHCP6_OPT_IAADDR:
      return undefined;
    case DHCP6_OPT_SERVER_ID:
      return { code: o.code, data: o.data.length === 6 ? duidLl(formatMac(o.data)) : o.data };
    case DHCP6_OPT_DOMAIN_LIST:
      return { code: o.code, data: new Writer().u8(o.data.length).bytes(o.data).u8(0).finish() };
    default:
      return { code: o.code, data: o.data };
  }
}

/**
 * A client message as ovn-controller 23.03 reads it (peer/diff-probes-more.ts): the type byte, then
 * options walked by their lengths until the end of the datagram — one running past the end ends the
 * walk but counts, nothing else is validated; the last client identifier and IA_NA win, and of the
 * IA_NA only its IAID (its first 4 bytes) is read. Server identifiers are not looked at.
 */
export interface ScannedRequest {
  readonly msgType: number;
  readonly transactionId: number;
  readonly clientId: Uint8Array | undefined;
  /** 0 when there is no IA_NA (or its IAID is 0). */
  readonly iaid: number;
  readonly rapidCommit: boolean;
}

export function scanRequest(msg: Uint8Array): ScannedRequest | undefined {
  if (msg.length < 1) return undefined;
  const b = (k: number) => msg[k] ?? 0;
  let clientId: Uint8Array | undefined;
  let iaid = 0;
  let rapidCommit = false;
  for (let at = 4; at + 4 <= msg.length; ) {
    const code = (b(at) << 8) | b(at + 1);
    const len = (b(at + 2) << 8) | b(at + 3);
    if (code === DHCP6_OPT_CLIENT_ID) clientId = msg.subarray(at + 4, at + 4 + len);
    if (code === DHCP6_OPT_IA_NA && at + 8 <= msg.length)
      iaid = ((b(at + 4) << 24) | (b(at + 5) << 16) | (b(at + 6) << 8) | b(at + 7)) >>> 0;
    if (code === DHCP6_OPT_RAPID_COMMIT) rapidCommit = true;
    at += 4 + len;
  }
  return { msgType: b(0), transactionId: (b(1) << 16) | (b(2) << 8) | b(3), clientId, iaid, rapidCommit };
}

export function handlePutDhcpv6Opts(
  pin: PacketIn,
  a: { readonly result: ResultField; readonly options: readonly RawOption[] },
  config: Dhcp6Config = { honourRapidCommit: false },
): HandlerResult {
  const u = udpOf(pin.packet);
  if (!u.ok) return dropped(`dhcp6-${u.reason}`);
  const { frame, udp } = u.value;
  if (frame.l3.kind !== "ipv6") return dropped("dhcp6-not-ipv6");
  // Whatever is not answered goes on through the pipeline with the result bit clear, as in C.
  const req = scanRequest(udp.payload);
  if (req === undefined) return resumeUnanswered(pin, a.result, "dhcp6-truncated");
  let msgType: number;
  const rapid = config.honourRapidCommit && req.rapidCommit;
  switch (req.msgType) {
    case DHCP6_SOLICIT:
      msgType = rapid ? DHCP6_REPLY : DHCP6_ADVERTISE;
      break;
    // As 23.03: RENEW and REBIND are not answered, DECLINE is (peer/actions-diff.test.ts).
    case DHCP6_REQUEST:
    case DHCP6_CONFIRM:
    case DHCP6_DECLINE:
    case DHCP6_INFORMATION_REQUEST:
      msgType = DHCP6_REPLY;
      break;
    default:
      return resumeUnanswered(pin, a.result, "dhcp6-unsupported-type");
  }
  const clientId = req.clientId;
  if (clientId === undefined) return resumeUnanswered(pin, a.result, "dhcp6-no-client-id");
  // Only INFORMATION-REQUEST is answered without an identity association (IAID 0 counts as none).
  if (req.msgType !== DHCP6_INFORMATION_REQUEST && req.iaid === 0)
    return resumeUnanswered(pin, a.result, "dhcp6-no-ia");

  const options: Dhcp6Option[] = [{ code: DHCP6_OPT_CLIENT_ID, data: clientId }];
  if (rapid) options.push({ code: DHCP6_OPT_RAPID_COMMIT, data: none });
  // An IA_NA goes with the address whenever the client sent one (an INFORMATION-REQUEST too, as C).
  const iaAddr = a.options.find((o) => o.code === DHCP6_OPT_IAADDR && o.data.length === 16);
  if (iaAddr !== undefined && req.iaid !== 0) {
    const addr = encodeIaAddress({
      address: formatIpv6(iaAddr.data),
      preferredLifetime: INFINITE,
      validLifetime: INFINITE,
      options: [],
    });
    options.push({
      code: DHCP6_OPT_IA_NA,
      data: encodeIa({
        iaid: req.iaid,
        t1: INFINITE,
        t2: INFINITE,
        options: [{ code: DHCP6_OPT_IAADDR, data: addr }],
      }),
    });
  }
  for (const o of a.options) {
    const r = replyOption(o);
    if (r !== undefined) options.push(r);
  }
  const payload = encodeDhcp6({ kind: "client", msgType, transactionId: req.transactionId, options });
  const packet = encodeFrame({
    eth: frame.eth,
    l3: {
      kind: "ipv6",
      ip: { ...frame.l3.ip, payload: none, trailer: none },
      l4: { kind: "udp", udp: { srcPort: udp.srcPort, dstPort: udp.dstPort, payload } },
    },
  });
  return handled(msgType === DHCP6_ADVERTISE ? "dhcp6-advertise" : "dhcp6-reply", {
    kind: "resume",
    packet,
    result: { ...a.result, value: 1 },
  });
}
