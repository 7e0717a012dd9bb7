// The core contract in Node: create, describe, wait, create-and-wait, progress, abort, deadline.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { inspect } from "node:util";
import { BackupClient, init } from "zilliz-cloud-backup";
import { startEmulator } from "../harness/emulator.mjs";
import { clientFor, rejects, FAST } from "../harness/client.mjs";

let emu;
before(async () => { emu = await startEmulator({ jobDurationMs: 600 }); });
after(() => emu?.stop());

test("init() is optional, idempotent, and resolves", async () => {
  // The client works before init() is ever called (the entry instantiates the wasm itself)…
  const client = clientFor(emu);
  const job = await client.describeJob("job-nothing").catch((e) => e);
  assert.equal(job.kind, "Api", "reached the emulator without init()");
  // …and calling it any number of times is harmless.
  assert.equal(await init(), undefined);
  await Promise.all([init(), init()]);
  const again = await clientFor(emu).describeJob("job-nothing").catch((e) => e);
  assert.equal(again.kind, "Api", "still works after init() ran three times");
});

test("the Node entry reads and compiles the .wasm when its first client is made, once", () => {
  // An import that makes no client (a CLI's other commands, a serverless bundle's other routes)
  // should not pay for V8 validating the whole .wasm (pkg/node.js). Counted in a fresh process.
  const code = `
    let compiled = 0;
    const Module = WebAssembly.Module;
    WebAssembly.Module = function (bytes) { compiled++; return new Module(bytes); };
    const pkg = await import("zilliz-cloud-backup");
    const counts = [Object.keys(pkg).sort().join(), compiled];
    new pkg.BackupClient({ token: "k" });
    counts.push(compiled);
    new pkg.BackupClient({ token: "k" });
    await pkg.init();
    counts.push(compiled);
    console.log(JSON.stringify(counts));`;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", code], { cwd: new URL("..", import.meta.url), encoding: "utf8" });
  assert.deepEqual(JSON.parse(out), ["BackupClient,init", 0, 1, 1]);
});

test("a .wasm that cannot be read fails the first client and init(), not the import; the next client tries again", () => {
  // A copy of the installed package whose .wasm is moved away, then put back.
  const copy = join(mkdtempSync(join(tmpdir(), "zcb-wasm-missing-")), "pkg");
  cpSync(fileURLToPath(new URL("../node_modules/zilliz-cloud-backup/", import.meta.url)), copy, { recursive: true });
  const wasm = join(copy, "dist", "zilliz_cloud_backup_bg.wasm");
  renameSync(wasm, `${wasm}.away`);
  const code = `
    import { renameSync } from "node:fs";
    const { BackupClient, init } = await import(${JSON.stringify(pathToFileURL(join(copy, "dist", "node.js")).href)});
    const seen = [];
    try { new BackupClient({ token: "k" }); seen.push("made"); } catch (e) { seen.push(e.code); }
    seen.push(await init().then(() => "resolved", (e) => e.code));
    renameSync(${JSON.stringify(`${wasm}.away`)}, ${JSON.stringify(wasm)});
    seen.push(new BackupClient({ token: "k" }).constructor.name, await init().then(() => "resolved"));
    console.log(JSON.stringify(seen));`;
  try {
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", code], { encoding: "utf8" });
    assert.deepEqual(JSON.parse(out), ["ENOENT", "ENOENT", "BackupClient", "resolved"]);
  } finally {
    rmSync(dirname(copy), { recursive: true, force: true });
  }
});

test("the browsers' wasm-file subpath is Node's own entry", async () => {
  const subpath = await import("zilliz-cloud-backup/wasm-file");
  assert.equal(subpath.BackupClient, BackupClient);
  assert.equal(subpath.init, init);
});

test("CommonJS can require() the package where Node allows requiring an ES module", { skip: !process.features.require_module }, () => {
  // Node 20.19+, 22.12+ and 24 load an ES module through require() unless it has a top-level
  // await; the Node entry has none (pkg/node.js says why), so CommonJS apps can use it as is.
  const code = 'const { BackupClient } = require("zilliz-cloud-backup"); console.log(typeof BackupClient, new BackupClient({ token: "k" }).constructor.name);';
  const out = execFileSync(process.execPath, ["-e", code], { cwd: new URL("..", import.meta.url), encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  assert.equal(out.trim(), "function BackupClient");
});

test("the client is called BackupClient, as exported, in logs too", () => {
  // dist/node.js is bundled by esbuild, which renamed this class (the glue's is also BackupClient).
  assert.equal(BackupClient.name, "BackupClient");
  assert.match(inspect(clientFor(emu)), /^BackupClient \{/);
});

test("every method the types declare is there, each one a call into Rust by name", async () => {
  // pkg/common.js defines each method as `this._call(name, …)`, and src/wasm/js_api.rs matches
  // the name: a method missing on either side would only show when someone calls it.
  const types = readFileSync(new URL("../node_modules/zilliz-cloud-backup/index.d.ts", import.meta.url), "utf8");
  const declared = [...types.slice(types.indexOf("export class BackupClient")).matchAll(/^  (\w+)\(/gm)].map((m) => m[1]);
  assert.ok(declared.length >= 17, `found ${declared.length} methods in index.d.ts`);
  const client = clientFor(emu);
  for (const name of declared) assert.equal(typeof client[name], "function", name);
  const unknown = await client._call("deleteEverything").catch((e) => e);
  assert.equal(unknown.kind, "InvalidInput");
  assert.match(unknown.message, /not a BackupClient method/);
});

test("createBackup CLUSTER sends the documented request and returns ids", async () => {
  const cluster = await emu.cluster();
  const client = clientFor(emu, { headers: { "X-Trace": "abc" } });
  const created = await client.createBackup(cluster, { backupType: "CLUSTER" });
  assert.match(created.backupId, /^backup/);
  assert.match(created.jobId, /^job[-_]/);
  assert.equal(typeof created.backupName, "string");
  assert.equal(created.reconciled, false);
  const [req] = await emu.requests(`/v2/clusters/${cluster}/backups/create`);
  assert.equal(req.method, "POST");
  assert.deepEqual(JSON.parse(req.body), { backupType: "CLUSTER" });
  assert.equal(req.authorization, `Bearer ${emu.apiKey}`);
  const log = await emu.control("GET", "/requests");
  assert.ok(log.requests.length > 0);
});

test("createBackup COLLECTION sends the collections exactly", async () => {
  const cluster = await emu.cluster();
  const request = { backupType: "COLLECTION", dbCollections: [{ dbName: "default", collectionNames: ["medium_articles", "books"] }] };
  const created = await clientFor(emu).createBackup(cluster, request);
  assert.match(created.backupName, /medium_articles|books/);
  const [req] = await emu.requests(`/v2/clusters/${cluster}/backups/create`);
  assert.deepEqual(JSON.parse(req.body), request);
});

test("extra headers are sent with every request, given as an object, a Headers or a Map", async () => {
  for (const headers of [{ "X-Trace": "t-42" }, new Headers({ "X-Trace": "t-42" }), new Map([["X-Trace", "t-42"]])]) {
    const cluster = await emu.cluster();
    let seen;
    const client = clientFor(emu, {
      headers,
      fetch: (req) => { seen = req.headers.get("x-trace"); return fetch(req); },
    });
    await client.createBackup(cluster, { backupType: "CLUSTER" });
    assert.equal(seen, "t-42", headers.constructor.name);
  }
});

test("describeJob returns the job with a numeric progress", async () => {
  const cluster = await emu.cluster();
  const client = clientFor(emu);
  const { jobId } = await client.createBackup(cluster, { backupType: "CLUSTER" });
  const job = await client.describeJob(jobId);
  assert.deepEqual(Object.keys(job).sort(), ["endTime", "jobId", "progress", "reason", "startTime", "status", "type"]);
  assert.equal(job.jobId, jobId);
  assert.equal(job.type, "BACKUP");
  assert.equal(typeof job.progress, "number");
  assert.ok(["PENDING", "IN_PROGRESS", "SUCCESSFUL"].includes(job.status));
});

test("waitForJob follows the job to SUCCESSFUL, reporting each new state once", async () => {
  const cluster = await emu.cluster();
  const client = clientFor(emu);
  const { jobId } = await client.createBackup(cluster, { backupType: "CLUSTER" });
  const seen = [];
  const job = await client.waitForJob(jobId, { ...FAST, onProgress: (j, info) => seen.push([j.status, j.progress, info]) });
  assert.equal(job.status, "SUCCESSFUL");
  assert.equal(job.progress, 100);
  assert.ok(seen.length >= 2, JSON.stringify(seen));
  assert.deepEqual(seen.at(-1).slice(0, 2), ["SUCCESSFUL", 100]);
  for (let i = 1; i < seen.length; i++) {
    assert.ok(seen[i][1] >= seen[i - 1][1], "progress never goes back");
    assert.notDeepEqual(seen[i].slice(0, 2), seen[i - 1].slice(0, 2), "a state is reported once");
  }
  assert.equal(typeof seen[0][2].elapsedMs, "number");
});

test("a throwing onProgress does not end the wait", async () => {
  const cluster = await emu.cluster();
  const client = clientFor(emu);
  const out = await client.createBackupAndWait(cluster, { backupType: "CLUSTER" }, { ...FAST, onProgress: () => { throw new Error("ui bug"); } });
  assert.equal(out.job.status, "SUCCESSFUL");
});

test("createBackupAndWait returns ids and the finished job", async () => {
  const cluster = await emu.cluster();
  const out = await clientFor(emu).createBackupAndWait(cluster, { backupType: "COLLECTION", dbCollections: [{ collectionNames: ["movies"] }] }, FAST);
  assert.match(out.backupId, /^backup/);
  assert.equal(out.job.jobId, out.jobId);
  assert.equal(out.job.status, "SUCCESSFUL");
});

test("a FAILED job rejects with JobFailed, the job and its reason", async () => {
  const cluster = await emu.cluster();
  await emu.control("POST", `/clusters/${cluster}/fail-next-backup`, { reason: "storage quota exceeded", atProgress: 40 });
  const e = await rejects(clientFor(emu).createBackupAndWait(cluster, { backupType: "CLUSTER" }, FAST), "JobFailed");
  assert.match(e.message, /storage quota exceeded/);
  assert.equal(e.job.status, "FAILED");
  assert.equal(e.jobId, e.job.jobId);
  assert.match(e.backupId, /^backup/);
  assert.equal(e.retryable, false);
});

test("the deadline rejects with Timeout and the job id", async () => {
  const cluster = await emu.cluster();
  await emu.config({ jobDurationMs: 60_000 });
  const client = clientFor(emu);
  const { jobId } = await client.createBackup(cluster, { backupType: "CLUSTER" });
  await emu.config({ jobDurationMs: 600 });
  const started = Date.now();
  const e = await rejects(client.waitForJob(jobId, { timeoutMs: 400, minIntervalMs: 50 }), "Timeout");
  const took = Date.now() - started;
  assert.ok(took >= 350, `rejected after ${took} ms, before the deadline`);
  assert.equal(e.jobId, jobId);
  assert.equal(e.retryable, true);
  assert.ok(e.job, "the last state seen");
  await emu.control("POST", `/jobs/${jobId}/fail`, { reason: "cleanup" });
});

test("abort stops a wait at once and keeps the job id", async () => {
  const cluster = await emu.cluster();
  await emu.config({ jobDurationMs: 60_000 });
  const client = clientFor(emu);
  const { jobId } = await client.createBackup(cluster, { backupType: "CLUSTER" });
  await emu.config({ jobDurationMs: 600 });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 150);
  const started = Date.now();
  const e = await rejects(client.waitForJob(jobId, { minIntervalMs: 10_000, signal: controller.signal }), "Aborted");
  assert.ok(Date.now() - started < 2_000, "did not sit out the 10 s pause");
  assert.equal(e.jobId, jobId);
  await emu.control("POST", `/jobs/${jobId}/fail`, { reason: "cleanup" });
});

test("an already-aborted signal sends nothing", async () => {
  const before = (await emu.requests()).length;
  const client = clientFor(emu);
  const signal = AbortSignal.abort("stop");
  await rejects(client.waitForJob("job-abc", { signal }), "Aborted");
  await rejects(client.describeJob("job-abc", { signal }), "Aborted");
  await rejects(client.createBackup("in01-x", { backupType: "CLUSTER" }, { signal }), "Aborted");
  assert.equal((await emu.requests()).length, before);
});

test("the one-manual-backup rule is an Api error that names the running backup", async () => {
  const cluster = await emu.cluster();
  await emu.config({ jobDurationMs: 60_000 });
  const client = clientFor(emu);
  const first = await client.createBackup(cluster, { backupType: "CLUSTER" });
  await emu.config({ jobDurationMs: 600 });
  const e = await rejects(client.createBackup(cluster, { backupType: "CLUSTER" }), "Api");
  assert.equal(e.code, 80030, "the emulator's code for the rule, kept verbatim");
  assert.equal(e.httpStatus, 200, "a business error under HTTP 200");
  // The server's own text, verbatim (the emulator's message for the one-job rule).
  assert.ok(e.message.includes("A manual backup job is already pending or in progress for this cluster."), e.message);
  assert.equal(e.runningBackupId, first.backupId);
  assert.ok(e.requestId, "the RequestId header");
  await emu.control("POST", `/jobs/${first.jobId}/fail`, { reason: "cleanup" });
});

test("Serverless clusters are refused by the server with its message", async () => {
  const e = await rejects(clientFor(emu).createBackup("in03-0000000000000009", { backupType: "CLUSTER" }), "Api");
  assert.ok(e.message.length > 20);
  assert.equal(typeof e.code, "number");
});

test("a wrong key is Unauthorized (21119), sent once, never echoed", async () => {
  const client = new BackupClient({ token: "sk-LEAKCHECK-0123456789", baseUrl: emu.url });
  const before = (await emu.requests("/v2/jobs/")).length;
  const e = await rejects(client.describeJob("job-x"), "Unauthorized");
  assert.equal(e.code, 21119);
  assert.equal(e.httpStatus, 401);
  assert.equal(e.retryable, false);
  assert.match(e.message, /apikey is illegal/);
  assert.equal((await emu.requests("/v2/jobs/")).length, before + 1, "not retried");
  assert.ok(!JSON.stringify(e).includes("LEAKCHECK") && !e.message.includes("LEAKCHECK") && !e.stack.includes("LEAKCHECK"));
});

test("a method returns its promise before any of its work runs, as an async function's await would", async () => {
  // src/wasm/executor.rs polls a call first on a microtask: a fetch or an onProgress callback
  // never runs inside the call that started it (a caller's code after the call comes first).
  let returned = false;
  const seen = [];
  const fetch = async (request) => { seen.push(returned); return globalThis.fetch(request); };
  const promise = clientFor(emu, { fetch }).describeJob("job-nothing");
  returned = true;
  assert.equal((await promise.catch((e) => e)).kind, "Api");
  assert.deepEqual(seen, [true]);
});

test("a custom fetch is used for every request", async () => {
  const cluster = await emu.cluster();
  const paths = [];
  const client = clientFor(emu, { fetch: async (req) => { paths.push(new URL(req.url).pathname); return fetch(req); } });
  const out = await client.createBackupAndWait(cluster, { backupType: "CLUSTER" }, FAST);
  // Every request this client made went through it: the list before the create (for
  // reconciling), the create and each poll of its job.
  const ours = (r) => r.path.includes(cluster) || r.path === `/v2/jobs/${out.jobId}` || (r.path === "/v2/backups" && r.query.includes(cluster));
  const sent = (await emu.requests()).filter(ours).map((r) => r.path);
  assert.ok(paths.length >= 2, paths.join(" "));
  assert.deepEqual(paths, sent);
});
