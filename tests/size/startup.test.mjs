// The start-up budget: the wasm V8 compiles before the first answer may not grow past what
// BENCHMARKS.md reports plus 5 %. V8 compiles wasm lazily, a function on its first call, so
// these bytes are the part of a cold start that grows with the code the constructor and a first
// call run (an error path merged into them, string searchers, `format!`). Bytes, not time: the
// same on every run for a given build and Node. Counted as bench/coldstart.mjs reports them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
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

// The package's JavaScript compiled lazily in a cold start, import to the first answer, may not
// grow past its budget: a function V8 compiles on its first call is parsed a second time while
// the first request waits. The glue (scripts/eager-glue.mjs), the transport and Node's sender are
// written so that V8 compiles what every request runs with the module; what is left is the two
// classes' constructors and the method called (and `_call`, which runs it). Functions, not time:
// the same on every run for a given build and Node.
test("the package's JavaScript compiled lazily before the first answer stays within its budget", async () => {
  const { jsCompiledBeforeFirstAnswer } = await import("../../bench/coldstart/js-compiled.mjs");
  const { functions, names } = await jsCompiledBeforeFirstAnswer(fileURLToPath(new URL("pkg/dist/node.js", root)));
  const limit = Math.floor(budget.measured.startupLazyJsFunctions * budget.allowance);
  assert.ok(functions > 0, "no lazily compiled function counted: the count no longer sees the package's scripts");
  assert.ok(functions <= limit, `${functions} functions of the package compiled lazily before the first answer (${names.join(", ")}), budget ${limit}`);
});

// Every function the glue hands the .wasm as an import takes as many parameters as the import's
// wasm signature passes. Node 20's V8 (11.3) compiles a wasm-to-JS wrapper per import signature
// while compiling the module, and at instantiation a second one for each import whose JS function
// takes another number of parameters (Node 22's V8, 12.4, and later use one generic wrapper).
// wasm-bindgen's `catch` imports took none until build-pkg.sh gave them their inner function's:
// 9 wrappers, about 2.3 M instructions of a cold start. The glue's imports are caught as the Node
// entry instantiates the .wasm (with its first client).
test("every import of the .wasm is a JS function of its signature's arity", async () => {
  const { functionsOf } = await import("../../bench/wasm-breakdown.mjs");
  const { importedFunctions } = functionsOf(readFileSync(new URL("pkg/dist/zilliz_cloud_backup_bg.wasm", root)));
  const Instance = WebAssembly.Instance;
  let given;
  WebAssembly.Instance = function (module, imports) {
    given = imports;
    return new Instance(module, imports);
  };
  try {
    const { init } = await import(new URL("pkg/dist/node.js", root));
    await init();
  } finally {
    WebAssembly.Instance = Instance;
  }
  assert.ok(given, "the Node entry did not instantiate the .wasm through WebAssembly.Instance");
  assert.ok(importedFunctions.length > 20, `${importedFunctions.length} imported functions read from the .wasm`);
  const mismatched = importedFunctions
    .map(({ module, name, params }) => ({ name, params, arity: given[module]?.[name]?.length }))
    .filter(({ params, arity }) => arity !== params);
  assert.deepEqual(mismatched, [], "imports whose JS function's arity differs from their wasm signature's");
});

// What importing the Node entry makes Node load of its own, in a fresh process whose entry is an
// ES module (node-modules-loaded.mjs): the fewer, the sooner the import returns. An
// `import … from "node:fs"` loaded 17 more (Node 20; 32 on Node 24): Node builds an ES-module
// wrapper of fs that reads every export, fs.promises among them, and with it streams, watchers
// and readline; 1.6 ms of a fresh process's hand-over on Node 20, 3.9 on Node 24 (nineteenth
// round). pkg/node.js takes node:fs from process.getBuiltinModule instead. Modules, not time.
test("importing the Node entry loads few of Node's own modules, and no streams", () => {
  const script = fileURLToPath(new URL("tests/size/node-modules-loaded.mjs", root));
  const loaded = JSON.parse(execFileSync(process.execPath, [script], { encoding: "utf8" }));
  const limit = Math.floor(budget.measured.startupNodeModules * budget.allowance);
  assert.deepEqual(loaded.filter((m) => /stream|fs\/promises/.test(m)), [], "streams or fs.promises loaded by the import");
  assert.ok(loaded.length <= limit, `${loaded.length} of Node's modules loaded by the import, budget ${limit}: ${loaded.join(", ")}`);
});
