// UUIDs as lowercase canonical strings ("8-4-4-4-12" hex). Generation uses the platform's CSPRNG through
// the web-standard `crypto` global, which every runtime we target provides.

export type Uuid = string;

const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export const ZERO_UUID: Uuid = "00000000-0000-0000-0000-000000000000";

export function isUuid(s: string): boolean {
  return UUID_RE.test(s);
}

export function newUuid(): Uuid {
  // randomUUID() may hand back a string that still points into a larger buffer of formatted uuids;
  // flattening it makes a uuid kept for the life of a row cost its own ~56 bytes, not hundreds.
  const u = globalThis.crypto.randomUUID();
  u.charCodeAt(35);
  return u;
}
