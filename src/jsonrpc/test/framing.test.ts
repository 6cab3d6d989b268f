import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { JsonFramer, JsonFramingError } from "../framing.js";
import type { JsonObject } from "../json.js";

const enc = new TextEncoder();
const bytes = (s: string): Uint8Array => enc.encode(s);

/** Cuts `data` at the given positions (taken modulo its length). */
function chunk(data: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => (data.length === 0 ? 0 : c % (data.length + 1))))].sort(
    (a, b) => a - b,
  );
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(data.slice(prev, p));
    prev = p;
  }
  out.push(data.slice(prev));
  return out;
}

function feedAll(framer: JsonFramer, chunks: Uint8Array[]): JsonObject[] {
  const got: JsonObject[] = [];
  for (const c of chunks) got.push(...framer.push(c));
  return got;
}

function framingError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof JsonFramingError, `expected JsonFramingError, got ${e}`);
    return e.message;
  }
  assert.fail("expected an error");
}

const whitespace = fc.array(fc.constantFrom(" ", "\n", "\t", "\r"), { maxLength: 3 }).map((a) => a.join(""));

for (const unit of ["grapheme", "binary"] as const) {
  test(`random chunking of random messages yields exactly those messages (${unit} strings)`, () => {
    const message = fc.dictionary(fc.string({ unit }), fc.jsonValue({ stringUnit: unit, maxDepth: 4 }), {
      maxKeys: 5,
    });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(message, whitespace), { maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (msgs, cuts) => {
          const text = msgs.map(([m, ws]) => JSON.stringify(m) + ws).join("");
          const got = feedAll(new JsonFramer(), chunk(bytes(text), cuts));
          assert.deepEqual(
            got,
            msgs.map(([m]) => JSON.parse(JSON.stringify(m))),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
}

test("byte-at-a-time feeding, including inside escapes and multi-byte characters", () => {
  const text = '{"a":"x\\"y\\\\","b":["é€😀",{"c":"\\u00e9\\ud83d\\ude00"}]}  {"d":"}{]["}';
  const one = bytes(text);
  const got = feedAll(
    new JsonFramer(),
    [...one].map((b) => Uint8Array.of(b)),
  );
  assert.deepEqual(got, [{ a: 'x"y\\', b: ["é€😀", { c: "é😀" }] }, { d: "}{][" }]);
});

test("nesting depth: 1000 levels pass, 1001 fail like OVS", () => {
  const nest = (n: number): string => `{"a":${"[".repeat(n - 1)}${"]".repeat(n - 1)}}`;
  assert.equal(new JsonFramer().push(bytes(nest(1000))).length, 1);
  assert.equal(
    framingError(() => new JsonFramer().push(bytes(nest(1001)))),
    "input exceeds maximum nesting depth 1000",
  );
  assert.equal(
    framingError(() => new JsonFramer({ maxDepth: 2 }).push(bytes(`{"a":[{"b":1}]}`))),
    "input exceeds maximum nesting depth 2",
  );
  // Brackets inside strings do not count.
  assert.equal(new JsonFramer({ maxDepth: 1 }).push(bytes('{"a":"[[[{{{"}')).length, 1);
});

test("maximum message size: at the limit passes, one byte more fails, detected before the end arrives", () => {
  const msg = '{"a":"xxxxxxxxxx"}'; // 18 bytes
  assert.equal(new JsonFramer({ maxMessageBytes: 18 }).push(bytes(`  ${msg}\n${msg}`)).length, 2);
  assert.equal(
    framingError(() => new JsonFramer({ maxMessageBytes: 17 }).push(bytes(msg))),
    "JSON-RPC message exceeds maximum size of 17 bytes",
  );
  // An endless message is refused as soon as the buffered part exceeds the limit.
  const f = new JsonFramer({ maxMessageBytes: 100 });
  f.push(bytes('{"a":"'));
  for (let i = 0; i < 9; i++) f.push(bytes("xxxxxxxxxx"));
  assert.equal(f.pendingBytes, 96);
  assert.match(
    framingError(() => f.push(bytes("xxxxxxxxxx"))),
    /exceeds maximum size of 100 bytes/,
  );
  assert.equal(f.pendingBytes, 0);
});

test("invalid UTF-8 is an error, even when split across chunks", () => {
  assert.equal(
    framingError(() => new JsonFramer().push(Uint8Array.of(...bytes('{"a":"'), 0xff, ...bytes('"}')))),
    "invalid UTF-8 in JSON-RPC message",
  );
  const f = new JsonFramer();
  f.push(Uint8Array.of(...bytes('{"a":"'), 0xe2, 0x82)); // first two bytes of "€"
  assert.equal(
    framingError(() => f.push(Uint8Array.of(0x41, ...bytes('"}')))),
    "invalid UTF-8 in JSON-RPC message",
  );
  // Overlong encoding of "/" is not UTF-8 either.
  assert.match(
    framingError(() => new JsonFramer().push(Uint8Array.of(...bytes('{"a":"'), 0xc0, 0xaf, ...bytes('"}')))),
    /UTF-8/,
  );
});

test("top-level values must be objects", () => {
  const cases: Array<[string, string]> = [
    ["5", "syntax error: expected '{' at start of JSON-RPC message, found '5'"],
    ['"x"', `syntax error: expected '{' at start of JSON-RPC message, found '"'`],
    ["[1,2]", "JSON-RPC message is not a JSON object"],
    ['{"a":1}}', "syntax error: expected '{' at start of JSON-RPC message, found '}'"],
    ["\x00", "syntax error: expected '{' at start of JSON-RPC message, found byte 0x00"],
  ];
  for (const [input, message] of cases) {
    assert.equal(
      framingError(() => new JsonFramer().push(bytes(input))),
      message,
      input,
    );
  }
});

test("malformed JSON inside an object is reported with JSON.parse's message", () => {
  assert.match(
    framingError(() => new JsonFramer().push(bytes('{"a":tru}'))),
    /^JSON syntax error: /,
  );
  assert.match(
    framingError(() => new JsonFramer().push(bytes('{"a":[1}]'))),
    /^JSON syntax error: /,
  );
  assert.match(
    framingError(() => new JsonFramer().push(bytes("{'a':1}"))),
    /^JSON syntax error: /,
  );
});

test("after an error the framer stays dead; feed() delivers the messages before the fault", () => {
  const f = new JsonFramer();
  const seen: JsonObject[] = [];
  const msg = framingError(() => f.feed(bytes('{"a":1} {"b":2} 7 {"c":3}'), (m) => seen.push(m)));
  assert.deepEqual(seen, [{ a: 1 }, { b: 2 }]);
  assert.equal(
    framingError(() => f.push(bytes('{"d":4}'))),
    msg,
  );
  assert.equal(
    framingError(() => f.finish()),
    msg,
  );
  assert.equal(f.error?.message, msg);
  assert.equal(f.idle, false);
});

test("finish() refuses a cut-off message and accepts a clean end", () => {
  const f = new JsonFramer();
  f.push(bytes('{"a":1}  '));
  assert.equal(f.idle, true);
  f.finish();
  const g = new JsonFramer();
  g.push(bytes('{"a":'));
  assert.equal(g.pendingBytes, 5);
  assert.equal(
    framingError(() => g.finish()),
    "unexpected end of input inside a JSON-RPC message",
  );
});

test("a custom parse function can keep big integers exact", () => {
  const f = new JsonFramer({ parse: (t) => JSON.parse(t.replace(/(\d{16,})/g, '"$1"')) });
  assert.deepEqual(f.push(bytes('{"n":9223372036854775807}')), [{ n: "9223372036854775807" }]);
});

test("the chunk passed in may be reused by the caller", () => {
  const f = new JsonFramer();
  const buf = bytes('{"a":"hello');
  f.push(buf);
  buf.fill(0x20);
  assert.deepEqual(f.push(bytes(' world"}')), [{ a: "hello world" }]);
});

test("large input is framed in linear time", () => {
  // 20 MB of small messages in 64 KiB chunks, plus one 5 MB message split into 1-byte-heavy chunks.
  const one =
    '{"id":1,"method":"update3","params":["uuid-like-string-0123456789abcdef",{"t":{"r":{"c":"x\\"y"}}}]}';
  const text = bytes(one.repeat(200_000));
  const f = new JsonFramer();
  const t0 = performance.now();
  let count = 0;
  for (let off = 0; off < text.length; off += 65536) {
    f.feed(text.subarray(off, off + 65536), () => count++);
  }
  assert.equal(count, 200_000);
  const big = bytes(`{"s":"${"a".repeat(5_000_000)}"}`);
  for (let off = 0; off < big.length; off += 4096) f.feed(big.subarray(off, off + 4096), () => count++);
  assert.equal(count, 200_001);
  const ms = performance.now() - t0;
  assert.ok(ms < 5000, `took ${ms} ms`);
});
