// Pure formatting (src/format.js): sizes, durations, ETAs, relative times, weekdays, windows.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  formatBytes, formatDuration, formatEta, formatRelative, parseTime, clampPercent, formatWeekdays, backupWindows,
} from "../src/format.js";

test("bytes in decimal units, one decimal below 10", () => {
  assert.equal(formatBytes(0), "0 B");
  assert.equal(formatBytes(999), "999 B");
  assert.equal(formatBytes(1000), "1.0 KB");
  assert.equal(formatBytes(1_234_567), "1.2 MB");
  assert.equal(formatBytes(1_200_000_000), "1.2 GB");
  assert.equal(formatBytes(9_960_000_000), "10 GB");
  assert.equal(formatBytes(123_456_789_012), "123 GB");
  assert.equal(formatBytes(5e15), "5.0 PB");
  assert.equal(formatBytes(5e18), "5000 PB");
  for (const bad of [null, undefined, -1, NaN, Infinity]) assert.equal(formatBytes(bad), "—");
});

test("durations: seconds, minutes, hours, days", () => {
  assert.equal(formatDuration(0), "0 s");
  assert.equal(formatDuration(42_000), "42 s");
  assert.equal(formatDuration(59_400), "59 s");
  assert.equal(formatDuration(60_000), "1 min");
  assert.equal(formatDuration(200_000), "3 min");
  assert.equal(formatDuration(3_600_000), "1 h");
  assert.equal(formatDuration(3_900_000), "1 h 5 min");
  assert.equal(formatDuration(3 * 86_400_000), "3 days");
  assert.equal(formatDuration(-5), "—");
  assert.equal(formatDuration(null), "—");
});

test("ETA: unknown, almost done, about N left", () => {
  assert.equal(formatEta(null), "estimating time left…");
  assert.equal(formatEta(undefined), "estimating time left…");
  assert.equal(formatEta(1200), "almost done");
  assert.equal(formatEta(42_000), "about 42 s left");
  assert.equal(formatEta(180_000), "about 3 min left");
});

test("relative times against a given now, past and future", () => {
  const now = Date.parse("2024-07-30T16:49:50Z");
  assert.equal(formatRelative("2024-07-30T16:49:30Z", now), "just now");
  assert.equal(formatRelative("2024-07-30T16:48:50Z", now), "1 min ago");
  assert.equal(formatRelative("2024-07-30T16:46:50Z", now), "3 min ago");
  assert.equal(formatRelative("2024-07-30T14:49:50Z", now), "2 h ago");
  assert.equal(formatRelative("2024-07-27T16:49:50Z", now), "3 days ago");
  assert.equal(formatRelative("2024-08-06T16:49:50Z", now), "in 7 days");
  assert.equal(formatRelative(null, now), "—");
  assert.equal(formatRelative("yesterday-ish", now), "—");
  assert.equal(parseTime(""), null);
  assert.equal(parseTime("2024-07-30T16:49:50Z"), now);
});

test("percent is clamped to 0–100 and rounded", () => {
  assert.equal(clampPercent(45), 45);
  assert.equal(clampPercent("99"), 99);
  assert.equal(clampPercent(33.6), 34);
  assert.equal(clampPercent(-3), 0);
  assert.equal(clampPercent(140), 100);
  assert.equal(clampPercent("x"), 0);
});

test("weekdays by name, sorted; all seven is every day", () => {
  assert.equal(formatWeekdays([5, 1, 3]), "Mon, Wed, Fri");
  assert.equal(formatWeekdays([1, 2, 3, 4, 5, 6, 7]), "every day");
  assert.equal(formatWeekdays([]), "no days");
  assert.equal(formatWeekdays([9]), "day 9");
});

test("the 24 two-hour windows wrap past midnight", () => {
  const w = backupWindows();
  assert.equal(w.length, 24);
  assert.equal(w[0], "00:00-02:00");
  assert.equal(w[22], "22:00-00:00");
  assert.equal(w[23], "23:00-01:00");
  assert.equal(new Set(w).size, 24);
});
