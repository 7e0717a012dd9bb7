// Cold start: from importing the client to its first request leaving, ours vs the baseline,
// in fresh Node processes and fresh workerd isolates (a new Miniflare, so a new workerd
// process, per trial), alternating ours/baseline to cancel drift. The request goes to a local
// node:http server that answers describeJob at once and timestamps each request's arrival.
//
// Node (clock: performance.timeOrigin + performance.now(), wall time at sub-ms resolution, the
// same in the child and here): import (import start -> module ready), importToHandOver (import
// start -> the client hands its request to its HTTP library: ours asks Node for node:http, the
// baseline calls fetch; the client's own share), importToRequest (import start -> that library
// has made the request, from Node's diagnostics channels: undici's before connecting,
// node:http's once written to the socket, see coldstart/node-child.mjs), importToServer (import start -> this server has
// the request), spawnToServer (spawn -> server has it: adds Node's own boot, the same for both).
// Twice: with Node's fetch (undici) loaded before the child's clock starts, as if the app had
// used it already (the baseline then does not pay the ~15–30 ms of loading it; ours does not
// use it), and as a fresh process pays it (see node-child.mjs).
//
// workerd: time inside a worker is Date.now() only, in 1 ms steps (performance.now() stays 0
// at global scope; on Cloudflare's edge the clock is also frozen while code runs and moves
// only on I/O, so there these in-worker numbers would read 0). Locally it does move, so we
// take evaluate (module evaluation start -> end of top-level code, which instantiates our
// wasm) and handlerToFetch (first request's handler start -> fetch called); their sum is
// "import -> first request leaving" without the idle time between load and the first request.
// Measured from here: startup (new Miniflare -> ready: workerd's boot + compiling the script,
// validating the .wasm + top-level evaluation; the ours-baseline difference is the package's
// share) and dispatchToServer (dispatchFetch -> server has the request, through Miniflare's
// proxy). V8 compiles wasm functions lazily, on their first call, so the first request pays for
// compiling what it runs: one more fresh isolate, traced, counts it (workerd-compiled.mjs).
// workerd evaluates the worker's modules while it starts, so dispatchToServer leaves the import
// out; a second worker imports the client inside its first request (worker-import.mjs), and its
// dispatchToServer is import → the server has the request (workerdImport).
// Not measured: network time to a real API, TLS, the browser (see size.mjs for bytes).
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundleWorker, isolate } from "./coldstart/worker-isolate.mjs";
import { BENCH, ROOT, writeResult } from "./lib/results.mjs";
import { wasmCompiledBeforeFirstAnswer } from "./coldstart/wasm-compiled.mjs";
import { wasmCompiledInWorkerd } from "./coldstart/workerd-compiled.mjs";
import { now, standInApi } from "./coldstart/stand-in-api.mjs";
import { nodeColdStart } from "./coldstart/node-process.mjs";
import { measure as measureBoth, print, table } from "./coldstart/side-by-side.mjs";

const TRIALS = Number(process.env.BENCH_COLDSTART_TRIALS ?? 25);
// BENCH_COLDSTART_ONLY=node|workerd runs one runtime and prints its numbers without writing results;
// node-compile-cache, fresh Node processes without and then with Node's compile cache (Node 22.1+:
// NODE_COMPILE_CACHE, its directory filled by one run of each client first), the tip in
// pkg/README.md.
const ONLY = process.env.BENCH_COLDSTART_ONLY;

// Each client's Node module and export (the worker's are in coldstart/worker-isolate.mjs).
const CLIENTS = {
  ours: { node: [`${ROOT}pkg/dist/node.js`, "BackupClient"] },
  baseline: { node: [`${BENCH}baseline/client.mjs`, "BaselineClient"] },
};

// The stand-in API: a valid describe-job answer for any job id; arrival times by job id.
const { baseUrl, arrivals, close: closeServer } = await standInApi();

const runNodeChild = (name, jobId, preloadFetch, compileCache) => nodeColdStart(CLIENTS[name].node, jobId, { baseUrl, arrivals }, { preloadFetch, compileCache });

/** One fresh isolate running a cold-start bundle. `importInRequest`: the bundle of
 * worker-import.mjs, whose answer carries no timestamps: startup, and dispatch → the server has
 * the request, which then includes the import. */
async function runWorker(outdir, jobId, importInRequest = false) {
  const tNew = now();
  const mf = isolate(outdir, baseUrl);
  try {
    await mf.ready;
    const tReady = now();
    const tDispatch = now();
    const response = await mf.dispatchFetch(`http://bench.local/?job=${jobId}`);
    if (!response.ok) throw new Error(`worker answered ${response.status}: ${await response.text()}`);
    if (importInRequest) {
      await response.arrayBuffer();
      return { startup: tReady - tNew, importToServer: arrivals.get(jobId) - tDispatch };
    }
    const t = await response.json();
    return {
      startup: tReady - tNew,
      evaluate: t.tEvaluated - t.t0,
      handlerToFetch: t.tFetch - t.tHandler,
      inWorkerToFetch: t.tEvaluated - t.t0 + (t.tFetch - t.tHandler),
      dispatchToServer: arrivals.get(jobId) - tDispatch,
    };
  } finally {
    await mf.dispose();
  }
}

const measure = (label, trial) => measureBoth(label, trial, TRIALS);

/** Both clients' cold-start workers bundled (`options`: bundleWorker's). */
async function bundleBoth(options) {
  return { ours: await bundleWorker("ours", undefined, options), baseline: await bundleWorker("baseline", undefined, options) };
}

try {
  const nodeWarm = (name, jobId) => runNodeChild(name, jobId, true);
  const nodeFresh = (name, jobId) => runNodeChild(name, jobId, false);
  if (ONLY === "node") {
    print("node, fetch preloaded", await measure("node", nodeWarm));
    print("node, fresh", await measure("node-fresh", nodeFresh));
    console.log("wasm compiled before the first answer:", wasmCompiledBeforeFirstAnswer(CLIENTS.ours.node[0]));
    process.exit(0);
  }
  if (ONLY === "node-compile-cache") {
    print("node, fresh", await measure("node-fresh", nodeFresh));
    const cache = mkdtempSync(join(tmpdir(), "zcb-compile-cache-"));
    const cached = (name, jobId) => runNodeChild(name, jobId, false, cache);
    for (const name of Object.keys(CLIENTS)) await cached(name, `job-cache-fill-${name}`);
    if (readdirSync(cache).length === 0) throw new Error(`Node ${process.version} wrote no compile cache (it needs 22.1 or later)`);
    print("node, fresh, compile cache filled", await measure("node-cached", cached));
    rmSync(cache, { recursive: true });
    process.exit(0);
  }
  if (ONLY === "workerd") {
    const bundles = await bundleBoth();
    const importing = await bundleBoth({ importInRequest: true });
    print("workerd", await measure("workerd", (name, jobId) => runWorker(bundles[name], jobId)));
    print("workerd, import in the request", await measure("workerd-import", (name, jobId) => runWorker(importing[name], jobId, true)));
    for (const dir of Object.values(importing)) rmSync(dir, { recursive: true });
    console.log("wasm compiled in workerd by the first request:", await wasmCompiledInWorkerd(bundles.ours, baseUrl));
    for (const dir of Object.values(bundles)) rmSync(dir, { recursive: true });
    process.exit(0);
  }
  console.log(`node: ${TRIALS} fresh processes per client, Node's fetch preloaded, then not`);
  const node = await measure("node", nodeWarm);
  const nodeFreshResult = await measure("node-fresh", nodeFresh);
  const compiled = wasmCompiledBeforeFirstAnswer(CLIENTS.ours.node[0]);
  const bundles = await bundleBoth();
  console.log(`workerd: ${TRIALS} fresh Miniflare instances per client`);
  const workerd = await measure("workerd", (name, jobId) => runWorker(bundles[name], jobId));
  const importing = await bundleBoth({ importInRequest: true });
  console.log(`workerd, the client imported in the first request: ${TRIALS} fresh Miniflare instances per client`);
  const workerdImport = await measure("workerd-import", (name, jobId) => runWorker(importing[name], jobId, true));
  for (const dir of Object.values(importing)) rmSync(dir, { recursive: true });
  const compiledWorkerd = await wasmCompiledInWorkerd(bundles.ours, baseUrl);
  for (const dir of Object.values(bundles)) {
    console.log(`worker bundle: ${readdirSync(dir).join(", ")}`);
    rmSync(dir, { recursive: true });
  }
  const path = writeResult("coldstart", {
    note: "ms. node: performance.timeOrigin+now() in child and parent; workerd: Date.now() (1 ms steps) inside the worker, performance clock outside. See the header of bench/coldstart.mjs.",
    node,
    nodeFresh: nodeFreshResult,
    workerd,
    workerdImport,
    wasmCompiledBeforeFirstAnswer: compiled,
    wasmCompiledInWorkerd: compiledWorkerd,
    tables: [
      table("Cold start, Node (fresh process, Node's fetch preloaded)", node, "ms"),
      table("Cold start, Node (fresh process, nothing preloaded)", nodeFreshResult, "ms"),
      table("Cold start, workerd (fresh Miniflare)", workerd, "ms"),
      table("Cold start, workerd (fresh Miniflare), the client imported in the first request", workerdImport, "ms"),
      {
        title: "wasm code V8 compiled lazily before the first answer (ours)",
        columns: ["runtime", "functions", "body bytes", "V8's compile time, traced (µs)"],
        rows: [
          ["Node (stubbed fetch)", compiled.functions, compiled.bodyBytes, ""],
          ["workerd (one fresh isolate)", compiledWorkerd.functions, compiledWorkerd.bodyBytes, compiledWorkerd.tracedUs],
        ],
      },
    ],
  });
  for (const [runtime, r] of Object.entries({ "node, fetch preloaded": node, "node, fresh": nodeFreshResult, workerd, "workerd, import in the request": workerdImport })) print(runtime, r);
  console.log(`wasm compiled before the first answer: ${compiled.functions} functions, ${compiled.bodyBytes} body bytes`);
  console.log(`  in workerd: ${compiledWorkerd.functions} functions, ${compiledWorkerd.bodyBytes} body bytes, ${compiledWorkerd.tracedUs} µs traced`);
  console.log(`-> ${path}`);
} finally {
  closeServer();
}
