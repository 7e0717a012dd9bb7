// A failing server: what is retried, what is not, and what each failure looks like.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BackupClient } from "zilliz-cloud-backup";
import { startEmulator } from "../harness/emulator.mjs";
import { rejects, everything } from "../harness/client.mjs";

const KEY = "sk-LEAKCHECK-failures-0123456789";
let emu, jobId, jobPath;
const errors = [];

before(async () => {
  emu = await startEmulator({ apiKey: KEY, jobDurationMs: 600_000 });
  const cluster = await emu.cluster();
  ({ jobId } = await client().createBackup(cluster, { backupType: "CLUSTER" }));
  jobPath = `/v2/jobs/${jobId}`;
});
after(() => emu?.stop());

function client(options = {}) {
  return new BackupClient({ token: KEY, baseUrl: emu.url, maxRetries: 3, ...options });
}

async function count(path) {
  return (await emu.requests(path)).length;
}

/** Runs `call` with `fault` injected on `path`; returns [result or error, requests sent]. */
async function withFault(path, fault, call, { times = 1, method, after: act } = {}) {
  await emu.control("DELETE", "/faults");
  await emu.control("DELETE", "/requests");
  await emu.fault({ pathPrefix: path, times, fault, ...(method ? { method } : {}), ...(act ? { after: true } : {}) });
  let out;
  try {
    out = await call();
  } catch (e) {
    errors.push(e);
    out = e;
  }
  return [out, await count(path)];
}

test("reads retry a 429 after its Retry-After seconds", async () => {
  const started = Date.now();
  const [job, sent] = await withFault(jobPath, { type: "status", status: 429, headers: { "Retry-After": "1" } }, () => client().describeJob(jobId));
  assert.equal(job.jobId, jobId);
  assert.equal(sent, 2);
  assert.ok(Date.now() - started >= 950, "waited for Retry-After");
});

test("reads retry a 429 after its Retry-After HTTP date", async () => {
  const at = new Date(Math.ceil((Date.now() + 1500) / 1000) * 1000);
  const started = Date.now();
  const [job, sent] = await withFault(jobPath, { type: "status", status: 429, headers: { "Retry-After": at.toUTCString() } }, () => client().describeJob(jobId));
  assert.equal(job.jobId, jobId);
  assert.equal(sent, 2);
  assert.ok(Date.now() - started >= at - started - 50, "waited until the date");
});

for (const [name, fault] of [
  ["503", { type: "status", status: 503 }],
  ["500", { type: "status", status: 500 }],
  ["a dropped connection", { type: "drop" }],
  ["a truncated body", { type: "truncated" }],
  ["an HTML 502 page", { type: "html", status: 502 }],
]) {
  test(`reads retry ${name}, then succeed`, async () => {
    const [job, sent] = await withFault(jobPath, fault, () => client().describeJob(jobId), { times: 2 });
    assert.equal(job.jobId, jobId, String(job?.message));
    assert.equal(sent, 3);
  });
}

test("reads retry a stalled response after the per-request timeout", async () => {
  const [job, sent] = await withFault(jobPath, { type: "delay", ms: 2000 }, () => client({ timeoutMs: 200 }).describeJob(jobId));
  assert.equal(job.jobId, jobId);
  assert.equal(sent, 2);
});

test("reads give up after maxRetries: maxRetries + 1 requests", async () => {
  const [e, sent] = await withFault(jobPath, { type: "status", status: 503 }, () => client({ maxRetries: 2 }).describeJob(jobId), { times: 10 });
  assert.equal(e.kind, "Server");
  assert.equal(e.httpStatus, 503);
  assert.equal(e.retryable, true);
  assert.equal(sent, 3);
});

test("a 429 that outlives the retries is RateLimited and retryable", async () => {
  const [e, sent] = await withFault(jobPath, { type: "status", status: 429, headers: { "Retry-After": "0" } }, () => client({ maxRetries: 1 }).describeJob(jobId), { times: 5 });
  assert.equal(e.kind, "RateLimited");
  assert.equal(e.retryable, true);
  assert.equal(sent, 2);
});

const kinds = [
  ["401", { type: "status", status: 401, body: '{"code":80001,"message":"invalid token"}' }, "Unauthorized", 1],
  ["403", { type: "status", status: 403, body: '{"code":403,"message":"no permission"}' }, "Forbidden", 1],
  ["404", { type: "status", status: 404, body: '{"code":404,"message":"not here"}' }, "NotFound", 1],
  ["an HTML 502", { type: "html", status: 502 }, "Server", 1],
  ["a malformed body", { type: "malformed" }, "Protocol", 1],
  ["a business error", { type: "business", code: 65000, message: "something the server disliked" }, "Api", 1],
  ["a dropped connection", { type: "drop" }, "Network", 1],
  ["a truncated body", { type: "truncated" }, "Network", 1],
];
for (const [name, fault, kind, requests] of kinds) {
  test(`${name} → ${kind}`, async () => {
    const [e, sent] = await withFault(jobPath, fault, () => client({ maxRetries: 0 }).describeJob(jobId), { times: 5 });
    assert.equal(e.kind, kind, e.message);
    assert.equal(e.name, "ZillizError");
    assert.equal(sent, requests);
    if (fault.type === "business") {
      assert.equal(e.code, 65000);
      assert.match(e.message, /something the server disliked/);
      assert.equal(e.httpStatus, 200);
    }
    if (fault.type === "html") assert.match(e.message, /HTML/);
    if (kind !== "Network") assert.ok(e.requestId, "RequestId kept");
  });
}

test("a create is re-sent after a 429 (the server did not act)", async () => {
  const cluster = await emu.cluster();
  const path = `/v2/clusters/${cluster}/backups/create`;
  const [created, sent] = await withFault(path, { type: "status", status: 429, headers: { "Retry-After": "0" } }, () => client().createBackup(cluster, { backupType: "CLUSTER" }));
  assert.match(created.backupId, /^backup/);
  assert.equal(sent, 2);
  await emu.control("POST", `/jobs/${created.jobId}/fail`, {});
});

// Without reconciling (`{ reconcile: false }`), a create that failed after a 5xx, a network error
// or a timeout rejects (retryable: false, "may have been created") and is never sent again.
// By default (the lifecycle issue) the client reconciles first: see the tests below and
// scenarios/lifecycle.mjs.
for (const [name, fault, extra] of [
  ["a 500", { type: "status", status: 500 }, {}],
  ["a dropped connection", { type: "drop" }, {}],
  ["a stalled response", { type: "delay", ms: 2000 }, { timeoutMs: 200 }],
]) {
  test(`with { reconcile: false }, a create is never re-sent after ${name}, and says it may exist`, async () => {
    const cluster = await emu.cluster();
    const path = `/v2/clusters/${cluster}/backups/create`;
    const call = () => client(extra).createBackup(cluster, { backupType: "CLUSTER" }, { reconcile: false });
    const [e, sent] = await withFault(path, fault, call, { after: true });
    assert.ok(e instanceof Error, `rejected (got ${JSON.stringify(e)}; ${sent} create requests)`);
    assert.equal(e.retryable, false);
    assert.match(e.message, /may have been created/);
    assert.equal(sent, 1, "sent once");
    const made = (await emu.state()).backups.filter((b) => b.clusterId === cluster);
    assert.equal(made.length, 1, "the server did act: the warning was right");
    for (const b of made) if (b.jobId) await emu.control("POST", `/jobs/${b.jobId}/fail`, {}).catch(() => {});
  });

  test(`by default, a create the server made despite ${name} is found, never sent twice`, async () => {
    const cluster = await emu.cluster();
    const path = `/v2/clusters/${cluster}/backups/create`;
    const [out, sent] = await withFault(path, fault, () => client(extra).createBackup(cluster, { backupType: "CLUSTER" }), { after: true });
    assert.ok(!(out instanceof Error), String(out?.message));
    assert.equal(out.reconciled, true);
    assert.equal(sent, 1, "never re-sent");
    const made = (await emu.state()).backups.filter((b) => b.clusterId === cluster);
    assert.deepEqual(made.map((b) => b.backupId), [out.backupId], "exactly one backup, the one returned");
    for (const b of made) if (b.jobId) await emu.control("POST", `/jobs/${b.jobId}/fail`, {}).catch(() => {});
  });
}

test("by default, a create the server never made (a 500 before acting) is sent once more, after the list showed nothing", async () => {
  const cluster = await emu.cluster();
  const path = `/v2/clusters/${cluster}/backups/create`;
  const [out, sent] = await withFault(path, { type: "status", status: 500 }, () => client().createBackup(cluster, { backupType: "CLUSTER" }));
  assert.ok(!(out instanceof Error), String(out?.message));
  assert.equal(out.reconciled, false);
  assert.equal(sent, 2, "one re-send");
  const log = (await emu.requests()).map((r) => `${r.method} ${r.path}`);
  // A list before the create (the ids not to take for ours), the create, the check, the re-send.
  const firstCreate = log.indexOf(`POST ${path}`);
  const check = log.indexOf("GET /v2/backups", firstCreate);
  assert.ok(log.indexOf("GET /v2/backups") < firstCreate, "the backups were listed before sending");
  assert.ok(check > firstCreate && log.lastIndexOf(`POST ${path}`) > check, "the re-send came only after the check");
  assert.equal((await emu.state()).backups.filter((b) => b.clusterId === cluster).length, 1);
});

test("unknown job statuses and types, and extra fields, decode and keep the wait going", async () => {
  const odd = JSON.stringify({ code: 0, data: { jobId, type: "TELEPORT", status: "QUEUED_V2", progress: "7", startTime: null, endTime: null, reason: "", extra: { nested: [1, 2] } } });
  const [job] = await withFault(jobPath, { type: "status", status: 200, body: odd }, () => client().describeJob(jobId));
  assert.equal(job.status, "QUEUED_V2");
  assert.equal(job.type, "TELEPORT");
  assert.equal(job.progress, 7);
  // A wait treats the unknown status as not finished: it polls again, and ends on SUCCESSFUL.
  const done = JSON.stringify({ code: 0, data: { jobId, type: "BACKUP", status: "SUCCESSFUL", progress: "100", startTime: null, endTime: null, reason: "" } });
  await emu.control("DELETE", "/faults");
  await emu.control("DELETE", "/requests");
  await emu.fault({ pathPrefix: jobPath, times: 2, fault: { type: "status", status: 200, body: odd } });
  await emu.fault({ pathPrefix: jobPath, times: 1, fault: { type: "status", status: 200, body: done } });
  const seen = [];
  const finished = await client().waitForJob(jobId, { minIntervalMs: 10, maxIntervalMs: 50, onProgress: (j) => seen.push(j.status) });
  assert.equal(finished.status, "SUCCESSFUL");
  assert.deepEqual(seen, ["QUEUED_V2", "SUCCESSFUL"]);
  assert.equal(await count(jobPath), 3);
});

test("bodies cross as text: beyond ASCII, escapes and a byte order mark arrive as Response.text() reads them, through fetch and node:http", async () => {
  const reason = "échec — 日本語 😀 \"quoted\" \\ tab\t";
  const body = "\uFEFF" + JSON.stringify({ code: 0, data: { jobId, type: "BACKUP", status: "FAILED", progress: "100", startTime: null, endTime: null, reason } });
  for (const options of [{}, { fetch: (request) => fetch(request) }]) {
    const [job] = await withFault(jobPath, { type: "status", status: 200, body }, () => client(options).describeJob(jobId));
    assert.equal(job.reason, reason, options.fetch ? "through fetch" : "through node:http");
    assert.equal(job.status, "FAILED");
  }
});

test("a body whose text is not well-formed UTF-16 (a lone surrogate, from a Response-like object) arrives with U+FFFD in its place", async () => {
  // The transport writes the text into wasm memory with TextEncoder.encodeInto (bodyInto), which
  // Rust takes as UTF-8 unchecked: encodeInto writes U+FFFD for a lone surrogate, so it always is.
  for (const [text, want] of [["a\uD800b", "a\uFFFDb"], ["\uDC00", "\uFFFD"], ["ok \uD83D\uDE00", "ok \uD83D\uDE00"]]) {
    const body = `{"code":0,"data":{"jobId":"${jobId}","type":"BACKUP","status":"FAILED","progress":"100","reason":"${text}"}}`;
    const responseLike = { status: 200, headers: new Headers(), text: async () => body };
    const job = await client({ fetch: async () => responseLike }).describeJob(jobId);
    assert.equal(job.reason, want);
  }
});

test("a fetch that throws something other than an Error: the Network error shows what was thrown", async () => {
  for (const [thrown, shown] of [[{ code: "EFOO" }, '{"code":"EFOO"}'], [42, "42"], ["plain words", "plain words"], [Symbol("s"), "a value that is not an Error"]]) {
    const e = await rejects(client({ maxRetries: 0, fetch: async () => { throw thrown; } }).describeJob(jobId), "Network");
    assert.ok(e.message.endsWith(`: ${shown}`), e.message);
    errors.push(e);
  }
});

test("a backups page that does not say what it holds is a Protocol error, not an empty list", async () => {
  // `{"code":0,"data":{}}` (a proxy's answer, a broken one) once read as "no backups", and a
  // create's reconciliation then sent it again (the soak's duplicate).
  await emu.control("DELETE", "/faults");
  await emu.fault({ pathPrefix: "/v2/backups", times: 1, fault: { type: "status", status: 200, body: JSON.stringify({ code: 0, data: {} }) } });
  const e = await rejects(client({ maxRetries: 0 }).listBackups(), "Protocol");
  assert.match(e.message, /backups/);
  errors.push(e);
  await emu.fault({ pathPrefix: "/v2/backups", times: 1, fault: { type: "status", status: 200, body: JSON.stringify({ code: 0, data: { count: 0, backups: null } }) } });
  assert.deepEqual((await client().listBackups()).backups, [], "null still means none");
});

test("redirects are never followed: requests say so, and a 3xx is a Protocol error", async () => {
  let mode;
  await client({ fetch: (req) => { mode = req.redirect; return fetch(req); } }).describeJob(jobId);
  assert.equal(mode, "manual", "fetch is told not to follow redirects");
  const redirecting = client({ maxRetries: 0, fetch: async () => new Response(null, { status: 302, headers: { location: "https://elsewhere.example/steal" } }) });
  const e = await rejects(redirecting.describeJob(jobId), "Protocol");
  assert.match(e.message, /redirect/);
  errors.push(e);
});

test("no error, whatever the failure, shows the key", () => {
  // Refused options, with the key among them, are errors too.
  for (const bad of [{ baseUrl: "http://evil.example" }, { tokne: KEY }, { timeoutMs: -1 }, { headers: { Authorization: `Bearer ${KEY}` } }]) {
    try { new BackupClient({ token: KEY, ...bad }); } catch (e) { errors.push(e); }
  }
  assert.ok(errors.length >= 10, `${errors.length} errors collected`);
  for (const e of errors) {
    if (!(e instanceof Error)) continue;
    assert.ok(!everything(e).includes("LEAKCHECK"), everything(e));
  }
});
