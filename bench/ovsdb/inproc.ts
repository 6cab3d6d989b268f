// The server's request path for sequential single-row transactions, driven in this process: bytes of a
// `transact` request into a JSON-RPC connection attached to the server core, through execute, commit,
// the log append (a real file, written with write(2)) and the reply's text. No socket, no event loop:
// what is left is our JavaScript, its garbage and the log write, per transaction.
//
// `node dist/bench/ovsdb/inproc.js [TRANSACTIONS [KIB]]` prints CPU µs and bytes allocated per
// transaction; with KIB, also the user CPU per transaction when KIB of other memory is written between
// two transactions (as other processes do between a real server's requests), less that writing's own
// cost: how much of the real server's time is caches refilled.
// Bytes are the growth of the heap over windows in which no collection ran (counted with a
// PerformanceObserver); run with --max-semi-space-size=64 for long enough windows.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PerformanceObserver } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import type { ByteDuplex, DuplexEvents } from "../../src/jsonrpc/duplex.js";
import { JsonRpcConnection } from "../../src/jsonrpc/session.js";
import { systemClock } from "../../src/jsonrpc/transport/system-clock.js";
import { attachConnection } from "../../src/ovsdb/server/connection.js";
import { FileStore, openDbFile } from "../../src/ovsdb/server/file-store.js";
import { OvsdbServer } from "../../src/ovsdb/server/server.js";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

/** A duplex whose bytes the caller pushes in and whose output it counts. */
class DrivenDuplex implements ByteDuplex {
  readonly peerName = "inproc#1";
  readonly peerCommonName = undefined;
  readonly backlog = 0;
  events: DuplexEvents | undefined;
  replies = 0;
  last = "";
  start(events: DuplexEvents): void {
    this.events = events;
  }
  write(): void {
    this.replies += 1;
  }
  writeText(text: string): void {
    this.replies += 1;
    this.last = text;
  }
  close(): void {}
}

async function main(argv: readonly string[]): Promise<void> {
  const n = Number(argv[0] ?? 100_000);
  const dir = mkdtempSync(join(tmpdir(), "ovnts-inproc-"));
  try {
    const schema = JSON.parse(readFileSync(join(repoRoot, "schemas/ovn-nb.ovsschema"), "utf8"));
    const { schema: s, records, file } = await openDbFile(join(dir, "nb.db"), schema);
    const server = new OvsdbServer({ now: () => Date.now() });
    const store = new FileStore(file, () => Date.now());
    store.load(server.addDb(s, store), records);
    const duplex = new DrivenDuplex();
    attachConnection(server, new JsonRpcConnection(duplex, { clock: systemClock }));
    const events = duplex.events as DuplexEvents;
    const enc = new TextEncoder();
    const requests: Uint8Array[] = [];
    for (let i = 0; i < n; i++) {
      const op = { op: "insert", table: "Logical_Switch", row: { name: `sw${i}` } };
      requests.push(
        enc.encode(JSON.stringify({ method: "transact", params: ["OVN_Northbound", op], id: i })),
      );
    }
    let gcs = 0;
    const obs = new PerformanceObserver((list) => {
      gcs += list.getEntries().length;
    });
    obs.observe({ entryTypes: ["gc"] });
    const warm = Math.min(5000, n >> 2);
    for (let i = 0; i < warm; i++) events.onData(requests[i] as Uint8Array);
    const WINDOW = 200;
    const bytes: number[] = [];
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = warm; i < n; i += WINDOW) {
      const g = gcs;
      const h = process.memoryUsage().heapUsed;
      const end = Math.min(n, i + WINDOW);
      for (let k = i; k < end; k++) events.onData(requests[k] as Uint8Array);
      const grown = process.memoryUsage().heapUsed - h;
      await new Promise((r) => setImmediate(r)); // let the GC observer report
      if (gcs === g && grown > 0) bytes.push(grown / (end - i));
    }
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    obs.disconnect();
    const m = n - warm;
    bytes.sort((a, b) => a - b);
    const med = bytes[bytes.length >> 1] ?? Number.NaN;
    console.log(
      `${m} txns: ${((ms * 1000) / m).toFixed(2)} µs wall, user ${(cpu.user / m).toFixed(2)} µs, sys ${(cpu.system / m).toFixed(2)} µs per txn; ` +
        `~${Math.round(med)} bytes allocated per txn (${bytes.length} clean windows); ${gcs} GCs; replies ${duplex.replies}`,
    );
    console.log(`last reply: ${duplex.last}`);
    const kib = Number(argv[1] ?? 0);
    if (kib > 0) withCachesEvicted(events, kib, 20_000);
    await store.closeAndWait();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Transactions with `kib` KiB of other memory written before each: their user CPU less that of the
 * writing alone (measured first, the same number of times).
 */
function withCachesEvicted(events: DuplexEvents, kib: number, m: number): void {
  const enc = new TextEncoder();
  const requests: Uint8Array[] = [];
  for (let i = 0; i < m; i++) {
    const op = { op: "insert", table: "Logical_Switch", row: { name: `evicted${i}` } };
    requests.push(enc.encode(JSON.stringify({ method: "transact", params: ["OVN_Northbound", op], id: i })));
  }
  const other = new Uint8Array(kib * 1024);
  let sink = 0;
  const touch = (): void => {
    for (let j = 0; j < other.length; j += 64) sink += other[j] = ((other[j] as number) + 1) & 0xff;
  };
  // Alternating blocks, so that drift in the machine's load falls on both.
  let alone = 0;
  let both = 0;
  const BLOCK = 500;
  for (let i = 0; i < m; i += BLOCK) {
    const a0 = process.cpuUsage();
    for (let k = 0; k < BLOCK; k++) touch();
    alone += process.cpuUsage(a0).user;
    const b0 = process.cpuUsage();
    for (let k = i; k < i + BLOCK && k < m; k++) {
      touch();
      events.onData(requests[k] as Uint8Array);
    }
    both += process.cpuUsage(b0).user;
  }
  console.log(
    `${kib} KiB written between transactions: ${((both - alone) / m).toFixed(2)} µs user per txn ` +
      `(the writing alone ${(alone / m).toFixed(2)} µs; ${sink & 1})`,
  );
}

await main(process.argv.slice(2));
