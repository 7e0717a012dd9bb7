// Starts the fleet benchmark's backups (see fleet.mjs): one Dedicated cluster and one backup per
// job, with the client's limiter off. Prints [{ jobId, at, durationMs }] (at = when the create
// answered). Durations: all `maxMs`, or with `spread` spread evenly over [maxMs / 2, maxMs] (a
// fleet whose jobs end at different times, as real ones do).
import { BackupClient } from "../pkg/node.js";

const [url, apiKey, count, maxMs, spread] = process.argv.slice(2);
const jobs = Number(count);
const control = (path, body) => fetch(`${url}/__emulator${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })
  .then((r) => { if (!r.ok) throw new Error(`control ${path}: HTTP ${r.status}`); });
const id = (i) => `in01-fleet${String(i).padStart(6, "0")}`;
for (let i = 0; i < jobs; i += 200) {
  await Promise.all(Array.from({ length: Math.min(200, jobs - i) }, (_, k) => control("/clusters", { clusterId: id(i + k) })));
}
const client = new BackupClient({ token: apiKey, baseUrl: url, requestsPerSecond: 0 });
const out = [];
for (let i = 0; i < jobs; i += 100) {
  const durationMs = spread === "spread" ? Math.round(Number(maxMs) * (0.5 + 0.5 * (i / jobs))) : Number(maxMs);
  await control("/config", { jobDurationMs: durationMs });
  out.push(...await Promise.all(Array.from({ length: Math.min(100, jobs - i) }, async (_, k) => {
    const { jobId } = await client.createBackup(id(i + k), { backupType: "CLUSTER" }, { reconcile: false });
    return { jobId, at: Date.now(), durationMs };
  })));
}
process.stdout.write(JSON.stringify(out));
