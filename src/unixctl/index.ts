// Public API of unixctl: the command table, the server daemons run, and a client (ovs-appctl's role).

export { resolveAppctlTarget, unixctlCall } from "./client.js";
export {
  type UnixctlCommand,
  UnixctlCommands,
  UnixctlError,
  type UnixctlHandler,
  type UnixctlReply,
  withNewline,
} from "./commands.js";
export { appctlPidfile, unixctlSocketPath } from "./paths.js";
export { UnixctlServer, type UnixctlServerOptions } from "./server.js";
