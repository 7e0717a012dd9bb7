// The whole backup lifecycle as scenarios, run in Node (node/lifecycle.test.mjs) and inside
// workerd (workerd/lifecycle.test.mjs) alike: list, describe, delete, restore, export, policy,
// waits on backups, busy clusters, reconciliation, resumable waits, bad input.
// Each takes { emu (control API), client } and throws on failure.
import assert from "node:assert/strict";
import { rejects, FAST, sleep } from "../harness/client.mjs";

export const scenarios = [];
const test = (name, fn) => scenarios.push([name, fn]);

/** A cluster with `n` finished manual backups (CLUSTER type), newest last. */
async function clusterWithBackups({ emu, client }, n) {
  const cluster = await emu.cluster();
  const made = [];
  for (let i = 0; i < n; i++) made.push(await client.createBackupAndWait(cluster, { backupType: "CLUSTER" }, FAST));
  return { cluster, made };
}

test("listBackups shows a cluster's backups with their fields; filters are sent", async (ctx) => {
  const { emu, client } = ctx;
  const { cluster, made } = await clusterWithBackups(ctx, 2);
  const page = await client.listBackups({ clusterId: cluster, creationMethod: "MANUAL", backupType: "CLUSTER" });
  assert.deepEqual(page.backups.map((b) => b.backupId).sort(), made.map((m) => m.backupId).sort());
  const b = page.backups[0];
  assert.equal(b.clusterId, cluster);
  assert.equal(b.status, "AVAILABLE");
  assert.equal(b.creationMethod, "MANUAL");
  assert.equal(typeof b.size, "number");
  assert.equal(page.nextPage, null);
  const [req] = (await emu.requests("/v2/backups")).slice(-1);
  assert.match(req.query, /clusterId=/);
  assert.match(req.query, /creationMethod=MANUAL/);
});

for (const listCountMode of ["total", "page"]) {
  test(`listAllBackups walks every page and stops (count = ${listCountMode})`, async (ctx) => {
    const { emu, client } = ctx;
    const { cluster, made } = await clusterWithBackups(ctx, 5);
    await emu.config({ listCountMode });
    await emu.control("DELETE", "/requests");
    const seen = [];
    for await (const b of client.listAllBackups({ clusterId: cluster, pageSize: 2 })) seen.push(b.backupId);
    await emu.config({ listCountMode: "total" });
    assert.deepEqual(seen.sort(), made.map((m) => m.backupId).sort());
    const pages = (await emu.requests("/v2/backups")).length;
    assert.ok(pages === 3 || (listCountMode === "page" && pages <= 4), `${pages} list requests`);
  });
}

test("describeBackup accepts both documented content shapes", async (ctx) => {
  const { emu, client } = ctx;
  const cluster = await emu.cluster();
  const out = await client.createBackupAndWait(cluster, { backupType: "COLLECTION", dbCollections: [{ dbName: "default", collectionNames: ["books"] }] }, FAST);
  for (const shape of ["collections", "dbCollections"]) {
    await emu.config({ describeBackupShape: shape });
    const b = await client.describeBackup(cluster, out.backupId);
    assert.equal(b.backupId, out.backupId);
    assert.equal(b.status, "AVAILABLE");
    assert.deepEqual(b.collections.map((c) => c.collectionName), ["books"], shape);
    if (shape === "dbCollections") assert.equal(b.collections[0].dbName, "default");
  }
  await emu.config({ describeBackupShape: "collections" });
});

test("deleteBackup removes it from lists; describe shows DELETED", async (ctx) => {
  const { emu, client } = ctx;
  const { cluster, made: [one] } = await clusterWithBackups(ctx, 1);
  const deleted = await client.deleteBackup(cluster, one.backupId);
  assert.equal(deleted.backupId, one.backupId);
  assert.equal((await client.describeBackup(cluster, one.backupId)).status, "DELETED");
  const page = await client.listBackups({ clusterId: cluster });
  assert.ok(!page.backups.some((b) => b.backupId === one.backupId));
  await rejects(client.deleteBackup(cluster, one.backupId), "Api");
});

test("waitForBackup follows CREATING to AVAILABLE", async (ctx) => {
  const { emu, client } = ctx;
  const cluster = await emu.cluster();
  const created = await client.createBackup(cluster, { backupType: "CLUSTER" });
  const statuses = [];
  const b = await client.waitForBackup(cluster, created.backupId, { ...FAST, onProgress: (x) => statuses.push(x.status) });
  assert.equal(b.status, "AVAILABLE");
  assert.equal(statuses.at(-1), "AVAILABLE");
});

test("restoreClusterAndWait returns the new cluster and its password once", async (ctx) => {
  const { emu, client } = ctx;
  const { cluster, made: [one] } = await clusterWithBackups(ctx, 1);
  const out = await client.restoreClusterAndWait(cluster, one.backupId,
    { targetProjectId: "proj-00000000000000000001", clusterName: "restored-1", cuSize: 2, collectionStatus: "KEEP" }, FAST);
  assert.match(out.clusterId, /^in01-/);
  assert.equal(out.username, "db_admin");
  assert.ok(out.password && out.password.length >= 8);
  assert.equal(out.job.status, "SUCCESSFUL");
  const [req] = (await emu.requests(`/v2/clusters/${cluster}/backups/${one.backupId}/restoreCluster`));
  const body = JSON.parse(req.body);
  assert.equal(body.targetProjectId, "proj-00000000000000000001");
  assert.equal(body.projectId, "proj-00000000000000000001", "both documented field names are sent");
});

test("restoreCollectionAndWait restores one collection into another cluster", async (ctx) => {
  const { emu, client } = ctx;
  const cluster = await emu.cluster();
  const dest = await emu.cluster();
  const out = await client.createBackupAndWait(cluster, { backupType: "COLLECTION", dbCollections: [{ collectionNames: ["books"] }] }, FAST);
  const restored = await client.restoreCollectionAndWait(cluster, out.backupId,
    { destClusterId: dest, dbCollections: [{ dbName: "default", collections: [{ collectionName: "books", destCollectionName: "books_copy" }] }] }, FAST);
  assert.equal(restored.job.status, "SUCCESSFUL");
  assert.equal(restored.job.jobId, restored.jobId);
});

test("exportBackup starts a job", async (ctx) => {
  const { emu, client } = ctx;
  const { cluster, made: [one] } = await clusterWithBackups(ctx, 1);
  const { jobId } = await client.exportBackup(cluster, one.backupId, { integrationId: "integ-0123456789abcdef", directory: "exports/2024" });
  const job = await client.waitForJob(jobId, FAST);
  assert.equal(job.status, "SUCCESSFUL");
});

test("the backup policy takes friendly forms, reads back typed, and enabling starts a backup", async (ctx) => {
  const { emu, client } = ctx;
  const cluster = await emu.cluster();
  const set = await client.setBackupPolicy(cluster, { enabled: true, frequency: ["MON", "wed", 5], startTime: "02:00", retentionDays: 7 });
  assert.equal(set.status, "ENABLED");
  const [req] = (await emu.requests(`/v2/clusters/${cluster}/backups/policy`)).filter((r) => r.method === "POST");
  assert.deepEqual(JSON.parse(req.body), { enabled: true, frequency: "1,3,5", startTime: "02:00-04:00", retentionDays: 7 });
  const policy = await client.getBackupPolicy(cluster);
  assert.deepEqual(policy.frequency, [1, 3, 5]);
  assert.equal(policy.startTime, "02:00-04:00");
  assert.equal(policy.retentionDays, 7);
  const auto = await client.listBackups({ clusterId: cluster, creationMethod: "AUTO" });
  assert.equal(auto.backups.length, 1, "enabling triggered one automatic backup");
  assert.equal((await client.setBackupPolicy(cluster, { enabled: false })).status, "DISABLED");
  assert.deepEqual((await client.getBackupPolicy(cluster)).frequency, []);
});

test("whenBusy: 'fail' names the running backup; 'wait' queues behind it", async (ctx) => {
  const { emu, client } = ctx;
  const cluster = await emu.cluster();
  await emu.config({ jobDurationMs: 1500 });
  const first = await client.createBackup(cluster, { backupType: "CLUSTER" });
  await emu.config({ jobDurationMs: 400 });
  const e = await rejects(client.createBackup(cluster, { backupType: "CLUSTER" }), "Api");
  assert.equal(e.runningBackupId, first.backupId);
  assert.match(e.message, /already running on cluster/);
  const second = await client.createBackup(cluster, { backupType: "CLUSTER" }, { whenBusy: "wait" });
  assert.notEqual(second.backupId, first.backupId);
  assert.equal((await client.describeBackup(cluster, first.backupId)).status, "AVAILABLE", "created only after the first finished");
});

// Reconciliation is the package's extension: opt in explicitly, since the contract for
// a plain createBackup is "reject, never re-send" (node/failures.test.mjs checks that default).
test("reconciling: a create the server made despite a 500 is found, not duplicated", async (ctx) => {
  const { emu, client } = ctx;
  const cluster = await emu.cluster();
  const path = `/v2/clusters/${cluster}/backups/create`;
  await emu.fault({ pathPrefix: path, method: "POST", after: true, fault: { type: "status", status: 500 } });
  const out = await client.createBackupAndWait(cluster, { backupType: "CLUSTER" }, { ...FAST, reconcile: true });
  assert.equal(out.reconciled, true);
  assert.equal(out.jobId, null, "the list does not say which job builds it");
  assert.equal(out.backup.status, "AVAILABLE", "followed through the backup's status");
  assert.equal((await emu.requests(path)).length, 1, "never re-sent");
  const mine = (await emu.state()).backups.filter((b) => b.clusterId === cluster);
  assert.equal(mine.length, 1, "exactly one backup exists");
});

test("reconciling: a create the server never made is sent once more", async (ctx) => {
  const { emu, client } = ctx;
  const cluster = await emu.cluster();
  const path = `/v2/clusters/${cluster}/backups/create`;
  await emu.fault({ pathPrefix: path, method: "POST", fault: { type: "drop" } });
  const out = await client.createBackup(cluster, { backupType: "CLUSTER" }, { reconcile: true });
  assert.equal(out.reconciled, false);
  assert.match(out.jobId, /^job/);
  assert.equal((await emu.requests(path)).length, 2);
  assert.equal((await emu.state()).backups.filter((b) => b.clusterId === cluster).length, 1);
});

test("a resumable wait continues across 'invocations' from plain JSON", async (ctx) => {
  const { emu, client } = ctx;
  const cluster = await emu.cluster();
  await emu.config({ jobDurationMs: 3000 });
  const { jobId } = await client.createBackup(cluster, { backupType: "CLUSTER" });
  await emu.config({ jobDurationMs: 400 });
  let step = await client.waitForJobStep(jobId, { budgetMs: 300, minIntervalMs: 100, maxIntervalMs: 2000 });
  let invocations = 1;
  const etas = [];
  while (!step.done) {
    const stored = JSON.stringify(step.state); // e.g. into KV
    assert.equal(step.state.jobId, jobId);
    await sleep(200); // the next cron tick (a step called before the state's nextPollAt may return at once)
    step = await client.waitForJobStep(JSON.parse(stored), { budgetMs: 300, onProgress: (_, info) => etas.push(info.etaMs) });
    invocations++;
    assert.ok(invocations < 40);
  }
  assert.equal(step.job.status, "SUCCESSFUL");
  assert.ok(invocations > 2, `${invocations} invocations`);
  assert.ok(etas.some((e) => typeof e === "number"), "an ETA once the progress moved");
  await rejects(client.waitForJobStep({ jobId, wait: { nope: 1 } }, { budgetMs: 100 }), "InvalidInput");
});

test("the ETA-aware schedule sends fewer requests than a fixed interval, and sees the end as soon", async (ctx) => {
  const { emu, client } = ctx;
  const run = async (options) => {
    const cluster = await emu.cluster();
    await emu.config({ jobDurationMs: 4000 });
    const { jobId } = await client.createBackup(cluster, { backupType: "CLUSTER" });
    await emu.config({ jobDurationMs: 400 });
    const job = await client.waitForJob(jobId, options);
    const seenAt = Date.now();
    const requests = (await emu.requests(`/v2/jobs/${jobId}`)).length;
    const endedAt = Date.parse(job.endTime);
    return { requests, lateMs: seenAt - endedAt };
  };
  const fixed = await run({ minIntervalMs: 200, maxIntervalMs: 200 });
  const eta = await run({ minIntervalMs: 200, maxIntervalMs: 60_000 });
  assert.ok(eta.requests < fixed.requests, `ETA ${eta.requests} vs fixed ${fixed.requests} requests`);
  assert.ok(eta.lateMs <= 1500, `ETA schedule saw the end ${eta.lateMs} ms late (fixed: ${fixed.lateMs} ms)`);
});

// Bad input to the lifecycle methods: refused before anything is sent.
const bad = [
  ["list: unknown filter", (c) => c.listBackups({ cluster: "in01-a" }), "query.cluster"],
  ["list: bad creationMethod", (c) => c.listBackups({ creationMethod: "manual" }), "query.creationMethod"],
  ["list: bad backupType", (c) => c.listBackups({ backupType: "ALL" }), "query.backupType"],
  ["list: pageSize 0", (c) => c.listBackups({ pageSize: 0 }), "query.pageSize"],
  ["list: pageSize 1000", (c) => c.listBackups({ pageSize: 1000 }), "query.pageSize"],
  ["list: currentPage 0", (c) => c.listBackups({ currentPage: 0 }), "query.currentPage"],
  ["list: bad time", (c) => c.listBackups({ startTime: "last week" }), "query.startTime"],
  ["list: clusterId with /", (c) => c.listBackups({ clusterId: "a/b" }), "query.clusterId"],
  ["describe: bad backupId", (c) => c.describeBackup("in01-a", "../x"), "backupId"],
  ["delete: empty backupId", (c) => c.deleteBackup("in01-a", ""), "backupId"],
  ["delete: bad clusterId", (c) => c.deleteBackup("in01 a", "backup1"), "clusterId"],
  ["restore cluster: cuSize 0", (c) => c.restoreCluster("in01-a", "b1", { targetProjectId: "proj-1", clusterName: "x", cuSize: 0 }), "options.cuSize"],
  ["restore cluster: no name", (c) => c.restoreCluster("in01-a", "b1", { targetProjectId: "proj-1", cuSize: 1 }), "options"],
  ["restore cluster: bad status", (c) => c.restoreCluster("in01-a", "b1", { targetProjectId: "proj-1", clusterName: "x", cuSize: 1, collectionStatus: "LOADED" }), "options.collectionStatus"],
  ["restore cluster: misspelled", (c) => c.restoreCluster("in01-a", "b1", { projectID: "proj-1", clusterName: "x", cuSize: 1 }), "options.projectID"],
  ["restore collection: two collections", (c) => c.restoreCollection("in01-a", "b1", { destClusterId: "in01-b", dbCollections: [{ collections: [{ collectionName: "a" }, { collectionName: "b" }] }] }), "options.dbCollections"],
  ["restore collection: bad dest status", (c) => c.restoreCollection("in01-a", "b1", { destClusterId: "in01-b", dbCollections: [{ collections: [{ collectionName: "a", destCollectionStatus: "HOT" }] }] }), "options.dbCollections[0].collections[0].destCollectionStatus"],
  ["export: bad integration", (c) => c.exportBackup("in01-a", "b1", { integrationId: "s3://bucket" }), "options.integrationId"],
  ["export: directory escapes", (c) => c.exportBackup("in01-a", "b1", { integrationId: "integ-1", directory: "../../etc" }), "options.directory"],
  ["policy: weekday 8", (c) => c.setBackupPolicy("in01-a", { enabled: true, frequency: [8] }), "policy.frequency"],
  ["policy: unknown day", (c) => c.setBackupPolicy("in01-a", { enabled: true, frequency: ["Funday"] }), "policy.frequency"],
  ["policy: three-hour window", (c) => c.setBackupPolicy("in01-a", { enabled: true, startTime: "01:00-04:00" }), "policy.startTime"],
  ["policy: retention 31", (c) => c.setBackupPolicy("in01-a", { enabled: true, retentionDays: 31 }), "policy.retentionDays"],
  ["policy: retention 0", (c) => c.setBackupPolicy("in01-a", { enabled: true, retentionDays: 0 }), "policy.retentionDays"],
  ["policy: disabled with fields", (c) => c.setBackupPolicy("in01-a", { enabled: false, retentionDays: 3 }), "policy"],
  ["policy: enabled missing", (c) => c.setBackupPolicy("in01-a", { retentionDays: 3 }), "policy"],
  ["waitForBackup: bad interval", (c) => c.waitForBackup("in01-a", "b1", { maxIntervalMs: 1 }), "maxIntervalMs"],
  ["waitForJobStep: no budget", (c) => c.waitForJobStep("job-1", {}), "options.budgetMs"],
  ["waitForJobStep: not a state", (c) => c.waitForJobStep(42, { budgetMs: 10 }), "state"],
];

test(`${bad.length} bad lifecycle calls are refused before any request`, async (ctx) => {
  const { emu, client } = ctx;
  const before = (await emu.requests()).length;
  for (const [what, call, field] of bad) {
    const e = await rejects(call(client), "InvalidInput");
    assert.ok(e.message.startsWith(field), `${what}: "${e.message}" should start with ${field}`);
  }
  assert.equal((await emu.requests()).length, before);
});
