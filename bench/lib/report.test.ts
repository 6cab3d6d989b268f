import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type FigureResult,
  formatJson,
  formatNumber,
  type RunMeta,
  renderJson,
  renderMarkdown,
} from "./report.js";

const meta: RunMeta = { bench: "ovsdb", date: "2026-01-02T03:04:05.000Z", host: { cpus: 2, node: "v20" } };

const figures: FigureResult[] = [
  {
    number: 1,
    id: "seq",
    title: "sequential",
    unit: "txn/s",
    better: "higher",
    target: { op: ">=", ratio: 1 },
    results: { c: { value: 12000, samples: [12000] }, ovnts: { value: 6000, samples: [6000] } },
  },
  {
    number: 5,
    id: "mon",
    title: "initial monitor",
    unit: "ms",
    better: "lower",
    target: { op: "<=", ratio: 0.5 },
    results: {
      c: { value: 800, samples: [800] },
      ovnts: { value: 120, samples: [120], detail: { bytes: 9 } },
    },
  },
  {
    number: 6,
    id: "cold",
    title: "cold start",
    unit: "ms",
    better: "lower",
    results: { c: { value: 0, samples: [0] }, ovnts: { value: 1.5, samples: [1.5] } },
  },
];

test("formatNumber", () => {
  assert.equal(formatNumber(51567.4), "51,567");
  assert.equal(formatNumber(206.3), "206");
  assert.equal(formatNumber(61.04), "61.0");
  assert.equal(formatNumber(1.234), "1.23");
  assert.equal(formatNumber(0.4758), "0.476");
  assert.equal(formatNumber(Number.NaN), "n/a");
});

test("markdown table: one row per figure, its own number, ratio, direction, target and verdict", () => {
  const md = renderMarkdown(figures, meta);
  const rows = md.split("\n").filter((l) => l.startsWith("| "));
  assert.deepEqual(rows, [
    "| # | figure | unit | C | ovnts | ovnts/C | better | target | met |",
    "| 1 | sequential | txn/s | 12,000 | 6,000 | 0.50× | higher | ≥ 1.0× | **no** |",
    "| 5 | initial monitor | ms | 800 | 120 | 0.15× | lower | ≤ 0.5× | yes |",
    "| 6 | cold start | ms | 0.00 | 1.50 | n/a | lower | — | — |",
  ]);
  assert.match(md, /^### ovsdb: ovnts vs C \(2026-01-02T03:04:05.000Z\)$/m);
  assert.match(md, /Host: cpus 2, node v20\./);
});

test("json: meta, per-figure values, ratio and verdict (null when not defined)", () => {
  const doc = JSON.parse(renderJson(figures, meta));
  assert.equal(doc.bench, "ovsdb");
  assert.equal(doc.figures.length, 3);
  assert.deepEqual(doc.figures[0], {
    number: 1,
    id: "seq",
    title: "sequential",
    unit: "txn/s",
    better: "higher",
    target: { op: ">=", ratio: 1 },
    c: { value: 12000, samples: [12000] },
    ovnts: { value: 6000, samples: [6000] },
    ratio: 0.5,
    met: false,
  });
  assert.equal(doc.figures[1].ovnts.detail.bytes, 9);
  assert.equal(doc.figures[2].ratio, null);
  assert.equal(doc.figures[2].met, null);
  assert.equal(doc.figures[2].target, null);
});

test("formatJson lays out as biome does: objects expanded, short arrays inline, long number arrays filled", () => {
  assert.equal(formatJson({ a: [1, 2], b: {}, c: [] }), '{\n  "a": [1, 2],\n  "b": {},\n  "c": []\n}');
  const long = formatJson({ xs: [1.23456, 22.2222, 333.333, 4444.44, 55555.5] }, 30);
  assert.equal(long, '{\n  "xs": [\n    1.235, 22.22, 333.3, 4444,\n    55560\n  ]\n}');
  // The key and the comma after the array count towards the line's width.
  assert.equal(formatJson({ abc: [1, 2, 3] }, 18), '{\n  "abc": [1, 2, 3]\n}');
  assert.equal(formatJson({ abc: [1, 2, 3] }, 17), '{\n  "abc": [\n    1, 2, 3\n  ]\n}');
  assert.equal(formatJson({ abc: [1, 2, 3], d: 0 }, 18), '{\n  "abc": [\n    1, 2, 3\n  ],\n  "d": 0\n}');
  const nested = formatJson({ o: [{ k: 1 }] });
  assert.equal(nested, '{\n  "o": [\n    {\n      "k": 1\n    }\n  ]\n}');
});
