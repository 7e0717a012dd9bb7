// The gateway: a Node client of the package → the worker in workerd (Miniflare, over HTTP) →
// the package inside the worker → the emulator. Round trips, refusals, CORS, upstream errors.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  API_KEY, DASHBOARD_TOKEN, FAST, ORIGIN, directClient, refused, rejects, startEmulatorWith, startWorker,
} from "./helpers.mjs";

const A = "in01-edge-a"; // create / wait / list / delete
const B = "in01-edge-b"; // restoreCollection destination, policy
const BUSY = "in01-edge-busy";
const ERR = "in01-edge-err"; // upstream faults
const NOT_ALLOWED = "in01-0000000000000002"; // exists upstream, not allowed by the worker

let emu, w, dash;

before(async () => {
  emu = await startEmulatorWith([A, B, BUSY, ERR]);
  w = await startWorker(emu, { allowedClusters: [A, B, BUSY, ERR], dashboardToken: DASHBOARD_TOKEN });
  dash = w.client();
});

after(async () => {
  await w?.stop();
  emu?.stop();
  // Every test below recorded what it saw: the key must be in none of it.
  w?.assertNoKeyLeak();
});

const auth = { Authorization: `Bearer ${DASHBOARD_TOKEN}` };
const json = (body, extra = {}) => ({ method: "POST", headers: { ...auth, "Content-Type": "application/json", ...extra }, body });

test("create → wait to SUCCESSFUL → list → describe → delete, all through the worker", async () => {
  const seen = [];
  const created = await dash.createBackup(A, { backupType: "CLUSTER" });
  assert.match(created.backupId, /^backup\d+_/);
  assert.match(created.jobId, /^job-/);
  assert.equal(created.reconciled, false);
  const job = await dash.waitForJob(created.jobId, { ...FAST, onProgress: (j) => seen.push(j.progress) });
  assert.equal(job.status, "SUCCESSFUL");
  assert.equal(job.progress, 100);
  assert.ok(seen.every((p) => typeof p === "number"), "progress decodes to a number on the dashboard side");

  const page = await dash.listBackups({ clusterId: A });
  assert.equal(page.backups[0].backupId, created.backupId);
  assert.equal(page.backups[0].status, "AVAILABLE");
  const all = [];
  for await (const b of dash.listAllBackups({ clusterId: A, pageSize: 1 })) all.push(b.backupId);
  assert.deepEqual(all, [created.backupId]);

  const described = await dash.describeBackup(A, created.backupId);
  assert.equal(described.status, "AVAILABLE");
  assert.ok(described.collections.length >= 4, JSON.stringify(described));
  const deleted = await dash.deleteBackup(A, created.backupId);
  assert.deepEqual(deleted, { backupId: created.backupId, backupName: created.backupName });
  assert.equal((await dash.describeBackup(A, created.backupId)).status, "DELETED");
  assert.equal((await dash.listBackups({ clusterId: A })).count, 0);
});

test("the worker's answers decode exactly like Zilliz's own (the emulator's) for the same objects", async () => {
  const direct = directClient(emu);
  const created = await dash.createBackup(A, { backupType: "COLLECTION", dbCollections: [{ dbName: "analytics", collectionNames: ["events"] }] });
  await dash.waitForJob(created.jobId, FAST);
  try {
    assert.deepEqual(await dash.describeJob(created.jobId), await direct.describeJob(created.jobId));
    assert.deepEqual(await dash.listBackups({ clusterId: A, pageSize: 5 }), await direct.listBackups({ clusterId: A, pageSize: 5 }));
    assert.deepEqual(await dash.describeBackup(A, created.backupId), await direct.describeBackup(A, created.backupId));
    // The newer grouped describe shape keeps its database names through the worker.
    await emu.config({ describeBackupShape: "dbCollections" });
    const grouped = await dash.describeBackup(A, created.backupId);
    assert.deepEqual(grouped.collections.map((c) => [c.dbName, c.collectionName]), [["analytics", "events"]]);
    assert.deepEqual(grouped, await direct.describeBackup(A, created.backupId));
    assert.deepEqual(await dash.getBackupPolicy(A), await direct.getBackupPolicy(A));
  } finally {
    await emu.config({ describeBackupShape: "collections" });
  }
  // On the wire the worker speaks the API's own field names and types (progress a string).
  const wire = await (await w.raw(`/v2/jobs/${created.jobId}`, { headers: auth })).json();
  assert.deepEqual(wire, { code: 0, data: { jobId: created.jobId, type: "BACKUP", status: "SUCCESSFUL", progress: "100", startTime: wire.data.startTime, endTime: wire.data.endTime, reason: "" } });
  // The worker called the API with its own key, never with the dashboard's token.
  const auths = new Set((await emu.requests()).map((r) => r.authorization));
  assert.deepEqual([...auths], [`Bearer ${API_KEY}`]);
});

test("restoreCollection into an allowed cluster, followed to SUCCESSFUL through the worker", async () => {
  const created = await dash.createBackup(A, { backupType: "COLLECTION", dbCollections: [{ collectionNames: ["books"] }] });
  await dash.waitForJob(created.jobId, FAST);
  const { jobId } = await dash.restoreCollection(A, created.backupId, {
    destClusterId: B,
    dbCollections: [{ dbName: "default", collections: [{ collectionName: "books", destCollectionName: "books_restored" }] }],
  });
  const job = await dash.waitForJob(jobId, FAST);
  assert.equal(job.type, "RESTORE");
  assert.equal(job.status, "SUCCESSFUL");
  const cluster = (await emu.state()).clusters.find((c) => c.clusterId === B);
  assert.ok(cluster.databases.default.includes("books_restored"), JSON.stringify(cluster.databases));
});

test("policy get/set through the worker", async () => {
  assert.equal((await dash.getBackupPolicy(B)).status, "DISABLED");
  const set = await dash.setBackupPolicy(B, { enabled: true, frequency: ["MON", "WED", "FRI"], startTime: "02:00", retentionDays: 5 });
  assert.deepEqual(set, { clusterId: B, status: "ENABLED" });
  const policy = await dash.getBackupPolicy(B);
  assert.deepEqual(policy.frequency, [1, 3, 5]);
  assert.equal(policy.startTime, "02:00-04:00");
  assert.equal(policy.retentionDays, 5);
  assert.equal((await dash.setBackupPolicy(B, { enabled: false })).status, "DISABLED");
});

test("a busy cluster: the dashboard's client sees the API's code and finds the running backup through the worker", async () => {
  const first = await dash.createBackup(BUSY, { backupType: "CLUSTER" });
  const e = await rejects(dash.createBackup(BUSY, { backupType: "CLUSTER" }), "Api");
  assert.equal(e.code, 80030);
  assert.equal(e.runningBackupId, first.backupId);
  // The server's words arrive once, not wrapped twice by two copies of the package.
  assert.equal(e.message.split("A manual backup job is already pending").length, 2, e.message);
  await dash.waitForJob(first.jobId, FAST);
});

test("refused: a cluster not on the allow-list (403), on every cluster route and as a restore destination", async () => {
  const before = (await emu.requests()).length;
  await refused(await w.raw(`/v2/backups?clusterId=${NOT_ALLOWED}`, { headers: auth }), 403, 94030, /in01-0000000000000002 is not allowed/);
  await refused(await w.raw(`/v2/clusters/${NOT_ALLOWED}/backups/create`, json('{"backupType":"CLUSTER"}')), 403, 94030);
  await refused(await w.raw(`/v2/clusters/${NOT_ALLOWED}/backups/backup1_x`, { method: "DELETE", headers: auth }), 403, 94030);
  await refused(await w.raw(`/v2/clusters/${NOT_ALLOWED}/backups/policy`, { headers: auth }), 403, 94030);
  const e = await rejects(dash.listBackups({ clusterId: NOT_ALLOWED }), "Forbidden");
  assert.equal(e.code, 94030);
  assert.equal(e.httpStatus, 403);
  await refused(await w.raw(`/v2/clusters/${A}/backups/backup1_x/restoreCollection`, json(JSON.stringify({
    destClusterId: NOT_ALLOWED, dbCollections: [{ collections: [{ collectionName: "books" }] }],
  }))), 403, 94030, /destination cluster in01-0000000000000002 is not allowed/);
  assert.equal((await emu.requests()).length, before, "nothing reached the API");
});

test("refused: restoreCluster and export are not allowed by this proxy (403)", async () => {
  const before = (await emu.requests()).length;
  for (const op of ["restoreCluster", "export"]) {
    await refused(await w.raw(`/v2/clusters/${A}/backups/backup1_x/${op}`, json('{"integrationId":"integ-1"}')), 403, 94031, /not allowed by this proxy/);
    await refused(await w.raw(`/v2/clusters/${A}/backups/backup1_x/${op}`, { headers: auth }), 403, 94031);
  }
  const e = await rejects(dash.restoreCluster(A, "backup1_x", { targetProjectId: "proj-1", clusterName: "x", cuSize: 1 }), "Forbidden");
  assert.match(e.message, /not allowed by this proxy/);
  await rejects(dash.exportBackup(A, "backup1_x", { integrationId: "integ-abc" }), "Forbidden");
  assert.equal((await emu.requests()).length, before, "nothing reached the API");
});

test("refused: unknown path (404), wrong method (405), bad ids and queries (400)", async () => {
  await refused(await w.raw("/v2/clusters", { headers: auth }), 404, 94040, /no route for \/v2\/clusters/);
  await refused(await w.raw("/v2/backups/", { headers: auth }), 404, 94040);
  await refused(await w.raw("/", { headers: auth }), 404, 94040);
  let r = await w.raw("/v2/jobs/job-abc", { method: "DELETE", headers: auth });
  assert.equal(r.headers.get("allow"), "GET");
  await refused(r, 405, 94050, /method DELETE is not allowed on \/v2\/jobs\/job-abc/);
  r = await w.raw(`/v2/clusters/${A}/backups/create`, { headers: auth });
  await refused(r, 405, 94050);
  await refused(await w.raw(`/v2/clusters/${A}/backups/policy`, { method: "DELETE", headers: auth }), 405, 94050, /allowed: GET, POST/);
  await refused(await w.raw("/v2/jobs/job.abc", { headers: auth }), 400, 94001, /jobId "job\.abc" is not a valid id/);
  await refused(await w.raw(`/v2/clusters/in01%2F..%2Fx/backups/b1`, { headers: auth }), 400, 94001, /clusterId/);
  await refused(await w.raw(`/v2/clusters/${A}/backups/${"b".repeat(129)}`, { headers: auth }), 400, 94001, /backupId/);
  await refused(await w.raw("/v2/backups", { headers: auth }), 400, 94001, /clusterId is required/);
  await refused(await w.raw(`/v2/backups?clusterId=${A}&pageSize=ten`, { headers: auth }), 400, 94001, /pageSize/);
  await refused(await w.raw(`/v2/backups?clusterId=${A}&clusterid=x`, { headers: auth }), 400, 94001, /unknown query parameter "clusterid"/);
});

test("refused: body too large (413), not JSON (400), wrong content type (415)", async () => {
  const before = (await emu.requests()).length;
  const path = `/v2/clusters/${A}/backups/create`;
  const big = JSON.stringify({ backupType: "CLUSTER", pad: "x".repeat(17 * 1024) });
  await refused(await w.raw(path, json(big)), 413, 94130, /larger than 16384 bytes/);
  // Without Content-Length (streamed), the cap still holds.
  const stream = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode(big)); c.close(); } });
  await refused(await w.raw(path, { ...json(stream), duplex: "half" }), 413, 94130);
  await refused(await w.raw(path, json('{"backupType":')), 400, 94000, /not valid JSON/);
  await refused(await w.raw(path, json("")), 400, 94000, /empty/);
  await refused(await w.raw(path, json('["CLUSTER"]')), 400, 94000, /must be a JSON object/);
  await refused(await w.raw(path, json('{"backupType":"CLUSTER"}', { "Content-Type": "text/plain" })), 415, 94150, /Content-Type must be application\/json \(got "text\/plain"\)/);
  await refused(await w.raw(path, { method: "POST", headers: auth, body: new Blob(['{"backupType":"CLUSTER"}']) }), 415, 94150, /got none/);
  // What the package itself refuses (a misspelled field) is a 400 naming the field.
  await refused(await w.raw(path, json('{"backupTyp":"CLUSTER"}')), 400, 94001, /backupTyp/);
  assert.equal((await emu.requests()).length, before, "nothing reached the API");
});

test("refused: missing or wrong dashboard token (401); the dashboard's client sees Unauthorized", async () => {
  await refused(await w.raw("/config"), 401, 94010, /Authorization: Bearer <dashboard token>/);
  await refused(await w.raw("/config", { headers: { Authorization: `Basic ${DASHBOARD_TOKEN}` } }), 401, 94010);
  await refused(await w.raw("/config", { headers: { Authorization: `Bearer ${DASHBOARD_TOKEN}x` } }), 401, 94011, /wrong/);
  await refused(await w.raw("/config", { headers: { Authorization: `Bearer ${API_KEY}` } }), 401, 94011);
  const e = await rejects(w.client({ token: "not-the-token" }).describeJob("job-abc"), "Unauthorized");
  assert.equal(e.code, 94011);
  const config = await (await w.raw("/config", { headers: auth })).json();
  assert.deepEqual(config, { clusters: [A, B, BUSY, ERR].map((clusterId) => ({ clusterId })), schedule: [] });
});

test("CORS: an allowed origin gets its origin echoed; another gets no ACAO and a refused preflight", async () => {
  let r = await w.raw("/config", { headers: { ...auth, Origin: ORIGIN } });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get("access-control-allow-origin"), ORIGIN);
  assert.match(r.headers.get("vary"), /Origin/);
  assert.match(r.headers.get("access-control-expose-headers"), /Retry-After/);
  assert.match(r.headers.get("access-control-expose-headers"), /RequestId/);
  assert.match(r.headers.get("requestid"), /^edge-/);

  r = await w.raw("/v2/backups", { method: "OPTIONS", headers: { Origin: ORIGIN, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization" } });
  assert.equal(r.status, 204);
  assert.equal(r.headers.get("access-control-allow-origin"), ORIGIN);
  assert.match(r.headers.get("access-control-allow-methods"), /DELETE/);
  assert.match(r.headers.get("access-control-allow-headers"), /Authorization/);

  const evil = "https://evil.example";
  r = await w.raw("/v2/backups", { method: "OPTIONS", headers: { Origin: evil, "Access-Control-Request-Method": "GET" } });
  assert.equal(r.headers.get("access-control-allow-origin"), null);
  await refused(r, 403, 94032, /origin "https:\/\/evil\.example" is not allowed/);
  r = await w.raw(`/v2/backups?clusterId=${A}`, { headers: { ...auth, Origin: evil } });
  assert.equal(r.headers.get("access-control-allow-origin"), null);
  await refused(r, 403, 94032);
  // An origin that only starts like an allowed one is another origin.
  r = await w.raw("/config", { headers: { ...auth, Origin: `${ORIGIN}.evil.example` } });
  assert.equal(r.headers.get("access-control-allow-origin"), null);
  assert.equal(r.status, 403);
});

test("upstream 429 with Retry-After comes back as RateLimited with retryAfterMs", async () => {
  await emu.fault({ method: "GET", pathPrefix: "/v2/jobs/", times: 1, fault: { type: "status", status: 429, headers: { "Retry-After": "7" } } });
  const r = await w.raw("/v2/jobs/job-ratelimited", { headers: auth });
  assert.equal(r.status, 429);
  assert.equal(r.headers.get("retry-after"), "7");
  await emu.fault({ method: "GET", pathPrefix: "/v2/jobs/", times: 1, fault: { type: "status", status: 429, headers: { "Retry-After": "7" } } });
  const e = await rejects(w.client({ maxRetries: 0 }).describeJob("job-ratelimited"), "RateLimited");
  assert.equal(e.httpStatus, 429);
  assert.equal(e.retryAfterMs, 7000);
  assert.equal(e.retryable, true);
});

test("upstream 503 comes back as Server; a business error as Api with the API's code and words", async () => {
  await emu.fault({ method: "GET", pathPrefix: "/v2/backups", times: 1, fault: { type: "status", status: 503 } });
  let e = await rejects(w.client({ maxRetries: 0 }).listBackups({ clusterId: ERR }), "Server");
  assert.equal(e.httpStatus, 503);
  assert.equal(e.retryable, true);
  // The dashboard's client retries a read by itself: one 503, then the answer.
  await emu.fault({ method: "GET", pathPrefix: "/v2/backups", times: 1, fault: { type: "status", status: 503 } });
  assert.equal((await w.client().listBackups({ clusterId: ERR })).count, 0);

  await emu.fault({ pathPrefix: `/v2/clusters/${ERR}/`, times: 1, fault: { type: "business", code: 80123, message: "Something specific went wrong." } });
  e = await rejects(dash.describeBackup(ERR, "backup1_abc"), "Api");
  assert.equal(e.code, 80123);
  assert.equal(e.httpStatus, 200);
  assert.equal(e.message, "Zilliz Cloud API error 80123: Something specific went wrong.");
  // The emulator's own business errors too (unknown backup).
  e = await rejects(dash.deleteBackup(ERR, "backup9_doesnotexist"), "Api");
  assert.equal(e.code, 80050);
  // An ambiguous create failure (5xx): the worker does not reconcile; the dashboard's client does.
  await emu.fault({ method: "POST", pathPrefix: `/v2/clusters/${ERR}/backups/create`, times: 1, after: true, fault: { type: "status", status: 502 } });
  const created = await w.client().createBackup(ERR, { backupType: "CLUSTER" });
  assert.equal(created.reconciled, true);
  assert.equal((await emu.state()).backups.filter((b) => b.clusterId === ERR).length, 1, "one backup, not two");
});

test("the worker's own key rejected upstream: 401 reaches the dashboard as Unauthorized, without the key", async () => {
  await emu.config({ apiKey: "a-different-key" });
  try {
    const r = await w.raw(`/v2/backups?clusterId=${ERR}`, { headers: auth });
    await refused(r, 401, 21119, /The apikey is illegal/);
    const e = await rejects(dash.describeJob("job-abc"), "Unauthorized");
    assert.equal(e.code, 21119);
  } finally {
    await emu.config({ apiKey: API_KEY });
  }
});

test("the API key appears in no response, header or worker log line (checked again after all tests)", async () => {
  await w.raw("/v2/jobs/job-nope", { headers: auth });
  w.assertNoKeyLeak();
  assert.ok(w.logs.some((l) => /GET \/v2\/jobs\/job-nope → 200 code 80040/.test(l)), w.logs.slice(-3).join("\n"));
});
