// RBAC, differential: the real ovsdb-server 3.1, ovnts, and ovnts --rbac-strict serve the same Southbound
// database (sbTopologyOps) with the RBAC_Role "ovn-controller" rows northd writes and db: remotes from
// Connection rows with that role (pssl, and ptcp for a client without a certificate). A client whose
// ovs-pki certificate says CN=chassis-A runs the cases of rbac-cases.ts on all three: ovnts must answer
// exactly as ovsdb-server 3.1, which must allow or refuse as the case says; the strict server must
// allow or refuse as its column says (the cross-chassis writes that 3.1 is shown to allow are refused),
// and where it allows, answer as 3.1 does.
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
import { RBAC_CASES } from "../rbac-cases.js";
import { type CaseCtx, controllerRoleOps, sbTopologyOps } from "../rbac-fixture.js";

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
  ctx: CaseCtx;
}

type Impl = "real" | "ovnts" | "strict";

/** Starts one implementation on a fresh SB file, configures RBAC and the remotes, connects clients. */
async function serve(impl: Impl): Promise<Served> {
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
    ...(impl === "strict" ? ["--rbac-strict"] : []),
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
    ...(controllerRoleOps() as Json[]),
    ...(sbTopologyOps() as Json[]),
  ])) as { uuid?: unknown[]; error?: string }[];
  assert.ok(
    setup.every((x) => x !== null && x.error === undefined),
    JSON.stringify(setup),
  );
  const uuidOf = async (table: string, where: Json[]): Promise<unknown> => {
    const r = (await admin.request("transact", [SB, { op: "select", table, where, columns: ["_uuid"] }])) as [
      { rows: { _uuid: unknown }[] },
    ];
    return r[0].rows[0]?._uuid;
  };
  const dp = (name: string) =>
    uuidOf("Datapath_Binding", [["external_ids", "includes", ["map", [["name", name]]]]]);
  const ctx: CaseCtx = {
    sw0: await dp("sw0"),
    sw1: await dp("sw1"),
    lr0: await dp("lr0"),
    lr1: await dp("lr1"),
    chassisB: await uuidOf("Chassis", [["name", "==", "chassis-B"]]),
    encapB: await uuidOf("Encap", [["chassis_name", "==", "chassis-B"]]),
  };
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
  return { admin, chassis, anon, ctx };
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** A result with uuids (which differ between servers), also inside error details, replaced. */
function normalize(v: unknown): unknown {
  if (typeof v === "string") return v.replace(UUID, "*");
  if (Array.isArray(v)) {
    if (v.length === 2 && v[0] === "uuid") return ["uuid", "*"];
    return v.map(normalize);
  }
  if (v !== null && typeof v === "object")
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalize(x)]));
  return v;
}

const hasError = (r: unknown[]) => r.some((x) => x !== null && typeof x === "object" && "error" in x);
const errorTag = (r: unknown[], tag: string) =>
  r.some((x) => x !== null && typeof x === "object" && (x as { error?: unknown }).error === tag);

test("RBAC as chassis-A: ovnts answers as ovsdb-server 3.1; --rbac-strict refuses cross-chassis writes", {
  timeout: 60_000,
}, async () => {
  assert.ok(RBAC_CASES.length >= 50);
  const servers = { real: await serve("real"), ovnts: await serve("ovnts"), strict: await serve("strict") };
  try {
    for (const c of RBAC_CASES) {
      const out: Partial<Record<Impl, unknown[]>> = {};
      for (const impl of ["real", "ovnts", "strict"] as const) {
        const s = servers[impl];
        const conn = c.as === "anon" ? s.anon : s.chassis;
        const r = (await conn.request("transact", [SB, ...(c.ops(s.ctx) as Json[])])) as unknown[];
        c.capture?.(r, s.ctx);
        out[impl] = r;
      }
      const real = out.real ?? [];
      const expect = (r: unknown[], ok: boolean, who: string) => {
        if (ok) assert.ok(!hasError(r), `${c.name}: ${who}: expected success, got ${JSON.stringify(r)}`);
        else
          assert.ok(
            errorTag(r, c.error ?? "permission error"),
            `${c.name}: ${who}: expected ${c.error ?? "a permission error"}, got ${JSON.stringify(r)}`,
          );
      };
      expect(real, c.allowed, "ovsdb-server 3.1");
      assert.deepEqual(normalize(out.ovnts), normalize(real), `${c.name}: ovnts differs from ovsdb-server`);
      const strictOk = c.strict ?? c.allowed;
      expect(out.strict ?? [], strictOk, "ovnts --rbac-strict");
      // Where strict mode agrees with 23.03, it answers exactly the same; a strict-only refusal carries
      // the error text ovsdb-server gives for a refusal of that operation.
      if (strictOk === c.allowed)
        assert.deepEqual(
          normalize(out.strict),
          normalize(real),
          `${c.name}: strict differs from ovsdb-server`,
        );
    }
  } finally {
    for (const s of Object.values(servers)) for (const c of [s.admin, s.chassis, s.anon]) c.close();
  }
});
