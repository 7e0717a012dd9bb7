// The wasm V8 compiles in one cold start, import to the first answer: V8 compiles wasm lazily,
// a function on its first call, so these bytes are the start-up work that grows with the code
// a first call runs. The same on every run for a given build and Node, unlike the timings.
// Used by bench/coldstart.mjs (reported) and tests/size/startup.test.mjs (a budget).
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The answer the cold-start benchmark gives to describeJob (its server, or node-child's stub). */
export function describeJobAnswer(jobId) {
  return JSON.stringify({
    code: 0,
    data: { jobId, type: "BACKUP", status: "IN_PROGRESS", progress: "45", startTime: "2024-07-30T16:49:50Z", endTime: null, reason: "" },
  });
}

/** Functions, body bytes and function indices compiled by one cold start of `entry` (a path to the Node entry). */
export function wasmCompiledBeforeFirstAnswer(entry) {
  // The answer comes from node-child's stub: Node's own fetch has a wasm HTTP parser, which
  // would be counted too.
  const child = fileURLToPath(new URL("./node-child.mjs", import.meta.url));
  const args = ["--trace-wasm-compilation-times", child, entry, "BackupClient", "http://127.0.0.1:9", "job-1"];
  const out = execFileSync(process.execPath, args, { env: { ...process.env, BENCH_STUB_FETCH: "1" }, maxBuffer: 16 << 20 }).toString();
  const traced = [...out.matchAll(/#(\d+) using Liftoff.*bodysize (\d+)/g)];
  if (traced.length === 0) throw new Error(`no wasm compilation traced (has this Node's V8 renamed --trace-wasm-compilation-times?):\n${out.slice(0, 500)}`);
  const bodies = traced.map((m) => Number(m[2]));
  // indices: the functions' indices in the module (imports first), for bench/wasm-breakdown.mjs.
  return { functions: bodies.length, bodyBytes: bodies.reduce((a, b) => a + b, 0), indices: traced.map((m) => Number(m[1])) };
}
