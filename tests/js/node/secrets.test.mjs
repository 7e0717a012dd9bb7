// The API key (and a restored cluster's password) never leak: every error path is driven with a
// recognisable key, and the key must be in no error (message, stack, own properties, JSON,
// String, util.inspect), no console output, no URL the server saw — only in `Authorization`.
// Also: redirects never reach another origin, baseUrl is https except loopback, and ids that could
// change the URL are refused before any request. (failures.test.mjs and validation.test.mjs cover
// the basic cases; this file extends them and does not repeat them.)
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { createServer } from "node:http";
import { randomBytes } from "node:crypto";
import { BackupClient } from "zilliz-cloud-backup";
import { startEmulator } from "../harness/emulator.mjs";
import { FAST, sleep } from "../harness/client.mjs";

const KEY = `sk-LEAKCHECK-${randomBytes(12).toString("hex")}`;
const MARK = "LEAKCHECK";
let emu, elsewhere, elsewhereHits = [];
let cluster, backupId, jobId;

before(async () => {
  emu = await startEmulator({ apiKey: KEY, jobDurationMs: 1 });
  elsewhere = createServer((req, res) => {
    elsewhereHits.push({ url: req.url, authorization: req.headers.authorization ?? null });
    res.end('{"code":0,"data":{}}');
  });
  await new Promise((r) => elsewhere.listen(0, "127.0.0.1", r));
  cluster = await emu.cluster();
  ({ backupId, jobId } = await client().createBackup(cluster, { backupType: "CLUSTER" }));
  await client().waitForJob(jobId, FAST);
});
after(() => {
  emu?.stop();
  elsewhere?.close();
});

function client(options = {}) {
  return new BackupClient({ token: KEY, baseUrl: emu.url, maxRetries: 0, timeoutMs: 2000, ...options });
}

/** Every text an error can show: message, stack, String, JSON, inspect, each own property (deep). */
function surfaces(e) {
  const own = Object.getOwnPropertyNames(e).map((k) => {
    const v = e[k];
    return `${k}=${typeof v === "string" ? v : (JSON.stringify(v) ?? String(v))} ${inspect(v, { depth: Infinity, showHidden: true })}`;
  });
  return {
    message: String(e.message),
    stack: String(e.stack),
    string: String(e),
    json: JSON.stringify(e) ?? "",
    inspect: inspect(e, { depth: Infinity, showHidden: true }),
    own: own.join("\n"),
  };
}

/** Runs `call` with console captured; returns [result or error, captured text]. (stdout itself is
 * left alone: under `node --test` it carries the test runner's own reports.) */
async function captured(call) {
  const out = [];
  const saved = {};
  for (const m of ["log", "info", "warn", "error", "debug", "trace"]) {
    saved[m] = console[m];
    console[m] = (...args) => out.push(args.map((a) => (typeof a === "string" ? a : inspect(a))).join(" "));
  }
  let result;
  try {
    result = await call();
  } catch (e) {
    result = e;
  } finally {
    Object.assign(console, saved);
  }
  return [result, out.join("\n")];
}

function assertNoLeak(what, result, consoleText, secret = KEY) {
  const parts = result instanceof Error ? surfaces(result) : { result: JSON.stringify(result) ?? "", inspect: inspect(result, { depth: Infinity }) };
  for (const [where, text] of Object.entries(parts)) {
    assert.ok(!text.includes(secret), `${what}: the secret is in the error's ${where}: ${text.slice(0, 500)}`);
    assert.ok(!text.includes(MARK) || secret !== KEY, `${what}: part of the key is in ${where}`);
  }
  assert.ok(!consoleText.includes(secret) && !consoleText.includes(MARK), `${what}: the key was written to the console`);
}

async function fault(path, f, extra = {}) {
  await emu.control("DELETE", "/faults");
  await emu.fault({ pathPrefix: path, times: 10, fault: f, ...extra });
}

// [what, set-up, call, expected kind]
const paths = () => ({ job: `/v2/jobs/${jobId}`, create: `/v2/clusters/${cluster}/backups/create` });
const cases = [
  ["bad input: id", null, () => client().describeBackup(cluster, "../x"), "InvalidInput"],
  ["bad input: request", null, () => client().createBackup(cluster, { backupType: "NOPE" }), "InvalidInput"],
  ["bad input: option", null, () => client().waitForJob(jobId, { minIntervalMs: 1 }), "InvalidInput"],
  ["401", () => fault(paths().job, { type: "status", status: 401, body: '{"code":80001,"message":"invalid token"}' }), () => client().describeJob(jobId), "Unauthorized"],
  ["401 from the server's own check (wrong key)", null, () => new BackupClient({ token: `${KEY}-wrong`, baseUrl: emu.url }).describeJob(jobId), "Unauthorized"],
  ["403", () => fault(paths().job, { type: "status", status: 403, body: '{"code":403,"message":"forbidden"}' }), () => client().describeJob(jobId), "Forbidden"],
  ["404", () => fault(paths().job, { type: "status", status: 404 }), () => client().describeJob(jobId), "NotFound"],
  ["429", () => fault(paths().job, { type: "status", status: 429, headers: { "Retry-After": "0" } }), () => client({ maxRetries: 1 }).describeJob(jobId), "RateLimited"],
  ["503", () => fault(paths().job, { type: "status", status: 503 }), () => client({ maxRetries: 1 }).describeJob(jobId), "Server"],
  ["HTML 502", () => fault(paths().job, { type: "html", status: 502 }), () => client().describeJob(jobId), "Server"],
  ["malformed", () => fault(paths().job, { type: "malformed" }), () => client().describeJob(jobId), "Protocol"],
  ["business error", () => fault(paths().job, { type: "business", code: 65000, message: "nope" }), () => client().describeJob(jobId), "Api"],
  ["truncated", () => fault(paths().job, { type: "truncated" }), () => client().describeJob(jobId), "Network"],
  ["per-request timeout", () => fault(paths().job, { type: "delay", ms: 1500 }), () => client({ timeoutMs: 100 }).describeJob(jobId), "Network"],
  ["a create's ambiguous failure (not reconciled)", () => fault(paths().create, { type: "status", status: 500 }), () => client().createBackup(cluster, { backupType: "CLUSTER" }, { reconcile: false }), "Server"],
  ["wait deadline", () => fault(paths().job, { type: "status", status: 200, body: `{"code":0,"data":{"jobId":"x","status":"IN_PROGRESS","progress":"5"}}` }), () => client().waitForJob(jobId, { timeoutMs: 150, minIntervalMs: 20 }), "Timeout"],
  ["abort before", null, () => client().describeJob(jobId, { signal: AbortSignal.abort() }), "Aborted"],
  ["abort during a wait", () => fault(paths().job, { type: "status", status: 200, body: `{"code":0,"data":{"jobId":"x","status":"IN_PROGRESS","progress":"5"}}` }), () => client().waitForJob(jobId, { minIntervalMs: 20, signal: AbortSignal.timeout(150) }), "Aborted"],
  ["abort during a request", () => fault(paths().job, { type: "delay", ms: 1500 }), () => client().describeJob(jobId, { signal: AbortSignal.timeout(100) }), "Aborted"],
  ["redirect to another origin", () => fault(paths().job, { type: "redirect", status: 307, location: `http://127.0.0.1:${elsewhere.address().port}/v2/jobs/${jobId}` }), () => client().describeJob(jobId), "Protocol"],
  ["connection refused", null, () => client({ baseUrl: "http://127.0.0.1:1" }).describeJob(jobId), "Network"],
  ["JobFailed", async () => {
    await emu.control("DELETE", "/faults");
    await emu.control("POST", `/clusters/${cluster}/fail-next-backup`, { atProgress: 0 });
  }, () => client().createBackupAndWait(cluster, { backupType: "CLUSTER" }, FAST), "JobFailed"],
];

test(`the key is in no error, console output or URL on ${cases.length} error paths`, async () => {
  await emu.control("DELETE", "/requests");
  for (const [what, setup, call, kind] of cases) {
    await setup?.();
    const [e, out] = await captured(call);
    await emu.control("DELETE", "/faults");
    assert.ok(e instanceof Error, `${what}: expected a rejection, got ${JSON.stringify(e)}`);
    assert.equal(e.kind, kind, `${what}: ${e.message}`);
    assertNoLeak(what, e, out);
  }
  // The emulator logged every request: the key is only ever in the Authorization header.
  const log = await emu.requests();
  assert.ok(log.length >= 15, `${log.length} requests`);
  for (const r of log) {
    for (const field of ["path", "query", "body"]) assert.ok(!r[field].includes(MARK), `the key is in a request's ${field}: ${r.method} ${r.path}`);
    assert.ok(r.authorization === `Bearer ${KEY}` || r.authorization === `Bearer ${KEY}-wrong`, `Authorization is "Bearer <key>": ${r.authorization?.replace(KEY, "<key>")}`);
  }
});

test("successful results, the client object and its console output never show the key", async () => {
  const c = client();
  const calls = [
    () => c.describeJob(jobId),
    () => c.describeBackup(cluster, backupId),
    () => c.listBackups({ clusterId: cluster }),
    () => c.getBackupPolicy(cluster),
    async () => { const all = []; for await (const b of c.listAllBackups({ clusterId: cluster })) all.push(b); return all; },
  ];
  for (const call of calls) {
    const [result, out] = await captured(call);
    assert.ok(!(result instanceof Error), String(result?.message));
    assertNoLeak("a success", result, out);
  }
  for (const text of [inspect(c, { depth: Infinity, showHidden: true }), JSON.stringify(c) ?? "", String(c), Object.keys(c).join()]) {
    assert.ok(!text.includes(MARK), `the client object shows the key: ${text}`);
  }
});

test("a redirect to another origin is never followed, for reads and writes, whatever the 3xx", async () => {
  elsewhereHits = [];
  const target = `http://127.0.0.1:${elsewhere.address().port}`;
  for (const status of [301, 302, 303, 307, 308]) {
    for (const [path, method, call] of [
      [`/v2/jobs/${jobId}`, "GET", () => client({ maxRetries: 3 }).describeJob(jobId)],
      [`/v2/clusters/${cluster}/backups/policy`, "POST", () => client({ maxRetries: 3 }).setBackupPolicy(cluster, { enabled: false })],
      [`/v2/backups`, "GET", () => client({ maxRetries: 3 }).listBackups({ clusterId: cluster })],
    ]) {
      await fault(path, { type: "redirect", status, location: `${target}${path}` }, { method });
      const [e, out] = await captured(call);
      assert.equal(e?.kind, "Protocol", `${status} ${method} ${path}: ${e?.message}`);
      assert.match(e.message, /redirect/i);
      assertNoLeak(`redirect ${status}`, e, out);
    }
  }
  await emu.control("DELETE", "/faults");
  assert.deepEqual(elsewhereHits, [], "the other origin received nothing");
});

test("a restored cluster's password is only in the return value", async () => {
  const c = client();
  const [restored, out] = await captured(() => c.restoreCluster(cluster, backupId, { targetProjectId: "proj-00000000000000000001", clusterName: `restored-${Date.now() % 1e6}`, cuSize: 1 }));
  assert.ok(!(restored instanceof Error), String(restored?.message));
  assert.equal(typeof restored.password, "string");
  assert.ok(restored.password.length >= 8);
  assert.ok(!out.includes(restored.password), "the password went to the console");
  // A restore whose wait fails: the password it returned must not ride along in the error.
  const PASSWORD = "PW-LEAKCHECK-7a1b2c3d";
  const path = `/v2/clusters/${cluster}/backups/${backupId}/restoreCluster`;
  await fault(path, { type: "status", status: 200, body: JSON.stringify({ code: 0, data: { clusterId: "in01-restoredx", username: "db_admin", password: PASSWORD, jobId: "job-gone" } }) });
  const [e, out2] = await captured(() => c.restoreClusterAndWait(cluster, backupId, { targetProjectId: "proj-00000000000000000001", clusterName: "restored-two", cuSize: 1 }, FAST));
  await emu.control("DELETE", "/faults");
  assert.ok(e instanceof Error, "the wait failed (unknown job)");
  assertNoLeak("restoreClusterAndWait failure", e, out2, PASSWORD);
  // And the restore request itself never carries a password.
  for (const r of await emu.requests(path)) assert.ok(!/password/i.test(r.body), r.body);
});

// baseUrl: https, or http only to loopback. These are the tricks validation.test.mjs does not try.
const badBaseUrls = [
  "http://localhost.evil.example",
  "http://127.0.0.1.evil.example",
  "http://evil.example/127.0.0.1",
  "http://127.0.0.1@evil.example",
  "http://evil.example:80@127.0.0.1",
  "http://0.0.0.0:8787",
  "http://[::]:8787",
  "http://169.254.169.254",
  "http://[::ffff:a9fe:a9fe]",
  "javascript:alert(1)",
  "data:text/plain,x",
  "file:///etc/passwd",
  "ws://127.0.0.1:1",
  "//evil.example",
  "https://",
  "https://evil.example\\@api.cloud.zilliz.com",
  "https://api.cloud.zilliz.com/%2e%2e/x",
  "https://api.cloud.zilliz.com/a/../b",
  " https://api.cloud.zilliz.com",
  "https://api.cloud.zilliz.com\t",
  "https://аpi.cloud.zilliz.com", // Cyrillic "а"
  "https://api.cloud.zilliz.com:99999",
];

test(`${badBaseUrls.length} baseUrl tricks are refused; loopback http and https pass`, () => {
  for (const baseUrl of badBaseUrls) {
    let error;
    try {
      new BackupClient({ token: KEY, baseUrl });
    } catch (e) {
      error = e;
    }
    assert.equal(error?.kind, "InvalidInput", `accepted ${JSON.stringify(baseUrl)}`);
    assert.ok(error.message.startsWith("baseUrl"), error.message);
    assertNoLeak(`baseUrl ${baseUrl}`, error, "");
  }
  for (const ok of ["http://127.0.0.1:8787", "http://localhost", "http://[::1]:1", "http://127.1.2.3", "HTTPS://API.CLOUD.ZILLIZ.COM"]) new BackupClient({ token: KEY, baseUrl: ok });
});

// Ids go into the URL path: anything that could change the path, query, host or meaning is
// refused before a request is sent. Each bad id is tried in every call that takes an id.
const badIds = [
  "in01@evil.example", "@", "in01/..", "./in01", ".", "%2e%2e", "%2F", "in01%252F", "in01\\x",
  "in01\u0000", "in01\r\nX-Injected: 1", " in01", "in01 ", "in01\u00a0", "in01\u200b", "in01\u202e",
  "in01\uff0fx", "in01\u2215x", "іn01", "in01\u2024\u2024", "ｉｎ01", "in01;x", "in01&x=1", "in01=x",
  "in01+x", "in01:x", "in01~x", "in01.x", "in01,x", "in01'x", "in01\"x", "in01<x>", "in01`x", "in01$x",
  "in01*x", "in01(x)", "in01!x", "in01|x", "in01{x}", "in01[x]", "in01\u0085", "in01\u2028", "🙂", "in01\ud800",
];
const takesId = [
  ["createBackup", (c, id) => c.createBackup(id, { backupType: "CLUSTER" })],
  ["describeJob", (c, id) => c.describeJob(id)],
  ["waitForJob", (c, id) => c.waitForJob(id)],
  ["waitForJobStep", (c, id) => c.waitForJobStep(id, { budgetMs: 100 })],
  ["listBackups", (c, id) => c.listBackups({ clusterId: id })],
  ["describeBackup (cluster)", (c, id) => c.describeBackup(id, "backup1_a")],
  ["describeBackup (backup)", (c, id) => c.describeBackup("in01-a", id)],
  ["deleteBackup", (c, id) => c.deleteBackup("in01-a", id)],
  ["waitForBackup", (c, id) => c.waitForBackup(id, "backup1_a")],
  ["restoreCluster", (c, id) => c.restoreCluster("in01-a", id, { targetProjectId: "proj-1", clusterName: "r", cuSize: 1 })],
  ["restoreCluster (project)", (c, id) => c.restoreCluster("in01-a", "backup1_a", { targetProjectId: id, clusterName: "r", cuSize: 1 })],
  ["restoreCollection", (c, id) => c.restoreCollection(id, "backup1_a", { destClusterId: "in01-b", dbCollections: [{ collections: [{ collectionName: "a" }] }] })],
  ["restoreCollection (destination)", (c, id) => c.restoreCollection("in01-a", "backup1_a", { destClusterId: id, dbCollections: [{ collections: [{ collectionName: "a" }] }] })],
  ["exportBackup", (c, id) => c.exportBackup("in01-a", id, { integrationId: "integ-1" })],
  ["getBackupPolicy", (c, id) => c.getBackupPolicy(id)],
  ["setBackupPolicy", (c, id) => c.setBackupPolicy(id, { enabled: false })],
];

test(`${badIds.length} bad ids × ${takesId.length} calls are refused with InvalidInput before any request`, async () => {
  await emu.control("DELETE", "/requests");
  const c = client();
  for (const id of badIds) {
    for (const [name, call] of takesId) {
      let error;
      try {
        await call(c, id);
      } catch (e) {
        error = e;
      }
      assert.equal(error?.kind, "InvalidInput", `${name}(${JSON.stringify(id)}) was not refused: ${error?.message}`);
      assert.equal(error.retryable, false);
    }
  }
  await sleep(50);
  assert.deepEqual(await emu.requests(), [], "no request was sent");
});
