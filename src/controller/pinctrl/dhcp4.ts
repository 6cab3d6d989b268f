// put_dhcp_opts (ovn-sb(5), ovn-northd(8) "ls_in_dhcp_options"): answer a DHCPv4 request in place and
// resume the pipeline with the result bit set; the following flow swaps the addresses and outputs.
// Reply shape as the real ovn-controller 23.03 sends it (fixtures ovn_dhcp_*): BOOTREPLY with the
// request's xid, flags, chaddr; message type first, then the lflow's options in its order; then four
// Pad bytes, End, and four bytes of zero; UDP checksum 0; IPv4 destination the offered address, or
// broadcast when the client set the broadcast flag. A REQUEST for another address gets a NAK.
import { formatIpv4 } from "../../packet/bytes.js";
import {
  BOOTP_REPLY,
  BOOTP_REQUEST,
  DHCP_ACK,
  DHCP_BROADCAST_FLAG,
  DHCP_DECLINE,
  DHCP_DISCOVER,
  DHCP_INFORM,
  DHCP_NAK,
  DHCP_OFFER,
  DHCP_OPT_END,
  DHCP_OPT_LEASE_TIME,
  DHCP_OPT_MSG_TYPE,
  DHCP_OPT_PAD,
  DHCP_OPT_REQUESTED_IP,
  DHCP_RELEASE,
  DHCP_REQUEST,
  type Dhcp4Message,
  type DhcpOption,
  decodeDhcp4,
  encodeDhcp4,
} from "../../packet/dhcp4.js";
import { encodeFrame } from "../../packet/frame.js";
import { baseHeaderChecksum, udpOf } from "./packet-util.js";
import {
  dropped,
  type HandlerResult,
  handled,
  type PacketIn,
  type RawOption,
  type ResultField,
} from "./types.js";

const NETMASK = 1;
const BOOTFILE = 67;
const BOOTFILE_ALT = 254;
const NEXT_SERVER = 253;
/** The Etherboot option an iPXE client's request carries. */
const ETHERBOOT = 175;

/**
 * bootfile_name (67) and bootfile_name_alt (254), as ovn-nb(5) and ovn-controller 23.03 have it: when
 * 67 is directly followed by 254 (the action puts them first), one option 67 goes out, carrying 67's
 * file for an iPXE client (its request has option 175) and 254's otherwise; a 254 without a 67 before
 * it goes out as 67.  `nextServerSeen` is false when the real controller overlooks next_server (253):
 * after the iPXE case it reads the option that follows the pair (253, where the action puts it) out of
 * step, so siaddr is not set (observed: the OFFER to an iPXE client keeps siaddr 0 and still carries
 * option 253).
 */
function bootfile(
  options: readonly RawOption[],
  req: Dhcp4Message,
): { options: RawOption[]; nextServerSeen: boolean } {
  const ipxe = req.options.some((o) => o.code === ETHERBOOT);
  const out: RawOption[] = [];
  let named = false;
  let nextServerSeen = true;
  for (let i = 0; i < options.length; i++) {
    const o = options[i] as RawOption;
    const next = options[i + 1];
    if (o.code === BOOTFILE && next?.code === BOOTFILE_ALT) {
      out.push({ code: BOOTFILE, data: ipxe ? o.data : next.data });
      named = true;
      // The action puts 253 right after the pair, where the real controller then reads out of step.
      if (ipxe) nextServerSeen = false;
      i++;
    } else if (o.code === BOOTFILE_ALT && !named) out.push({ code: BOOTFILE, data: o.data });
    else {
      if (o.code === BOOTFILE) named = true;
      out.push(o);
    }
  }
  return { options: out, nextServerSeen };
}
const T1 = 58;
const T2 = 59;
const none = new Uint8Array();
const pad = (): DhcpOption => ({ code: DHCP_OPT_PAD, data: none });

export function resumeUnanswered(pin: PacketIn, result: ResultField, counter: string): HandlerResult {
  return handled(counter, { kind: "resume", packet: pin.packet, result: { ...result, value: 0 } });
}

/**
 * The last option `code` of `len` bytes, as C reads the message type and the requested address: a
 * later valid one wins, one of another length is passed over (peer/diff-probes-more.ts).
 */
function lastOption(req: Dhcp4Message, code: number, len: number): Uint8Array | undefined {
  let found: Uint8Array | undefined;
  for (const o of req.options) if (o.code === code && o.data.length === len) found = o.data;
  return found;
}

/** Where the options of a BOOTP message start: after the fixed header and the magic cookie. */
const OPTIONS_AT = 240;

/**
 * A request as ovn-controller 23.03 reads it (peer/diff-probes-more.ts): an option that runs past the
 * end of the datagram ends the options, and those before it count (the message is answered).
 */
function decodeDhcp4Leniently(payload: Uint8Array): ReturnType<typeof decodeDhcp4> {
  const d = decodeDhcp4(payload);
  if (d.ok || payload.length < OPTIONS_AT) return d;
  let at = OPTIONS_AT;
  while (at < payload.length) {
    const code = payload[at] as number;
    if (code === DHCP_OPT_END) return d;
    if (code === DHCP_OPT_PAD) {
      at += 1;
      continue;
    }
    const end = at + 2 + (payload[at + 1] ?? 0);
    if (at + 2 > payload.length || end > payload.length) break;
    at = end;
  }
  return decodeDhcp4(Uint8Array.from([...payload.subarray(0, at), DHCP_OPT_END]));
}

/**
 * What to answer a request of type `type`, or why not to. A REQUEST naming another server (option 54)
 * is answered all the same, as ovn-controller 23.03 does (peer/diff-probes-more.ts): only the address
 * asked for decides between ACK and NAK.
 */
function replyType(req: Dhcp4Message, type: number | undefined, offerIp: string): number | string {
  switch (type) {
    case DHCP_DISCOVER:
      return DHCP_OFFER;
    case DHCP_REQUEST: {
      const asked = lastOption(req, DHCP_OPT_REQUESTED_IP, 4);
      const wanted = asked !== undefined ? formatIpv4(asked) : req.ciaddr;
      return wanted === offerIp ? DHCP_ACK : DHCP_NAK;
    }
    case DHCP_INFORM:
      return DHCP_ACK;
    case DHCP_RELEASE:
      return "release";
    case DHCP_DECLINE:
      return "decline";
    default:
      return "unsupported-type";
  }
}

export function handlePutDhcpOpts(
  pin: PacketIn,
  a: { readonly result: ResultField; readonly offerIp: string; readonly options: readonly RawOption[] },
): HandlerResult {
  // Whatever is not answered goes on through the pipeline with the result bit clear, as in C.
  const no = (why: string) => resumeUnanswered(pin, a.result, `dhcp4-${why}`);
  const u = udpOf(pin.packet);
  if (!u.ok) return dropped(`dhcp4-${u.reason}`);
  const { frame, udp } = u.value;
  if (frame.l3.kind !== "ipv4") return dropped("dhcp4-not-ipv4");
  const { checksum: _, ...ip4 } = frame.l3.ip;
  const d = decodeDhcp4Leniently(udp.payload);
  if (!d.ok) return no(d.truncated ? "truncated" : "malformed");
  const req = d.value;
  if (req.op !== BOOTP_REQUEST || !req.cookie) return no("not-request");
  const type = lastOption(req, DHCP_OPT_MSG_TYPE, 1)?.[0];
  if (type === undefined) return no("no-message-type");
  const reply = replyType(req, type, a.offerIp);
  if (typeof reply === "string") return resumeUnanswered(pin, a.result, `dhcp4-${reply}`);
  const inform = type === DHCP_INFORM;
  // An INFORM's ACK leaves out the lease and its times, and the netmask too (as ovn-controller 23.03
  // does; peer/actions-diff.test.ts).
  const lease = (o: RawOption): boolean =>
    o.code === DHCP_OPT_LEASE_TIME || o.code === T1 || o.code === T2 || o.code === NETMASK;
  const boot = bootfile(
    a.options.filter((o) => !(inform && lease(o))),
    req,
  );
  const carried = reply === DHCP_NAK ? [] : boot.options;
  const nextServer = boot.nextServerSeen
    ? a.options.find((o) => o.code === NEXT_SERVER && o.data.length === 4)
    : undefined;
  const msg: Dhcp4Message = {
    ...req,
    // The request's header is kept (secs, flags, giaddr, sname and file too), as C's answer keeps it.
    op: BOOTP_REPLY,
    ciaddr: reply === DHCP_ACK ? req.ciaddr : "0.0.0.0",
    yiaddr: reply === DHCP_NAK || inform ? "0.0.0.0" : a.offerIp,
    // next_server (option 253) names the boot server in an OFFER or ACK; else (and in the ACK to an
    // INFORM) the request's own siaddr is echoed.
    siaddr:
      reply === DHCP_NAK
        ? "0.0.0.0"
        : nextServer !== undefined && !inform
          ? formatIpv4(nextServer.data)
          : req.siaddr,
    options: [
      { code: DHCP_OPT_MSG_TYPE, data: Uint8Array.of(reply) },
      ...carried.map((o) => ({ code: o.code, data: o.data })),
      pad(),
      pad(),
      pad(),
      pad(),
      { code: DHCP_OPT_END, data: none },
    ],
    trailer: new Uint8Array(4),
  };
  const dst = (req.flags & DHCP_BROADCAST_FLAG) !== 0 ? "255.255.255.255" : a.offerIp;
  const encoded = encodeFrame({
    eth: frame.eth,
    l3: {
      kind: "ipv4",
      ip: { ...ip4, dst, payload: none, trailer: none },
      l4: {
        kind: "udp",
        udp: { srcPort: udp.srcPort, dstPort: udp.dstPort, checksum: 0, payload: encodeDhcp4(msg) },
      },
    },
  });
  // The IPv4 header checksum over 20 bytes only, as C (with IP options, the answer is lost).
  const packet = baseHeaderChecksum(encoded, frame.eth.vlans.length);
  const counter =
    { [DHCP_OFFER]: "dhcp4-offer", [DHCP_ACK]: "dhcp4-ack", [DHCP_NAK]: "dhcp4-nak" }[reply] ?? "dhcp4";
  return handled(counter, { kind: "resume", packet, result: { ...a.result, value: 1 } });
}
