import assert from "node:assert/strict";
import { test } from "node:test";
import type { SwitchDatapath, SwitchPort } from "./model.js";
import { assignTags } from "./tags.js";

const port = (name: string, nb: { parentName?: string; tagRequest?: number; tag?: number }): SwitchPort =>
  ({
    name,
    nb: { parentName: nb.parentName, tagRequest: nb.tagRequest, tag: nb.tag },
    tag: undefined,
  }) as unknown as SwitchPort;

test("container tags: requests copied, 0 asks for the lowest free tag under the parent, kept once given", () => {
  const ports = [
    port("vm", {}),
    port("c1", { parentName: "vm", tagRequest: 0, tag: 1 }),
    port("c2", { parentName: "vm", tagRequest: 0 }),
    port("c3", { parentName: "vm", tagRequest: 3 }),
    port("c4", { parentName: "vm2", tagRequest: 0 }),
    port("ln", { tagRequest: 100 }),
    port("plain", { tag: 7 }),
  ];
  assignTags({ ports } as unknown as SwitchDatapath);
  assert.deepEqual(
    ports.map((p) => [p.name, p.tag]),
    [
      ["vm", undefined],
      ["c1", 1],
      ["c2", 2],
      ["c3", 3],
      ["c4", 1],
      ["ln", 100],
      ["plain", 7],
    ],
  );
});
