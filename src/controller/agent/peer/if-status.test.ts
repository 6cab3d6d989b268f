// When a claimed port is reported up, the real ovn-controller 23.03 and ours side by side (if-status.ts):
// with conditional monitoring, a VIF plugged onto a switch that is not local yet is claimed as soon as
// its Port_Binding is in the replica; the switch's own logical flows come later, by the condition change
// the claim makes.  Port_Binding.up follows the install of what the claiming pass had (the port's
// physical flows), not those logical flows; `--wait=hv` follows everything.
//
// To see the order for certain, the controller reaches the Southbound through a proxy that holds every
// monitor_cond_change request for HOLD_MS before passing it on (other requests pass at once: a server
// answering a later transaction first is what a client sending them in the other order would see).
//
// Then ovn-installed as ovn-controller keeps it: removed from the interface of a port released (its
// iface-id cleared) or deleted, set again when the port comes back.
//
//   sw0: p0 (plugged at start: the chassis has a local datapath)
//   sw1: q0 (plugged later; sw1 becomes local by its claim)
import assert from "node:assert/strict";
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { before, test } from "node:test";
import { requireTools } from "../../../../test/support/exec.js";
import type { Impl } from "../../../../test/support/impl.js";
import {
  nbctl,
  ofctl,
  type Sandbox,
  sbctl,
  startController,
  startDbServer,
  startNorthd,
  startVswitchd,
  vsctl,
  withSandbox,
} from "../../../../test/support/sandbox.js";
import { waitUntil } from "../../../../test/support/wait.js";
import { JsonFramer } from "../../../jsonrpc/framing.js";

/** Peer tests never skip: CI installs these (scripts/install-deps.sh); a missing one is an error. */
const PEERS = ["ovn-northd", "ovn-controller", "ovs-vswitchd", "ovsdb-server", "ovn-nbctl", "ovn-sbctl"];
before(() => requireTools(...PEERS));

const WAIT_MS = 30_000;
/** How long the proxy holds a condition change once the start-up is done. */
const HOLD_MS = 2500;
const Q0_MAC = "f0:00:00:00:01:01";

/** A unix-socket proxy to an OVSDB server that can hold monitor_cond_change requests. */
interface CondProxy {
  holdMs: number;
  close(): Promise<void>;
}

async function startCondProxy(listenPath: string, serverPath: string): Promise<CondProxy> {
  const sockets = new Set<Socket>();
  const proxy: CondProxy = { holdMs: 0, close: () => Promise.resolve() };
  const server: Server = createServer((client) => {
    const upstream = createConnection(serverPath);
    sockets.add(client).add(upstream);
    upstream.on("data", (b) => client.write(b));
    // Requests are framed (the framer hands back each message's own text and method) so that a
    // condition change can be held while everything else goes through in order.
    const framer = new JsonFramer({
      parse: (text) => ({ text, method: (JSON.parse(text) as { method?: unknown }).method }),
    });
    let heldUntil = 0;
    client.on("data", (b) => {
      for (const m of framer.push(b) as unknown as { text: string; method: unknown }[]) {
        if (m.method !== "monitor_cond_change" || proxy.holdMs === 0) {
          upstream.write(m.text);
          continue;
        }
        // Held ones keep their own order.
        heldUntil = Math.max(heldUntil, Date.now() + proxy.holdMs);
        setTimeout(() => upstream.writable && upstream.write(m.text), heldUntil - Date.now());
      }
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("close", end).on("error", end);
    upstream.on("close", end).on("error", end);
  });
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(listenPath, resolve));
  proxy.close = () => {
    for (const s of sockets) s.destroy();
    return new Promise((resolve) => server.close(() => resolve()));
  };
  return proxy;
}

const bare = (out: string) => out.trim().replace(/"/g, "");

async function isUp(box: Sandbox, lport: string): Promise<boolean> {
  return (
    bare(await sbctl(box, "--bare", "--columns=up", "find", "Port_Binding", `logical_port=${lport}`)) ===
    "true"
  );
}

/** br-int's flows in the logical ingress tables (8..36) of datapath `key` that match `dl_dst=mac`. */
function logicalFlowsTo(flows: string, key: number, mac: string): string[] {
  return flows.split("\n").filter((l) => {
    const table = Number(/table=(\d+)/.exec(l)?.[1] ?? -1);
    return (
      table >= 8 &&
      table <= 36 &&
      l.includes(`metadata=0x${key.toString(16)},`) &&
      l.includes(`dl_dst=${mac}`)
    );
  });
}

async function scenario(impl: Impl): Promise<void> {
  await withSandbox(async (box) => {
    await startDbServer(box, { impl: "c", name: "nb", schemas: ["ovn-nb"] });
    const sb = await startDbServer(box, { impl: "c", name: "sb", schemas: ["ovn-sb"] });
    await startNorthd(box, { impl: "c" });
    const ovs = await startDbServer(box, { impl: "c", name: "ovs", schemas: ["vswitch"] });
    await startVswitchd(box, { dbSock: ovs.sock, dummy: "override" });
    const proxy = await startCondProxy(box.path("sb-proxy.sock"), sb.sock);
    try {
      await nbctl(box, "ls-add", "sw0");
      await nbctl(box, "lsp-add", "sw0", "p0", "--", "lsp-set-addresses", "p0", "f0:00:00:00:00:01 10.0.0.1");
      await nbctl(box, "ls-add", "sw1");
      await nbctl(box, "lsp-add", "sw1", "q0", "--", "lsp-set-addresses", "q0", `${Q0_MAC} 10.1.0.1`);
      await vsctl(box, "add-br", "br-int", "--", "set", "Bridge", "br-int", "fail-mode=secure");
      await vsctl(
        box,
        "add-port",
        "br-int",
        "p0",
        "--",
        "set",
        "Interface",
        "p0",
        "external_ids:iface-id=p0",
      );
      await startController(box, {
        impl,
        ovsDb: ovs.sock,
        sbDb: box.path("sb-proxy.sock"),
        name: `ctl-${impl}`,
        readyTimeoutMs: WAIT_MS,
      });
      await waitUntil(() => isUp(box, "p0"), WAIT_MS, { what: "p0 up" });
      await nbctl(box, "--wait=hv", "--timeout=30", "sync");
      const sw1 = Number(
        bare(
          await sbctl(
            box,
            "--bare",
            "--columns=tunnel_key",
            "find",
            "Datapath_Binding",
            "external_ids:name=sw1",
          ),
        ),
      );

      proxy.holdMs = HOLD_MS;
      const plugged = Date.now();
      await vsctl(
        box,
        "add-port",
        "br-int",
        "q0",
        "--",
        "set",
        "Interface",
        "q0",
        "external_ids:iface-id=q0",
      );
      const ofport = bare(await vsctl(box, "get", "Interface", "q0", "ofport"));
      await waitUntil(() => isUp(box, "q0"), WAIT_MS, { what: "q0 up", intervalMs: 20 });
      const upAfter = Date.now() - plugged;
      const atUp = await ofctl(box, "dump-flows", "br-int");
      // The claiming pass's install: q0's physical flows are there ...
      assert.ok(
        atUp.split("\n").some((l) => /table=0,/.test(l) && l.includes(`in_port=${ofport} `)),
        `${impl}: q0's physical flow (table 0, in_port=${ofport}) when up is seen`,
      );
      // ... sw1's own logical flows (its L2 lookup of q0) are still held by the proxy.
      assert.deepEqual(
        logicalFlowsTo(atUp, sw1, Q0_MAC),
        [],
        `${impl}: sw1's logical flows at up (${upAfter} ms)`,
      );
      // --wait=hv: everything for this nb_cfg is installed, the held condition change included.
      await nbctl(box, "--wait=hv", "--timeout=30", "sync");
      const synced = await ofctl(box, "dump-flows", "br-int");
      assert.notDeepEqual(
        logicalFlowsTo(synced, sw1, Q0_MAC),
        [],
        `${impl}: sw1's logical flows after --wait=hv`,
      );
      proxy.holdMs = 0;
      const installed = async (iface: string) =>
        (await vsctl(box, "get", "Interface", iface, "external_ids")).includes('ovn-installed="true"');
      assert.equal(await installed("q0"), true, `${impl}: q0's ovn-installed once up`);
      // Released by its interface (iface-id cleared): down, and its interface no longer says installed.
      await vsctl(box, "remove", "Interface", "q0", "external_ids", "iface-id");
      await waitUntil(async () => !(await isUp(box, "q0")), WAIT_MS, { what: "q0 down" });
      await nbctl(box, "--wait=hv", "--timeout=30", "sync");
      await waitUntil(async () => !(await installed("q0")), WAIT_MS, { what: "q0's ovn-installed removed" });
      // p0's logical port deleted: the same.
      await nbctl(box, "--wait=hv", "--timeout=30", "lsp-del", "p0");
      await waitUntil(async () => !(await installed("p0")), WAIT_MS, { what: "p0's ovn-installed removed" });
      // The port comes back: claimed, up and installed again.
      await nbctl(box, "lsp-add", "sw0", "p0", "--", "lsp-set-addresses", "p0", "f0:00:00:00:00:01 10.0.0.1");
      await waitUntil(() => isUp(box, "p0"), WAIT_MS, { what: "p0 up again" });
      await waitUntil(() => installed("p0"), WAIT_MS, { what: "p0's ovn-installed again" });
    } finally {
      await proxy.close();
    }
  });
}

test("port up covers the claiming pass's flows; the datapath's logical flows follow (ovn-controller)", () =>
  scenario("c"));

test("port up covers the claiming pass's flows; the datapath's logical flows follow (ovnts)", () =>
  scenario("ovnts"));
