// The real ovn-nbctl / ovn-sbctl and the real ovn-northd against Northbound and Southbound databases
// served by each implementation in OVNTS_PEER_IMPLS.
import assert from "node:assert/strict";
import { test } from "node:test";
import { lines, UuidNames } from "../support/normalize.js";
import {
  type Impl,
  implementations,
  nbctl,
  run,
  type Sandbox,
  sbctl,
  startDbServer,
  startNorthd,
  withSandbox,
} from "../support/sandbox.js";

/** NB and SB servers of the implementation under test (separate processes, as in a real deployment). */
async function startCentral(sb: Sandbox, impl: Impl): Promise<void> {
  await startDbServer(sb, { impl, name: "nb", schemas: ["ovn-nb"] });
  await startDbServer(sb, { impl, name: "sb", schemas: ["ovn-sb"] });
  await startNorthd(sb);
}

/** One column of every row of a table, from `--bare --columns=C list T`, sorted. */
async function column(ctl: typeof nbctl, sb: Sandbox, table: string, col: string): Promise<string[]> {
  const out = await ctl(sb, "--bare", `--columns=${col}`, "list", table);
  return lines(out)
    .filter((l) => l !== "")
    .sort();
}

/** A cell of `--format=json` output as `--bare` prints it: maps as "k=v k2=v2", sets space-separated. */
function bare(cell: unknown): string {
  if (Array.isArray(cell) && cell[0] === "map" && Array.isArray(cell[1])) {
    return (cell[1] as [unknown, unknown][]).map(([k, v]) => `${bare(k)}=${bare(v)}`).join(" ");
  }
  if (Array.isArray(cell) && (cell[0] === "set" || cell[0] === "uuid") && cell.length === 2) {
    return cell[0] === "uuid" ? String(cell[1]) : (cell[1] as unknown[]).map(bare).join(" ");
  }
  return String(cell);
}

/** Rows of a table as [col1, col2 ...] tuples of bare values, sorted. */
async function rows(ctl: typeof nbctl, sb: Sandbox, table: string, cols: string[]): Promise<string[][]> {
  const out = await ctl(sb, "--format=json", "--data=bare", `--columns=${cols.join(",")}`, "list", table);
  const data = (JSON.parse(out) as { data: unknown[][] }).data.map((r) => r.map(bare));
  return data.sort((a, b) => (a.join("\t") < b.join("\t") ? -1 : 1));
}

/** The names of the Southbound datapaths (from external_ids:name), sorted. */
async function datapathNames(sb: Sandbox): Promise<string[]> {
  const ids = await column(sbctl, sb, "Datapath_Binding", "external_ids");
  return ids.map((l) => /(?:^| )name=(\S+)/.exec(l)?.[1] ?? `?${l}`).sort();
}

/** Logical flows of a datapath that mention `needle`. */
async function flowsWith(sb: Sandbox, datapath: string, needle: string): Promise<string[]> {
  return lines(await sbctl(sb, "lflow-list", datapath)).filter((l) => l.includes(needle));
}

for (const impl of implementations()) {
  test(`[${impl}] ovn-nbctl builds switches and routers; ovn-northd binds ports and writes flows`, () =>
    withSandbox(async (sb) => {
      await startCentral(sb, impl);
      const n = (...args: string[]): Promise<string> => nbctl(sb, ...args);
      const u = new UuidNames();

      await n("ls-add", "sw0");
      await n("lsp-add", "sw0", "sw0-p1", "--", "lsp-set-addresses", "sw0-p1", "00:00:00:00:00:01 10.0.0.1");
      await n("lr-add", "lr0", "--", "lrp-add", "lr0", "lrp0", "00:00:00:00:ff:01", "10.0.0.254/24");
      // Several commands joined by "--" are one transaction.
      await n(
        "--",
        "lsp-add",
        "sw0",
        "sw0-lr0",
        "--",
        "lsp-set-type",
        "sw0-lr0",
        "router",
        "--",
        "lsp-set-addresses",
        "sw0-lr0",
        "router",
        "--",
        "lsp-set-options",
        "sw0-lr0",
        "router-port=lrp0",
      );
      await n("--wait=sb", "sync");

      assert.deepEqual(lines(u.apply(await n("ls-list"))), ["<0> (sw0)"]);
      assert.deepEqual(lines(u.apply(await n("lsp-list", "sw0"))), ["<1> (sw0-lr0)", "<2> (sw0-p1)"]);
      assert.deepEqual(lines(u.apply(await n("lr-list"))), ["<3> (lr0)"]);
      assert.deepEqual(lines(u.apply(await n("lrp-list", "lr0"))), ["<4> (lrp0)"]);
      assert.equal(await n("lsp-get-type", "sw0-lr0"), "router\n");
      assert.equal(await n("lsp-get-addresses", "sw0-p1"), "00:00:00:00:00:01 10.0.0.1\n");
      assert.equal(await n("lsp-get-options", "sw0-lr0"), "router-port=lrp0\n");
      assert.deepEqual(lines(u.apply(await n("show", "lr0"))), [
        "router <3> (lr0)",
        "    port lrp0",
        '        mac: "00:00:00:00:ff:01"',
        '        networks: ["10.0.0.254/24"]',
      ]);

      // A multi-command transaction is all or nothing.
      const failed = await run(
        "ovn-nbctl",
        [`--db=${sb.dbs.nb}`, "--", "ls-add", "sw9", "--", "lsp-add", "nosuch", "p9"],
        {
          env: sb.env,
        },
      );
      assert.equal(failed.code, 1);
      assert.equal(failed.stderr, "ovn-nbctl: nosuch: switch name not found\n");
      assert.deepEqual(await column(nbctl, sb, "Logical_Switch", "name"), ["sw0"]);

      // What northd made of it in the Southbound database.
      assert.deepEqual(await rows(sbctl, sb, "Datapath_Binding", ["external_ids"]), [
        [`logical-router=${await n("get", "Logical_Router", "lr0", "_uuid").then((s) => s.trim())} name=lr0`],
        [`logical-switch=${await n("get", "Logical_Switch", "sw0", "_uuid").then((s) => s.trim())} name=sw0`],
      ]);
      assert.deepEqual(await rows(sbctl, sb, "Port_Binding", ["logical_port", "type"]), [
        ["lrp0", "patch"],
        ["sw0-lr0", "patch"],
        ["sw0-p1", ""],
      ]);
      assert.deepEqual(await flowsWith(sb, "sw0", 'outport = "sw0-p1"; output;'), [
        '  table=25(ls_in_l2_lkup      ), priority=50   , match=(eth.dst == 00:00:00:00:00:01), action=(outport = "sw0-p1"; output;)',
      ]);
      assert.ok(
        (await flowsWith(sb, "lr0", "ip4.dst == 10.0.0.254")).length > 0,
        "router flows for its own address",
      );
    }));

  test(`[${impl}] deletes rely on garbage collection: acl-del, lb-del, lr-nat-del, lsp-del, ls-del, lr-del`, () =>
    withSandbox(async (sb) => {
      await startCentral(sb, impl);
      const n = (...args: string[]): Promise<string> => nbctl(sb, ...args);
      await n("ls-add", "sw0", "--", "lsp-add", "sw0", "sw0-p1", "--", "lsp-add", "sw0", "sw0-p2");
      await n("lr-add", "lr0", "--", "lrp-add", "lr0", "lrp0", "00:00:00:00:ff:01", "10.0.0.254/24");

      await n("acl-add", "sw0", "to-lport", "1000", "ip4.src == 10.0.0.99", "drop");
      await n("acl-add", "sw0", "from-lport", "900", "ip4.dst == 10.0.0.98", "allow");
      await n(
        "lb-add",
        "lb0",
        "10.0.0.100:80",
        "10.0.0.1:8080",
        "tcp",
        "--",
        "ls-lb-add",
        "sw0",
        "lb0",
        "--",
        "lr-lb-add",
        "lr0",
        "lb0",
      );
      await n("lr-nat-add", "lr0", "snat", "172.16.0.1", "10.0.0.0/24");
      await n("--wait=sb", "sync");
      assert.deepEqual(lines(await n("acl-list", "sw0")), [
        "from-lport   900 (ip4.dst == 10.0.0.98) allow",
        "  to-lport  1000 (ip4.src == 10.0.0.99) drop",
      ]);
      assert.equal((await column(nbctl, sb, "ACL", "_uuid")).length, 2);
      assert.ok((await flowsWith(sb, "sw0", "ip4.src == 10.0.0.99")).length > 0, "ACL flows");
      assert.ok((await flowsWith(sb, "sw0", "10.0.0.100")).length > 0, "load balancer flows");

      // ovn-nbctl only drops references; the server must collect the orphaned rows.
      await n("--wait=sb", "acl-del", "sw0");
      assert.deepEqual(await column(nbctl, sb, "ACL", "_uuid"), []);
      assert.equal(await n("acl-list", "sw0"), "");
      assert.deepEqual(await flowsWith(sb, "sw0", "ip4.src == 10.0.0.99"), []);

      // Load_Balancer is a root table: lb-del deletes the row, and the weak references to it go too.
      await n("--wait=sb", "lb-del", "lb0");
      assert.deepEqual(await column(nbctl, sb, "Load_Balancer", "_uuid"), []);
      assert.equal(await n("get", "Logical_Switch", "sw0", "load_balancer"), "[]\n");
      assert.equal(await n("get", "Logical_Router", "lr0", "load_balancer"), "[]\n");
      assert.deepEqual(await flowsWith(sb, "sw0", "10.0.0.100"), []);

      assert.equal((await column(nbctl, sb, "NAT", "_uuid")).length, 1);
      await n("lr-nat-del", "lr0", "snat", "10.0.0.0/24");
      assert.deepEqual(await column(nbctl, sb, "NAT", "_uuid"), []);

      await n("--wait=sb", "lsp-del", "sw0-p1");
      assert.deepEqual(await column(nbctl, sb, "Logical_Switch_Port", "name"), ["sw0-p2"]);
      assert.deepEqual(await column(sbctl, sb, "Port_Binding", "logical_port"), ["lrp0", "sw0-p2"]);

      await n("--wait=sb", "ls-del", "sw0", "--", "lr-del", "lr0");
      for (const table of [
        "Logical_Switch",
        "Logical_Switch_Port",
        "Logical_Router",
        "Logical_Router_Port",
      ]) {
        assert.deepEqual(await column(nbctl, sb, table, "_uuid"), [], `${table} is empty`);
      }
      assert.deepEqual(await column(sbctl, sb, "Datapath_Binding", "_uuid"), []);
      assert.deepEqual(await column(sbctl, sb, "Port_Binding", "_uuid"), []);
      assert.deepEqual(await column(sbctl, sb, "Logical_Flow", "_uuid"), []);
    }));

  test(`[${impl}] ovn-nbctl --wait=sb returns once northd has caught up, and waits while it is away`, () =>
    withSandbox(async (sb) => {
      await startCentral(sb, impl);
      await nbctl(sb, "--wait=sb", "ls-add", "sw0");
      // No polling here: --wait=sb itself guarantees the translation is visible.
      assert.deepEqual(await column(sbctl, sb, "Datapath_Binding", "external_ids"), [
        `logical-switch=${(await nbctl(sb, "get", "Logical_Switch", "sw0", "_uuid")).trim()} name=sw0`,
      ]);
      const cfg = lines(await nbctl(sb, "get", "NB_Global", ".", "nb_cfg", "sb_cfg"));
      assert.equal(cfg[0], cfg[1]);
      assert.notEqual(cfg[0], "0");

      const northd = sb.daemons.find((d) => d.name === "northd");
      assert.ok(northd !== undefined);
      await northd.stop();
      const timedOut = await run(
        "ovn-nbctl",
        [`--db=${sb.dbs.nb}`, "--timeout=1", "--wait=sb", "ls-add", "sw1"],
        {
          env: sb.env,
        },
      );
      assert.notEqual(timedOut.code, 0, "--wait=sb must not return while no northd translates");
      // The change itself was committed; a new northd catches up and releases the waiters.
      await startNorthd(sb);
      await nbctl(sb, "--wait=sb", "sync");
      assert.deepEqual(await datapathNames(sb), ["sw0", "sw1"]);
    }));
}
