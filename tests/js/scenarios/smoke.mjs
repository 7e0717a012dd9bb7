// The core contract as runtime-neutral scenarios, run by the Deno and Bun suites (each with its
// own test API): create + wait, the request sent, bad input, a failed job, abort, a wrong key,
// retries (Retry-After timers and fetch failures differ per runtime).
// Each takes { emu } and throws on failure.
import assert from "node:assert/strict";
import { BackupClient, init } from "zilliz-cloud-backup";
import { rejects, everything, FAST } from "../harness/client.mjs";

export const scenarios = [];
const test = (name, fn) => scenarios.push([name, fn]);
const client = (emu, options = {}) => new BackupClient({ token: emu.apiKey, baseUrl: emu.url, ...options });

test("the browsers' wasm-file subpath is this runtime's own entry", async () => {
  const subpath = await import("zilliz-cloud-backup/wasm-file");
  assert.equal(subpath.BackupClient, BackupClient);
});

test("init() is optional and idempotent; createBackupAndWait follows a CLUSTER backup to SUCCESSFUL", async ({ emu }) => {
  const c = client(emu); // made before init(): the entry must not need it
  const cluster = await emu.cluster();
  await init();
  await init();
  const out = await c.createBackupAndWait(cluster, { backupType: "CLUSTER" }, FAST);
  assert.match(out.backupId, /^backup/);
  assert.equal(typeof out.backupName, "string");
  assert.equal(out.job.jobId, out.jobId);
  assert.equal(out.job.status, "SUCCESSFUL");
  assert.equal(out.job.progress, 100);
});

test("a COLLECTION backup sends exactly the request, and onProgress sees rising, distinct states", async ({ emu }) => {
  const cluster = await emu.cluster();
  const request = { backupType: "COLLECTION", dbCollections: [{ dbName: "default", collectionNames: ["medium_articles"] }] };
  const c = client(emu, { headers: { "X-Trace": "smoke-1" } });
  const created = await c.createBackup(cluster, request);
  const [sent] = await emu.requests(`/v2/clusters/${cluster}/backups/create`);
  assert.deepEqual(JSON.parse(sent.body), request);
  assert.equal(sent.authorization, `Bearer ${emu.apiKey}`);
  const seen = [];
  const job = await c.waitForJob(created.jobId, { ...FAST, onProgress: (j) => seen.push([j.status, j.progress]) });
  assert.equal(job.status, "SUCCESSFUL");
  assert.ok(seen.length >= 2, JSON.stringify(seen));
  for (let i = 1; i < seen.length; i++) {
    assert.equal(typeof seen[i][1], "number");
    assert.ok(seen[i][1] >= seen[i - 1][1], JSON.stringify(seen));
    assert.notDeepEqual(seen[i], seen[i - 1], "each state reported once");
  }
});

test("bad input is InvalidInput naming the field, and nothing is sent", async ({ emu }) => {
  const before = (await emu.requests()).length;
  const c = client(emu);
  for (const [call, field] of [
    [() => c.createBackup("in01/../x", { backupType: "CLUSTER" }), "clusterId"],
    [() => c.createBackup("in01-a", { backupType: "NOPE" }), "request.backupType"],
    [() => c.createBackup("in01-a", { backupType: "COLLECTION", dbCollections: [] }), "request.dbCollections"],
    [() => c.describeJob("job?x"), "jobId"],
    [() => c.waitForJob("job-1", { timeoutMS: 5 }), "options.timeoutMS"],
  ]) {
    const e = await rejects(call(), "InvalidInput");
    assert.ok(e.message.startsWith(field), e.message);
  }
  assert.throws(() => new BackupClient({ token: "k", baseUrl: "http://example.com" }), (e) => e.kind === "InvalidInput");
  assert.equal((await emu.requests()).length, before);
});

test("a FAILED job rejects with JobFailed, the job and its reason", async ({ emu }) => {
  const cluster = await emu.cluster();
  await emu.control("POST", `/clusters/${cluster}/fail-next-backup`, { reason: "disk quota exceeded", atProgress: 30 });
  const e = await rejects(client(emu).createBackupAndWait(cluster, { backupType: "CLUSTER" }, FAST), "JobFailed");
  assert.match(e.message, /disk quota exceeded/);
  assert.equal(e.job.status, "FAILED");
  assert.equal(e.jobId, e.job.jobId);
  assert.match(e.backupId, /^backup/);
});

test("abort ends a wait at once; an aborted signal sends nothing", async ({ emu }) => {
  const cluster = await emu.cluster();
  await emu.control("POST", `/clusters/${cluster}/fail-next-backup`, { reason: "cleanup", atProgress: 99 });
  const c = client(emu);
  const { jobId } = await c.createBackup(cluster, { backupType: "CLUSTER" });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  const started = Date.now();
  const e = await rejects(c.waitForJob(jobId, { minIntervalMs: 5_000, signal: controller.signal }), "Aborted");
  assert.ok(Date.now() - started < 1_500, `${Date.now() - started} ms`);
  assert.equal(e.jobId, jobId);
  const before = (await emu.requests()).length;
  await rejects(c.waitForJob(jobId, { signal: AbortSignal.abort() }), "Aborted");
  assert.equal((await emu.requests()).length, before);
});

test("a wrong key is Unauthorized (21119), sent once, and never shown", async ({ emu }) => {
  const key = "sk-LEAKCHECK-smoke-0123456789";
  const before = (await emu.requests()).length;
  const e = await rejects(new BackupClient({ token: key, baseUrl: emu.url }).describeJob("job-x"), "Unauthorized");
  assert.equal(e.code, 21119);
  assert.equal(e.retryable, false);
  assert.equal((await emu.requests()).length, before + 1);
  assert.ok(!everything(e).includes("LEAKCHECK"), everything(e));
});

test("a read is retried after a 503; a create is re-sent after a 429 once its Retry-After passed", async ({ emu }) => {
  const cluster = await emu.cluster();
  const c = client(emu);
  const path = `/v2/clusters/${cluster}/backups/create`;
  await emu.fault({ pathPrefix: path, times: 1, fault: { type: "status", status: 429, headers: { "Retry-After": "1" } } });
  const started = Date.now();
  const { jobId } = await c.createBackup(cluster, { backupType: "CLUSTER" });
  assert.ok(Date.now() - started >= 950, `re-sent after ${Date.now() - started} ms`);
  assert.equal((await emu.requests(path)).length, 2);
  await emu.fault({ pathPrefix: `/v2/jobs/${jobId}`, times: 1, fault: { type: "status", status: 503 } });
  assert.equal((await c.describeJob(jobId)).jobId, jobId);
  assert.equal((await emu.requests(`/v2/jobs/${jobId}`)).length, 2);
});
