// Per-call overhead in workerd, the runtime the package is mostly deployed to: ours vs the
// baseline inside one workerd isolate (Miniflare), both sending through workerd's own fetch,
// against the emulator on loopback; again through workerd's fetch to a second worker in the same
// process that answers the emulator's own bodies (no socket, no emulator: the runtime's whole fetch
// with far less noise); and with fetch stubbed inside the isolate (the same bodies answered at
// once), which leaves only each client's own work. Requests per second at concurrency 1 and 64
// for describeJob and listBackups (a page of 10), and the workerd process's CPU time per call
// (every thread, from /proc/<pid>/task/*/schedstat: nanoseconds).
// Rounds alternate the clients; medians over rounds, and the paired ratio (the median of each
// round's own ratio) against the baseline with a timeout, as in overhead.mjs (Node).
// Not measured: Cloudflare's edge (its fetch leaves the machine), TLS.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import * as esbuild from "esbuild";
import { Miniflare } from "miniflare";
import { workerOptions } from "./coldstart/worker-isolate.mjs";
import { startEmulator, tenBackups } from "./lib/emulator.mjs";
import { BENCH, ROOT, writeResult } from "./lib/results.mjs";
import { round } from "./lib/stats.mjs";

const CALLS = Number(process.env.BENCH_CALLS ?? 5000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCY = [1, 64];
const CLIENTS = ["ours", "baseline", "baselineTimeout"];
// fetch: workerd's fetch to the emulator over loopback. service: workerd's fetch, answered in the
// same process by a second worker with the emulator's own bodies (no socket, no emulator process
// sharing the two cores: the runtime's whole fetch, the request built and the body streamed, with
// far less noise). stubbed: fetch replaced inside the isolate (the clients' own work alone).
const MODES = { fetch: "", service: "", stubbed: "&stub" };
// BENCH_MODES=fetch, BENCH_OPS=describeJob: only those (for side-by-side runs of builds).
const modes = process.env.BENCH_MODES?.split(",") ?? Object.keys(MODES);
const ops = process.env.BENCH_OPS?.split(",") ?? ["describeJob", "listBackups"];

// BENCH_PKG: another build of the package (a copy of pkg/) to measure; BENCH_RESULT_NAME: the
// results file's name (default overhead-workerd).
const packageDir = resolve(process.env.BENCH_PKG ?? `${ROOT}pkg`);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

/** CPU time (ns) the process has used, every thread. */
function cpuNs(pid) {
  let ns = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, "utf8").split(" ")[0]);
    } catch {
      // a thread that ended meanwhile
    }
  }
  return ns;
}

/** The workerd process Miniflare started (a child of this one). */
function workerdPid() {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const [comm, rest] = [stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")), stat.slice(stat.lastIndexOf(")") + 2).split(" ")];
      if (comm === "workerd" && Number(rest[1]) === process.pid) return Number(entry);
    } catch {
      // a process that ended meanwhile
    }
  }
  throw new Error("no workerd process started by this one");
}

const emulator = await startEmulator({ jobDurationMs: 24 * 3600_000 }); // jobs stay IN_PROGRESS
const outdir = mkdtempSync(join(tmpdir(), "zcb-bench-overhead-workerd-"));
let mf;
try {
  const jobId = await tenBackups(emulator); // a full list page
  // The emulator's own bodies, for the stub.
  const body = async (path) => (await fetch(`${emulator.url}${path}`, { headers: { authorization: `Bearer ${emulator.apiKey}` } })).text();
  const bindings = { TARGET: emulator.url, TOKEN: emulator.apiKey, JOB: jobId, JOB_ANSWER: await body(`/v2/jobs/${jobId}`), PAGE_ANSWER: await body("/v2/backups?pageSize=10") };

  await esbuild.build({
    entryPoints: [`${BENCH}overhead-workerd/worker.mjs`],
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    alias: { "bench-ours": join(packageDir, "workerd.js"), "bench-baseline": `${BENCH}baseline/client.mjs` },
    loader: { ".wasm": "copy" },
    outdir,
    logLevel: "error",
  });
  // The same worker twice: "bench" sends to the network, "bench-service" to the "api" worker.
  const bench = workerOptions(outdir, emulator.url, { bindings });
  mf = new Miniflare({
    workers: [
      { ...bench, name: "bench" },
      { ...bench, name: "bench-service", outboundService: "api" },
      {
        name: "api",
        modules: true,
        compatibilityDate: bench.compatibilityDate,
        bindings: { JOB_ANSWER: bindings.JOB_ANSWER, PAGE_ANSWER: bindings.PAGE_ANSWER },
        script: `export default {
          fetch(request, env) {
            const body = new URL(request.url).pathname.startsWith("/v2/jobs/") ? env.JOB_ANSWER : env.PAGE_ANSWER;
            return new Response(body, { headers: { "content-type": "application/json", requestid: "r" } });
          },
        };`,
      },
    ],
  });
  await mf.ready;
  const pid = workerdPid();
  const workers = { fetch: await mf.getWorker("bench"), service: await mf.getWorker("bench-service") };
  workers.stubbed = workers.fetch;
  const batch = async (mode, query) => {
    const response = await workers[mode].fetch(`http://bench.local/?${query}`);
    if (!response.ok) throw new Error(`worker answered ${response.status}: ${await response.text()}`);
    return (await response.json()).ms;
  };

  const results = [];
  for (const mode of modes) {
    const modeQuery = MODES[mode];
    for (const op of ops) {
      for (const concurrency of CONCURRENCY) {
        const rounds = Object.fromEntries(CLIENTS.map((n) => [n, []]));
        for (let r = 0; r < ROUNDS; r++) {
          for (const name of r % 2 ? [...CLIENTS].reverse() : CLIENTS) {
            const query = `client=${name}&op=${op}&c=${concurrency}${modeQuery}`;
            await batch(mode, `${query}&calls=${WARMUP}`);
            const sentBefore = (await emulator.control("GET", "/stats")).requests;
            const cpu0 = cpuNs(pid);
            // At least one step of the worker's 1 ms clock (a tiny test batch can read 0).
            const ms = Math.max(await batch(mode, `${query}&calls=${CALLS}`), 1);
            const cpuUsPerCall = (cpuNs(pid) - cpu0) / 1000 / CALLS;
            const sent = (await emulator.control("GET", "/stats")).requests - sentBefore;
            if (sent !== (mode === "fetch" ? CALLS : 0)) throw new Error(`${mode}: the emulator saw ${sent} requests of ${CALLS}`);
            rounds[name].push({ rps: CALLS / (ms / 1000), cpuUsPerCall });
            if (mode === "fetch") await emulator.control("DELETE", "/requests"); // keep the emulator's log from growing
          }
        }
        const pick = (name, key) => median(rounds[name].map((x) => x[key]));
        const row = { mode, op, concurrency, rounds };
        for (const name of CLIENTS) row[name] = { rps: pick(name, "rps"), cpuUsPerCall: pick(name, "cpuUsPerCall") };
        row.pairedTimeout = { rps: median(rounds.ours.map((x, i) => x.rps / rounds.baselineTimeout[i].rps)) };
        results.push(row);
        console.log(
          `${mode} ${op} c=${concurrency}: ` +
            CLIENTS.map((n) => `${n} ${round(row[n].rps, 0)} req/s ${round(row[n].cpuUsPerCall, 1)} µs CPU/call`).join(", ") +
            `; paired ours/(baseline+timeout) ${round(row.pairedTimeout.rps)}`,
        );
      }
    }
  }

  const table = (mode, title) => ({
    title,
    columns: ["call", "concurrency", "ours req/s", "baseline req/s", "baseline+timeout req/s", "paired ratio ours/(baseline+timeout)", "ours CPU µs/call", "baseline+timeout CPU µs/call"],
    rows: results
      .filter((r) => r.mode === mode)
      .map((r) => [r.op, r.concurrency, round(r.ours.rps, 0), round(r.baseline.rps, 0), round(r.baselineTimeout.rps, 0), round(r.pairedTimeout.rps), round(r.ours.cpuUsPerCall, 1), round(r.baselineTimeout.cpuUsPerCall, 1)]),
    chart: ["ours req/s", "baseline+timeout req/s"],
  });
  const path = writeResult(process.env.BENCH_RESULT_NAME ?? "overhead-workerd", {
    note: `workerd (Miniflare), one isolate; median over ${ROUNDS} rounds of ${CALLS} calls after ${WARMUP} warm-up; CPU: the workerd process, every thread`,
    calls: CALLS,
    warmup: WARMUP,
    rounds: ROUNDS,
    results,
    tables: [
      table("fetch", "Per call in workerd, through its fetch to the emulator (loopback)"),
      table("service", "Per call in workerd, through its fetch to a worker in the same process (no socket: less noise)"),
      table("stubbed", "Per call in workerd, fetch stubbed in the isolate (the clients' own work)"),
    ].filter((t) => t.rows.length > 0), // only the modes that ran (BENCH_MODES)
  });
  console.log(`-> ${path}`);
} finally {
  await mf?.dispose();
  emulator.stop();
  rmSync(outdir, { recursive: true });
}
