import assert from "node:assert/strict";
import { test } from "node:test";
import { guessLocalDatapaths, type LocalGuessInput } from "./local-guess.js";

/** A VIF's switch, its router, and a provider switch behind the router's always-redirect gateway port. */
function topology(chassisUuid: string | undefined): LocalGuessInput {
  const pb = (logicalPort: string, datapath: string, type: string, options: [string, string][] = []) =>
    ({
      logicalPort,
      datapath,
      type,
      options: new Map(options),
      haChassisGroup: type === "chassisredirect" ? "g1" : undefined,
    }) as never;
  return {
    ports: [
      pb("vm1", "ls1", ""),
      pb("ls1-lr", "ls1", "patch", [["peer", "lr-ls1"]]),
      pb("lr-ls1", "lr", "patch", [["peer", "ls1-lr"]]),
      pb("lr-pub", "lr", "patch", [
        ["peer", "pub-lr"],
        ["chassis-redirect-port", "cr-lr-pub"],
      ]),
      pb("pub-lr", "pub", "patch", [["peer", "lr-pub"]]),
      pb("cr-lr-pub", "lr", "chassisredirect", [["always-redirect", "true"]]),
    ],
    haGroups: (u) => (u === "g1" ? ({ haChassis: ["h1"] } as never) : undefined),
    haChassis: (u) => (u === "h1" ? ({ chassis: "gw-uuid", priority: 10 } as never) : undefined),
    ifaceIds: new Set(["vm1"]),
    chassisName: "hv2",
    chassisUuid,
  };
}

test("guessLocalDatapaths: behind an always-redirect gateway port only on its gateway chassis, not before registration", () => {
  const sorted = (s: Set<string>) => [...s].sort();
  assert.deepEqual(sorted(guessLocalDatapaths(topology(undefined))), ["lr", "ls1"]);
  assert.deepEqual(sorted(guessLocalDatapaths(topology("hv2-uuid"))), ["lr", "ls1"]);
  assert.deepEqual(sorted(guessLocalDatapaths(topology("gw-uuid"))), ["lr", "ls1", "pub"]);
});
