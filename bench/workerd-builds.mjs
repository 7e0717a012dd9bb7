// workerd's cold start for several builds of the package side by side, with plain JS for scale:
// dispatch -> the server has the request, in fresh isolates (coldstart/worker-isolate.mjs, the
// cold-start worker of coldstart.mjs), alternating the clients in a rotating order each trial.
// For trying a build change on the workerd goal: the ratio moves about 0.05 from run to run of
// the same builds, and 0.2 between hours (BENCHMARKS.md, section 2), so only builds measured in
// one run compare. Each build is a copy of pkg/ (its workerd.js and dist/).
// BENCH_IMPORT_IN_REQUEST=1: the worker that imports the client inside its first request
// (coldstart/worker-import.mjs), so that the time measured includes the import.
// Usage: node bench/workerd-builds.mjs <package dir> [<package dir> ...]   (BENCH_COLDSTART_TRIALS, 41)
// Writes results/workerd-builds.json.
import { basename, resolve } from "node:path";
import { rmSync } from "node:fs";
import { bundleWorker, isolate } from "./coldstart/worker-isolate.mjs";
import { now, standInApi } from "./coldstart/stand-in-api.mjs";
import { writeResult } from "./lib/results.mjs";
import { percentile, round } from "./lib/stats.mjs";

const TRIALS = Number(process.env.BENCH_COLDSTART_TRIALS ?? 41);
const importInRequest = process.env.BENCH_IMPORT_IN_REQUEST === "1";
const dirs = process.argv.slice(2).map((d) => resolve(d));
if (dirs.length === 0) throw new Error("usage: node bench/workerd-builds.mjs <package dir> [<package dir> ...]");
const names = ["plain JS", ...dirs.map((d) => basename(d))];
if (new Set(names).size !== names.length) throw new Error(`name the builds' directories differently: ${names.join(", ")}`);

const { baseUrl: target, arrivals, close: closeServer } = await standInApi();

const bundles = [await bundleWorker("baseline", undefined, { importInRequest }), ...(await Promise.all(dirs.map((d, i) => bundleWorker(`build${i}`, d, { importInRequest }))))];
const samples = names.map(() => []);
try {
  for (let t = 0; t < TRIALS; t++) {
    for (let k = 0; k < names.length; k++) {
      const i = (t + k) % names.length; // each client first in turn
      const mf = isolate(bundles[i], target);
      try {
        await mf.ready;
        const jobId = `job-${i}-${t}`;
        const tDispatch = now();
        const response = await mf.dispatchFetch(`http://bench.local/?job=${jobId}`);
        if (!response.ok) throw new Error(`${names[i]}: the worker answered ${response.status}: ${await response.text()}`);
        await response.arrayBuffer();
        samples[i].push(arrivals.get(jobId) - tDispatch);
      } finally {
        await mf.dispose();
      }
    }
    process.stdout.write(".");
  }
  process.stdout.write("\n");
} finally {
  closeServer();
  for (const dir of bundles) rmSync(dir, { recursive: true });
}

// Paired: the median of each trial's ratio to plain JS in the same trial (steadier as the VM drifts).
const rows = names.map((name, i) => [name, round(percentile(samples[i], 50)), round(percentile(samples[i].map((x, t) => x / samples[0][t]), 50), 3)]);
const path = writeResult("workerd-builds", {
  note: `ms, dispatch -> the server has the request${importInRequest ? " (the client imported in the request)" : ""}, fresh Miniflare isolates, the clients alternating; paired ratio: the median of each trial's own ratio to plain JS.`,
  trials: TRIALS,
  builds: Object.fromEntries(names.map((n, i) => [n, i === 0 ? "bench/baseline" : dirs[i - 1]])),
  samples: Object.fromEntries(names.map((n, i) => [n, samples[i]])),
  tables: [{ title: `workerd cold start by build: dispatch -> the server has the request${importInRequest ? ", the client imported in the request" : ""}`, columns: ["client", "median ms", "paired ratio to plain JS"], rows, chart: ["median ms"] }],
});
for (const [name, median, paired] of rows) console.log(`${name.padEnd(24)} ${String(median).padStart(6)} ms   ${paired}x plain JS`);
console.log(`-> ${path}`);
