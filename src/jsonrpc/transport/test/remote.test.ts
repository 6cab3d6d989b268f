import assert from "node:assert/strict";
import { test } from "node:test";
import { formatRemote, parseRemote, parseRemoteList, RemoteSyntaxError } from "../remote.js";

const GOOD: Array<[string, ReturnType<typeof parseRemote>, string]> = [
  ["punix:/run/ovn/nb.sock", { kind: "punix", path: "/run/ovn/nb.sock" }, "punix:/run/ovn/nb.sock"],
  ["unix:rel/path.sock", { kind: "unix", path: "rel/path.sock" }, "unix:rel/path.sock"],
  ["ptcp:6641", { kind: "ptcp", port: 6641, host: "0.0.0.0" }, "ptcp:6641:0.0.0.0"],
  ["ptcp:0:127.0.0.1", { kind: "ptcp", port: 0, host: "127.0.0.1" }, "ptcp:0:127.0.0.1"],
  ["ptcp:", { kind: "ptcp", port: 6640, host: "0.0.0.0" }, "ptcp:6640:0.0.0.0"],
  ["ptcp:6640:[::]", { kind: "ptcp", port: 6640, host: "::" }, "ptcp:6640:[::]"],
  ["ptcp:6640:::1", { kind: "ptcp", port: 6640, host: "::1" }, "ptcp:6640:[::1]"],
  [
    "pssl:6642:[fe80::1%eth0]",
    { kind: "pssl", port: 6642, host: "fe80::1%eth0" },
    "pssl:6642:[fe80::1%eth0]",
  ],
  ["pssl:", { kind: "pssl", port: 6640, host: "0.0.0.0" }, "pssl:6640:0.0.0.0"],
  ["tcp:127.0.0.1:6641", { kind: "tcp", host: "127.0.0.1", port: 6641 }, "tcp:127.0.0.1:6641"],
  ["tcp:127.0.0.1", { kind: "tcp", host: "127.0.0.1", port: 6640 }, "tcp:127.0.0.1:6640"],
  ["tcp:[::1]:6641", { kind: "tcp", host: "::1", port: 6641 }, "tcp:[::1]:6641"],
  ["ssl:[::1]", { kind: "ssl", host: "::1", port: 6640 }, "ssl:[::1]:6640"],
  [
    "ssl:ovn-central.example.com:6642",
    { kind: "ssl", host: "ovn-central.example.com", port: 6642 },
    "ssl:ovn-central.example.com:6642",
  ],
];

test("remotes parse and print back", () => {
  for (const [text, remote, canonical] of GOOD) {
    assert.deepEqual(parseRemote(text), remote, text);
    assert.equal(formatRemote(remote), canonical, text);
    assert.deepEqual(parseRemote(canonical), remote, canonical);
  }
});

const BAD: Array<[string, string]> = [
  ["foo:bar", `unknown remote type 'foo' in "foo:bar"`],
  ["/tmp/x.sock", `/tmp/x.sock: remote must be TYPE:ARGS (e.g. "unix:/run/db.sock")`],
  ["unix:", "unix:: missing socket file name"],
  ["punix:", "punix:: missing socket file name"],
  ["ptcp:abc", 'ptcp:abc: bad port number "abc"'],
  ["ptcp:70000", 'ptcp:70000: bad port number "70000"'],
  ["tcp:", "tcp:: missing host"],
  ["tcp::6640", "tcp::6640: missing host"],
  ["tcp:1.2.3.4.5:6640", 'tcp:1.2.3.4.5:6640: bad IP address or host name "1.2.3.4.5"'],
  ["tcp:300.1.1.1:6640", 'tcp:300.1.1.1:6640: bad IP address or host name "300.1.1.1"'],
  ["tcp:[::1:6640", "tcp:[::1:6640: missing ']' after IPv6 address"],
  ["tcp:[::1]x", "tcp:[::1]x: junk after IPv6 address"],
  ["ssl:host:-1", 'ssl:host:-1: bad port number "-1"'],
  ["ptcp:6640:bad_host!", 'ptcp:6640:bad_host!: bad IP address or host name "bad_host!"'],
];

test("bad remotes get clear errors", () => {
  for (const [text, message] of BAD) {
    assert.throws(
      () => parseRemote(text),
      (e: unknown) => e instanceof RemoteSyntaxError && e.message === message,
      `${text} => ${message}`,
    );
  }
});

test("remote lists: comma separated, spaces allowed, optional cid", () => {
  const l = parseRemoteList("tcp:10.0.0.1:6641, tcp:10.0.0.2:6641,cid:1234,unix:/x");
  assert.deepEqual(l.names, ["tcp:10.0.0.1:6641", "tcp:10.0.0.2:6641", "unix:/x"]);
  assert.equal(l.cid, "1234");
  assert.equal(l.remotes.length, 3);
  assert.throws(() => parseRemoteList("ptcp:6641"), /expected an active remote/);
  assert.throws(() => parseRemoteList(" , "), /no remote given/);
});
