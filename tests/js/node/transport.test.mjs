// How the Node entry sends (pkg/node-http.js, src/wasm/transport.js): through node:http(s) and
// its global agent while the global fetch is Node's own; through the global fetch once anyone
// replaced it, before or after the import (a test's stub is obeyed); through the caller's fetch
// when one is given (core.test.mjs). The
// rest of the Node suites (timeouts, truncated bodies, dropped connections) run through
// node:http too; workerd, Deno, Bun and the browser keep fetch.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import https from "node:https";
import { execFileSync, spawn } from "node:child_process";
import { gzipSync, brotliCompressSync } from "node:zlib";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator } from "../harness/emulator.mjs";
import { clientFor, FAST } from "../harness/client.mjs";
import { BackupClient } from "zilliz-cloud-backup";

let emu;
before(async () => { emu = await startEmulator({ jobDurationMs: 600 }); });
after(() => emu?.stop());

// Requests handed to node:http's global agent (every ClientRequest on it calls addRequest).
let viaAgent = 0;
const addRequest = http.globalAgent.addRequest;
http.globalAgent.addRequest = function counted(...args) {
  viaAgent++;
  return addRequest.apply(this, args);
};

/** Runs `code` as an ES module in a fresh Node beside this file (so it imports the package as a
 * user would); resolves to its exit code and what it printed. */
async function inChild(code, env = process.env) {
  const child = spawn(process.execPath, ["--input-type=module", "-e", code], { cwd: new URL(".", import.meta.url), env, stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (chunk) => { out += chunk; });
  const exitCode = await new Promise((resolve) => child.on("exit", resolve));
  return { exitCode, out };
}

test("by default a request goes through node:http, with the key and a JSON body", async () => {
  const cluster = await emu.cluster();
  const before = viaAgent;
  const created = await clientFor(emu).createBackup(cluster, { backupType: "COLLECTION", dbCollections: [{ dbName: "default", collectionNames: ["medium_articles", "books"] }] });
  assert.match(created.jobId, /^job[-_]/);
  // The create, and the list it takes first to reconcile an ambiguous failure.
  assert.equal(viaAgent - before, 2, "both requests through node:http");
  const [req] = await emu.requests(`/v2/clusters/${cluster}/backups/create`);
  assert.equal(req.authorization, `Bearer ${emu.apiKey}`);
  assert.deepEqual(JSON.parse(req.body), { backupType: "COLLECTION", dbCollections: [{ dbName: "default", collectionNames: ["medium_articles", "books"] }] });
});

test("a global fetch replaced after import is used instead, and node:http is not", async () => {
  const original = globalThis.fetch;
  const urls = [];
  globalThis.fetch = (url, init) => { urls.push(String(url)); return original(url, init); };
  try {
    const before = viaAgent;
    const job = await clientFor(emu).describeJob("job-nothing").catch((e) => e);
    assert.equal(job.kind, "Api", "the emulator answered through the replacement");
    assert.deepEqual(urls, [`${emu.url}/v2/jobs/job-nothing`]);
    assert.equal(viaAgent, before);
  } finally {
    globalThis.fetch = original;
  }
  const before = viaAgent;
  await clientFor(emu).describeJob("job-nothing").catch((e) => e);
  assert.equal(viaAgent - before, 1, "node:http again once fetch is restored");
});

test("over HTTPS (a TLS proxy with a throwaway certificate in front of the emulator), a backup is created and followed to the end", async () => {
  const dir = mkdtempSync(join(tmpdir(), "zcb-tls-"));
  const key = join(dir, "key.pem"), cert = join(dir, "cert.pem");
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"], { stdio: "ignore" });
  const target = new URL(emu.url);
  let proxied = 0;
  const proxy = https.createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
    proxied++;
    const upstream = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode, up.headers);
      up.pipe(res);
    });
    req.pipe(upstream);
  });
  await new Promise((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  try {
    const cluster = await emu.cluster();
    // A child process: Node reads NODE_EXTRA_CA_CERTS only at start.
    const { exitCode, out } = await inChild(`
      import { BackupClient } from "zilliz-cloud-backup";
      const client = new BackupClient({ token: ${JSON.stringify(emu.apiKey)}, baseUrl: "https://127.0.0.1:${proxy.address().port}" });
      const { job } = await client.createBackupAndWait(${JSON.stringify(cluster)}, { backupType: "CLUSTER" }, { minIntervalMs: 50, maxIntervalMs: 200 });
      console.log(JSON.stringify(job));`, { ...process.env, NODE_EXTRA_CA_CERTS: cert });
    assert.equal(exitCode, 0, out);
    assert.equal(JSON.parse(out).status, "SUCCESSFUL");
    assert.ok(proxied >= 3, `create, list and polls all went over TLS (${proxied})`);
  } finally {
    proxy.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A stand-in server on loopback: `handle(req, res)` answers. */
async function serve(handle) {
  const server = http.createServer(handle);
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => { server.closeAllConnections(); server.close(); } };
}

const JOB = { jobId: "job-1", type: "BACKUP", status: "IN_PROGRESS", progress: "40", startTime: "2024-08-19T11:29:00Z", endTime: null };

test("a compressed answer (gzip, br) is decoded, as fetch would; an unknown encoding is a network error", async () => {
  let encoding;
  const server = await serve((req, res) => {
    const body = Buffer.from(JSON.stringify({ code: 0, data: JOB }));
    res.writeHead(200, { "content-type": "application/json", "content-encoding": encoding });
    res.end(encoding === "gzip" ? gzipSync(body) : encoding === "br" ? brotliCompressSync(body) : body);
  });
  try {
    const client = new BackupClient({ token: "k", baseUrl: server.url, maxRetries: 0 });
    for (encoding of ["gzip", "br"]) assert.equal((await client.describeJob("job-1")).progress, 40, encoding);
    encoding = "zstd-of-the-future";
    const error = await client.describeJob("job-1").catch((e) => e);
    assert.equal(error.kind, "Network");
    assert.match(error.message, /unsupported Content-Encoding: zstd-of-the-future/);
  } finally {
    server.close();
  }
});

/** A describeJob aborted by the caller after 50 ms, then one that outlives `timeoutMs: 200`: told apart. */
async function abortedThenTimedOut(client) {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 50);
  const aborted = await client.describeJob("job-1", { signal: controller.signal }).catch((e) => e);
  assert.equal(aborted.kind, "Aborted");
  const timedOut = await client.describeJob("job-1").catch((e) => e);
  assert.equal(timedOut.kind, "Network");
  assert.match(timedOut.message, /no response from Zilliz Cloud within 200 ms/);
}

test("the caller's abort and the timeout each end a request in flight on node:http, told apart", async () => {
  let open = 0;
  const server = await serve((req) => { open++; req.on("close", () => open--); }); // never answers
  try {
    const client = new BackupClient({ token: "k", baseUrl: server.url, maxRetries: 0, timeoutMs: 200 });
    await abortedThenTimedOut(client);
    // Both requests were really cancelled: their connections are closed, not left hanging.
    for (let i = 0; i < 50 && open > 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(open, 0);
  } finally {
    server.close();
  }
});

test("a custom fetch that ignores the signal cannot hold a call past its timeout or the caller's abort", { timeout: 10_000 }, async () => {
  // A wrapper that does not pass the signal on (easy to write: fetch(request.url, { headers })),
  // to a request that never answers: the call still ends, as the timeout and the abort say.
  let calls = 0;
  const fetch = () => { calls++; return new Promise(() => {}); };
  const client = new BackupClient({ token: "k", baseUrl: "http://127.0.0.1:9", maxRetries: 0, timeoutMs: 200, fetch });
  await abortedThenTimedOut(client);
  // A wait too: its deadline (which cuts its poll's timeout) ends it though the poll hangs.
  const patient = new BackupClient({ token: "k", baseUrl: "http://127.0.0.1:9", maxRetries: 0, fetch });
  const waited = await patient.waitForJob("job-1", { timeoutMs: 300 }).catch((e) => e);
  assert.equal(waited.kind, "Timeout");
  assert.equal(calls, 3);
});

test("on a Node without process.getBuiltinModule (before 20.16), node:http is imported instead", async () => {
  const { exitCode, out } = await inChild(`
    delete process.getBuiltinModule;
    const { BackupClient } = await import("zilliz-cloud-backup");
    const client = new BackupClient({ token: ${JSON.stringify(emu.apiKey)}, baseUrl: ${JSON.stringify(emu.url)} });
    const error = await client.describeJob("job-nothing").catch((e) => e);
    console.log(error.kind);`);
  assert.equal(exitCode, 0, out);
  assert.equal(out.trim(), "Api", "the emulator answered");
  const [req] = await emu.requests("/v2/jobs/job-nothing");
  assert.equal(req.authorization, `Bearer ${emu.apiKey}`);
});

test("a global fetch installed before the import (a setup file's stub) is used, not node:http", async () => {
  const { exitCode, out } = await inChild(`
    import http from "node:http";
    let viaAgent = 0;
    const addRequest = http.globalAgent.addRequest;
    http.globalAgent.addRequest = function (...args) { viaAgent++; return addRequest.apply(this, args); };
    const nodeFetch = globalThis.fetch;
    const urls = [];
    globalThis.fetch = (url, init) => { urls.push(String(url)); return nodeFetch(url, init); };
    const { BackupClient } = await import("zilliz-cloud-backup");
    const client = new BackupClient({ token: ${JSON.stringify(emu.apiKey)}, baseUrl: ${JSON.stringify(emu.url)} });
    const error = await client.describeJob("job-before").catch((e) => e);
    console.log(JSON.stringify({ kind: error.kind, urls, viaAgent }));`);
  assert.equal(exitCode, 0, out);
  assert.deepEqual(JSON.parse(out), { kind: "Api", urls: [`${emu.url}/v2/jobs/job-before`], viaAgent: 0 });
});

// The async bridge (src/wasm/executor.rs): each request's outcome comes back by a number, which
// is reused once that request is settled.
const jobAnswer = (jobId) =>
  new Response(JSON.stringify({ code: 0, data: { jobId, type: "BACKUP", status: "IN_PROGRESS", progress: "45", startTime: "2024-07-30T16:49:50Z", endTime: null, reason: "" } }), { headers: { "content-type": "application/json" } });
const later = (ms, value) => new Promise((resolve) => setTimeout(resolve, ms, value));

test("a late answer after a timeout is dropped: the next request, under the same number, gets its own", async () => {
  const fetch = (request) => {
    const jobId = request.url.split("/").pop();
    // job-slow answers at 300 ms, long after its 100 ms timeout, while job-next is in flight.
    return later(jobId === "job-slow" ? 300 : 400, jobAnswer(jobId));
  };
  const client = new BackupClient({ token: "k", baseUrl: "http://127.0.0.1:9", maxRetries: 0, timeoutMs: 100, fetch });
  const slow = await client.describeJob("job-slow").catch((e) => e);
  assert.equal(slow.kind, "Network");
  const patient = new BackupClient({ token: "k", baseUrl: "http://127.0.0.1:9", maxRetries: 0, timeoutMs: 1000, fetch });
  assert.equal((await patient.describeJob("job-next")).jobId, "job-next");
});

test("many calls in flight at once, answered in any order, each get their own answer", async () => {
  const fetch = (request) => {
    const jobId = request.url.split("/").pop();
    return later(Math.floor(Math.random() * 30), jobAnswer(jobId));
  };
  const client = new BackupClient({ token: "k", baseUrl: "http://127.0.0.1:9", requestsPerSecond: 1000, fetch });
  for (let round = 0; round < 3; round++) {
    const ids = Array.from({ length: 200 }, (_, i) => `job-${round}-${i}`);
    const jobs = await Promise.all(ids.map((id) => client.describeJob(id)));
    assert.deepEqual(jobs.map((j) => j.jobId), ids);
  }
});

test("a call started from inside another (an onProgress that calls the client) runs and settles", async () => {
  const cluster = await emu.cluster();
  const client = clientFor(emu);
  const { jobId } = await client.createBackup(cluster, { backupType: "CLUSTER" });
  const nested = [];
  const job = await client.waitForJob(jobId, { ...FAST, onProgress: (j) => nested.push(client.describeJob(j.jobId)) });
  assert.equal(job.status, "SUCCESSFUL");
  assert.ok(nested.length > 0);
  for (const described of await Promise.all(nested)) assert.equal(described.jobId, jobId);
});

test("a signal-like object that throws when listened to fails the call as a network error; one that throws when let go does not matter", async () => {
  // Both pass the client's shape check (a boolean `aborted`, an `addEventListener` function).
  const fetch = (request) => later(5, jobAnswer(request.url.split("/").pop()));
  const client = new BackupClient({ token: "k", baseUrl: "http://127.0.0.1:9", maxRetries: 0, fetch });
  const deaf = { aborted: false, addEventListener() { throw new Error("cannot listen"); }, removeEventListener() {} };
  const failed = await client.describeJob("job-1", { signal: deaf }).catch((e) => e);
  assert.equal(failed.kind, "Network");
  assert.match(failed.message, /cannot listen/);
  const clingy = { aborted: false, addEventListener() {}, removeEventListener() { throw new Error("cannot let go"); } };
  assert.equal((await client.describeJob("job-2", { signal: clingy })).jobId, "job-2");
  // The client is still fine afterwards.
  assert.equal((await client.describeJob("job-3")).jobId, "job-3");
});
