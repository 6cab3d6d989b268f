// Differential: the same JSON-RPC requests to the real ovsdb-server 3.1 and to the ovnts server core,
// answers compared with uuids normalised and selected rows sorted.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { InprocClient, inprocServer } from "./inproc.js";
import { canonical, normaliseUuids, RawClient, REPO, schemaPath, startRealOvsdb } from "./peers.js";

/** An index violation names the two rows in the C server's hash order: put them in a fixed order. */
function sameRows(text: string): string {
  return text.replace(
    /First row, with UUID (<\d+>), (was [^.]*)\. {2}Second row, with UUID (<\d+>), \2\./g,
    (_m, a: string, how: string, b: string) => {
      const [x, y] = [a, b].sort();
      return `First row, with UUID ${x}, ${how}.  Second row, with UUID ${y}, ${how}.`;
    },
  );
}

export function loadCorpus(file: string): Array<[string, unknown]> {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "" && !l.startsWith("#"))
    .map((l) => JSON.parse(l) as [string, unknown]);
}

test("transact corpus: ovnts answers like ovsdb-server", async () => {
  const corpus = loadCorpus(join(REPO, "test/differential/transact-corpus.txt"));
  assert.ok(corpus.length >= 100, "corpus has at least 100 requests");
  const schemas = [schemaPath("ovn-nb"), schemaPath("vswitch")];
  const real = startRealOvsdb(schemas);
  const client = await RawClient.connect(real.sock);
  const ours = new InprocClient(inprocServer(schemas));
  const mapReal = new Map<string, string>();
  const mapOurs = new Map<string, string>();
  const diffs: string[] = [];
  try {
    for (const [method, params] of corpus) {
      const r = await client.request(method, params);
      const o = ours.request(method, params);
      delete r.id;
      delete o.id;
      // list_dbs order is the C server's hash order: compare as sets.
      if (method === "list_dbs")
        for (const x of [r, o]) if (Array.isArray(x.result)) x.result = [...x.result].sort();
      const rt = sameRows(normaliseUuids(JSON.stringify(canonical(r)), mapReal));
      const ot = sameRows(normaliseUuids(JSON.stringify(canonical(o)), mapOurs));
      // Notifications (monitor updates, locks) the request caused, in order.
      // One request yields at most one notification per monitor; their order across monitors is unspecified.
      const byText = (a: unknown, b: unknown) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1);
      const rn = sameRows(
        normaliseUuids(JSON.stringify(client.notifications.splice(0).map(canonical).sort(byText)), mapReal),
      );
      const on = sameRows(
        normaliseUuids(JSON.stringify(ours.takeNotifications().map(canonical).sort(byText)), mapOurs),
      );
      if (rn !== on)
        diffs.push(`${JSON.stringify([method, params])} notifications\n   real: ${rn}\n  ovnts: ${on}`);
      if (rt !== ot) diffs.push(`${JSON.stringify([method, params])}\n   real: ${rt}\n  ovnts: ${ot}`);
    }
  } finally {
    client.close();
    real.stop();
  }
  assert.equal(diffs.length, 0, `${diffs.length} differences:\n${diffs.join("\n")}`);
});
