// Cold start in Node counted in instructions (valgrind's callgrind) instead of milliseconds: a
// shared VM's timings drift by 1.5x within an hour, while a process's count moves by about 0.5 %
// (±3 M of Node's own 625 M start-up: it has threads of its own) whatever the machine is doing. A
// fresh process imports the client, makes it and sends describeJob, and exits the moment the
// client hands its request to its HTTP library, asking Node for node:http or calling `fetch`
// (coldstart/node-child.mjs, the timing benchmark's child, told to stop there: the client's own
// work, not the library's, loading it included); less a process that exits where the import would
// start (Node's own start-up).
// Ours against the plain-JS baseline (bench/baseline/client.mjs, made as in coldstart.mjs), with
// Node's fetch loaded first (as if the app had used it: the cold-start benchmark's main
// comparison), with both HTTP stacks loaded (as in an app that already serves or fetches over
// HTTP), and with neither: what Node has already loaded moves what the clients' own code costs.
// Every thread counts; each count is the median of BENCH_INSTR_RUNS (3) processes. Instructions
// are not time (a cache miss costs more than an add), but for the same runtime and similar work
// they track CPU time closely; unlike a timing, they also say where the work goes
// (callgrind_annotate on one child's output).
// Not for per-call costs: after a thousand calls V8 is still optimising (TurboFan was about 45 % of
// a window's instructions, and when its jobs and the GC land decides the count).
import { execFileSync } from "node:child_process";
import { callgrindColdStart } from "./coldstart/callgrind.mjs";
import { BENCH, ROOT, writeResult } from "./lib/results.mjs";
import { percentile, round } from "./lib/stats.mjs";

const RUNS = Number(process.env.BENCH_INSTR_RUNS ?? 3);

try {
  execFileSync("valgrind", ["--version"], { stdio: "ignore" });
} catch {
  console.log("coldstart-instructions: valgrind is not installed (apt-get install valgrind); skipped");
  process.exit(0);
}

// The clients as coldstart.mjs loads them: ours as shipped (the bundled Node entry).
const CLIENTS = { ours: [`${ROOT}pkg/dist/node.js`, "BackupClient"], baseline: [`${BENCH}baseline/client.mjs`, "BaselineClient"], none: ["none", ""] };

/** Instructions executed by one cold start (every thread of the child). */
const count = (client, preload) => callgrindColdStart(CLIENTS[client], preload);

const k = (n) => round(n / 1000, 0);
const rows = [];
const LOADED = { fetch: "Node's fetch", "fetch+http": "Node's fetch and node:http", none: "neither" };
for (const preload of Object.keys(LOADED)) {
  const at = (client) => percentile(Array.from({ length: RUNS }, () => count(client, preload)), 50);
  const none = at("none");
  const row = { preload, ours: at("ours") - none, baseline: at("baseline") - none, nodeStart: none };
  // The difference does not depend on the subtracted start-up (whose own count moves by ±3 M).
  row.oursMoreThanBaseline = row.ours - row.baseline;
  rows.push(row);
  console.log(`cold start, loaded before: ${LOADED[preload]}: ours ${k(row.ours)}k, baseline ${k(row.baseline)}k instructions (${round(row.ours / row.baseline)}x)`);
}
writeResult("coldstart-instructions", {
  runs: RUNS,
  rows,
  tables: [{
    title: `Node cold start in instructions (thousands; callgrind, median of ${RUNS}): import → the client hands its first request to its HTTP library, less Node's own start`,
    columns: ["loaded before", "ours", "baseline", "ours − baseline", "ratio ours/baseline", "Node's own start"],
    rows: rows.map((r) => [LOADED[r.preload], k(r.ours), k(r.baseline), k(r.oursMoreThanBaseline), round(r.ours / r.baseline), k(r.nodeStart)]),
    chart: ["ours", "baseline"],
  }],
});
