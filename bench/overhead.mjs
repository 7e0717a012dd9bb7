// Per-call overhead: ours vs the baseline against the emulator on loopback, in this one Node
// process, for describeJob (one job) and listBackups (a page of 10): requests per second at
// concurrency 1 and 64 for a fixed number of calls after a warm-up, and the client process's
// CPU time per call (process.cpuUsage() delta / calls: user + system, every thread of this
// process, so undici and GC are included, the emulator is not). Each client sends its own way:
// ours through node:http (its default in Node, pkg/node-http.js), the baseline through the
// global fetch (undici, keep-alive); "ours (fetch)" is ours made to use the global fetch (by
// replacing it after import, for its rounds only), the path it takes in Deno, Bun, workerd and
// browsers, and the one earlier rounds measured. Rounds alternate the clients to cancel drift;
// the reported value is the median over rounds, the ratio is ours / baseline. A round runs every
// client back to back, under one state of the machine, so the paired ratio (the median of each
// round's own ratio) is also given: it is steadier than the ratio of medians when the machine's
// speed drifts during the run, as a shared VM's does.
// Not measured: network latency (loopback), TLS, retries (no faults are injected), browsers.
// Requests per second is bounded by the emulator too, which shares the machine's cores.
import { emulatorBuild, startEmulator, tenBackups } from "./lib/emulator.mjs";
import { ROOT, BENCH, writeResult } from "./lib/results.mjs";
import { round } from "./lib/stats.mjs";
import { packageEntry, sendsThroughNodeHttp } from "./lib/package-entry.mjs";

const CALLS = Number(process.env.BENCH_CALLS ?? 5000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCY = [1, 64];

// BENCH_PKG: another build of the package to measure (e.g. a copy of pkg/ built another way).
const { BackupClient } = await import(process.env.BENCH_PKG ?? packageEntry);
const { BaselineClient } = await import(`${BENCH}baseline/client.mjs`);

// Outside Node the tables leave out the "ours (fetch)" columns: there was nothing to measure.
const withoutFetchColumns = (tables) =>
  sendsThroughNodeHttp
    ? tables
    : tables.map((t) => {
        const keep = t.columns.map((c) => !c.includes("(fetch)"));
        return { ...t, columns: t.columns.filter((_, i) => keep[i]), rows: t.rows.map((r) => r.filter((_, i) => keep[i])), chart: t.chart.filter((c) => !c.includes("(fetch)")) };
      });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

/** Runs `calls` calls of `op`, `concurrency` at a time; returns wall ms and CPU µs used. */
async function batch(op, calls, concurrency) {
  let started = 0;
  const worker = async () => {
    while (started < calls) {
      started++;
      await op();
    }
  };
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { wallMs, cpuUs: cpu.user + cpu.system };
}

const emulator = await startEmulator({ jobDurationMs: 24 * 3600_000 }); // jobs stay IN_PROGRESS
try {
  const jobId = await tenBackups(emulator); // a full list page

  const clients = {
    // The limiter off: the baseline has none, and the emulator enforces no limit here.
    ours: new BackupClient({ token: emulator.apiKey, baseUrl: emulator.url, requestsPerSecond: 0 }),
    ...(sendsThroughNodeHttp && { oursFetch: new BackupClient({ token: emulator.apiKey, baseUrl: emulator.url, requestsPerSecond: 0 }) }),
    baseline: new BaselineClient({ token: emulator.apiKey, baseUrl: emulator.url }),
    // The same with a per-request timeout, as ours has (30 s): what a careful user would write.
    baselineTimeout: new BaselineClient({ token: emulator.apiKey, baseUrl: emulator.url, timeoutMs: 30_000 }),
  };
  const NAMES = Object.keys(clients);
  // The global fetch as a client sees it during a round: a replacement (the same undici fetch
  // underneath) for "ours (fetch)", so the package takes its fetch path; Node's own otherwise.
  const nodeFetch = globalThis.fetch;
  const replacedFetch = (url, init) => nodeFetch(url, init);
  // Every answer is checked (the same cheap check for both), so a broken call cannot count.
  const ops = {
    describeJob: (c) => async () => {
      if ((await c.describeJob(jobId)).jobId !== jobId) throw new Error("describeJob answered another job");
    },
    listBackups: (c) => async () => {
      if ((await c.listBackups({ pageSize: 10 })).backups.length !== 10) throw new Error("listBackups: not a full page");
    },
  };

  const results = [];
  for (const [opName, makeOp] of Object.entries(ops)) {
    for (const concurrency of CONCURRENCY) {
      const rounds = Object.fromEntries(NAMES.map((n) => [n, []]));
      for (let r = 0; r < ROUNDS; r++) {
        for (const name of r % 2 ? [...NAMES].reverse() : NAMES) {
          const op = makeOp(clients[name]);
          globalThis.fetch = name === "oursFetch" ? replacedFetch : nodeFetch;
          await batch(op, WARMUP, concurrency);
          const { wallMs, cpuUs } = await batch(op, CALLS, concurrency);
          globalThis.fetch = nodeFetch;
          rounds[name].push({ rps: CALLS / (wallMs / 1000), cpuUsPerCall: cpuUs / CALLS });
          await emulator.control("DELETE", "/requests"); // keep the emulator's log from growing
        }
      }
      const pick = (name, key) => (rounds[name] ? median(rounds[name].map((x) => x[key])) : null);
      const row = {
        op: opName,
        concurrency,
        ours: { rps: pick("ours", "rps"), cpuUsPerCall: pick("ours", "cpuUsPerCall") },
        oursFetch: { rps: pick("oursFetch", "rps"), cpuUsPerCall: pick("oursFetch", "cpuUsPerCall") },
        baseline: { rps: pick("baseline", "rps"), cpuUsPerCall: pick("baseline", "cpuUsPerCall") },
        baselineTimeout: { rps: pick("baselineTimeout", "rps"), cpuUsPerCall: pick("baselineTimeout", "cpuUsPerCall") },
        rounds,
      };
      row.ratio = { rps: row.ours.rps / row.baseline.rps, cpuUsPerCall: row.ours.cpuUsPerCall / row.baseline.cpuUsPerCall };
      row.ratioTimeout = { rps: row.ours.rps / row.baselineTimeout.rps, cpuUsPerCall: row.ours.cpuUsPerCall / row.baselineTimeout.cpuUsPerCall };
      row.ratioFetchTimeout = rounds.oursFetch ? { rps: row.oursFetch.rps / row.baselineTimeout.rps, cpuUsPerCall: row.oursFetch.cpuUsPerCall / row.baselineTimeout.cpuUsPerCall } : { rps: null, cpuUsPerCall: null };
      const paired = (a, b) => (rounds[a] ? median(rounds[a].map((x, r) => x.rps / rounds[b][r].rps)) : null);
      row.pairedTimeout = { rps: paired("ours", "baselineTimeout") };
      row.pairedFetchTimeout = { rps: paired("oursFetch", "baselineTimeout") };
      results.push(row);
      console.log(
        `${opName} c=${concurrency}: ours ${round(row.ours.rps, 0)} req/s ${round(row.ours.cpuUsPerCall, 1)} µs CPU/call, ` +
          (rounds.oursFetch ? `ours (fetch) ${round(row.oursFetch.rps, 0)} req/s ${round(row.oursFetch.cpuUsPerCall, 1)} µs CPU/call, ` : "") +
          `baseline ${round(row.baseline.rps, 0)} req/s ${round(row.baseline.cpuUsPerCall, 1)} µs CPU/call, ` +
          `baseline+timeout ${round(row.baselineTimeout.rps, 0)} req/s ${round(row.baselineTimeout.cpuUsPerCall, 1)} µs CPU/call; ` +
          `paired ratios ours/(baseline+timeout) ${round(row.pairedTimeout.rps)}${rounds.oursFetch ? `, ours (fetch) ${round(row.pairedFetchTimeout.rps)}` : ""}`,
      );
    }
  }

  const path = writeResult("overhead", {
    note: `median over ${ROUNDS} rounds of ${CALLS} calls after ${WARMUP} warm-up; emulator: ${emulatorBuild} build`,
    emulator: { build: emulatorBuild, binary: process.env.EMULATOR_BIN.replace(ROOT, "") },
    calls: CALLS,
    warmup: WARMUP,
    rounds: ROUNDS,
    results,
    tables: withoutFetchColumns([
      {
        title: `Requests per second against the emulator (${emulatorBuild} build), loopback`,
        columns: ["call", "concurrency", "ours req/s", "ours (fetch) req/s", "baseline req/s", "ratio ours/baseline", "baseline+timeout req/s", "ratio ours/(baseline+timeout)", "ratio ours (fetch)/(baseline+timeout)", "paired ratio ours/(baseline+timeout)", "paired ratio ours (fetch)/(baseline+timeout)"],
        rows: results.map((x) => [x.op, x.concurrency, round(x.ours.rps, 0), round(x.oursFetch.rps, 0), round(x.baseline.rps, 0), round(x.ratio.rps), round(x.baselineTimeout.rps, 0), round(x.ratioTimeout.rps), round(x.ratioFetchTimeout.rps), round(x.pairedTimeout.rps), round(x.pairedFetchTimeout.rps)]),
        chart: ["ours req/s", "ours (fetch) req/s", "baseline req/s", "baseline+timeout req/s"],
        chartLabel: ["call", "concurrency"],
      },
      {
        title: "Client CPU time per call (µs, user + system)",
        columns: ["call", "concurrency", "ours µs/call", "ours (fetch) µs/call", "baseline µs/call", "ratio ours/baseline", "baseline+timeout µs/call", "ratio ours/(baseline+timeout)", "ratio ours (fetch)/(baseline+timeout)"],
        rows: results.map((x) => [x.op, x.concurrency, round(x.ours.cpuUsPerCall, 1), round(x.oursFetch.cpuUsPerCall, 1), round(x.baseline.cpuUsPerCall, 1), round(x.ratio.cpuUsPerCall), round(x.baselineTimeout.cpuUsPerCall, 1), round(x.ratioTimeout.cpuUsPerCall), round(x.ratioFetchTimeout.cpuUsPerCall)]),
        chart: ["ours µs/call", "ours (fetch) µs/call", "baseline µs/call", "baseline+timeout µs/call"],
        chartLabel: ["call", "concurrency"],
      },
    ]),
  });
  console.log(`-> ${path}`);
} finally {
  emulator.stop();
}
