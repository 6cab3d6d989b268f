import assert from "node:assert/strict";
import { test } from "node:test";
import type { Json } from "../json.js";
import {
  describeMessage,
  encodeMessage,
  errorReply,
  JsonRpcProtocolError,
  messageFromJson,
  notification,
  reply,
  request,
} from "../message.js";

// Each input and the text ovsdb-server 3.1 logs for it ("received bad JSON-RPC message: ..."), captured
// by sending the message to a real ovsdb-server over its unix socket.
const BAD: Array<[string, string]> = [
  ["[1,2]", "message is not a JSON object"],
  ['{"result":1,"error":2,"id":1}', 'reply must not have "error"'],
  ['{"method":"echo","params":[],"id":1,"extra":3}', 'message has unexpected member "extra"'],
  ['{"method":"echo","params":{},"id":1}', '"params" must be JSON array'],
  ['{"method":"echo","id":1}', 'request must have "params"'],
  ['{"method":5,"params":[],"id":1}', "method is not a JSON string"],
  ["{}", 'notification must have "method"'],
  ['{"params":[],"id":1}', 'request must have "method"'],
  ['{"result":1}', 'reply must have "id"'],
  ['{"error":1}', 'error must have "id"'],
  ['{"error":null, "result":null, "id":3}', 'request must have "method"'],
  ['{"error":null, "id":3}', 'request must have "method"'],
  ['{"method":"echo","params":[],"id":1,"result":2}', 'reply must not have "method"'],
  ['{"id":1, "result":5, "error":null, "method":null}', "method is not a JSON string"],
  ['{"method":5,"extra":1}', "method is not a JSON string"],
  ['{"params":5,"method":null}', "method is not a JSON string"],
  ['{"params":5,"method":"x","extra":1}', 'message has unexpected member "extra"'],
  ['{"result":1,"id":1,"params":[]}', 'reply must not have "params"'],
  ['{"error":1,"id":1,"params":[]}', 'error must not have "params"'],
  ['{"error":1,"id":1,"method":"x"}', 'error must not have "method"'],
  ['{"id":null,"result":1}', 'reply must have "id"'],
  ['{"method":"echo","params":[],"error":5}', 'error must not have "method"'],
  ['{"result":1,"id":1,"error":null,"id":null}', 'reply must have "id"'],
  ['{"method":"echo","params":[],"id":"x","params":null}', 'request must have "params"'],
  ['{"method":"echo","id":"x","params":5}', '"params" must be JSON array'],
  ['{"result":1,"method":"x"}', 'reply must not have "method"'],
  ['{"method":"x","params":[],"result":[]}', 'reply must not have "method"'],
];

test("invalid JSON-RPC messages are rejected with the C server's words", () => {
  for (const [input, expected] of BAD) {
    assert.throws(
      () => messageFromJson(JSON.parse(input) as Json),
      (e: unknown) => e instanceof JsonRpcProtocolError && e.message === expected,
      `${input} => ${expected}`,
    );
  }
});

// Messages the real server accepts (null members count as absent; ids may be any non-null JSON).
const GOOD: Array<[string, ReturnType<typeof messageFromJson>]> = [
  ['{"method":"echo","params":[1],"id":"a"}', request("echo", [1], "a")],
  ['{"method":"echo","params":[],"id":1,"error":null}', request("echo", [], 1)],
  ['{"method":"echo","params":[],"id":1,"result":null}', request("echo", [], 1)],
  ['{"method":"x","params":[],"id":{"a":1}}', request("x", [], { a: 1 })],
  ['{"method":"x","params":[],"id":[1,2]}', request("x", [], [1, 2])],
  ['{"method":"echo","params":[],"id":1,"params":[3]}', request("echo", [3], 1)],
  ['{"method":"echo","params":[],"id":true}', request("echo", [], true)],
  ['{"method":"x","params":[]}', notification("x", [])],
  ['{"method":"echo","params":[],"id":null}', notification("echo", [])],
  ['{"id":null,"method":"update","params":["m",{}]}', notification("update", ["m", {}])],
  ['{"result":1,"error":null,"id":77}', reply(1, 77)],
  ['{"result":1,"id":1,"error":null,"params":null}', reply(1, 1)],
  ['{"error":"x","id":3}', errorReply("x", 3)],
  [
    '{"id":5,"error":{"error":"syntax error","details":"d"},"result":null}',
    errorReply({ error: "syntax error", details: "d" }, 5),
  ],
];

test("valid messages parse to their kind", () => {
  for (const [input, expected] of GOOD) {
    assert.deepEqual(messageFromJson(JSON.parse(input) as Json), expected, input);
  }
});

test("encoding uses the C member order and re-parses to the same message", () => {
  const cases: Array<[ReturnType<typeof messageFromJson>, string]> = [
    [request("echo", [], "echo"), '{"id":"echo","method":"echo","params":[]}'],
    [notification("update", ["m", {}]), '{"id":null,"method":"update","params":["m",{}]}'],
    [reply([1], "a"), '{"id":"a","result":[1],"error":null}'],
    [errorReply("unknown method", 5), '{"id":5,"error":"unknown method"}'],
  ];
  for (const [msg, wire] of cases) {
    assert.equal(encodeMessage(msg), wire);
    assert.deepEqual(messageFromJson(JSON.parse(wire) as Json), msg);
  }
});

test("debug descriptions read like the C log lines", () => {
  assert.equal(describeMessage(request("echo", [], "echo")), 'request, method="echo", params=[], id="echo"');
  assert.equal(describeMessage(notification("update", ["m"])), 'notification, method="update", params=["m"]');
  assert.equal(describeMessage(reply([1], "a")), 'reply, result=[1], id="a"');
  assert.equal(describeMessage(errorReply("unknown method", 5)), 'reply, error="unknown method", id=5');
  assert.equal(describeMessage(reply("x".repeat(50), 1), 10), 'reply, result="xxxxxxxxx..., id=1');
});

// The member checks as a plain loop over the members (how they were first written): the bit-mask
// version in message.ts must give the same verdict and the same error text on every combination.
function naiveVerdict(json: Record<string, Json>): string {
  const members = ["method", "params", "result", "error", "id"];
  if (json.method !== undefined && typeof json.method !== "string") return "method is not a JSON string";
  for (const key of Object.keys(json))
    if (!members.includes(key)) return `message has unexpected member "${key}"`;
  const present = (v: Json | undefined) => v !== undefined && v !== null;
  if (present(json.params) && !Array.isArray(json.params)) return '"params" must be JSON array';
  const type = present(json.result)
    ? "reply"
    : present(json.error)
      ? "error"
      : present(json.id)
        ? "request"
        : "notification";
  const required: Record<string, string[]> = {
    request: ["method", "params", "id"],
    notification: ["method", "params"],
    reply: ["result", "id"],
    error: ["error", "id"],
  };
  for (const m of members) {
    const has = present(json[m]);
    const req = required[type]?.includes(m) ?? false;
    if (req && !has) return `${type} must have "${m}"`;
    if (!req && has) return `${type} must not have "${m}"`;
  }
  return type;
}

test("member checks agree with a plain loop over the members on every combination", () => {
  const values: (Json | undefined)[] = [undefined, null, 1, "x", [], {}];
  const names = ["method", "params", "result", "error", "id"];
  let checked = 0;
  for (let code = 0; code < values.length ** names.length; code++) {
    for (const extra of [false, true]) {
      const json: Record<string, Json> = {};
      let c = code;
      for (const n of names) {
        const v = values[c % values.length];
        c = Math.floor(c / values.length);
        if (v !== undefined) json[n] = v;
      }
      if (extra) json.other = 1;
      let got: string;
      try {
        got = messageFromJson(json).type;
      } catch (e) {
        assert.ok(e instanceof JsonRpcProtocolError);
        got = e.message;
      }
      assert.equal(got, naiveVerdict(json), JSON.stringify(json));
      checked++;
    }
  }
  assert.equal(checked, 2 * 6 ** 5);
});
