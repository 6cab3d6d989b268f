// RBAC, differential: the real ovsdb-server 3.1 and ovnts serve the same Southbound database with the
// RBAC_Role "ovn-controller" rows northd writes and db: remotes from Connection rows with that role
// (pssl, and ptcp for a client without a certificate). A client whose ovs-pki certificate says
// CN=chassis-A runs the same transactions on both; every result must be identical, and each case says
// whether it must succeed or fail with a permission error.
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { ovntsBin } from "../../../../test/support/paths.js";
import type { Json } from "../../../jsonrpc/json.js";
import { run, startDaemon, stopDaemon } from "../../../jsonrpc/peer/helpers.js";
import type { JsonRpcConnection } from "../../../jsonrpc/session.js";
import { connectJsonRpc, type SslOptions } from "../../../jsonrpc/transport/index.js";
import { CONTROLLER_PERMISSIONS } from "../../../northd/sync/rbac.js";

const SB = "OVN_Southbound";
const dir = mkdtempSync(join(tmpdir(), "ovnts-rbac-"));
const procs: ChildProcess[] = [];
after(async () => {
  for (const p of procs) await stopDaemon(p);
  rmSync(dir, { recursive: true, force: true });
});

let cert: (name: string) => SslOptions;
before(async () => {
  const home = join(dir, "pki");
  mkdirSync(home);
  const init = await run("ovs-pki", [`--dir=${home}/pki`, "init"], { cwd: home, timeoutMs: 60_000 });
  assert.equal(init.code, 0, init.stderr);
  // -u: the CN is the chassis name itself, as OVN's documentation asks for chassis certificates.
  for (const n of ["server", "chassis-A"]) {
    const r = await run("ovs-pki", [`--dir=${home}/pki`, "-u", "req+sign", n, "switch"], {
      cwd: home,
      timeoutMs: 60_000,
    });
    assert.equal(r.code, 0, r.stderr);
  }
  cert = (name) => ({
    privateKey: join(home, `${name}-privkey.pem`),
    certificate: join(home, `${name}-cert.pem`),
    caCert: join(home, "pki/switchca/cacert.pem"),
  });
});

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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Served {
  admin: JsonRpcConnection;
  chassis: JsonRpcConnection;
  anon: JsonRpcConnection;
  dp: unknown;
}

/** Starts one implementation on a fresh SB file, configures RBAC and the remotes, connects clients. */
async function serve(impl: "real" | "ovnts"): Promise<Served> {
  const d = join(dir, impl);
  mkdirSync(d);
  const db = join(d, "sb.db");
  const created = await run("ovsdb-tool", ["create", db, "/usr/share/ovn/ovn-sb.ovsschema"]);
  assert.equal(created.code, 0, created.stderr);
  const sock = join(d, "sb.sock");
  const ssl = cert("server");
  const args = [
    `--remote=punix:${sock}`,
    `--remote=db:${SB},SB_Global,connections`,
    `--private-key=${ssl.privateKey}`,
    `--certificate=${ssl.certificate}`,
    `--ca-cert=${ssl.caCert}`,
    `--unixctl=${join(d, "sb.ctl")}`,
    `--log-file=${join(d, "sb.log")}`,
    db,
  ];
  const proc =
    impl === "real"
      ? await startDaemon("ovsdb-server", args, sock)
      : await startDaemon(process.execPath, [ovntsBin(), "ovsdb-server", ...args], sock);
  procs.push(proc);
  const admin = await connectJsonRpc(`unix:${sock}`);
  const [sslPort, tcpPort] = [await freePort(), await freePort()];
  const setup = (await admin.request("transact", [
    SB,
    {
      op: "insert",
      table: "Connection",
      "uuid-name": "c1",
      row: { target: `pssl:${sslPort}:127.0.0.1`, role: "ovn-controller" },
    },
    {
      op: "insert",
      table: "Connection",
      "uuid-name": "c2",
      row: { target: `ptcp:${tcpPort}:127.0.0.1`, role: "ovn-controller" },
    },
    {
      op: "insert",
      table: "SB_Global",
      row: {
        connections: [
          "set",
          [
            ["named-uuid", "c1"],
            ["named-uuid", "c2"],
          ],
        ],
      },
    },
    ...CONTROLLER_PERMISSIONS.map((p, i) => ({
      op: "insert",
      table: "RBAC_Permission",
      "uuid-name": `p${i}`,
      row: {
        table: p.table,
        authorization: ["set", [...p.authorization]],
        insert_delete: p.insertDelete,
        update: ["set", [...p.update]],
      },
    })),
    {
      op: "insert",
      table: "RBAC_Role",
      row: {
        name: "ovn-controller",
        permissions: ["map", CONTROLLER_PERMISSIONS.map((p, i) => [p.table, ["named-uuid", `p${i}`]])],
      },
    },
    {
      op: "insert",
      table: "Encap",
      "uuid-name": "eb",
      row: { chassis_name: "chassis-B", type: "geneve", ip: "2.2.2.2" },
    },
    {
      op: "insert",
      table: "Chassis",
      row: { name: "chassis-B", hostname: "b", encaps: ["named-uuid", "eb"] },
    },
    {
      op: "insert",
      table: "Datapath_Binding",
      "uuid-name": "dp",
      row: { tunnel_key: 1, external_ids: ["map", [["name", "sw0"]]] },
    },
    {
      op: "insert",
      table: "Port_Binding",
      row: { logical_port: "lp1", tunnel_key: 1, datapath: ["named-uuid", "dp"] },
    },
    {
      op: "insert",
      table: "Port_Binding",
      row: { logical_port: "lp2", tunnel_key: 2, datapath: ["named-uuid", "dp"] },
    },
    {
      op: "insert",
      table: "Logical_Flow",
      row: {
        logical_datapath: ["named-uuid", "dp"],
        pipeline: "ingress",
        table_id: 0,
        priority: 100,
        match: "1",
        actions: "next;",
      },
    },
  ])) as { uuid?: unknown[]; error?: string }[];
  assert.ok(
    setup.every((x) => x !== null && x.error === undefined),
    JSON.stringify(setup),
  );
  // The server opens the Connection remotes after the commit; retry until they answer.
  const connect = async (remote: string, opts: { ssl?: SslOptions }): Promise<JsonRpcConnection> => {
    for (let i = 0; ; i++) {
      try {
        const c = await connectJsonRpc(remote, opts);
        await c.request("echo", []);
        return c;
      } catch (e) {
        if (i > 100) throw e;
        await sleep(50);
      }
    }
  };
  const chassis = await connect(`ssl:127.0.0.1:${sslPort}`, { ssl: cert("chassis-A") });
  const anon = await connect(`tcp:127.0.0.1:${tcpPort}`, {});
  return { admin, chassis, anon, dp: setup[setup.length - 4]?.uuid };
}

interface Ctx {
  dp: unknown;
  /** uuid of chassis-A's own Chassis row, once inserted. */
  ownChassis?: unknown;
}

interface Case {
  name: string;
  allowed: boolean;
  /** "anon": the client without a certificate on the role's ptcp remote. */
  as?: "anon";
  ops: (ctx: Ctx) => unknown[];
}

const where = (col: string, v: unknown) => [[col, "==", v]];
const A = where("name", "chassis-A");
const B = where("name", "chassis-B");
const lflow = { pipeline: "ingress", table_id: 1, priority: 1, match: "1", actions: "next;" };

const CASES: Case[] = [
  {
    name: "insert own Encap and Chassis",
    allowed: true,
    ops: () => [
      {
        op: "insert",
        table: "Encap",
        "uuid-name": "ea",
        row: { chassis_name: "chassis-A", type: "geneve", ip: "1.1.1.1" },
      },
      {
        op: "insert",
        table: "Chassis",
        row: { name: "chassis-A", hostname: "a", encaps: ["named-uuid", "ea"] },
      },
    ],
  },
  {
    name: "update own Chassis nb_cfg",
    allowed: true,
    ops: () => [{ op: "update", table: "Chassis", where: A, row: { nb_cfg: 3 } }],
  },
  {
    name: "mutate own Chassis external_ids",
    allowed: true,
    ops: () => [
      {
        op: "mutate",
        table: "Chassis",
        where: A,
        mutations: [["external_ids", "insert", ["map", [["k", "v"]]]]],
      },
    ],
  },
  {
    name: "update own Chassis other_config",
    allowed: true,
    ops: () => [{ op: "update", table: "Chassis", where: A, row: { other_config: ["map", [["x", "y"]]] } }],
  },
  {
    name: "insert own Chassis_Private",
    allowed: true,
    ops: () => [{ op: "insert", table: "Chassis_Private", row: { name: "chassis-A" } }],
  },
  {
    name: "update own Chassis_Private nb_cfg",
    allowed: true,
    ops: () => [{ op: "update", table: "Chassis_Private", where: A, row: { nb_cfg: 3 } }],
  },
  {
    name: "update own Encap ip",
    allowed: true,
    ops: () => [
      { op: "update", table: "Encap", where: where("chassis_name", "chassis-A"), row: { ip: "1.1.1.2" } },
    ],
  },
  {
    name: "claim Port_Binding lp1 (chassis, up)",
    allowed: true,
    ops: (c) => [
      {
        op: "update",
        table: "Port_Binding",
        where: where("logical_port", "lp1"),
        row: { chassis: c.ownChassis, up: true },
      },
    ],
  },
  {
    name: "insert MAC_Binding",
    allowed: true,
    ops: (c) => [
      {
        op: "insert",
        table: "MAC_Binding",
        row: { logical_port: "lp1", ip: "10.0.0.5", mac: "00:00:00:00:00:05", datapath: c.dp },
      },
    ],
  },
  {
    name: "update MAC_Binding mac",
    allowed: true,
    ops: () => [
      {
        op: "update",
        table: "MAC_Binding",
        where: where("ip", "10.0.0.5"),
        row: { mac: "00:00:00:00:00:06" },
      },
    ],
  },
  {
    name: "delete MAC_Binding",
    allowed: true,
    ops: () => [{ op: "delete", table: "MAC_Binding", where: where("ip", "10.0.0.5") }],
  },
  {
    name: "forbidden column on no matching row",
    allowed: true,
    ops: () => [{ op: "update", table: "Chassis", where: where("name", "zz"), row: { hostname: "q" } }],
  },
  {
    name: "empty update of own Chassis",
    allowed: true,
    ops: () => [{ op: "update", table: "Chassis", where: A, row: {} }],
  },
  {
    name: "reads are free",
    allowed: true,
    ops: () => [{ op: "select", table: "Chassis", where: A, columns: ["name", "nb_cfg"] }],
  },
  {
    name: "insert another chassis' Chassis row",
    allowed: false,
    ops: () => [
      {
        op: "insert",
        table: "Encap",
        "uuid-name": "ec",
        row: { chassis_name: "chassis-A", type: "geneve", ip: "1.1.1.3" },
      },
      { op: "insert", table: "Chassis", row: { name: "chassis-C", encaps: ["named-uuid", "ec"] } },
    ],
  },
  {
    name: "update chassis-B nb_cfg",
    allowed: false,
    ops: () => [{ op: "update", table: "Chassis", where: B, row: { nb_cfg: 7 } }],
  },
  {
    name: "mutate chassis-B nb_cfg",
    allowed: false,
    ops: () => [{ op: "mutate", table: "Chassis", where: B, mutations: [["nb_cfg", "+=", 1]] }],
  },
  { name: "delete chassis-B", allowed: false, ops: () => [{ op: "delete", table: "Chassis", where: B }] },
  {
    name: "update own Chassis hostname",
    allowed: false,
    ops: () => [{ op: "update", table: "Chassis", where: A, row: { hostname: "evil" } }],
  },
  {
    name: "update own Chassis name",
    allowed: false,
    ops: () => [{ op: "update", table: "Chassis", where: A, row: { name: "chassis-A", nb_cfg: 4 } }],
  },
  {
    name: "insert Encap for chassis-B",
    allowed: false,
    ops: () => [
      { op: "insert", table: "Encap", row: { chassis_name: "chassis-B", type: "geneve", ip: "6.6.6.6" } },
    ],
  },
  {
    name: "update chassis-B's Encap",
    allowed: false,
    ops: () => [
      { op: "update", table: "Encap", where: where("chassis_name", "chassis-B"), row: { ip: "6.6.6.6" } },
    ],
  },
  {
    name: "delete chassis-B's Encap",
    allowed: false,
    ops: () => [{ op: "delete", table: "Encap", where: where("chassis_name", "chassis-B") }],
  },
  {
    name: "insert chassis-B's Chassis_Private",
    allowed: false,
    ops: () => [{ op: "insert", table: "Chassis_Private", row: { name: "chassis-B" } }],
  },
  {
    name: "insert Logical_Flow",
    allowed: false,
    ops: (c) => [{ op: "insert", table: "Logical_Flow", row: { ...lflow, logical_datapath: c.dp } }],
  },
  {
    name: "update Logical_Flow",
    allowed: false,
    ops: () => [{ op: "update", table: "Logical_Flow", where: [], row: { priority: 1 } }],
  },
  {
    name: "delete Logical_Flow",
    allowed: false,
    ops: () => [{ op: "delete", table: "Logical_Flow", where: [] }],
  },
  {
    name: "insert Datapath_Binding",
    allowed: false,
    ops: () => [{ op: "insert", table: "Datapath_Binding", row: { tunnel_key: 9 } }],
  },
  {
    name: "update Datapath_Binding",
    allowed: false,
    ops: () => [{ op: "update", table: "Datapath_Binding", where: [], row: { tunnel_key: 5 } }],
  },
  {
    name: "mutate Datapath_Binding",
    allowed: false,
    ops: () => [
      {
        op: "mutate",
        table: "Datapath_Binding",
        where: [],
        mutations: [["external_ids", "insert", ["map", [["k", "v"]]]]],
      },
    ],
  },
  {
    name: "delete Datapath_Binding matching nothing",
    allowed: false,
    ops: () => [{ op: "delete", table: "Datapath_Binding", where: where("tunnel_key", 99) }],
  },
  {
    name: "insert Port_Binding",
    allowed: false,
    ops: (c) => [
      { op: "insert", table: "Port_Binding", row: { logical_port: "lp9", tunnel_key: 9, datapath: c.dp } },
    ],
  },
  {
    name: "delete Port_Binding",
    allowed: false,
    ops: () => [{ op: "delete", table: "Port_Binding", where: where("logical_port", "lp2") }],
  },
  {
    name: "update Port_Binding tunnel_key",
    allowed: false,
    ops: () => [
      { op: "update", table: "Port_Binding", where: where("logical_port", "lp2"), row: { tunnel_key: 7 } },
    ],
  },
  {
    name: "update SB_Global",
    allowed: false,
    ops: () => [{ op: "update", table: "SB_Global", where: [], row: { nb_cfg: 9 } }],
  },
  {
    name: "insert RBAC_Role",
    allowed: false,
    ops: () => [{ op: "insert", table: "RBAC_Role", row: { name: "root" } }],
  },
  {
    name: "widen own RBAC_Permission",
    allowed: false,
    ops: () => [
      {
        op: "mutate",
        table: "RBAC_Permission",
        where: where("table", "Chassis"),
        mutations: [["update", "insert", "hostname"]],
      },
    ],
  },
  {
    name: "delete Connection",
    allowed: false,
    ops: () => [{ op: "delete", table: "Connection", where: [] }],
  },
  {
    name: "allowed write then forbidden write: nothing commits",
    allowed: false,
    ops: () => [
      { op: "comment", comment: "x" },
      { op: "update", table: "Chassis", where: A, row: { nb_cfg: 42 } },
      { op: "update", table: "Chassis", where: B, row: { nb_cfg: 42 } },
      { op: "select", table: "Chassis", where: B },
    ],
  },
  {
    name: "nb_cfg 42 did not stick",
    allowed: true,
    ops: () => [{ op: "select", table: "Chassis", where: A, columns: ["nb_cfg"] }],
  },
  {
    name: "no certificate: MAC_Binding insert",
    allowed: false,
    as: "anon",
    ops: (c) => [
      {
        op: "insert",
        table: "MAC_Binding",
        row: { logical_port: "lp1", ip: "10.0.0.7", mac: "00:00:00:00:00:07", datapath: c.dp },
      },
    ],
  },
  {
    name: "no certificate: update matching nothing",
    allowed: false,
    as: "anon",
    ops: () => [
      { op: "update", table: "Port_Binding", where: where("logical_port", "none"), row: { up: true } },
    ],
  },
  {
    name: "no certificate: reads",
    allowed: true,
    as: "anon",
    ops: () => [
      { op: "select", table: "Port_Binding", where: where("logical_port", "lp2"), columns: ["logical_port"] },
    ],
  },
  {
    name: "delete own Chassis_Private",
    allowed: true,
    ops: () => [{ op: "delete", table: "Chassis_Private", where: A }],
  },
];

/** A result with uuids (which differ between servers) replaced by a placeholder. */
function normalize(v: unknown): unknown {
  if (Array.isArray(v)) {
    if (v.length === 2 && v[0] === "uuid") return ["uuid", "*"];
    return v.map(normalize);
  }
  if (v !== null && typeof v === "object")
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalize(x)]));
  return v;
}

const hasError = (r: unknown[]) => r.some((x) => x !== null && typeof x === "object" && "error" in x);
const permissionDenied = (r: unknown[]) =>
  r.some(
    (x) => x !== null && typeof x === "object" && (x as { error?: unknown }).error === "permission error",
  );

test("RBAC as chassis-A: ovnts answers every write exactly as ovsdb-server 3.1", {
  timeout: 60_000,
}, async () => {
  assert.ok(CASES.length >= 20);
  const servers = { real: await serve("real"), ovnts: await serve("ovnts") };
  const ctx = { real: { dp: servers.real.dp } as Ctx, ovnts: { dp: servers.ovnts.dp } as Ctx };
  try {
    for (const c of CASES) {
      const out: Record<string, unknown[]> = {};
      for (const impl of ["real", "ovnts"] as const) {
        const s = servers[impl];
        const conn = c.as === "anon" ? s.anon : s.chassis;
        const r = (await conn.request("transact", [SB, ...(c.ops(ctx[impl]) as Json[])])) as unknown[];
        if (ctx[impl].ownChassis === undefined && c.name === "insert own Encap and Chassis")
          ctx[impl].ownChassis = (r[1] as { uuid: unknown }).uuid;
        out[impl] = r;
      }
      const real = out.real ?? [];
      const ours = out.ovnts ?? [];
      assert.deepEqual(normalize(ours), normalize(real), `${c.name}: ovnts differs from ovsdb-server`);
      if (c.allowed) assert.ok(!hasError(real), `${c.name}: expected success, got ${JSON.stringify(real)}`);
      else
        assert.ok(
          permissionDenied(real),
          `${c.name}: expected a permission error, got ${JSON.stringify(real)}`,
        );
    }
  } finally {
    for (const s of Object.values(servers)) for (const c of [s.admin, s.chassis, s.anon]) c.close();
  }
});
