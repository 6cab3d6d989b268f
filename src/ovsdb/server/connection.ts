// Glue between one JSON-RPC connection and the server core: requests and notifications go to the core;
// the core's JSON text goes out on the connection; closing tears the session down.
import { logger } from "../../base/log.js";
import type { JsonRpcConnection } from "../../jsonrpc/session.js";
import { NO_REPLY } from "../../jsonrpc/session.js";
import type { OvsdbServer } from "./server.js";

const log = logger("ovsdb_jsonrpc_server");

/** Bytes a client may leave unread before it is disconnected (the C server's backlog limit is similar). */
export const MAX_BACKLOG_BYTES = 64 * 1024 * 1024;

/** `role`: the RBAC role of the remote the connection came through (a Connection row's "role"). */
export function attachConnection(server: OvsdbServer, conn: JsonRpcConnection, role?: string): void {
  const session = server.connect({
    name: conn.name,
    role,
    clientId: conn.peerCommonName,
    sendText: (text) => {
      conn.sendText(text);
      if (conn.backlog > MAX_BACKLOG_BYTES) {
        log.warn(
          `${conn.name}: send backlog ${conn.backlog} bytes exceeds ${MAX_BACKLOG_BYTES}, disconnecting`,
        );
        conn.close();
      }
    },
    close: () => conn.close(),
  });
  conn.setHandlers({
    onRequest: (req) => {
      server.handle(session, req.method, req.params, req.id);
      return NO_REPLY;
    },
    onNotification: (msg) => server.handle(session, msg.method, msg.params, null),
    onClose: () => server.disconnect(session),
  });
}
