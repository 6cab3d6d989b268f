// The real ovn-controller 23.03 under the "ovn-controller" role, over TLS (ovs-pki certificate, CN = its
// chassis name hv1), against `ovnts ovsdb-server --rbac-strict` for the Southbound database, with the
// real or the ovnts northd (which writes the RBAC rows) and ovs-vswitchd on dummy datapaths. The
// controller must register, claim the ports requested for it and the gateway port of its HA group,
// learn a neighbour of the router (a MAC_Binding on a datapath local through a patch port), and install
// its flows, without a single refused write; a port requested for another chassis stays unclaimed.
// Then, with hv1's certificate, a cross-chassis claim that OVN 23.03 would allow is refused and logged
// with the chassis name.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { before, test } from "node:test";
import { requireTools, runOk } from "../../../../test/support/exec.js";
import { injectPacket } from "../../../../test/support/packets.js";
import { ovntsBin, schemaPath } from "../../../../test/support/paths.js";
import {
  nbctl,
  sbctl,
  startDbServer,
  startNorthd,
  startVswitchd,
  vsctl,
  waitUntil,
  withSandbox,
} from "../../../../test/support/sandbox.js";
import { initOvsDb, vsctlAt } from "../../../../test/support/vswitchd.js";
import type { JsonRpcConnection } from "../../../jsonrpc/session.js";
import { connectJsonRpc } from "../../../jsonrpc/transport/index.js";

/** Peer tests never skip: CI installs these (scripts/install-deps.sh); a missing one is an error. */
const PEERS = ["ovn-controller", "ovn-northd", "ovs-vswitchd", "ovsdb-server", "ovs-pki"];
before(() => requireTools(...PEERS));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => resolve(typeof a === "object" && a !== null ? a.port : 0));
    });
  });
}

const MAC1 = "00:00:00:00:00:01";
const ROUTER_MAC = "00:00:00:00:ff:01";

/**
 * An ARP reply from vm1 (10.0.0.1) to the router (10.0.0.254): the router learns its sender. (A request
 * for the router's address would be answered by the switch's ARP responder and never reach it.)
 */
function arpReply(): string {
  const mac = (m: string) => m.replaceAll(":", "");
  const ip = (a: string) =>
    a
      .split(".")
      .map((n) => Number(n).toString(16).padStart(2, "0"))
      .join("");
  return (
    `${mac(ROUTER_MAC)}${mac(MAC1)}0806` +
    `0001080006040002${mac(MAC1)}${ip("10.0.0.1")}${mac(ROUTER_MAC)}${ip("10.0.0.254")}`
  );
}

// The RBAC rows come from northd: the real one, and ours (src/northd/sync/rbac.ts).
for (const northd of ["c", "ovnts"] as const)
  test(`real ovn-controller over TLS under strict RBAC (${northd} northd): registers, claims its ports, sets up`, {
    timeout: 90_000,
  }, async () => {
    await withSandbox(async (box) => {
      // Certificates: CN = the chassis name, as OVN documents for chassis certificates.
      const pki = box.path("pki");
      await runOk("ovs-pki", [`--dir=${pki}`, "init"], { cwd: box.dir, env: box.env, timeoutMs: 60_000 });
      for (const n of ["sb", "hv1"])
        await runOk("ovs-pki", [`--dir=${pki}`, "-u", "req+sign", n, "switch"], {
          cwd: box.dir,
          env: box.env,
          timeoutMs: 60_000,
        });
      const keyOf = (n: string) => ({
        privateKey: box.path(`${n}-privkey.pem`),
        certificate: box.path(`${n}-cert.pem`),
        caCert: `${pki}/switchca/cacert.pem`,
      });

      await startDbServer(box, { impl: "c", name: "nb", schemas: ["ovn-nb"] });
      // The Southbound: ovnts, strict, TLS remotes from the Connection rows.
      const sbFile = box.path("sb.db");
      await runOk("ovsdb-tool", ["create", sbFile, schemaPath("ovn-sb")], { env: box.env });
      const sbSock = box.path("sb.sock");
      const sbLog = box.path("sb.log");
      const s = keyOf("sb");
      const sbd = box.spawn({
        name: "sb",
        cmd: process.execPath,
        args: [
          ovntsBin(),
          "ovsdb-server",
          `--remote=punix:${sbSock}`,
          "--remote=db:OVN_Southbound,SB_Global,connections",
          `--private-key=${s.privateKey}`,
          `--certificate=${s.certificate}`,
          `--ca-cert=${s.caCert}`,
          "--rbac-strict",
          `--unixctl=${box.path("sb.ctl")}`,
          `--pidfile=${box.path("sb.pid")}`,
          `--log-file=${sbLog}`,
          sbFile,
        ],
        logPath: sbLog,
      });
      await waitUntil(
        async () =>
          existsSync(sbSock) &&
          (
            await runOk("ovsdb-client", ["--timeout=5", "list-dbs", `unix:${sbSock}`], { env: box.env })
          ).includes("OVN_Southbound"),
        10_000,
        { what: "ovnts SB server", unless: () => sbd.assertRunning() },
      );
      box.dbs.sb = `unix:${sbSock}`;
      await startNorthd(box, { impl: northd });
      await waitUntil(
        async () =>
          (await sbctl(box, "--bare", "--columns=name", "list", "RBAC_Role")).includes("ovn-controller"),
        10_000,
        {
          what: "northd to write the ovn-controller role",
        },
      );
      const port = await freePort();
      await sbctl(box, "set-connection", "role=ovn-controller", `pssl:${port}:127.0.0.1`);

      // Logical topology: vm1, vm2 requested for hv1; vm3 requested for hv2; sw0 patched to router lr0.
      await nbctl(box, "ls-add", "sw0");
      for (const [p, n, chassis] of [
        ["vm1", 1, "hv1"],
        ["vm2", 2, "hv1"],
        ["vm3", 3, "hv2"],
      ] as const) {
        await nbctl(box, "lsp-add", "sw0", p);
        await nbctl(box, "lsp-set-addresses", p, `00:00:00:00:00:0${n} 10.0.0.${n}`);
        await nbctl(box, "lsp-set-options", p, `requested-chassis=${chassis}`);
      }
      await nbctl(box, "lr-add", "lr0");
      await nbctl(box, "lrp-add", "lr0", "lr0-sw0", ROUTER_MAC, "10.0.0.254/24");
      await nbctl(box, "lsp-add", "sw0", "sw0-lr0");
      await nbctl(box, "lsp-set-type", "sw0-lr0", "router");
      await nbctl(box, "lsp-set-addresses", "sw0-lr0", "router");
      await nbctl(box, "lsp-set-options", "sw0-lr0", "router-port=lr0-sw0");
      // A distributed gateway port with hv1 as its gateway chassis: hv1 claims cr-lr0-pub (HA group).
      await nbctl(box, "ls-add", "public");
      await nbctl(box, "lrp-add", "lr0", "lr0-pub", "00:00:00:00:ff:02", "172.16.0.1/24");
      await nbctl(box, "lrp-set-gateway-chassis", "lr0-pub", "hv1", "10");
      await nbctl(box, "lsp-add", "public", "pub-lr0");
      await nbctl(box, "lsp-set-type", "pub-lr0", "router");
      await nbctl(box, "lsp-set-addresses", "pub-lr0", "router");
      await nbctl(box, "lsp-set-options", "pub-lr0", "router-port=lr0-pub");

      // The chassis.
      const ovs = await startDbServer(box, { impl: "c", name: "ovs", schemas: ["vswitch"] });
      const vswitchd = await startVswitchd(box, { dbSock: ovs.sock, dummy: "override" });
      await initOvsDb(box, ovs.remote);
      await vsctlAt(
        box,
        ovs.remote,
        "--no-wait",
        "set",
        "Open_vSwitch",
        ".",
        "external_ids:system-id=hv1",
        `external_ids:ovn-remote="ssl:127.0.0.1:${port}"`,
        "external_ids:ovn-encap-type=geneve",
        "external_ids:ovn-encap-ip=127.0.0.1",
      );
      const c = keyOf("hv1");
      const ctlLog = box.path("controller.log");
      const controller = box.spawn({
        name: "controller",
        cmd: "ovn-controller",
        args: [
          `--private-key=${c.privateKey}`,
          `--certificate=${c.certificate}`,
          `--ca-cert=${c.caCert}`,
          `--pidfile=${box.path("controller.pid")}`,
          `--log-file=${ctlLog}`,
          ovs.remote,
        ],
        logPath: ctlLog,
      });
      await waitUntil(
        async () =>
          (await sbctl(box, "--bare", "--columns=name", "find", "Chassis", "name=hv1")).trim() === "hv1",
        15_000,
        { what: "hv1 to register", unless: () => controller.assertRunning() },
      );
      await waitUntil(async () => (await vsctl(box, "list-br")).split("\n").includes("br-int"), 10_000, {
        what: "br-int",
      });
      for (const n of [1, 2, 3])
        await vsctl(
          box,
          "add-port",
          "br-int",
          `vif${n}`,
          "--",
          "set",
          "Interface",
          `vif${n}`,
          `external_ids:iface-id=vm${n}`,
        );
      await waitUntil(
        async () => {
          const up = await Promise.all(
            ["vm1", "vm2"].map((p) => nbctl(box, "get", "Logical_Switch_Port", p, "up")),
          );
          return up.every((u) => u.trim() === "true");
        },
        20_000,
        { what: "vm1 and vm2 up", unless: () => controller.assertRunning() },
      );
      await nbctl(box, "--timeout=15", "--wait=hv", "sync");
      for (const n of [1, 2])
        assert.equal(
          (await vsctl(box, "get", "Interface", `vif${n}`, "external_ids:ovn-installed")).trim(),
          '"true"',
        );
      const boundTo = async (p: string) => {
        const ch = (
          await sbctl(box, "--bare", "--columns=chassis", "find", "Port_Binding", `logical_port=${p}`)
        ).trim();
        return ch === "" ? "" : (await sbctl(box, "--bare", "--columns=name", "list", "Chassis", ch)).trim();
      };
      assert.equal(await boundTo("vm1"), "hv1");
      assert.equal(await boundTo("vm2"), "hv1");
      assert.equal(await boundTo("vm3"), "");
      await waitUntil(async () => (await boundTo("cr-lr0-pub")) === "hv1", 10_000, {
        what: "hv1 to claim cr-lr0-pub",
      });
      const flows = await runOk("ovs-ofctl", ["dump-flows", "br-int"], { env: box.env });
      assert.ok(flows.split("\n").length > 100, `br-int has only ${flows.split("\n").length} flows`);

      // A neighbour learnt by the router: pinctrl writes a MAC_Binding on lr0 (local through sw0-lr0).
      await injectPacket(vswitchd, "vif1", arpReply());
      await waitUntil(
        async () =>
          (await sbctl(box, "--bare", "--columns=mac", "find", "MAC_Binding", "ip=10.0.0.1")).trim() === MAC1,
        10_000,
        { what: "the MAC_Binding of 10.0.0.1" },
      );

      // Nothing the controller did was refused.
      const refused = (text: string) =>
        text.split("\n").filter((l) => /permission error|RBAC|ovsdb_rbac/.test(l) || /\|ERR\|/.test(l));
      assert.deepEqual(refused(readFileSync(ctlLog, "utf8")), []);
      assert.deepEqual(refused(readFileSync(sbLog, "utf8")), []);

      // With hv1's certificate: claiming vm3 (requested for hv2) is refused, and logged.
      const conn: JsonRpcConnection = await connectJsonRpc(`ssl:127.0.0.1:${port}`, { ssl: c });
      try {
        const hv1 = (await sbctl(box, "--bare", "--columns=_uuid", "find", "Chassis", "name=hv1")).trim();
        const r = (await conn.request("transact", [
          "OVN_Southbound",
          {
            op: "update",
            table: "Port_Binding",
            where: [["logical_port", "==", "vm3"]],
            row: { chassis: ["uuid", hv1] },
          },
        ])) as { error?: string }[];
        assert.equal(r[0]?.error, "permission error");
        assert.equal(await boundTo("vm3"), "");
        await waitUntil(
          () =>
            /ovsdb_rbac\|WARN\|chassis "hv1": refused update on Port_Binding: port vm3/.test(
              readFileSync(sbLog, "utf8"),
            ),
          5_000,
          { what: "the refusal in the server log" },
        );
      } finally {
        conn.close();
      }
    });
  });
