// Fleet scale: many concurrent waitForJob calls in one Node process sharing one client (and so one
// request limiter, 20/s per endpoint by default) against the emulator enforcing the same 20/s.
// Measures: 429s the emulator sent, peak RSS, CPU (overall and per poll), and the distribution of
// detection delays (job end → the wait resolving).
//
//   node bench/fleet.mjs [jobs=10000] [jobDurationSec=1200] [limit=20] [same|spread]
//   (spread: durations evenly over [jobDurationSec / 2, jobDurationSec], so jobs end at different
//   times as in a real fleet; same: all end together, the worst case for a shared budget)
//
// Uses the release emulator when built (cargo build --release -p zilliz-cloud-emulator). The jobs
// are started with the limits off (the bench is about waiting), then the limit is switched on.
// A job can be polled at most limit/jobs times per second in all, so the run lasts at least
// jobs × polls-per-job / limit seconds (10,000 jobs at 20/s: half an hour).
import { mkdirSync, writeFileSync } from "node:fs";
import { machine } from "./lib/results.mjs";
import { execFileSync } from "node:child_process";
import { getHeapSpaceStatistics } from "node:v8";
import { httpJson } from "./lib/http-json.mjs";
import { startEmulator } from "./lib/emulator.mjs";
import { BackupClient } from "../pkg/node.js";

const ROOT = new URL("..", import.meta.url).pathname;

const [JOBS = 10_000, DURATION_S = 1200, LIMIT = 20] = process.argv.slice(2, 5).map(Number);
const SPREAD = process.argv[5] === "spread" ? "spread" : "same";
const durationMs = DURATION_S * 1000;
const emu = await startEmulator({ jobDurationMs: durationMs });
// The bench's own calls to the emulator (its stats every 10 s) over node:http, not the harness's
// `fetch`: loading Node's fetch would add undici's ~15 MiB to the RSS measured here
// (bench/lib/http-json.mjs). FLEET_CONTROL_FETCH=1 keeps fetch (how the rounds before the sixth ran).
if (!process.env.FLEET_CONTROL_FETCH) emu.control = (method, path, body) => httpJson(method, `${emu.url}/__emulator${path}`, body);
const log = (...a) => console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...a);

try {
  log(`fleet: ${JOBS} jobs of ${SPREAD === "spread" ? `${DURATION_S / 2}–` : ""}${DURATION_S} s, ${LIMIT} requests/s per endpoint on both sides (${process.env.EMULATOR_BIN})`);
  // Clusters (one manual backup job per cluster) and their backups are made by a child process,
  // with the limits off, so this process's memory is the waits' alone.
  const starter = new URL("./fleet-starter.mjs", import.meta.url).pathname;
  const started = JSON.parse(execFileSync(process.execPath, [starter, emu.url, emu.apiKey, String(JOBS), String(durationMs), SPREAD], { maxBuffer: 64 << 20 }).toString());
  const jobs = started.map(({ jobId, at, durationMs: d }) => ({ jobId, endsAt: at + d }));
  log(`started ${jobs.length} backups`);
  await emu.control("DELETE", "/stats");
  await emu.config({ rateLimitPerSecond: LIMIT });

  const client = new BackupClient({ token: emu.apiKey, baseUrl: emu.url, requestsPerSecond: LIMIT });
  const cpu0 = process.cpuUsage();
  const t0 = Date.now();
  let peakRss = process.memoryUsage().rss;
  let done = 0;
  const samples = []; // per 10 s: polls sent, CPU ms used
  let lastCpu = process.cpuUsage(), lastPolls = 0;
  const sampler = setInterval(async () => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 1000);
  const reporter = setInterval(async () => {
    const stats = await emu.control("GET", "/stats");
    const polls = stats.byEndpoint["GET /v2/jobs/{id}"]?.requests ?? 0;
    const cpu = process.cpuUsage(lastCpu);
    samples.push({ polls: polls - lastPolls, cpuMs: (cpu.user + cpu.system) / 1000 });
    lastCpu = process.cpuUsage(); lastPolls = polls;
    const m = process.memoryUsage();
    // V8's committed spaces say where RSS beyond the live heap goes (a grown young generation).
    const space = Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, (s.space_size / 2 ** 20).toFixed(0)]));
    log(`${done}/${JOBS} done, ${polls} polls, ${stats.rateLimited} 429s, rss ${(m.rss / 2 ** 20).toFixed(0)} MiB (JS heap ${(m.heapUsed / 2 ** 20).toFixed(0)} of ${(m.heapTotal / 2 ** 20).toFixed(0)}: new ${space.new_space}, old ${space.old_space}; external incl. wasm ${(m.external / 2 ** 20).toFixed(0)})`);
  }, 10_000);

  const delays = [];
  const failures = [];
  const waits = [];
  // Started 500 per event-loop turn: all 10,000 in one synchronous loop crashes Node 20's V8
  // (a fatal error in its deoptimizer near the stack limit; not with --stack-size=4000).
  for (let i = 0; i < jobs.length; i += 500) {
    for (const { jobId, endsAt } of jobs.slice(i, i + 500)) {
      waits.push(client.waitForJob(jobId, { timeoutMs: durationMs * 4 + 3_600_000 }).then(
        () => { delays.push(Date.now() - endsAt); done++; },
        (e) => { failures.push(`${jobId}: ${e.kind} ${e.message}`); done++; },
      ));
    }
    await new Promise((r) => setImmediate(r));
  }
  await Promise.all(waits);
  clearInterval(sampler); clearInterval(reporter);
  const wall = Date.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const stats = await emu.control("GET", "/stats");
  const jobStats = stats.byEndpoint["GET /v2/jobs/{id}"];
  delays.sort((a, b) => a - b);
  const q = (p) => delays.length ? Math.round(delays[Math.min(delays.length - 1, Math.floor(p * delays.length))] / 100) / 10 : null;
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const quiet = samples.filter((s) => s.polls === 0);
  const result = {
    title: `Fleet: ${JOBS} concurrent waitForJob in one Node process, jobs of ${SPREAD === "spread" ? `${DURATION_S / 2}–` : ""}${DURATION_S} s, emulator enforcing ${LIMIT}/s`,
    columns: ["metric", "value", "goal"],
    rows: [
      ["waits resolved", `${delays.length} of ${JOBS}`, "all"],
      ["429s received", jobStats.rateLimited, "0"],
      ["polls sent", jobStats.requests, ""],
      ["polls per job (mean)", +(jobStats.requests / JOBS).toFixed(2), ""],
      ["peak RSS (MiB)", +(peakRss / 2 ** 20).toFixed(1), "≤ 100"],
      ["CPU per poll (ms)", +(cpuMs / jobStats.requests).toFixed(3), ""],
      ["CPU overall (% of one core)", +(100 * cpuMs / wall).toFixed(2), ""],
      ["CPU in 10 s spans with no polls (ms per s)", quiet.length ? +(quiet.reduce((a, s) => a + s.cpuMs, 0) / quiet.length / 10).toFixed(2) : "no such span", "≈ 0"],
      ["detection delay p50 / p90 / p99 / max (s)", `${q(0.5)} / ${q(0.9)} / ${q(0.99)} / ${q(1)}`, ""],
      ["wall time (s)", Math.round(wall / 1000), ""],
      // Whether anything in this process loaded Node's fetch (the package does not; see httpJson).
      ["Node's fetch (undici) loaded in the measured process", process.moduleLoadList.some((m) => m.includes("undici")), ""],
    ],
    failures: failures.slice(0, 20),
    machine: machine(),
  };
  console.table(Object.fromEntries(result.rows.map(([k, v, g]) => [k, { value: v, goal: g }])));
  mkdirSync(`${ROOT}bench/results`, { recursive: true });
  const name = `fleet-${JOBS}-${SPREAD}`;
  writeFileSync(`${ROOT}bench/results/${name}.json`, JSON.stringify(result, null, 2));
  log(`wrote bench/results/${name}.json`);
  client.free();
} finally {
  emu.stop();
}
