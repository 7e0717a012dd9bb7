// The packed package inside workerd (Miniflare): import, create, wait, errors, custom fetch.
// workerd forbids compiling wasm from bytes, so these passing also proves the workerd entry
// imports the .wasm as a compiled module.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startEmulator } from "../harness/emulator.mjs";
import { startWorker } from "../harness/workerd.mjs";

let emu, mf, bundleFiles, bundleInputs;

before(async () => {
  emu = await startEmulator({ jobDurationMs: 600 });
  ({ mf, files: bundleFiles, inputs: bundleInputs } = await startWorker(new URL("./worker.js", import.meta.url).pathname,
    { ZILLIZ_API_KEY: emu.apiKey, ZILLIZ_BASE_URL: emu.url }));
});

after(async () => {
  await mf?.dispose();
  emu?.stop();
});

async function scenario(path, cluster = "", query = "") {
  const r = await mf.dispatchFetch(`http://worker${path}?cluster=${cluster}${query}`);
  assert.equal(r.status, 200);
  return r.json();
}

test("the bundle keeps the .wasm as a separate module (no inlined bytes)", () => {
  assert.ok(bundleFiles.some((f) => f.endsWith(".wasm")), bundleFiles.join(", "));
});

test("workerd refuses wasm compiled from bytes, so the package's working proves its entry imports a compiled module", async () => {
  const { compiled, message } = await scenario("/compile-bytes");
  assert.equal(compiled, false, "workerd compiled wasm from bytes: the entry check below would prove nothing");
  assert.match(message, /Wasm code generation disallowed|CompileError|not allowed/i);
  // The "workerd" condition picked the workerd entry, and the bytes fallback (dist/*_bg.wasm.js,
  // the wasm as a JS array for other bundlers) did not come along.
  const pkgFiles = bundleInputs.filter((f) => f.includes("zilliz-cloud-backup/"));
  assert.ok(pkgFiles.some((f) => f.endsWith("zilliz-cloud-backup/workerd.js")), pkgFiles.join(", "));
  assert.ok(!pkgFiles.some((f) => f.endsWith("_bg.wasm.js")), pkgFiles.join(", "));
  // Nor the browsers' wasm-file entry, though the worker also imports that subpath.
  assert.ok(!pkgFiles.some((f) => f.endsWith("wasm-file.js")), pkgFiles.join(", "));
});

test("workerd: the wasm-file subpath is the workerd entry", async () => {
  assert.deepEqual(await scenario("/entries"), { same: true });
});

test("workerd: create a cluster backup and follow it to SUCCESSFUL", async () => {
  const { out, seen, error } = await scenario("/create-and-wait", await emu.cluster());
  assert.equal(error, undefined, JSON.stringify(error));
  assert.equal(out.job.status, "SUCCESSFUL");
  assert.match(out.backupId, /^backup/);
  assert.equal(seen.at(-1), 100);
});

test("workerd: a collection backup with createBackup + waitForJob", async () => {
  const { created, job, error } = await scenario("/collection", await emu.cluster());
  assert.equal(error, undefined, JSON.stringify(error));
  assert.equal(job.jobId, created.jobId);
  assert.equal(job.status, "SUCCESSFUL");
});

test("workerd: bad input is InvalidInput and sends nothing", async () => {
  const before = (await emu.requests()).length;
  const { error } = await scenario("/invalid");
  assert.equal(error.name, "ZillizError");
  assert.equal(error.kind, "InvalidInput");
  assert.match(error.message, /^clusterId/);
  assert.equal((await emu.requests()).length, before);
});

test("workerd: a failed job is JobFailed with the job", async () => {
  const cluster = await emu.cluster();
  await emu.control("POST", `/clusters/${cluster}/fail-next-backup`, { reason: "disk full", atProgress: 20 });
  const { error } = await scenario("/failed", cluster);
  assert.equal(error.kind, "JobFailed");
  assert.match(error.message, /disk full/);
  assert.equal(error.job.status, "FAILED");
  assert.ok(error.jobId);
});

test("workerd: abort interrupts a wait at once", async () => {
  await emu.config({ jobDurationMs: 60_000 });
  const { error, tookMs } = await scenario("/abort", await emu.cluster());
  await emu.config({ jobDurationMs: 600 });
  assert.equal(error.name, "AbortError");
  assert.equal(error.kind, "Aborted");
  assert.ok(error.jobId);
  assert.ok(tookMs < 2_000, `${tookMs} ms`);
});

test("workerd: the lifecycle with a resumable wait across invocations", async () => {
  const { created, job, invocations, listed, deleted, policy, error } = await scenario("/lifecycle", await emu.cluster());
  assert.equal(error, undefined, JSON.stringify(error));
  assert.equal(job.status, "SUCCESSFUL");
  assert.ok(invocations > 1, `${invocations} invocations`);
  assert.deepEqual(listed, [created.backupId]);
  assert.equal(deleted.backupId, created.backupId);
  assert.equal(policy.status, "ENABLED");
});

test("workerd: a custom fetch (as for a service binding) is used; init() is harmless when called again and again", async () => {
  const { out, fetchCalls, error } = await scenario("/custom-fetch", await emu.cluster());
  assert.equal(error, undefined, JSON.stringify(error));
  assert.equal(out.job.status, "SUCCESSFUL");
  assert.ok(fetchCalls >= 2, `${fetchCalls} calls`);
});

test("workerd: a request's timeout fires though the request that was in flight before it has ended", async () => {
  // workerd drops a request's timers when that request ends. Request A (timeout 1 s, answered
  // after 300 ms) is in flight when request B (timeout 1.5 s) starts, so both are in flight
  // together; B's upstream stalls for 8 s and must fail at its own timeout, not when the stall
  // ends. (A timer shared by both and armed in A's request was gone by the time B needed it.)
  await emu.control("DELETE", "/faults");
  await emu.fault({ pathPrefix: "/v2/jobs/job-timer-a", times: 1, fault: { type: "delay", ms: 300 } });
  await emu.fault({ pathPrefix: "/v2/jobs/job-timer-b", times: 1, fault: { type: "delay", ms: 8_000 } });
  const a = scenario("/describe", "", "&job=job-timer-a&timeoutMs=1000");
  await new Promise((r) => setTimeout(r, 100));
  const b = await scenario("/describe", "", "&job=job-timer-b&timeoutMs=1500");
  assert.notEqual((await a).error?.kind, "Network", JSON.stringify(await a));
  assert.equal(b.error?.kind, "Network", JSON.stringify(b));
  assert.match(b.error.message, /within 1500 ms/);
  assert.ok(b.tookMs < 5_000, `B failed after ${b.tookMs} ms: its timeout did not fire`);
  await emu.control("DELETE", "/faults");
});
