// An in-process ovnts OVSDB server core with a capturing peer: the same requests the real server gets.
import { readFileSync } from "node:fs";
import { parseSchema } from "../../src/ovsdb/schema/parse.js";
import { OvsdbServer, type ServerSession } from "../../src/ovsdb/server/server.js";

export class InprocClient {
  readonly out: Record<string, unknown>[] = [];
  readonly session: ServerSession;
  private nextId = 1;
  constructor(readonly server: OvsdbServer) {
    this.session = server.connect({
      name: "inproc",
      sendText: (t) => this.out.push(JSON.parse(t) as Record<string, unknown>),
      close: () => undefined,
    });
  }

  request(method: string, params: unknown): Record<string, unknown> {
    const id = this.nextId++;
    this.server.handle(this.session, method, params, id);
    const i = this.out.findIndex((m) => m.id === id);
    if (i < 0) throw new Error(`no reply to ${method}`);
    return this.out.splice(i, 1)[0] as Record<string, unknown>;
  }

  /** Notifications received so far (removed from the buffer). */
  takeNotifications(): Record<string, unknown>[] {
    const n = this.out.filter((m) => m.id === null);
    this.out.length = 0;
    return n;
  }
}

export function inprocServer(schemaFiles: string[]): OvsdbServer {
  const server = new OvsdbServer({ now: () => Date.now() });
  for (const f of schemaFiles) server.addDb(parseSchema(JSON.parse(readFileSync(f, "utf8"))), undefined);
  return server;
}
