// Fleet across isolates: the API's budget is per key and endpoint, not per process. The edge
// worker runs in several workerd isolates at once (worker/dev.mjs, `isolates`), each serving its
// own dashboards, all upstream with one API key, against the emulator enforcing 20/s. Run twice,
// without and with the worker's rate budget (worker/src/budget.js, the RATE_BUDGET Durable
// Object), on a fresh emulator each time. Each dashboard is the package's client pointed at one
// isolate, following its share of the jobs with waitForJob (its own limiter: 20/s).
// Measures: 429s the API sent, requests it got, the 429s the dashboards saw (the API's, forwarded,
// and the budget's own, unsent), waits resolved, detection delay; and the budget's price, one
// describeJob at a time through the gateway with and without it.
//
//   node bench/fleet-isolates.mjs [isolates=4] [jobsPerIsolate=50] [jobSeconds=30]
//   (durations spread evenly over [jobSeconds / 2, jobSeconds]; BENCH_CALLS: the one-at-a-time
//   requests, default 200)
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { startEmulator } from "./lib/emulator.mjs";
import { ROOT, writeResult } from "./lib/results.mjs";
import { percentile, round } from "./lib/stats.mjs";
import { BackupClient } from "../pkg/node.js";

const [ISOLATES = 4, PER_ISOLATE = 50, JOB_S = 30] = process.argv.slice(2, 5).map(Number);
const CALLS = Number(process.env.BENCH_CALLS ?? 200);
const LIMIT = 20;
const JOBS = ISOLATES * PER_ISOLATE;

// worker/dev.mjs loads esbuild and Miniflare from worker/node_modules.
if (!existsSync(`${ROOT}worker/node_modules/miniflare`)) {
  execFileSync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: `${ROOT}worker`, stdio: "ignore" });
}
const { startWorkerServer } = await import("../worker/dev.mjs");
const log = (...a) => console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...a);
/** A delay percentile in seconds, or null when no wait resolved. */
const delayS = (delays, p) => (delays.length ? round(percentile(delays, p) / 1000, 1) : null);
/** A package client's Request, sent to one isolate (Miniflare's fetch takes its own Request type). */
const toIsolate = (isolate) => async (request) =>
  isolate.fetch(request.url, { method: request.method, headers: [...request.headers], body: request.body === null ? undefined : await request.text(), redirect: "manual" });

async function run(rateBudget) {
  const emu = await startEmulator({ jobDurationMs: JOB_S * 1000 });
  let worker;
  try {
    // The jobs, started with the limits off (fleet-starter.mjs: a cluster and a backup each).
    const starter = new URL("./fleet-starter.mjs", import.meta.url).pathname;
    const jobs = JSON.parse(execFileSync(process.execPath, [starter, emu.url, emu.apiKey, String(JOBS), String(JOB_S * 1000), "spread"], { maxBuffer: 16 << 20 }).toString());
    worker = await startWorkerServer({ emulatorUrl: emu.url, apiKey: emu.apiKey, rateBudget, isolates: ISOLATES, onLog: () => {} });
    const isolates = await Promise.all(Array.from({ length: ISOLATES }, (_, i) => worker.isolate(i)));

    await emu.control("DELETE", "/stats");
    await emu.config({ rateLimitPerSecond: LIMIT });
    const seen = { forwarded429: 0, budget429: 0, other: 0 };
    const dashboards = isolates.map(
      (isolate) =>
        new BackupClient({
          token: "unused",
          baseUrl: worker.url,
          fetch: async (request) => {
            const response = await toIsolate(isolate)(request);
            if (response.status === 429) {
              const { code } = await response.clone().json();
              if (code === 94290) seen.budget429++;
              else seen.forwarded429++;
            } else if (response.status !== 200) seen.other++;
            return response;
          },
        }),
    );
    const t0 = Date.now();
    const delays = [];
    const failures = [];
    await Promise.all(
      jobs.map(({ jobId, at, durationMs }, i) =>
        dashboards[i % ISOLATES].waitForJob(jobId, { timeoutMs: JOB_S * 1000 * 4 + 120_000 }).then(
          () => delays.push(Date.now() - (at + durationMs)),
          (e) => failures.push(`${jobId}: ${e.kind} ${e.message}`),
        ),
      ),
    );
    const wall = Date.now() - t0;
    for (const d of dashboards) d.free();
    const stats = (await emu.control("GET", "/stats")).byEndpoint["GET /v2/jobs/{id}"] ?? { requests: 0, rateLimited: 0 };

    // The price: one describeJob at a time through the first isolate, no other traffic (the
    // jobs have ended), the API's limit and the client's own limiter off, one request every
    // 60 ms (under the budget's 20/s, so none waits for a slot).
    await emu.config({ rateLimitPerSecond: 0 });
    const one = new BackupClient({ token: "unused", baseUrl: worker.url, requestsPerSecond: 0, fetch: toIsolate(isolates[0]) });
    const latencies = [];
    for (let i = 0; i < CALLS + 20; i++) {
      const t = performance.now();
      await one.describeJob(jobs[i % jobs.length].jobId);
      const ms = performance.now() - t;
      if (i >= 20) latencies.push(ms); // the first 20: warm-up
      await new Promise((r) => setTimeout(r, Math.max(0, 60 - ms)));
    }
    one.free();

    return { latencies, delays, failures, stats, seen, wall };
  } finally {
    await worker?.stop();
    emu.stop();
  }
}

log(`fleet across ${ISOLATES} isolates: ${JOBS} jobs of ${JOB_S / 2}–${JOB_S} s, the emulator enforcing ${LIMIT}/s`);
const modes = {};
for (const [name, rateBudget] of [["without the budget", false], ["with the budget", true]]) {
  modes[name] = await run(rateBudget);
  const m = modes[name];
  log(`${name}: ${m.delays.length}/${JOBS} resolved, ${m.stats.requests} polls, ${m.stats.rateLimited} × 429 from the API, ${m.seen.budget429} from the budget; one request ${round(percentile(m.latencies, 50))} ms`);
}
const columns = ["", "waits resolved", "429s the API sent", "requests the API got", "429s forwarded to dashboards", "429s from the budget (unsent)", "other failures", "delay p50 (s)", "delay p90 (s)", "delay max (s)", "wall (s)", "one request, median (ms)", "one request, p90 (ms)"];
const rows = Object.entries(modes).map(([name, m]) => [
  name,
  m.delays.length,
  m.stats.rateLimited,
  m.stats.requests,
  m.seen.forwarded429,
  m.seen.budget429,
  m.seen.other,
  delayS(m.delays, 50),
  delayS(m.delays, 90),
  delayS(m.delays, 100),
  Math.round(m.wall / 1000),
  round(percentile(m.latencies, 50)),
  round(percentile(m.latencies, 90)),
]);
console.table(Object.fromEntries(rows.map(([k, ...v]) => [k, Object.fromEntries(v.map((x, i) => [columns[i + 1], x]))])));
const path = writeResult("fleet-isolates", {
  note: `${ISOLATES} workerd isolates of the edge worker (worker/dev.mjs), one dashboard client per isolate following ${PER_ISOLATE} jobs of ${JOB_S / 2}–${JOB_S} s with waitForJob; the emulator enforcing ${LIMIT}/s per key and endpoint. "One request": ${CALLS} describeJob calls one at a time through the gateway afterwards, one every 60 ms, no limit near.`,
  tables: [
    {
      title: `Fleet across ${ISOLATES} workerd isolates: ${JOBS} waits, without and with the worker's rate budget`,
      columns,
      rows,
      chart: ["429s the API sent", "requests the API got", "waits resolved"],
    },
  ],
  failures: Object.fromEntries(Object.entries(modes).map(([k, m]) => [k, m.failures.slice(0, 10)])),
  results: Object.fromEntries(
    Object.entries(modes).map(([k, m]) => [k, { resolved: m.delays.length, failed: m.failures.length, apiRateLimited: m.stats.rateLimited, apiRequests: m.stats.requests, seen: m.seen, latencyMs: m.latencies.length }]),
  ),
});
log(`wrote ${path}`);
