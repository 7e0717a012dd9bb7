// Unit tests of the pure parts: retention decisions and configuration parsing (plain Node).
import { test } from "node:test";
import assert from "node:assert/strict";
import { decideRetention } from "../src/retention.js";
import { ConfigError, getConfig } from "../src/config.js";

const DAY = 86_400_000;
const NOW = Date.parse("2026-03-01T12:00:00Z");
const C = "in01-r";
let n = 0;
const backup = (ageDays, over = {}) => ({
  backupId: `backup${++n}_${ageDays}d`,
  clusterId: C,
  creationMethod: "MANUAL",
  status: "AVAILABLE",
  createTime: new Date(NOW - ageDays * DAY).toISOString().replace(/\.\d+Z$/, "Z"),
  ...over,
});
const ids = (list) => list.map((b) => b.backupId);

test("deletes what is older than maxAgeDays, keeps what is newer", () => {
  const fresh = backup(1), mid = backup(6.9), old = backup(7.1), older = backup(30);
  const { remove, keep } = decideRetention([fresh, mid, old, older], { maxAgeDays: 7, keepNewest: 0 }, C, NOW);
  assert.deepEqual(ids(remove), ids([old, older]));
  assert.deepEqual(ids(keep), ids([fresh, mid]));
});

test("the newest keepNewest are kept even when old, whatever the list's order", () => {
  const a = backup(40), b = backup(10), c = backup(20), d = backup(30);
  const { remove, keep } = decideRetention([a, b, c, d], { maxAgeDays: 7, keepNewest: 2 }, C, NOW);
  assert.deepEqual(ids(keep), ids([b, c]));
  assert.deepEqual(ids(remove), ids([d, a]));
  assert.deepEqual(ids(decideRetention([a, b], { maxAgeDays: 7, keepNewest: 5 }, C, NOW).remove), []);
});

test("only MANUAL + AVAILABLE backups of the cluster are candidates (never AUTO, CREATING, other clusters)", () => {
  const auto = backup(90, { creationMethod: "AUTO" });
  const creating = backup(90, { status: "CREATING" });
  const deleted = backup(90, { status: "DELETED" });
  const elsewhere = backup(90, { clusterId: "in01-other" });
  const unknownMethod = backup(90, { creationMethod: null });
  const old = backup(90);
  const { remove, keep } = decideRetention([auto, creating, deleted, elsewhere, unknownMethod, old], { maxAgeDays: 1, keepNewest: 0 }, C, NOW);
  assert.deepEqual(ids(remove), ids([old]));
  assert.deepEqual(keep, []);
  // …and they do not count towards keepNewest either.
  assert.deepEqual(ids(decideRetention([auto, creating, old], { maxAgeDays: 1, keepNewest: 1 }, C, NOW).keep), ids([old]));
});

test("a backup without a readable createTime is never deleted", () => {
  const undated = backup(90, { createTime: null });
  const garbled = backup(90, { createTime: "last tuesday" });
  const { remove } = decideRetention([undated, garbled], { maxAgeDays: 1, keepNewest: 0 }, C, NOW);
  assert.deepEqual(remove, []);
});

test("the age boundary: exactly maxAgeDays old is kept", () => {
  const edge = backup(7);
  assert.deepEqual(decideRetention([edge], { maxAgeDays: 7, keepNewest: 0 }, C, NOW).remove, []);
  assert.deepEqual(ids(decideRetention([edge], { maxAgeDays: 7, keepNewest: 0 }, C, NOW + 1000).remove), ids([edge]));
});

const kv = { get() {} }; // only its presence is checked
const env = (over = {}) => ({ ZILLIZ_API_KEY: "k-123", ALLOWED_CLUSTERS: "in01-a, in01-b", BACKUP_STATE: kv, ...over });

test("config: parsed once per env object, with defaults", () => {
  const e = env({ BACKUP_SCHEDULE: '[{"clusterId":"in01-a","backupType":"CLUSTER","retention":{"maxAgeDays":7}}]' });
  const c = getConfig(e);
  assert.equal(getConfig(e), c);
  assert.deepEqual(c.clusters, ["in01-a", "in01-b"]);
  assert.equal(c.baseUrl, "https://api.cloud.zilliz.com");
  assert.equal(c.stepBudgetMs, 20_000);
  assert.equal(c.dashboardToken, null);
  assert.deepEqual(c.schedule[0].retention, { maxAgeDays: 7, keepNewest: 1, dryRun: false });
  assert.equal(c.schedule[0].cron, null);
  assert.equal(c.rateBudget, null);
  assert.deepEqual(c.budget, { perSecond: 20, maxWaitMs: 10_000 });
  const budgeted = getConfig(env({ RATE_BUDGET: { idFromName() {}, get() {} }, RATE_BUDGET_PER_SECOND: "5", RATE_BUDGET_MAX_WAIT_MS: "0" }));
  assert.deepEqual(budgeted.budget, { perSecond: 5, maxWaitMs: 0 });
});

test("config: every problem is listed in one clear error, never with the key", () => {
  const bad = env({
    ZILLIZ_API_KEY: "secret with space",
    ALLOWED_CLUSTERS: "in01-a,in01/../x",
    ALLOWED_ORIGINS: "https://dash.example.com/",
    STEP_BUDGET_MS: "soon",
    RATE_BUDGET: { get() {} },
    RATE_BUDGET_PER_SECOND: "0",
    RATE_BUDGET_MAX_WAIT_MS: "25000",
    BACKUP_SCHEDULE: JSON.stringify([
      { clusterId: "in01-a", backupType: "FULL" },
      { clusterId: "in01-a", backupType: "COLLECTION", retention: { maxAgeDays: 0, keepNewest: -1, dryrun: true } },
    ]),
  });
  assert.throws(() => getConfig(bad), (e) => {
    assert.ok(e instanceof ConfigError);
    for (const part of [/ZILLIZ_API_KEY contains whitespace/, /ALLOWED_CLUSTERS: "in01\/..\/x"/, /ALLOWED_ORIGINS: "https:\/\/dash\.example\.com\/"/,
      /STEP_BUDGET_MS must be an integer from 0 to 600000/, /RATE_BUDGET must be a Durable Object namespace binding/,
      /RATE_BUDGET_PER_SECOND must be an integer from 1 to 10000/, /RATE_BUDGET_MAX_WAIT_MS must be an integer from 0 to 20000/, /BACKUP_SCHEDULE\[0\]: backupType/, /BACKUP_SCHEDULE\[1\]: cluster in01-a is scheduled twice/,
      /dbCollections/, /maxAgeDays/, /keepNewest/, /unknown field "dryrun"/]) assert.match(e.message, part);
    assert.ok(!e.message.includes("secret with space"));
    return true;
  });
  assert.throws(() => getConfig({}), /ZILLIZ_API_KEY is not set.*BACKUP_STATE is missing/);
  assert.throws(() => getConfig(env({ BACKUP_SCHEDULE: "{not json" })), /BACKUP_SCHEDULE is not JSON/);
});
