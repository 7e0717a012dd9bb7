// The baseline client against the real emulator: it must be a working client (or the
// comparisons measure nothing), and exactly as plain as claimed: Bearer header, throws on a
// non-zero code, never retries.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { startEmulator } from "../../tests/js/harness/emulator.mjs";
import { BaselineClient } from "../baseline/client.mjs";

let emulator;
let client;
before(async () => {
  emulator = await startEmulator({ jobDurationMs: 60_000 });
  client = new BaselineClient({ token: emulator.apiKey, baseUrl: emulator.url });
});
after(() => emulator.stop());

test("creates a backup, describes its job and lists it, with a Bearer header", async () => {
  const clusterId = await emulator.cluster();
  const created = await client.createBackup(clusterId, { backupType: "CLUSTER" });
  assert.match(created.backupId, /^backup/);
  const job = await client.describeJob(created.jobId);
  assert.equal(job.jobId, created.jobId);
  assert.equal(typeof job.progress, "number");
  const page = await client.listBackups({ clusterId, pageSize: 5 });
  assert.deepEqual(page.backups.map((b) => b.backupId), [created.backupId]);
  const sent = await emulator.requests();
  assert.ok(sent.length >= 3);
  for (const r of sent) assert.equal(r.authorization, `Bearer ${emulator.apiKey}`);
  assert.equal(sent.at(-1).query, `clusterId=${clusterId}&pageSize=5`);
});

test("a business error (HTTP 200, code != 0) throws with the code", async () => {
  await assert.rejects(client.describeJob("job-doesnotexist0000000000"), (e) => e.code === 80040 && e.httpStatus === 200);
});

test("a wrong key throws with HTTP 401", async () => {
  const wrong = new BaselineClient({ token: "wrong-key", baseUrl: emulator.url });
  await assert.rejects(wrong.listBackups(), (e) => e.httpStatus === 401 && e.code === 21119);
});

test("a 503 is not retried: one request, one error", async () => {
  await emulator.control("DELETE", "/requests");
  await emulator.fault({ pathPrefix: "/v2/backups", times: 2, fault: { type: "status", status: 503 } });
  await assert.rejects(client.listBackups(), (e) => e.httpStatus === 503);
  assert.equal((await emulator.requests("/v2/backups")).length, 1);
  await emulator.control("DELETE", "/faults");
});
