import assert from "node:assert/strict";
import { test } from "node:test";
import { waitUntil } from "./wait.js";

test("waitUntil returns the first truthy result, retrying through throws", async () => {
  let n = 0;
  const v = await waitUntil(
    () => {
      n += 1;
      if (n < 3) throw new Error("not yet");
      return n === 3 ? "ready" : false;
    },
    2000,
    { intervalMs: 1 },
  );
  assert.equal(v, "ready");
  assert.equal(n, 3);
});

test("waitUntil times out naming what it waited for and the last failure", async () => {
  await assert.rejects(
    waitUntil(
      () => {
        throw new Error("socket missing");
      },
      30,
      { what: "the server", intervalMs: 5 },
    ),
    /timed out after 30 ms waiting for the server; last error: socket missing/,
  );
});

test("waitUntil stops at once when `unless` throws", async () => {
  const started = Date.now();
  await assert.rejects(
    waitUntil(() => false, 10_000, {
      unless: () => {
        throw new Error("daemon exited");
      },
    }),
    /daemon exited/,
  );
  assert.ok(Date.now() - started < 1000);
});
