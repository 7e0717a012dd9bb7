// Deno: a fresh process's first request leaves without a setTimeout (Deno loads its Node-compatible
// timers on the first one, 11–18 ms before the request could leave: bench/HISTORY.md, twenty-fourth
// round). Its timeout is a timeout signal instead, which must still fire, and which must not keep
// the process alive once the request is over. Each case is a fresh process (first-request.mjs).
import assert from "node:assert/strict";
import { startEmulator } from "../harness/emulator.mjs";

const emu = await startEmulator({ jobDurationMs: 600 });
globalThis.addEventListener("unload", () => emu.stop());
const here = new URL(".", import.meta.url);

/** The child's JSON line; the child killed (and the test failed) if it is still running after `killAfterMs`. */
async function firstRequest(jobId, timeoutMs, killAfterMs) {
  const args = ["run", "--no-prompt", "--allow-net=127.0.0.1", "first-request.mjs", emu.url, emu.apiKey, jobId, String(timeoutMs)];
  const command = new Deno.Command(Deno.execPath(), { args, cwd: here, stdout: "piped", stderr: "piped", env: { NO_COLOR: "1" }, signal: AbortSignal.timeout(killAfterMs) });
  const { code, signal, stdout, stderr } = await command.output();
  const out = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
  assert.equal(signal, null, `still running after ${killAfterMs} ms: ${out}`);
  assert.equal(code, 0, out);
  return JSON.parse(new TextDecoder().decode(stdout).trim().split("\n").at(-1));
}

/** A job of a fresh cluster's backup, created without the package (the child's is the first request). */
async function newJob() {
  const cluster = await emu.cluster();
  const response = await fetch(`${emu.url}/v2/clusters/${cluster}/backups/create`, {
    method: "POST", headers: { Authorization: `Bearer ${emu.apiKey}`, "Content-Type": "application/json" }, body: '{"backupType":"CLUSTER"}',
  });
  const { code, data } = await response.json();
  assert.equal(code, 0);
  return data.jobId;
}

Deno.test("deno: the first request sets no timer, and its timeout (a timeout signal) fires: the read is retried", async () => {
  const jobId = await newJob();
  await emu.fault({ pathPrefix: `/v2/jobs/${jobId}`, times: 1, fault: { type: "delay", ms: 5000 } });
  const seen = await firstRequest(jobId, 300, 60_000);
  assert.equal(seen.timersBeforeFetch, 0);
  assert.ok(["PENDING", "IN_PROGRESS", "SUCCESSFUL"].includes(seen.status), JSON.stringify(seen));
  // The stalled one, cut by its timeout, then the retry.
  assert.equal((await emu.requests(`/v2/jobs/${jobId}`)).length, 2);
});

Deno.test("deno: the process exits once its work is done, though the first request's timeout was 10 minutes", async () => {
  const jobId = await newJob();
  const seen = await firstRequest(jobId, 600_000, 60_000);
  assert.equal(seen.timersBeforeFetch, 0);
  assert.ok(["PENDING", "IN_PROGRESS", "SUCCESSFUL"].includes(seen.status), JSON.stringify(seen));
});
