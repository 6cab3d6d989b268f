import assert from "node:assert/strict";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { resolveAppctlTarget, unixctlCall } from "../client.js";
import { UnixctlError } from "../commands.js";
import { unixctlSocketPath } from "../paths.js";
import { UnixctlServer } from "../server.js";

const dir = mkdtempSync(join(tmpdir(), "ovnts-unixctl-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Sends raw bytes and collects what comes back until the server closes or `ms` pass. */
function raw(path: string, text: string, ms = 200): Promise<{ data: string; closed: boolean }> {
  return new Promise((resolve) => {
    const s = connect(path);
    let data = "";
    let closed = false;
    s.on("data", (d) => {
      data += d.toString();
    });
    s.on("close", () => {
      closed = true;
      resolve({ data, closed });
    });
    s.on("connect", () => s.write(text));
    setTimeout(() => {
      if (!closed) {
        s.destroy();
        resolve({ data, closed });
      }
    }, ms);
  });
}

test("unixctlCall runs commands on a UnixctlServer", async () => {
  const path = join(dir, "a.ctl");
  const server = await UnixctlServer.listen(path, { version: "test-daemon (ovnts) 0.1.0" });
  server.register("greet", "NAME...", 1, Infinity, (args) => `hello ${args.join(" ")}`);
  server.register("fail", "", 0, 0, () => {
    throw new UnixctlError("Failed to find the database.");
  });
  assert.equal(await unixctlCall(path, "version"), "test-daemon (ovnts) 0.1.0\n");
  assert.equal(await unixctlCall(path, "greet", ["a", "b"]), "hello a b\n");
  await assert.rejects(
    unixctlCall(path, "fail"),
    (e: unknown) => e instanceof UnixctlError && e.message === "Failed to find the database.\n",
  );
  await assert.rejects(
    unixctlCall(path, "greet"),
    (e: unknown) => e instanceof UnixctlError && /requires at least 1 arguments/.test(e.message),
  );
  assert.match(
    await unixctlCall(path, "list-commands"),
    /^The available commands are:\n {2}fail {20}\n {2}greet {19}NAME\.\.\.\n/,
  );
  await server.close();
  assert.throws(() => statSync(path), /ENOENT/);
});

test("the wire: one connection, several requests; replies shaped as the C server's", async () => {
  const path = join(dir, "b.ctl");
  const server = await UnixctlServer.listen(path, { version: "v" });
  server.register("exit", "", 0, 0, () => undefined);
  const r = await raw(
    path,
    '{"id":1,"method":"version","params":[]}{"id":2,"method":"exit","params":[5]}{"id":3,"method":"echo","params":[]}',
  );
  assert.equal(
    r.data,
    '{"id":1,"result":"v\\n","error":null}' +
      '{"id":2,"error":"\\"exit\\" command takes at most 0 arguments\\n"}' +
      '{"id":3,"error":"\\"echo\\" is not a valid command (use \\"list-commands\\" to see a list of valid commands)\\n"}',
  );
  assert.equal(r.closed, false);
  // Notifications and replies are not unixctl requests: the server hangs up, as the C one does.
  assert.deepEqual(await raw(path, '{"id":null,"method":"version","params":[]}'), { data: "", closed: true });
  assert.deepEqual(await raw(path, '{"id":1,"result":"x","error":null}'), { data: "", closed: true });
  await server.close();
});

test("socket paths and ovs-appctl -t NAME resolution", async () => {
  assert.equal(
    unixctlSocketPath({ rundir: "/run/ovn", program: "ovn-northd", pid: 12 }),
    "/run/ovn/ovn-northd.12.ctl",
  );
  assert.equal(
    unixctlSocketPath({ rundir: "/run/ovn", program: "x", pid: 1, option: "nb.ctl" }),
    "/run/ovn/nb.ctl",
  );
  assert.equal(
    unixctlSocketPath({ rundir: "/run/ovn", program: "x", pid: 1, option: "/tmp/a.ctl" }),
    "/tmp/a.ctl",
  );
  writeFileSync(join(dir, "ovsdb-server.pid"), "4242\n");
  assert.equal(await resolveAppctlTarget("ovsdb-server", dir), join(dir, "ovsdb-server.4242.ctl"));
  assert.equal(await resolveAppctlTarget("/x/y.ctl", dir), "/x/y.ctl");
  await assert.rejects(resolveAppctlTarget("nothing", dir), /cannot read pidfile/);
});
