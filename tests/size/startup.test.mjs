// The start-up budget: the wasm V8 compiles before the first answer may not grow past what
// BENCHMARKS.md reports plus 5 %. V8 compiles wasm lazily, a function on its first call, so
// these bytes are the part of a cold start that grows with the code the constructor and a first
// call run (an error path merged into them, string searchers, `format!`). Bytes, not time: the
// same on every run for a given build and Node (bench/coldstart.mjs counts them the same way).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = new URL("../../", import.meta.url);
const budget = JSON.parse(readFileSync(new URL("tests/size/budget.json", root)));
// The answer bench/coldstart.mjs's server gives.
const answer = JSON.stringify({
  code: 0,
  data: { jobId: "job-1", type: "BACKUP", status: "IN_PROGRESS", progress: "45", startTime: "2024-07-30T16:49:50Z", endTime: null, reason: "" },
});

test("the wasm compiled before the first answer stays within its budget", () => {
  // One cold start: import, new BackupClient, describeJob answered by a stub (Node's own fetch
  // has a wasm HTTP parser, which would be counted too).
  const child = fileURLToPath(new URL("bench/coldstart/node-child.mjs", root));
  const entry = fileURLToPath(new URL("pkg/dist/node.js", root));
  const out = execFileSync(process.execPath, ["--trace-wasm-compilation-times", child, entry, "BackupClient", "http://127.0.0.1:9", "job-1"], {
    env: { ...process.env, BENCH_STUB_FETCH: answer },
  }).toString();
  const bodies = [...out.matchAll(/using Liftoff.*bodysize (\d+)/g)].map((m) => Number(m[1]));
  assert.ok(bodies.length > 0, `no wasm compilation traced (has this Node's V8 renamed --trace-wasm-compilation-times?):\n${out.slice(0, 500)}`);
  const bytes = bodies.reduce((a, b) => a + b, 0);
  const limit = Math.floor(budget.measured.startupCompiledBytes * budget.allowance);
  assert.ok(bytes <= limit, `${bytes} bytes of wasm compiled before the first answer (${bodies.length} functions), budget ${limit} (${budget.measured.startupCompiledBytes} + 5 %)`);
});
