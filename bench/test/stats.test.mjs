import { test } from "node:test";
import assert from "node:assert/strict";
import { percentile, summary } from "../lib/stats.mjs";

test("nearest-rank percentiles return measured values", () => {
  const xs = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
  assert.equal(percentile(xs, 50), 5);
  assert.equal(percentile(xs, 90), 9);
  assert.equal(percentile(xs, 100), 10);
  assert.equal(percentile([7], 90), 7);
  assert.deepEqual(summary(xs), { n: 10, median: 5, p90: 9, min: 1, max: 10 });
  assert.deepEqual(xs, [5, 1, 4, 2, 3, 10, 9, 8, 7, 6], "the input is not reordered");
});
