// Packets on a dummy datapath: inject with netdev-dummy/receive, read what ports sent from their
// options:tx_pcap files, and ask ofproto/trace where a flow would go.
import { existsSync, readFileSync } from "node:fs";
import { type PcapPacket, parsePcap, toHex } from "./pcap.js";
import { waitUntil } from "./wait.js";

/** Anything with an appctl() against ovs-vswitchd (a Vswitchd handle or its Daemon). */
export interface AppctlTarget {
  appctl(...args: string[]): Promise<string>;
}

/** Makes a dummy port receive a frame, as if it arrived on the wire. */
export async function injectPacket(
  vswitchd: AppctlTarget,
  port: string,
  frame: string | Uint8Array,
): Promise<void> {
  const hex = typeof frame === "string" ? frame.replace(/[\s:]/g, "") : toHex(frame);
  await vswitchd.appctl("netdev-dummy/receive", port, hex);
}

/** The packets in a pcap file; a missing file counts as empty (the port has sent nothing yet). */
export function readPcapFile(path: string): PcapPacket[] {
  if (!existsSync(path)) return [];
  const r = parsePcap(readFileSync(path));
  if (!r.ok) throw new Error(`${path}: ${r.error}`);
  return r.packets;
}

/** Waits until a pcap file holds at least `count` packets and returns them all. */
export function waitForPackets(path: string, count: number, timeoutMs = 5000): Promise<PcapPacket[]> {
  return waitUntil(
    () => {
      const p = readPcapFile(path);
      return p.length >= count ? p : false;
    },
    timeoutMs,
    { what: `${count} packet(s) in ${path}` },
  );
}

export interface Trace {
  /** The whole ofproto/trace output. */
  text: string;
  /** The "Datapath actions:" line's value ("drop", "2,100" ...). */
  datapathActions: string;
}

/**
 * `ofproto/trace BRIDGE FLOW [PACKET]`: FLOW in ovs-ofctl syntax ("in_port=1,dl_dst=..."). With a packet
 * (hex), the trace follows the real frame instead of the flow fields alone.
 */
export async function ofprotoTrace(
  vswitchd: AppctlTarget,
  bridge: string,
  flow: string,
  packetHex?: string,
): Promise<Trace> {
  const text = await vswitchd.appctl(
    "ofproto/trace",
    bridge,
    flow,
    ...(packetHex !== undefined ? [packetHex] : []),
  );
  const m = /^Datapath actions: (.*)$/m.exec(text);
  if (m === null || m[1] === undefined)
    throw new Error(`ofproto/trace printed no datapath actions:\n${text}`);
  return { text, datapathActions: m[1] };
}
