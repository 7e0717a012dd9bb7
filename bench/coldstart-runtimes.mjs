// Cold start in Deno and Bun: from `import` to the first request leaving, ours vs the baseline, in
// fresh processes (coldstart/runtime-child.mjs), alternating ours/baseline to cancel drift, against
// the same stand-in API as coldstart.mjs. Ours is the entry the runtime resolves from the
// package's exports map (its "deno" or "bun" condition). Metrics, ms: import (import start ->
// module ready) and importToHandOver (-> the client calls the runtime's fetch, its own work done),
// both on the child's clock; spawnToServer (spawn -> this server has the request: adds the
// runtime's boot and its first fetch), on this process's clock. No import -> server, which
// coldstart.mjs has for Node: it would subtract one process's clock from another's, and Bun's
// performance.timeOrigin was found up to about 4 ms off Node's (the baseline's request arrived
// "before" it was sent).
// Cold: Deno without its V8 code cache (--no-code-cache), Bun without its transpiler cache.
// Runtimes: BENCH_RUNTIMES (default "deno bun"), the binaries of bench's npm packages.
// Results: bench/results/coldstart-runtimes.json.
import { readFileSync } from "node:fs";
import { BENCH, ROOT, writeResult } from "./lib/results.mjs";
import { standInApi } from "./coldstart/stand-in-api.mjs";
import { timedChild } from "./coldstart/timed-child.mjs";
import { measure, print, table } from "./coldstart/side-by-side.mjs";

const TRIALS = Number(process.env.BENCH_COLDSTART_TRIALS ?? 25);
const RUNTIMES = (process.env.BENCH_RUNTIMES ?? "deno bun").split(/[\s,]+/).filter(Boolean);
const exportsMap = JSON.parse(readFileSync(`${ROOT}pkg/package.json`, "utf8")).exports["."];

// How each runtime runs the child: its binary, its flags, its environment.
const RUN = {
  deno: { bin: `${BENCH}node_modules/.bin/deno`, args: ["run", "-A", "--no-code-cache"], env: { NO_COLOR: "1" } },
  bun: { bin: `${BENCH}node_modules/.bin/bun`, args: [], env: { BUN_RUNTIME_TRANSPILER_CACHE_PATH: "0" } },
};

const { baseUrl, arrivals, close } = await standInApi();

/** One fresh process of `runtime` importing `[module, export]` and sending describeJob once. */
async function coldStart(runtime, [modulePath, exportName], jobId) {
  const { bin, args, env } = RUN[runtime];
  const child = [...args, `${BENCH}coldstart/runtime-child.mjs`, modulePath, exportName, baseUrl, jobId];
  const { t, tSpawn } = await timedChild(bin, child, { ...process.env, ...env }, `${runtime} ${modulePath}`);
  return { import: t.tImported - t.t0, importToHandOver: t.tHandOver - t.t0, spawnToServer: arrivals.get(jobId) - tSpawn };
}

try {
  const results = {};
  for (const runtime of RUNTIMES) {
    if (!RUN[runtime]) throw new Error(`BENCH_RUNTIMES: no way to run ${runtime} (known: ${Object.keys(RUN).join(", ")})`);
    const clients = {
      ours: [new URL(exportsMap[runtime], `file://${ROOT}pkg/`).pathname, "BackupClient"],
      baseline: [`${BENCH}baseline/client.mjs`, "BaselineClient"],
    };
    console.log(`${runtime}: ${TRIALS} fresh processes per client, ours from ${exportsMap[runtime]}`);
    results[runtime] = { entry: exportsMap[runtime], ...(await measure(runtime, (name, jobId) => coldStart(runtime, clients[name], jobId), TRIALS)) };
    print(runtime, results[runtime]);
  }
  const path = writeResult(process.env.BENCH_RESULT_NAME ?? "coldstart-runtimes", {
    note: "ms, fresh processes; import and importToHandOver on the child's clock, spawnToServer on the parent's (never one against the other). See the header of bench/coldstart-runtimes.mjs.",
    ...results,
    tables: Object.entries(results).map(([runtime, r]) => table(`Cold start, ${runtime} (fresh process; ours: the package's ${r.entry})`, r, "ms")),
  });
  console.log(`-> ${path}`);
} finally {
  close();
}
