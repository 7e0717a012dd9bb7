// The size budget: the package's bytes (gzip -9) may not grow past what BENCHMARKS.md reports
// plus 5 %. Run after `make pkg` (make test builds it first).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { functionsOf } from "../../bench/wasm-breakdown.mjs";

const root = new URL("../../", import.meta.url);
const budget = JSON.parse(readFileSync(new URL("tests/size/budget.json", root)));
const gz = (path) => gzipSync(readFileSync(new URL(path, root)), { level: 9 }).length;

const files = {
  wasm: "pkg/dist/zilliz_cloud_backup_bg.wasm",
  glue: "pkg/dist/zilliz_cloud_backup.js",
  // src/wasm/transport.js, which build-pkg.sh moves out of wasm-bindgen's snippets/ directory.
  transport: "pkg/dist/transport.js",
  browserEntry: "pkg/dist/zilliz_cloud_backup_bg.wasm.js",
  // The Node and Bun entry: node.js, node-http.js, common.js, the glue and the transport bundled
  // (build-pkg.sh).
  nodeEntry: "pkg/dist/node.js",
  // The browsers' entry that fetches the .wasm as a file (the default one inlines it: browserEntry).
  wasmFileEntry: "pkg/wasm-file.js",
  // Deno's entry alone (twenty-third round; it loads browserEntry's inlined .wasm, the glue and
  // the transport, budgeted above).
  denoEntry: "pkg/deno.js",
};

for (const [name, path] of Object.entries(files)) {
  test(`${name} (${path}) stays within its gzip budget`, () => {
    const limit = Math.floor(budget.measured[name] * budget.allowance);
    const size = gz(path);
    assert.ok(size <= limit, `${path}: ${size} bytes gzip -9, budget ${limit} (${budget.measured[name]} + 5 %)`);
  });
}

// core::fmt (its formatter, padding and integer printing: about 4 KB of .wasm) stays out: messages
// are built from pieces (src/text.rs `cat`). One `format!` in library code would bring it back
// without growing the .wasm past its 5 % allowance, so this looks for it by name, in the release
// build make pkg links (its name section names every function the linker kept).
test("the .wasm holds none of core::fmt", () => {
  const linked = new URL("target/pkg/wasm32-unknown-unknown/release/zilliz_cloud_backup.wasm", root);
  const { names } = functionsOf(readFileSync(linked));
  assert.ok(names.size > 500, `${names.size} function names: the build kept no name section`);
  const fmt = [...names.values()].filter((name) => /^_ZN(4core|5alloc)3fmt/.test(name));
  assert.deepEqual(fmt, [], "core::fmt is linked in: a format!, write! or {} / {:?} in library code?");
});

// No custom sections in the shipped .wasm: names, `producers` and `target_features` are for tools
// (scripts/lib.sh's wasm-opt strips them), and every byte of them is downloaded by every user.
test("the shipped .wasm holds no custom sections", () => {
  const { customSections } = functionsOf(readFileSync(new URL(files.wasm, root)));
  assert.deepEqual(customSections, [], "custom sections shipped");
});

// The names the .wasm and its glue know each other by are short (scripts/short-names.mjs): the
// hashes wasm-bindgen puts in its import names are hex gzip cannot shrink, and they were about
// 2 KB gzip of the .wasm and the glue together (twentieth round).
test("the .wasm's imports and exports have short names, and the glue no hashed ones", () => {
  const module = new WebAssembly.Module(readFileSync(new URL(files.wasm, root)));
  const long = [
    ...WebAssembly.Module.imports(module).flatMap(({ module, name }) => [module, name]),
    ...WebAssembly.Module.exports(module).map(({ name }) => name).filter((name) => name !== "memory"),
  ].filter((name) => name.length > 2);
  assert.deepEqual(long, [], "long import or export names in the .wasm");
  const hashed = readFileSync(new URL(files.glue, root), "utf8").match(/\w*[0-9a-f]{16}\w*/g);
  assert.equal(hashed, null, "hashed names in the glue");
});
