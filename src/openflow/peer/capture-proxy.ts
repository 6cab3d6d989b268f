// A recording OpenFlow proxy: listens on a unix socket, forwards each connection to a real
// ovs-vswitchd management socket, and records every OpenFlow message in both directions as one JSON
// line {dir, hex}.  This is how the wire fixtures were captured (see ../fixtures/README.md):
//   node dist/src/openflow/peer/capture-proxy.js LISTEN.sock $OVS_RUNDIR/br-int.mgmt OUT.jsonl
//   ovs-ofctl -O OpenFlow15 add-flow unix:LISTEN.sock "..."
import { appendFileSync } from "node:fs";
import { connect, createServer, type Server, type Socket } from "node:net";

export interface CapturedMessage {
  /** "c2s": from the client (ovs-ofctl, us) to the switch; "s2c" the other way. */
  readonly dir: "c2s" | "s2c";
  readonly hex: string;
}

/** Splits a byte stream into OpenFlow messages by the header's length field. */
export class MessageSplitter {
  private buf = Buffer.alloc(0);
  push(chunk: Buffer): Buffer[] {
    this.buf = Buffer.concat([this.buf, chunk]);
    const out: Buffer[] = [];
    while (this.buf.length >= 8) {
      const len = this.buf.readUInt16BE(2);
      if (len < 8 || this.buf.length < len) break;
      out.push(this.buf.subarray(0, len));
      this.buf = this.buf.subarray(len);
    }
    return out;
  }
}

export function startCaptureProxy(
  listenPath: string,
  targetPath: string,
  onMessage: (m: CapturedMessage) => void,
): Promise<Server> {
  const server = createServer((client: Socket) => {
    const upstream = connect(targetPath);
    const up = new MessageSplitter();
    const down = new MessageSplitter();
    client.on("data", (d: Buffer) => {
      for (const m of up.push(d)) onMessage({ dir: "c2s", hex: m.toString("hex") });
      upstream.write(d);
    });
    upstream.on("data", (d: Buffer) => {
      for (const m of down.push(d)) onMessage({ dir: "s2c", hex: m.toString("hex") });
      client.write(d);
    });
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(listenPath, () => resolve(server));
  });
}

const isMain =
  process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, "/"));
if (isMain && process.argv.length === 5) {
  const [, , listen, target, out] = process.argv as [string, string, string, string, string];
  void startCaptureProxy(listen, target, (m) => appendFileSync(out, `${JSON.stringify(m)}\n`));
}
