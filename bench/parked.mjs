// Memory of waits parked between polls, without traffic: N waits in one fresh Node process, each
// polled once by a `fetch` that answers at once (no network) with a job IN_PROGRESS at 10 %, then
// asleep for 10 minutes. Ours: `waitForJob` on one client (minimum interval 10 minutes). The
// plain-JS alternative: the loop a user would write (fetch, JSON.parse, setTimeout). Each runs in
// its own process; memory is read after a full GC. No abort signals (each would hold a listener).
//   node bench/parked.mjs [waits=10000]        (runs both, writes bench/results/parked.json)
//   node --expose-gc bench/parked.mjs N ours|baseline   (one side; prints its JSON)
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { writeResult } from "./lib/results.mjs";

const N = Number(process.argv[2] ?? 10_000);
const side = process.argv[3];
const mib = (b) => Math.round((b / 1048576) * 10) / 10;
const URL_BASE = "http://127.0.0.1:9";

if (!side) {
  const run = (s) => JSON.parse(execFileSync(process.execPath, ["--expose-gc", fileURLToPath(import.meta.url), String(N), s]).toString());
  const ours = run("ours");
  const baseline = run("baseline");
  const row = (name, r) => [name, r.before.rssMiB, r.after.rssMiB, r.after.heapMiB, r.after.externalMiB, Math.round(r.perWait.jsHeap), Math.round(r.perWait.external)];
  const result = {
    note: `${N} waits in one fresh Node process each, asleep for 10 minutes after one poll answered at once (no network); memory after a full GC. RSS keeps what the start-up burst of ${N} polls touched.`,
    ours,
    baseline,
    table: {
      title: `Memory of ${N} parked waits`,
      columns: ["client", "RSS before (MiB)", "RSS with the waits (MiB)", "JS heap (MiB)", "external incl. wasm (MiB)", "JS heap per wait (B)", "external per wait (B)"],
      rows: [row("ours (waitForJob)", ours), row("plain JS (fetch + setTimeout loop)", baseline)],
      chart: ["RSS with the waits (MiB)", "JS heap (MiB)", "external incl. wasm (MiB)"],
    },
  };
  writeResult("parked", result);
  console.log(`parked: ${N} waits — ours: RSS ${ours.before.rssMiB} → ${ours.after.rssMiB} MiB, JS heap ${ours.after.heapMiB}, external ${ours.after.externalMiB}; plain JS: RSS ${baseline.before.rssMiB} → ${baseline.after.rssMiB} MiB, JS heap ${baseline.after.heapMiB}, external ${baseline.after.externalMiB}`);
  process.exit(0);
}

const snapshot = () => {
  globalThis.gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external };
};
let polls = 0;
const answer = (url) => {
  polls++;
  const jobId = url.slice(url.lastIndexOf("/") + 1);
  const body = JSON.stringify({ code: 0, data: { jobId, type: "BACKUP", status: "IN_PROGRESS", progress: "10" } });
  return new Response(body, { headers: { "content-type": "application/json" } });
};

let startWait;
if (side === "ours") {
  const { BackupClient } = await import("../pkg/node.js");
  const client = new BackupClient({ token: "bench-api-key", baseUrl: URL_BASE, requestsPerSecond: 0, fetch: async (request) => answer(request.url) });
  startWait = (jobId) => client.waitForJob(jobId, { minIntervalMs: 600_000, maxIntervalMs: 600_000 });
} else {
  const fetchJob = async (url) => answer(new Request(url, { headers: { authorization: "Bearer bench-api-key" } }).url);
  startWait = async (jobId) => {
    for (;;) {
      const job = JSON.parse(await (await fetchJob(`${URL_BASE}/v2/jobs/${jobId}`)).text()).data;
      if (job.status === "SUCCESSFUL") return job;
      if (job.status === "FAILED") throw new Error(job.reason);
      await new Promise((resolve) => setTimeout(resolve, 600_000));
    }
  };
}

const before = snapshot();
for (let i = 0; i < N; i++) {
  startWait(`job-${i}`).catch(() => {});
  if (i % 500 === 499) await new Promise((r) => setImmediate(r)); // V8 needs room to breathe
}
while (polls < N) await new Promise((r) => setTimeout(r, 50));
await new Promise((r) => setTimeout(r, 200));
const after = snapshot();
const out = {
  waits: N,
  before: { rssMiB: mib(before.rss), heapMiB: mib(before.heapUsed), externalMiB: mib(before.external) },
  after: { rssMiB: mib(after.rss), heapMiB: mib(after.heapUsed), externalMiB: mib(after.external) },
  perWait: { rss: (after.rss - before.rss) / N, jsHeap: (after.heapUsed - before.heapUsed) / N, external: (after.external - before.external) / N },
};
process.stdout.write(JSON.stringify(out));
process.exit(0); // the waits would sleep for 10 minutes
