// Scheduled backups in workerd (Miniflare's scheduled() and KV) against the real emulator:
// resumable waits across invocations, busy clusters, failed jobs, isolation, cron, retention.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { DASHBOARD_TOKEN, directClient, sleep, startEmulatorWith, startWorker } from "./helpers.mjs";

const S = { long: "in01-sched-long", busy: "in01-sched-busy", fail: "in01-sched-fail", cron: "in01-sched-cron", other: "in01-sched-other" };
const R = { del: "in01-ret-del", dry: "in01-ret-dry", creating: "in01-ret-creating" };
const DAY = 86_400_000;
const NEVER = "0 0 1 1 *"; // a cron the tests never fire: the entry only applies retention

let emu;
const workers = [];

before(async () => {
  emu = await startEmulatorWith([...Object.values(S), ...Object.values(R)]);
});

after(async () => {
  // Everything the workers answered, logged and stored in KV must be free of the key.
  const stored = [];
  for (const w of workers) {
    const kv = await w.mf.getKVNamespace("BACKUP_STATE");
    for (const { name } of (await kv.list()).keys) stored.push(`${name}=${await kv.get(name)}`);
  }
  for (const w of workers) await w.stop();
  emu?.stop();
  assert.ok(stored.length > 0);
  for (const w of workers) w.assertNoKeyLeak(stored);
});

async function scheduler(schedule, { stepBudgetMs = 2000 } = {}) {
  const w = await startWorker(emu, { schedule, stepBudgetMs, dashboardToken: DASHBOARD_TOKEN });
  workers.push(w);
  const kv = await w.mf.getKVNamespace("BACKUP_STATE");
  const worker = await w.mf.getWorker();
  return {
    w,
    kv: (key) => kv.get(key, "json"),
    /** One cron invocation; resolves once it (and its waitUntil work) is done; returns the run summary. */
    async run(cron = "*/5 * * * *") {
      const before = await kv.get("run:last", "json");
      const { outcome } = await worker.scheduled({ cron, scheduledTime: new Date() });
      assert.equal(outcome, "ok");
      const summary = await kv.get("run:last", "json");
      assert.notDeepEqual(summary, before, "the run wrote its summary before scheduled() resolved");
      return summary;
    },
  };
}

const backupsOf = async (clusterId) => (await emu.state()).backups.filter((b) => b.clusterId === clusterId);
const createsOf = async (clusterId) => (await emu.requests(`/v2/clusters/${clusterId}/backups/create`)).length;

test("a backup longer than the step budget is followed across invocations through KV, then the next run creates another", async () => {
  await emu.config({ jobDurationMs: 2500 });
  const s = await scheduler([{ clusterId: S.long, backupType: "CLUSTER" }], { stepBudgetMs: 250 });
  let summary = await s.run();
  const first = summary.entries[0];
  assert.equal(first.action, "created", JSON.stringify(first));
  assert.equal(first.outcome, "running");
  let inflight = await s.kv(`inflight:${S.long}`);
  assert.equal(inflight.jobId, first.jobId);
  assert.equal(inflight.backupId, first.backupId);
  assert.equal(inflight.state.jobId, first.jobId);
  assert.equal(await s.kv(`last:${S.long}`), null);

  let invocations = 1;
  let polls = inflight.state.wait.polls;
  for (;;) {
    await sleep(300);
    summary = await s.run();
    invocations++;
    const e = summary.entries[0];
    assert.equal(e.action, "continued", JSON.stringify(e));
    assert.equal(e.jobId, first.jobId, "the same job is followed, no new create");
    if (e.outcome === "SUCCESSFUL") break;
    assert.equal(e.outcome, "running");
    inflight = await s.kv(`inflight:${S.long}`);
    assert.equal(inflight.jobId, first.jobId);
    assert.ok(inflight.state.wait.polls >= polls, "the wait resumes from its stored state");
    polls = inflight.state.wait.polls;
    assert.ok(invocations < 60, "the job never finished");
  }
  assert.ok(invocations >= 3, `a 2.5 s job with a 250 ms budget took ${invocations} invocations`);
  assert.equal(await s.kv(`inflight:${S.long}`), null);
  const last = await s.kv(`last:${S.long}`);
  assert.equal(last.status, "SUCCESSFUL");
  assert.equal(last.backupId, first.backupId);
  assert.equal(last.jobId, first.jobId);
  assert.ok(Date.parse(last.finishedAt) > 0);
  assert.equal(await createsOf(S.long), 1);
  assert.deepEqual((await backupsOf(S.long)).map((b) => [b.backupId, b.status]), [[first.backupId, "AVAILABLE"]]);

  // The dashboard can read it (read-only).
  const status = await (await s.w.raw("/schedule", { headers: { Authorization: `Bearer ${DASHBOARD_TOKEN}` } })).json();
  assert.equal(status.clusters[0].last.backupId, first.backupId);
  assert.equal(status.clusters[0].inFlight, null);
  assert.equal(status.lastRun.entries[0].outcome, "SUCCESSFUL");

  summary = await s.run();
  assert.equal(summary.entries[0].action, "created");
  assert.notEqual(summary.entries[0].backupId, first.backupId);
  assert.equal(await createsOf(S.long), 2);
});

test("a busy cluster is skipped (not an error) and nothing is stored for it", async () => {
  await emu.config({ jobDurationMs: 5000 });
  const running = await directClient(emu).createBackup(S.busy, { backupType: "CLUSTER" });
  const s = await scheduler([{ clusterId: S.busy, backupType: "CLUSTER" }]);
  const { entries } = await s.run();
  assert.deepEqual(entries[0], { clusterId: S.busy, action: "skipped: busy", runningBackupId: running.backupId });
  assert.equal(await s.kv(`inflight:${S.busy}`), null);
  assert.equal(await s.kv(`last:${S.busy}`), null);
  assert.equal((await backupsOf(S.busy)).length, 1);
});

test("a failed backup job is recorded with its reason and the in-flight record is dropped", async () => {
  await emu.config({ jobDurationMs: 800 });
  await emu.control("POST", `/clusters/${S.fail}/fail-next-backup`, { reason: "disk on fire", atProgress: 30 });
  const s = await scheduler([{ clusterId: S.fail, backupType: "COLLECTION", dbCollections: [{ collectionNames: ["movies"] }] }], { stepBudgetMs: 300 });
  let e;
  for (let i = 0; i < 40; i++) {
    e = (await s.run()).entries[0];
    if (e.outcome !== "running") break;
    await sleep(200);
  }
  assert.equal(e.outcome, "FAILED", JSON.stringify(e));
  assert.equal(e.reason, "disk on fire");
  const last = await s.kv(`last:${S.fail}`);
  assert.equal(last.status, "FAILED");
  assert.equal(last.reason, "disk on fire");
  assert.equal(last.jobId, e.jobId);
  assert.equal(await s.kv(`inflight:${S.fail}`), null);
  assert.equal((await backupsOf(S.fail))[0].status, "FAILED");
});

test("one cluster failing does not stop the others; an entry with a cron runs only on that cron", async () => {
  await emu.config({ jobDurationMs: 300 });
  const s = await scheduler([
    { clusterId: "in01-doesnotexist", backupType: "CLUSTER" },
    { clusterId: S.cron, backupType: "CLUSTER", cron: "0 3 * * *" },
    { clusterId: S.other, backupType: "CLUSTER" },
  ]);
  let { entries } = await s.run("*/5 * * * *");
  assert.equal(entries[0].action, "error");
  assert.equal(entries[0].error.kind, "Api");
  assert.equal(entries[0].error.code, 80010);
  assert.equal(entries[1].action, "not due");
  assert.equal(entries[2].action, "created");
  assert.equal(entries[2].outcome, "SUCCESSFUL");
  assert.equal(await createsOf(S.cron), 0);

  ({ entries } = await s.run("0 3 * * *"));
  assert.equal(entries[0].action, "error");
  assert.equal(entries[1].action, "created");
  assert.equal(entries[2].action, "created", "the entry without a cron runs on every invocation");
  assert.equal(await createsOf(S.cron), 1);
});

/** MANUAL backups aged 40, 30, 20, 10 and 1 days and an AUTO one of 50 days; ids by age. */
async function seedAged(clusterId) {
  const ids = {};
  for (const days of [40, 30, 20, 10, 1]) {
    ids[days] = (await emu.control("POST", `/clusters/${clusterId}/backups`, { ageMs: days * DAY })).backupId;
  }
  ids.auto = (await emu.control("POST", `/clusters/${clusterId}/backups`, { ageMs: 50 * DAY, creationMethod: "AUTO" })).backupId;
  return ids;
}

test("retention deletes only MANUAL backups older than maxAgeDays, keeping the newest keepNewest even if old; dry run deletes nothing and reports", async () => {
  const del = await seedAged(R.del);
  const dry = await seedAged(R.dry);
  const rules = { maxAgeDays: 7, keepNewest: 2 };
  const s = await scheduler([
    { clusterId: R.del, backupType: "CLUSTER", cron: NEVER, retention: rules },
    { clusterId: R.dry, backupType: "CLUSTER", cron: NEVER, retention: { ...rules, dryRun: true } },
  ]);
  const { entries } = await s.run();
  const [d, r] = entries;
  assert.equal(d.action, "not due");
  assert.equal(d.retention.dryRun, false);
  assert.deepEqual(d.retention.deleted.map((b) => b.backupId).sort(), [del[40], del[30], del[20]].sort());
  assert.equal(d.retention.kept, 2);
  const status = Object.fromEntries((await backupsOf(R.del)).map((b) => [b.backupId, b.status]));
  assert.deepEqual(status, { [del[40]]: "DELETED", [del[30]]: "DELETED", [del[20]]: "DELETED", [del[10]]: "AVAILABLE", [del[1]]: "AVAILABLE", [del.auto]: "AVAILABLE" });

  assert.equal(r.retention.dryRun, true);
  assert.deepEqual(r.retention.wouldDelete.map((b) => b.backupId).sort(), [dry[40], dry[30], dry[20]].sort());
  assert.ok(r.retention.wouldDelete.every((b) => b.createTime && b.backupName), JSON.stringify(r.retention));
  assert.equal(r.retention.deleted, undefined);
  assert.ok((await backupsOf(R.dry)).every((b) => b.status === "AVAILABLE"));
  assert.equal((await emu.requests(`/v2/clusters/${R.dry}/`)).filter((q) => q.method === "DELETE").length, 0);
  assert.ok(s.w.logs.some((l) => l.includes(`"wouldDelete"`) && l.includes(dry[40])), "the dry run logs what it would delete");

  // Run again: nothing more is old enough beyond the newest two.
  const again = (await s.run()).entries[0];
  assert.deepEqual(again.retention.deleted, []);
});

test("retention never deletes a CREATING backup, even one older than maxAgeDays", async () => {
  await emu.config({ jobDurationMs: 120_000 });
  const seeded = (await emu.control("POST", `/clusters/${R.creating}/backups`, { ageMs: DAY })).backupId;
  // maxAgeDays of about 0.86 s: the backup this run creates soon counts as "old" too.
  const s = await scheduler([{ clusterId: R.creating, backupType: "CLUSTER", retention: { maxAgeDays: 0.00001, keepNewest: 0 } }], { stepBudgetMs: 100 });
  const first = (await s.run()).entries[0];
  assert.equal(first.action, "created");
  assert.deepEqual(first.retention.deleted.map((b) => b.backupId), [seeded]);
  await sleep(1500);
  const second = (await s.run()).entries[0];
  assert.equal(second.action, "continued");
  assert.equal(second.outcome, "running");
  assert.deepEqual(second.retention.deleted, []);
  const created = (await backupsOf(R.creating)).find((b) => b.backupId === first.backupId);
  assert.equal(created.status, "CREATING");
  assert.ok(Date.now() - Date.parse(created.createTime) > 0.00001 * DAY + 500, "it is past maxAgeDays");
  await emu.control("POST", `/jobs/${first.jobId}/fail`, {});
});
