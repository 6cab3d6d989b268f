// Strict RBAC (rbac-strict.ts) and the 23.03 rules in the server core, without sockets: every case of
// rbac-cases.ts runs in order on a plain and on a --rbac-strict server; plus the log line and its limit.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { configureLog } from "../../base/log.js";
import { schemaFile } from "../../base/schemas.js";
import { parseSchema } from "../schema/parse.js";
import { setStrictRbac } from "./rbac.js";
import { RBAC_CASES } from "./rbac-cases.js";
import { type CaseCtx, controllerRoleOps, sbTopologyOps } from "./rbac-fixture.js";
import { StrictRbac } from "./rbac-strict.js";
import { OvsdbServer } from "./server.js";

const SB = "OVN_Southbound";
const schema = parseSchema(JSON.parse(readFileSync(schemaFile("ovn-sb"), "utf8")));

type Client = (...ops: unknown[]) => unknown[];

function setup(strict: StrictRbac | undefined) {
  const server = new OvsdbServer({ now: () => 0 });
  const sdb = server.addDb(schema, undefined);
  if (strict !== undefined) setStrictRbac(sdb.db, strict);
  const client = (role?: string, clientId?: string): Client => {
    const out: Record<string, unknown>[] = [];
    const s = server.connect({
      name: "t",
      sendText: (t) => out.push(JSON.parse(t)),
      close: () => undefined,
      role,
      clientId,
    });
    let id = 0;
    return (...ops) => {
      id += 1;
      server.handle(s, "transact", [SB, ...ops], id);
      const r = out.find((m) => m.id === id);
      assert.ok(r, "reply");
      return r.result as unknown[];
    };
  };
  const admin = client();
  const r = admin(...controllerRoleOps(), ...sbTopologyOps());
  assert.ok(!r.some(isError), JSON.stringify(r.filter(isError)));
  const uuidOf = (table: string, w: unknown[]) =>
    (admin({ op: "select", table, where: w, columns: ["_uuid"] })[0] as { rows: { _uuid: unknown }[] })
      .rows[0]?._uuid;
  const dp = (name: string) =>
    uuidOf("Datapath_Binding", [["external_ids", "includes", ["map", [["name", name]]]]]);
  const ctx: CaseCtx = {
    sw0: dp("sw0"),
    sw1: dp("sw1"),
    lr0: dp("lr0"),
    lr1: dp("lr1"),
    chassisB: uuidOf("Chassis", [["name", "==", "chassis-B"]]),
    encapB: uuidOf("Encap", [["chassis_name", "==", "chassis-B"]]),
  };
  return {
    admin,
    client,
    ctx,
    chassis: client("ovn-controller", "chassis-A"),
    anon: client("ovn-controller"),
  };
}

const isError = (x: unknown) => x !== null && typeof x === "object" && "error" in x;
const errorOf = (r: unknown[]) => r.find(isError) as { error?: string; details?: string } | undefined;

for (const mode of ["23.03", "strict"] as const) {
  test(`every RBAC case as chassis-A (${mode} rules)`, () => {
    const s = setup(mode === "strict" ? new StrictRbac({ now: () => 0, burst: 1000 }) : undefined);
    assert.ok(RBAC_CASES.length >= 50);
    for (const c of RBAC_CASES) {
      const r = (c.as === "anon" ? s.anon : s.chassis)(...c.ops(s.ctx));
      c.capture?.(r, s.ctx);
      const ok = mode === "strict" ? (c.strict ?? c.allowed) : c.allowed;
      const err = errorOf(r);
      if (ok) assert.equal(err, undefined, `${c.name}: ${JSON.stringify(r)}`);
      else {
        assert.equal(err?.error, c.error ?? "permission error", `${c.name}: ${JSON.stringify(r)}`);
        if (c.error === undefined)
          assert.match(
            err?.details ?? "",
            /^RBAC rules for client "(chassis-A|\(null\))" role "ovn-controller" prohibit /,
          );
      }
    }
  });
}

test("strict: requested_chassis and HA groups name a chassis by row; refusals logged (WARN, rate-limited)", () => {
  let now = 0;
  const lines: string[] = [];
  configureLog({ sinks: [(l) => lines.push(l)], level: "INFO" });
  try {
    const s = setup(new StrictRbac({ now: () => now, perMinute: 1, burst: 2 }));
    const reg = s.chassis(...(RBAC_CASES[0]?.ops(s.ctx) ?? []));
    RBAC_CASES[0]?.capture?.(reg, s.ctx);
    const own = s.ctx.ownChassis;
    const claim = (port: string) =>
      s.chassis({
        op: "update",
        table: "Port_Binding",
        where: [["logical_port", "==", port]],
        row: { chassis: own },
      });
    assert.ok(isError(claim("lp2")[0]));
    // The CMS asks for chassis-A by row (northd fills requested_chassis): now the claim is allowed.
    s.admin({
      op: "update",
      table: "Port_Binding",
      where: [["logical_port", "==", "lp2"]],
      row: { requested_chassis: own },
    });
    assert.deepEqual(claim("lp2"), [{ count: 1 }]);
    // chassis-A joins the gateway's HA group: it may now claim the chassisredirect port.
    assert.ok(isError(claim("cr-lr0-pub")[0]));
    s.admin(
      { op: "insert", table: "HA_Chassis", "uuid-name": "ha", row: { chassis: own, priority: 20 } },
      {
        op: "mutate",
        table: "HA_Chassis_Group",
        where: [],
        mutations: [["ha_chassis", "insert", ["named-uuid", "ha"]]],
      },
    );
    assert.deepEqual(claim("cr-lr0-pub"), [{ count: 1 }]);
    // A claim and a MAC binding on the datapath it makes local, in one transaction.
    s.admin({
      op: "update",
      table: "Port_Binding",
      where: [["logical_port", "==", "lpB"]],
      row: { requested_chassis: own },
    });
    assert.deepEqual(
      s
        .chassis(
          {
            op: "update",
            table: "Port_Binding",
            where: [["logical_port", "==", "lpB"]],
            row: { chassis: own },
          },
          { op: "insert", table: "FDB", row: { mac: "00:00:00:00:02:02", dp_key: 2, port_key: 1 } },
        )
        .map(isError),
      [false, false],
    );
    const warns = () => lines.filter((l) => l.includes("|ovsdb_rbac|WARN|"));
    assert.equal(warns().length, 2);
    assert.match(
      warns()[0] ?? "",
      /chassis "chassis-A": refused update on Port_Binding: port lp2 is neither bound to nor requested for this chassis/,
    );
    // Burst spent: the next refusals are counted, not logged, until the bucket refills.
    s.chassis({
      op: "update",
      table: "Port_Binding",
      where: [["logical_port", "==", "vip"]],
      row: { up: true },
    });
    s.chassis({
      op: "update",
      table: "Port_Binding",
      where: [["logical_port", "==", "vip"]],
      row: { up: true },
    });
    assert.equal(warns().length, 2);
    now += 60_000;
    s.chassis({
      op: "update",
      table: "Port_Binding",
      where: [["logical_port", "==", "vip"]],
      row: { up: true },
    });
    assert.match(warns()[2] ?? "", /Dropped 2 log messages/);
    assert.match(warns()[3] ?? "", /port vip is neither bound to nor requested/);
  } finally {
    configureLog({ sinks: [] });
  }
});

test("strict rules are for the chassis role only: another role keeps just its permission rows", () => {
  const s = setup(new StrictRbac({ now: () => 0 }));
  s.admin(
    {
      op: "insert",
      table: "RBAC_Permission",
      "uuid-name": "p",
      row: { table: "Port_Binding", authorization: "", insert_delete: false, update: "up" },
    },
    {
      op: "insert",
      table: "RBAC_Role",
      row: { name: "operator", permissions: ["map", [["Port_Binding", ["named-uuid", "p"]]]] },
    },
  );
  const lpB = {
    op: "update",
    table: "Port_Binding",
    where: [["logical_port", "==", "lpB"]],
    row: { up: false },
  };
  assert.deepEqual(s.client("operator", "chassis-A")(lpB), [{ count: 1 }]);
  assert.ok(isError(s.chassis(lpB)[0]));
});

test("a strict server also logs the role's own refusals as WARN", () => {
  const lines: string[] = [];
  configureLog({ sinks: [(l) => lines.push(l)], level: "INFO" });
  try {
    const s = setup(new StrictRbac({ now: () => 0 }));
    assert.ok(isError(s.anon({ op: "update", table: "Port_Binding", where: [], row: { up: true } })[0]));
    assert.deepEqual(
      lines.filter((l) => l.includes("|ovsdb_rbac|")).map((l) => l.split("|").slice(2).join("|")),
      [
        'ovsdb_rbac|WARN|client "(null)" role "ovn-controller": refused update on Port_Binding by the role\'s permissions',
      ],
    );
  } finally {
    configureLog({ sinks: [] });
  }
});
