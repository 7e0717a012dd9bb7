// One Node cold start in a fresh process (node-child.mjs: import the client, make it, send
// describeJob once to the stand-in API), timed from the child's own marks and the server's receipt.
// Shared by coldstart.mjs (the timings) and node-builds.mjs (builds side by side).
import { BENCH } from "../lib/results.mjs";
import { timedChild } from "./timed-child.mjs";

/** ms from the start of the import to each moment, and from the spawn to the server's receipt.
 * `api`: standInApi()'s `baseUrl` and `arrivals`; `compileCache`: a NODE_COMPILE_CACHE directory
 * (none by default: a cold start). */
export async function nodeColdStart([modulePath, exportName], jobId, api, { preloadFetch = false, compileCache } = {}) {
  const env = { ...process.env, BENCH_PRELOAD_FETCH: preloadFetch ? "1" : "0" };
  delete env.NODE_COMPILE_CACHE; // a cold start: no code cache from an earlier run
  if (compileCache) env.NODE_COMPILE_CACHE = compileCache;
  const child = [`${BENCH}coldstart/node-child.mjs`, modulePath, exportName, api.baseUrl, jobId];
  const { t, tSpawn } = await timedChild(process.execPath, child, env, modulePath);
  const tRecv = api.arrivals.get(jobId);
  return {
    import: t.tImported - t.t0,
    importToHandOver: t.tHandOver - t.t0,
    importToRequest: t.tRequest - t.t0,
    importToServer: tRecv - t.t0,
    spawnToServer: tRecv - tSpawn,
  };
}
