import assert from "node:assert/strict";
import { test } from "node:test";
import { parseIpPort, parseTemplateVip, parseVip } from "./lb.js";

test("VIP keys and backends", () => {
  assert.deepEqual(parseIpPort("10.0.0.1:80"), { ip: "10.0.0.1", family: 4, port: 80 });
  assert.deepEqual(parseIpPort("[fd00::0001]:80"), { ip: "fd00::1", family: 6, port: 80 });
  assert.deepEqual(parseIpPort("fd00::1"), { ip: "fd00::1", family: 6, port: undefined });
  assert.equal(parseIpPort("10.0.0.1:0"), undefined);
  const v = parseVip("10.0.0.100:80", "10.0.0.2:8080,10.0.0.3:8080");
  assert.deepEqual(
    v?.backends.map((b) => `${b.ip}:${b.port}`),
    ["10.0.0.2:8080", "10.0.0.3:8080"],
  );
  assert.equal(parseVip("10.0.0.100:80", "10.0.0.2"), undefined, "port on one side only");
  assert.equal(parseVip("10.0.0.100", "fd00::2"), undefined, "mixed families");
  assert.deepEqual(parseVip("10.0.0.100", "")?.backends, []);
});

test("template VIPs: words kept as text, explicit backends accepted, bad keys refused", () => {
  const t = parseTemplateVip("^vip:^port", "^backends", 4);
  assert.deepEqual(
    t === undefined ? undefined : { ip: t.ip, port: t.port, b: t.backends.map((b) => [b.ip, b.port]) },
    { ip: "^vip", port: "^port", b: [["^backends", undefined]] },
  );
  assert.deepEqual(
    parseTemplateVip("^vip:80", "^ip1:8080,^ip2:^p2", 4)?.backends.map((b) => [b.ip, b.port]),
    [
      ["^ip1", "8080"],
      ["^ip2", "^p2"],
    ],
  );
  // IPv6 explicit backends have more than one colon: parsed as addresses instead.
  assert.deepEqual(
    parseTemplateVip("^vip6:80", "[fd00::1]:8080", 6)?.backends.map((b) => [b.ip, b.port]),
    [["fd00::1", 8080]],
  );
  assert.equal(parseTemplateVip("^a:^b:^c", "^x", 4), undefined);
});
