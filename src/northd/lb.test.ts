import assert from "node:assert/strict";
import { test } from "node:test";
import { parseIpPort, parseVip } from "./lb.js";

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
