// Memory of waits parked between polls, without traffic: N waits in one fresh Node process, each
// polled once by a `fetch` that answers at once (no network) with a job IN_PROGRESS at 10 %, then
// asleep for 10 minutes. Ours: `waitForJob` on one client (minimum interval 10 minutes). The
// plain-JS alternative: the loop a user would write (fetch, JSON.parse, setTimeout). Each runs in
// its own process; memory is read after a full GC, twice: right after the burst of N first polls
// (V8 still holds the heap that burst grew), and after PARKED_IDLE_S seconds (default 30) with
// nothing happening (V8's memory reducer has given that heap back: what a fleet parked between
// polls holds). No abort signals (each would hold a listener). A third run, "queued": ours with
// the limiter at its default 20 requests/s, so after the first 20 polls every wait is in the
// limiter's line (as in a fleet of 10,000: bench/fleet.mjs); read 2 s after all are started and
// again after PARKED_IDLE_S seconds more (20 polls/s served meanwhile).
//   node bench/parked.mjs [waits=10000]        (runs all three, writes bench/results/parked.json)
//   node --expose-gc bench/parked.mjs N ours|queued|baseline   (one side; prints its JSON)
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { writeResult } from "./lib/results.mjs";

const N = Number(process.argv[2] ?? 10_000);
const IDLE_S = Number(process.env.PARKED_IDLE_S ?? 30);
const side = process.argv[3];
const mib = (b) => Math.round((b / 1048576) * 10) / 10;
const URL_BASE = "http://127.0.0.1:9";

if (!side) {
  const run = (s) => JSON.parse(execFileSync(process.execPath, ["--expose-gc", fileURLToPath(import.meta.url), String(N), s]).toString());
  const ours = run("ours");
  const queued = run("queued");
  const baseline = run("baseline");
  const row = (name, r) => [name, r.before.rssMiB, r.after.rssMiB, r.idle.rssMiB, r.idle.heapMiB, r.idle.externalMiB, Math.round(r.perWait.jsHeap), Math.round(r.perWait.external)];
  const result = {
    note: `${N} waits in one fresh Node process each, asleep for 10 minutes after one poll answered at once (no network); memory after a full GC, right after the burst of ${N} first polls and again after ${IDLE_S} s idle (V8's memory reducer has run).`,
    ours,
    queued,
    baseline,
    table: {
      title: `Memory of ${N} parked waits`,
      columns: ["client", "RSS before (MiB)", "RSS after the burst (MiB)", `RSS after ${IDLE_S} s idle (MiB)`, "JS heap, idle (MiB)", "external incl. wasm, idle (MiB)", "JS heap per wait (B)", "external per wait (B)"],
      rows: [row("ours (waitForJob)", ours), row("ours, queued behind the limiter (20/s)", queued), row("plain JS (fetch + setTimeout loop)", baseline)],
      chart: ["RSS after the burst (MiB)", `RSS after ${IDLE_S} s idle (MiB)`, "JS heap, idle (MiB)", "external incl. wasm, idle (MiB)"],
    },
  };
  writeResult("parked", result);
  const line = (r) => `RSS ${r.before.rssMiB} → ${r.after.rssMiB} MiB after the burst, ${r.idle.rssMiB} MiB idle (JS heap ${r.idle.heapMiB}, external ${r.idle.externalMiB})`;
  console.log(`parked: ${N} waits — ours: ${line(ours)}; ours queued: ${line(queued)}; plain JS: ${line(baseline)}`);
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
if (side === "ours" || side === "queued") {
  const { BackupClient } = await import(process.env.BENCH_PKG ?? "../pkg/node.js");
  const requestsPerSecond = side === "queued" ? 20 : 0;
  const client = new BackupClient({ token: "bench-api-key", baseUrl: URL_BASE, requestsPerSecond, fetch: async (request) => answer(request.url) });
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
if (side === "queued") await new Promise((r) => setTimeout(r, 2000));
else while (polls < N) await new Promise((r) => setTimeout(r, 50));
await new Promise((r) => setTimeout(r, 200));
const after = snapshot();
await new Promise((r) => setTimeout(r, IDLE_S * 1000));
const idle = snapshot();
const mibs = (m) => ({ rssMiB: mib(m.rss), heapMiB: mib(m.heapUsed), externalMiB: mib(m.external) });
const out = {
  waits: N,
  before: mibs(before),
  after: mibs(after),
  idle: mibs(idle),
  perWait: { rss: (idle.rss - before.rss) / N, jsHeap: (idle.heapUsed - before.heapUsed) / N, external: (idle.external - before.external) / N },
};
process.stdout.write(JSON.stringify(out));
process.exit(0); // the waits would sleep for 10 minutes
