// Node's cold start for several builds of the package side by side, with plain JS for scale: the
// Node counterpart of workerd-builds.mjs, for trying a change to the Node entry. Fresh processes
// (coldstart/node-child.mjs, the child of coldstart.mjs), the clients alternating, their order
// reversed every other trial; three moments from the import: the import returned, the client
// handed its request to its HTTP library, the server has it. Medians, and the paired ratio to
// plain JS for the last two. Only builds measured in one run compare (the VM drifts by the hour).
// Each build is a copy of pkg/ (its dist/node.js and the .wasm beside it).
// BENCH_PRELOAD_FETCH=1: Node's fetch loaded before the clock starts (default: nothing loaded).
// Usage: node bench/node-builds.mjs <package dir> [<package dir> ...]   (BENCH_COLDSTART_TRIALS, 31)
// Writes results/node-builds.json.
import { basename, resolve } from "node:path";
import { standInApi } from "./coldstart/stand-in-api.mjs";
import { nodeColdStart } from "./coldstart/node-process.mjs";
import { BENCH, writeResult } from "./lib/results.mjs";
import { percentile, round } from "./lib/stats.mjs";

const TRIALS = Number(process.env.BENCH_COLDSTART_TRIALS ?? 31);
const dirs = process.argv.slice(2).map((d) => resolve(d));
if (dirs.length === 0) throw new Error("usage: node bench/node-builds.mjs <package dir> [<package dir> ...]");
const clients = [["plain JS", `${BENCH}baseline/client.mjs`, "BaselineClient"], ...dirs.map((d) => [basename(d), `${d}/dist/node.js`, "BackupClient"])];
if (new Set(clients.map(([name]) => name)).size !== clients.length) throw new Error(`name the builds' directories differently: ${clients.map(([n]) => n).join(", ")}`);

const { baseUrl, arrivals, close } = await standInApi();

/** One fresh process: ms from the start of the import to each moment. */
async function coldStart([, modulePath, exportName], jobId) {
  const t = await nodeColdStart([modulePath, exportName], jobId, { baseUrl, arrivals }, { preloadFetch: process.env.BENCH_PRELOAD_FETCH === "1" });
  return { import: t.import, handOver: t.importToHandOver, server: t.importToServer };
}

const samples = clients.map(() => []);
try {
  for (let t = 0; t < TRIALS; t++) {
    const order = clients.map((_, i) => i);
    if (t % 2) order.reverse();
    for (const i of order) samples[i].push(await coldStart(clients[i], `job-nb-${t}-${i}`));
  }
} finally {
  close();
}

const median = (rows, key) => percentile(rows.map((r) => r[key]), 50);
const paired = (rows, key) => percentile(rows.map((r, t) => r[key] / samples[0][t][key]), 50);
const rows = clients.map(([name], i) => ({
  name,
  importMs: round(median(samples[i], "import")),
  handOverMs: round(median(samples[i], "handOver")),
  serverMs: round(median(samples[i], "server")),
  handOverRatio: round(paired(samples[i], "handOver")),
  serverRatio: round(paired(samples[i], "server")),
}));
for (const r of rows) console.log(`${r.name}: import ${r.importMs} ms, hand-over ${r.handOverMs} ms (${r.handOverRatio}x), server ${r.serverMs} ms (${r.serverRatio}x)`);
writeResult("node-builds", {
  trials: TRIALS,
  preloadFetch: process.env.BENCH_PRELOAD_FETCH === "1",
  rows,
  samples: Object.fromEntries(clients.map(([name], i) => [name, samples[i]])),
  tables: [{
    title: `Node cold start, builds side by side (${TRIALS} fresh processes each, medians; paired ratio to plain JS)`,
    columns: ["client", "import (ms)", "import → hand-over (ms)", "ratio", "import → server has it (ms)", "ratio"],
    rows: rows.map((r) => [r.name, r.importMs, r.handOverMs, r.handOverRatio, r.serverMs, r.serverRatio]),
  }],
});
