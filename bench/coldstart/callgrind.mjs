// One Node cold start under valgrind's callgrind, stopped where the client hands its first
// request to its HTTP library (node-child.mjs with BENCH_EXIT_AT_HANDOVER). Shared by
// coldstart-instructions.mjs (the count) and coldstart-phases.mjs (the count by function).
import { spawnSync } from "node:child_process";
import { BENCH } from "../lib/results.mjs";

/** Runs the child for `[modulePath, exportName]` (or `["none", ""]`: Node's own start, stopped
 * where the import would begin) and answers the instructions callgrind collected, every thread.
 * `preload`: "fetch", "fetch+http" or "none" (what Node loads before the clock starts);
 * `outFile`: where callgrind writes its per-function counts (default: nowhere). */
export function callgrindColdStart(client, preload, outFile = "/dev/null") {
  // The request only has to be handed over: nothing listens at this address (not port 9: fetch
  // refuses the well-known ports it blocks before creating the request).
  const child = [`${BENCH}coldstart/node-child.mjs`, ...client, "http://127.0.0.1:59999", "job-0123456789abcdef"];
  const env = { ...process.env, BENCH_EXIT_AT_HANDOVER: "1", BENCH_PRELOAD_FETCH: preload === "none" ? "0" : "1", BENCH_PRELOAD_HTTP: preload === "fetch+http" ? "1" : "0" };
  delete env.NODE_COMPILE_CACHE; // a cold start: no code cache from an earlier run
  const out = spawnSync("valgrind", ["--tool=callgrind", "--smc-check=all", `--callgrind-out-file=${outFile}`, process.execPath, ...child], { env, encoding: "utf8", maxBuffer: 16 << 20 });
  const collected = /Collected : (\d+)/.exec(out.stderr);
  if (out.status !== 0 || !collected) throw new Error(`valgrind ${client[0]} (${preload} loaded): exit ${out.status}\n${out.stderr.slice(-2000)}`);
  return Number(collected[1]);
}
