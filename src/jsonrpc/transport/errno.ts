// Node reports socket failures as "connect ENOENT /path"; the C tools print strerror() text. Operators
// and tests grep for the latter, so we translate the common codes.

const STRERROR: Record<string, string> = {
  ENOENT: "No such file or directory",
  ENOTDIR: "Not a directory",
  ECONNREFUSED: "Connection refused",
  ECONNRESET: "Connection reset by peer",
  EPIPE: "Broken pipe",
  ETIMEDOUT: "Connection timed out",
  EADDRINUSE: "Address already in use",
  EADDRNOTAVAIL: "Cannot assign requested address",
  EACCES: "Permission denied",
  EHOSTUNREACH: "No route to host",
  ENETUNREACH: "Network is unreachable",
  EAFNOSUPPORT: "Address family not supported by protocol",
  ENOTSOCK: "Socket operation on non-socket",
  EEXIST: "File exists",
  ENAMETOOLONG: "File name too long",
  EPROTO: "Protocol error",
  ELOOP: "Too many levels of symbolic links",
  EISDIR: "Is a directory",
};

/** strerror()-style text for a Node system error, or its message when the code is not known. */
export function errorText(e: unknown): string {
  if (typeof e === "object" && e !== null) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && code in STRERROR) return STRERROR[code] as string;
    if (e instanceof Error) return e.message;
  }
  return String(e);
}
