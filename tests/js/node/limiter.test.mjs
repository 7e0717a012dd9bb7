// The request limiter (one budget per endpoint, shared by every wait on a client) against the
// emulator enforcing the same per-endpoint limit: many concurrent waits, zero 429s.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startEmulator } from "../harness/emulator.mjs";
import { clientFor } from "../harness/client.mjs";

const LIMIT = 8; // per second, on both sides
const JOBS = 24;

let emu;
before(async () => { emu = await startEmulator({ jobDurationMs: 1500 }); });
after(() => emu?.stop());

/** Starts JOBS backups (one per fresh cluster), then waits for all at once; returns the stats. */
async function waitForMany(requestsPerSecond) {
  await emu.config({ rateLimitPerSecond: 0 });
  const starter = clientFor(emu, { requestsPerSecond: 0 });
  const clusters = await Promise.all(Array.from({ length: JOBS }, () => emu.cluster()));
  const jobIds = [];
  for (const clusterId of clusters) jobIds.push((await starter.createBackup(clusterId, { backupType: "CLUSTER" })).jobId);
  await emu.control("DELETE", "/stats");
  await emu.config({ rateLimitPerSecond: LIMIT });
  const client = clientFor(emu, { requestsPerSecond, maxRetries: 10 });
  const settled = await Promise.allSettled(jobIds.map((id) => client.waitForJob(id, { minIntervalMs: 50, maxIntervalMs: 400, timeoutMs: 60_000 })));
  const jobs = settled.filter((s) => s.status === "fulfilled").map((s) => s.value);
  const stats = await emu.control("GET", "/stats");
  await emu.config({ rateLimitPerSecond: 0 });
  return { jobs, jobStats: stats.byEndpoint["GET /v2/jobs/{id}"] };
}

test("waits sharing a limiter at the server's limit get no 429 and all finish", async () => {
  const { jobs, jobStats } = await waitForMany(LIMIT);
  assert.equal(jobs.length, JOBS);
  assert.ok(jobs.every((j) => j.status === "SUCCESSFUL"));
  assert.equal(jobStats.rateLimited, 0, `${jobStats.rateLimited} of ${jobStats.requests} polls were refused with 429`);
});

test("without the limiter the same waits do collect 429s (the test above can fail)", async () => {
  const { jobs, jobStats } = await waitForMany(0);
  assert.ok(jobStats.rateLimited > 0, "expected 429s with the limiter off");
});

test("requestsPerSecond is validated before anything is sent", () => {
  for (const bad of [-1, 1.5, 10_001, "20", NaN]) {
    assert.throws(() => clientFor(emu, { requestsPerSecond: bad }), (e) => e.kind === "InvalidInput" && /requestsPerSecond/.test(e.message));
  }
});
