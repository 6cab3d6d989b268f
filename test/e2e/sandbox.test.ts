// `bin/ovnts sandbox --vms 2` end to end: it comes up (DHCP included), VMs reach each other, the router
// and the outside host, which sees them SNATed to the router's public address; SIGINT leaves no
// namespace, link, process or directory behind.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { test } from "node:test";
import { listNetns, runOk } from "../../src/sandbox/host.js";
import { OVNTS_BIN } from "../../src/sandbox/procs.js";
import { assertPings, processesMentioning, skipReason, tcpTransfer } from "./e2e-util.js";

const skip = skipReason(["ip", "ping", "ovs-vswitchd", "ovs-vsctl", "ethtool", "udhcpc"]);

test("e2e: ovnts sandbox --vms 2: DHCP, VM to VM, router, SNAT to outside; SIGINT cleans up", {
  skip: skip ?? false,
  timeout: 90_000,
}, async () => {
  const tag = `t${randomBytes(2).toString("hex")}`;
  const prefix = `ovnts-${tag}-`;
  const child = spawn(process.execPath, [OVNTS_BIN, "sandbox", "--vms", "2", `--name=${tag}`], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  try {
    const t0 = Date.now();
    while (!out.includes("sandbox ready")) {
      if (child.exitCode !== null) throw new Error(`sandbox exited early:\n${out}`);
      if (Date.now() - t0 > 60_000) throw new Error(`sandbox not ready in 60 s:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const workDir = /work directory (\S+)/.exec(out)?.[1];
    assert.ok(workDir !== undefined, "the sandbox names its work directory");
    assert.match(out, /vm1: DHCP lease 10\.0\.0\.11/);
    assert.match(out, /vm2: DHCP lease 10\.0\.0\.12/);
    const vm1 = `${prefix}vm1`;
    const outside = `${prefix}outside`;
    // The lease really configured the VM: address and default route.
    const addr = await runOk("ip", ["-n", vm1, "-4", "-o", "addr", "show", "dev", "eth0"]);
    assert.match(addr, /inet 10\.0\.0\.11\/24/);
    assert.match(await runOk("ip", ["-n", vm1, "route"]), /default via 10\.0\.0\.1/);

    await assertPings(vm1, "10.0.0.12");
    await assertPings(vm1, "10.0.0.1");
    await assertPings(vm1, "172.16.0.10");
    // SNAT: the outside host sees the router's public address, not the VM's.
    const seen = await tcpTransfer(outside, vm1, "172.16.0.10", 100_000);
    assert.deepEqual(seen, { peer: "172.16.0.1", bytes: 100_000 });

    child.kill("SIGINT");
    assert.equal(await exited, 0, out);
    assert.match(out, /sandbox stopped/);
    assert.deepEqual(
      (await listNetns()).filter((n) => n.startsWith(prefix)),
      [],
    );
    assert.deepEqual(processesMentioning(workDir), [], "no process of the sandbox remains");
    assert.equal(existsSync(workDir), false, "work directory removed");
    // Links were made inside the namespaces only: none of their names is on the host.
    const hostLinks = await runOk("ip", ["-o", "link"]);
    assert.doesNotMatch(hostLinks, new RegExp(`${prefix}|: vm[12][@:]|: outside[@:]`));
  } finally {
    if (child.exitCode === null) {
      child.kill("SIGINT");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      child.kill("SIGKILL");
    }
  }
});
