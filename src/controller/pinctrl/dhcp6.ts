// put_dhcpv6_opts (ovn-sb(5), ovn-northd(8)): answer a DHCPv6 client message in place and resume.
// As ovn-controller 23.03 answers (fixtures ovn_dhcp6_*, peer/actions-diff.test.ts): ADVERTISE to
// SOLICIT (rapid commit is not honoured by 23.03; `honourRapidCommit` turns RFC 8415 §18.3.1 behaviour
// on), REPLY to REQUEST, CONFIRM, DECLINE and INFORMATION-REQUEST; RENEW, REBIND and RELEASE are not
// answered, nor is a message other than INFORMATION-REQUEST without an IA_NA (or with IAID 0). Options: the client's identifier, IA_NA (the client's
// IAID, T1 = T2 = infinity) holding the address with infinite lifetimes, then the flow's options in
// its order — the server identifier as a DUID-LL and the domain search string as a single length-
// prefixed string (a quirk of 23.03, kept for wire compatibility).
import { bytesEqual, formatIpv6, formatMac, Writer } from "../../packet/bytes.js";
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
  decodeDhcp6,
  decodeIa,
  dhcp6Option,
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

export function handlePutDhcpv6Opts(
  pin: PacketIn,
  a: { readonly result: ResultField; readonly options: readonly RawOption[] },
  config: Dhcp6Config = { honourRapidCommit: false },
): HandlerResult {
  const u = udpOf(pin.packet);
  if (!u.ok) return dropped(`dhcp6-${u.reason}`);
  const { frame, udp } = u.value;
  if (frame.l3.kind !== "ipv6") return dropped("dhcp6-not-ipv6");
  const m = decodeDhcp6(udp.payload);
  if (!m.ok) return dropped(`dhcp6-${m.truncated ? "truncated" : "malformed"}`);
  if (m.value.kind !== "client") return resumeUnanswered(pin, a.result, "dhcp6-relay");
  const req = m.value;
  const clientId = dhcp6Option(req.options, DHCP6_OPT_CLIENT_ID);
  if (clientId === undefined) return dropped("dhcp6-no-client-id");
  const server = a.options.map(replyOption).find((o) => o?.code === DHCP6_OPT_SERVER_ID);
  const theirServer = dhcp6Option(req.options, DHCP6_OPT_SERVER_ID);
  if (theirServer !== undefined && server !== undefined && !bytesEqual(theirServer, server.data))
    return resumeUnanswered(pin, a.result, "dhcp6-other-server");

  let msgType: number;
  const rapid = config.honourRapidCommit && dhcp6Option(req.options, DHCP6_OPT_RAPID_COMMIT) !== undefined;
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

  const theirIa = dhcp6Option(req.options, DHCP6_OPT_IA_NA);
  // Only INFORMATION-REQUEST is answered without an identity association (IAID 0 counts as none).
  const iaid = theirIa !== undefined && theirIa.length >= 4 ? decodeIa(theirIa) : undefined;
  if (req.msgType !== DHCP6_INFORMATION_REQUEST && (iaid === undefined || !iaid.ok || iaid.value.iaid === 0))
    return resumeUnanswered(pin, a.result, "dhcp6-no-ia");

  const options: Dhcp6Option[] = [{ code: DHCP6_OPT_CLIENT_ID, data: clientId }];
  if (rapid) options.push({ code: DHCP6_OPT_RAPID_COMMIT, data: none });
  const iaAddr = a.options.find((o) => o.code === DHCP6_OPT_IAADDR && o.data.length === 16);
  if (iaAddr !== undefined && theirIa !== undefined && req.msgType !== DHCP6_INFORMATION_REQUEST) {
    const ia = decodeIa(theirIa);
    if (!ia.ok) return dropped("dhcp6-malformed-ia");
    const addr = encodeIaAddress({
      address: formatIpv6(iaAddr.data),
      preferredLifetime: INFINITE,
      validLifetime: INFINITE,
      options: [],
    });
    options.push({
      code: DHCP6_OPT_IA_NA,
      data: encodeIa({
        iaid: ia.value.iaid,
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
