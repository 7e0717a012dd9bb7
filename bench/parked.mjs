// Memory of waits parked between polls, without traffic: N waitForJob calls on one client whose
// `fetch` answers at once (no network) with a job IN_PROGRESS at 10 %, and a minimum interval of
// 10 minutes, so after its first poll every wait sleeps. No abort signal (each would hold a
// listener on it). Reports the process's memory before and
// after (after a full GC), and per wait. Run: node --expose-gc bench/parked.mjs [waits=10000]
import { BackupClient } from "../pkg/node.js";
import { writeResult } from "./lib/results.mjs";

const N = Number(process.argv[2] ?? 10_000);
const mib = (b) => Math.round((b / 1048576) * 10) / 10;
const snapshot = () => {
  globalThis.gc?.();
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external };
};
const job = (jobId) => JSON.stringify({ code: 0, data: { jobId, type: "BACKUP", status: "IN_PROGRESS", progress: "10" } });
let polls = 0;
const client = new BackupClient({
  token: "bench-api-key",
  baseUrl: "http://127.0.0.1:9",
  requestsPerSecond: 0,
  fetch: async (request) => {
    polls++;
    return new Response(job(request.url.slice(request.url.lastIndexOf("/") + 1)), { headers: { "content-type": "application/json" } });
  },
});
const before = snapshot();
const waits = [];
for (let i = 0; i < N; i++) {
  waits.push(client.waitForJob(`job-${i}`, { minIntervalMs: 600_000, maxIntervalMs: 600_000 }).catch(() => {}));
  if (i % 500 === 499) await new Promise((r) => setImmediate(r)); // V8 needs room to breathe
}
while (polls < N) await new Promise((r) => setTimeout(r, 50));
await new Promise((r) => setTimeout(r, 200));
const after = snapshot();
const result = {
  waits: N,
  before: { rssMiB: mib(before.rss), heapMiB: mib(before.heapUsed), externalMiB: mib(before.external) },
  after: { rssMiB: mib(after.rss), heapMiB: mib(after.heapUsed), externalMiB: mib(after.external) },
  perWaitBytes: {
    rss: Math.round((after.rss - before.rss) / N),
    jsHeap: Math.round((after.heapUsed - before.heapUsed) / N),
    external: Math.round((after.external - before.external) / N),
  },
};
result.note = `${N} waitForJob calls on one client, each asleep for 10 minutes after its first poll (a fetch that answers at once, no network); memory after a full GC.`;
result.table = {
  title: `Memory of ${N} parked waits`,
  columns: ["", "RSS MiB", "JS heap MiB", "external (incl. wasm) MiB"],
  rows: [
    ["before", result.before.rssMiB, result.before.heapMiB, result.before.externalMiB],
    [`with ${N} waits`, result.after.rssMiB, result.after.heapMiB, result.after.externalMiB],
  ],
};
console.log(JSON.stringify(result, null, 1));
writeResult("parked", result);
process.exit(0); // the waits would sleep for 10 minutes
