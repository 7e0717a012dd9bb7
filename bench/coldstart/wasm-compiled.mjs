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
  return liftoffCompiles(out, "this Node's V8");
}

/** What V8's --trace-wasm-compilation-times printed: the functions Liftoff compiled, their body
 * bytes and their indices in the module (imports first, for bench/wasm-breakdown.mjs). Also the
 * compile times V8 measured, in µs, where it prints them in µs (workerd's V8; Node's prints
 * whole ms, so null there); tracing adds to them, so they are an upper bound. */
export function liftoffCompiles(out, whose) {
  const traced = [...out.matchAll(/#(\d+) using Liftoff, took (\d+) (ms|.s)\b.*bodysize (\d+)/g)];
  if (traced.length === 0) throw new Error(`no wasm compilation traced (has ${whose} renamed --trace-wasm-compilation-times?):\n${out.slice(0, 500)}`);
  const sum = (i) => traced.reduce((a, m) => a + Number(m[i]), 0);
  const inMicroseconds = traced.every((m) => m[3] !== "ms");
  return { functions: traced.length, bodyBytes: sum(4), tracedUs: inMicroseconds ? sum(2) : null, indices: traced.map((m) => Number(m[1])) };
}
