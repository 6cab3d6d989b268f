// A TCP port nobody is listening on right now, for servers that must be told a port up front (their
// --remote=pssl:PORT cannot be read back: list-remotes prints the configured "0"). Bound to port 0 by the
// kernel, then released; the small window until the server binds it is acceptable in a sandboxed test.
import { createServer } from "node:net";

export function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr !== null ? addr.port : 0;
      srv.close(() => (port > 0 ? resolve(port) : reject(new Error("no port assigned"))));
    });
  });
}
