// Glue between one JSON-RPC connection and the server core: requests and notifications go to the core;
// the core's JSON text goes out on the connection; closing tears the session down.
import type { JsonRpcConnection } from "../../jsonrpc/session.js";
import { NO_REPLY } from "../../jsonrpc/session.js";
import { afterThisRead } from "../../jsonrpc/transport/socket-duplex.js";
import type { OvsdbServer } from "./server.js";

/**
 * Bytes a client may leave unread before it is disconnected (JsonRpcConnection's maxBacklogBytes, set by
 * the remotes). Large enough for a whole big database's initial monitor reply to a slow reader.
 */
export const MAX_BACKLOG_BYTES = 64 * 1024 * 1024;

/** `role`: the RBAC role of the remote the connection came through (a Connection row's "role"). */
export function attachConnection(server: OvsdbServer, conn: JsonRpcConnection, role?: string): void {
  // Commit bookkeeping that may follow a reply is done once the read's replies are written.
  server.afterReply ??= afterThisRead;
  const session = server.connect({
    name: conn.name,
    role,
    clientId: conn.peerCommonName,
    sendText: (text) => conn.sendText(text),
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
