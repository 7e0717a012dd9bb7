// One Node cold start in a fresh process (node-child.mjs: import the client, make it, send
// describeJob once to the stand-in API), timed from the child's own marks and the server's receipt.
// Shared by coldstart.mjs (the timings) and node-builds.mjs (builds side by side).
import { spawn } from "node:child_process";
import { BENCH } from "../lib/results.mjs";
import { now } from "./stand-in-api.mjs";

/** ms from the start of the import to each moment, and from the spawn to the server's receipt.
 * `api`: standInApi()'s `baseUrl` and `arrivals`; `compileCache`: a NODE_COMPILE_CACHE directory
 * (none by default: a cold start). */
export function nodeColdStart([modulePath, exportName], jobId, api, { preloadFetch = false, compileCache } = {}) {
  const env = { ...process.env, BENCH_PRELOAD_FETCH: preloadFetch ? "1" : "0" };
  delete env.NODE_COMPILE_CACHE; // a cold start: no code cache from an earlier run
  if (compileCache) env.NODE_COMPILE_CACHE = compileCache;
  const tSpawn = now();
  const child = spawn(process.execPath, [`${BENCH}coldstart/node-child.mjs`, modulePath, exportName, api.baseUrl, jobId], {
    env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (chunk) => (out += chunk));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`${modulePath}: the child exited with ${code}`));
      const t = JSON.parse(out);
      const tRecv = api.arrivals.get(jobId);
      resolve({
        import: t.tImported - t.t0,
        importToHandOver: t.tHandOver - t.t0,
        importToRequest: t.tRequest - t.t0,
        importToServer: tRecv - t.t0,
        spawnToServer: tRecv - tSpawn,
      });
    });
  });
}
