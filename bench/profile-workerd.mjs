// Where a fresh workerd isolate's first request spends its time: a CPU profile of the cold-start
// worker (coldstart/worker.mjs: make the client, send describeJob once) in fresh isolates,
// through Miniflare's inspector, summed over the trials. Self time up to the moment the request
// leaves (the runtime's own fetch is first on the stack) and in all, grouped as: wasm by Rust
// module (names from bench/wasm-breakdown.sh's build, when it matches pkg/dist), the bundle's
// JS, V8's wasm/JS boundary frames, idle. V8 compiles a wasm function on its first call, and a
// sample taken meanwhile counts for the caller: a module's time includes compiling what it
// calls first. A diagnostic for the cold-start goal, not part of `make bench`: sampling slows
// what it measures, so compare its shares, not its times, with coldstart.mjs.
// Usage: node bench/profile-workerd.mjs [ours|baseline] [trials] (writes results/profile-workerd.json)
import { existsSync, readFileSync, rmSync } from "node:fs";
import WebSocket from "ws";
import { bundleWorker, isolate } from "./coldstart/worker-isolate.mjs";
import { standInApi } from "./coldstart/stand-in-api.mjs";
import { ROOT, writeResult } from "./lib/results.mjs";
import { demangle, functionsOf, groupOf, sameBodies } from "./wasm-breakdown.mjs";

const client = process.argv[2] ?? "ours";
const TRIALS = Number(process.argv[3] ?? 8);
const INSPECTOR_PORT = 9300;
const SAMPLING_US = 50;

/** Rust names of the shipped .wasm's functions by index, if the named build matches it. */
function wasmNames() {
  const namedPath = `${ROOT}target/wasm-names/named.wasm`;
  if (!existsSync(namedPath)) return undefined;
  const named = functionsOf(readFileSync(namedPath));
  return sameBodies(named, functionsOf(readFileSync(`${ROOT}pkg/dist/zilliz_cloud_backup_bg.wasm`))) ? named.names : undefined;
}

/** One CDP session on the isolate's inspector. */
async function inspector(port) {
  const targets = await (await fetch(`http://127.0.0.1:${port}/json`)).json();
  const ws = new WebSocket(targets[0].webSocketDebuggerUrl);
  await new Promise((resolve, reject) => { ws.once("open", resolve); ws.once("error", reject); });
  let lastId = 0;
  const pending = new Map();
  ws.on("message", (data) => {
    const message = JSON.parse(data);
    pending.get(message.id)?.(message.result);
    pending.delete(message.id);
  });
  const call = (method, params = {}) => new Promise((resolve) => {
    pending.set(++lastId, resolve);
    ws.send(JSON.stringify({ id: lastId, method, params }));
  });
  return { call, close: () => ws.close() };
}

/** Self time (µs) per frame label, up to the first sample inside the runtime's fetch and in all. */
function selfTimes(profile, label) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n);
  // The runtime's fetch is native: a frame named fetch with no script.
  const inFetch = (node) => {
    for (let n = node; n; n = parent.get(n.id)) if (n.callFrame.functionName === "fetch" && n.callFrame.url === "") return true;
    return false;
  };
  const before = new Map();
  const all = new Map();
  let leaving = false;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const us = profile.timeDeltas[i + 1] ?? 0;
    const key = label(node.callFrame);
    leaving ||= inFetch(node);
    if (!leaving) before.set(key, (before.get(key) ?? 0) + us);
    all.set(key, (all.get(key) ?? 0) + us);
  });
  return { before, all };
}

const names = wasmNames();
const label = ({ functionName, url }) => {
  const wasm = /^wasm-function\[(\d+)\]$/.exec(functionName);
  if (wasm) return `wasm: ${names ? groupOf(demangle(names.get(Number(wasm[1])) ?? "")) : "(names: run bench/wasm-breakdown.sh)"}`;
  if (functionName === "(idle)") return "idle";
  if (url.endsWith("worker.js")) return "JS: the bundle";
  if (/^(wasm-to-js|js-to-wasm)/.test(functionName)) return "V8: wasm/JS boundary";
  return `other: ${functionName || "(anonymous)"}`;
};

const api = await standInApi();
const outdir = await bundleWorker(client);
const sums = { before: new Map(), all: new Map() };
try {
  for (let trial = 0; trial < TRIALS; trial++) {
    const port = INSPECTOR_PORT + trial;
    const mf = isolate(outdir, api.baseUrl, { inspectorPort: port });
    try {
      await mf.ready;
      const cdp = await inspector(port);
      await cdp.call("Profiler.enable");
      await cdp.call("Profiler.setSamplingInterval", { interval: SAMPLING_US });
      await cdp.call("Profiler.start");
      const response = await mf.dispatchFetch(`http://bench.local/?job=job-profile-${trial}`);
      if (!response.ok) throw new Error(`worker answered ${response.status}: ${await response.text()}`);
      await response.arrayBuffer();
      const { profile } = await cdp.call("Profiler.stop");
      cdp.close();
      const { before, all } = selfTimes(profile, label);
      for (const [part, times] of [["before", before], ["all", all]]) {
        for (const [key, us] of times) sums[part].set(key, (sums[part].get(key) ?? 0) + us);
      }
    } finally {
      await mf.dispose();
    }
  }
} finally {
  api.close();
  rmSync(outdir, { recursive: true });
}

const ms = (us) => Math.round(us / TRIALS) / 1000;
const rows = (times) => [...times].sort((a, b) => b[1] - a[1]).map(([key, us]) => [key, ms(us)]);
const tables = [
  ["until the request leaves", sums.before],
  ["the whole first request", sums.all],
].map(([what, times]) => ({
  title: `workerd, ${client}: self time per trial, ${what} (mean of ${TRIALS}, sampled every ${SAMPLING_US} µs)`,
  columns: ["where", "ms"],
  rows: rows(times),
}));
for (const t of tables) {
  console.log(t.title);
  for (const [key, value] of t.rows.slice(0, 25)) console.log(`  ${value.toFixed(3).padStart(8)} ms  ${key}`);
}
writeResult("profile-workerd", { client, trials: TRIALS, samplingUs: SAMPLING_US, names: Boolean(names), tables });
