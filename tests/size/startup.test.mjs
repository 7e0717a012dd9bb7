// The start-up budget: the wasm V8 compiles before the first answer may not grow past what
// BENCHMARKS.md reports plus 5 %. V8 compiles wasm lazily, a function on its first call, so
// these bytes are the part of a cold start that grows with the code the constructor and a first
// call run (an error path merged into them, string searchers, `format!`). Bytes, not time: the
// same on every run for a given build and Node. Counted as bench/coldstart.mjs reports them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { wasmCompiledBeforeFirstAnswer } from "../../bench/coldstart/wasm-compiled.mjs";

const root = new URL("../../", import.meta.url);
const budget = JSON.parse(readFileSync(new URL("tests/size/budget.json", root)));

test("the wasm compiled before the first answer stays within its budget", () => {
  const { functions, bodyBytes } = wasmCompiledBeforeFirstAnswer(fileURLToPath(new URL("pkg/dist/node.js", root)));
  const limit = Math.floor(budget.measured.startupCompiledBytes * budget.allowance);
  assert.ok(bodyBytes <= limit, `${bodyBytes} bytes of wasm compiled before the first answer (${functions} functions), budget ${limit} (${budget.measured.startupCompiledBytes} + 5 %)`);
});
