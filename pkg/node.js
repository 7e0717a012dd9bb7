// Node (>= 18) and Bun (Deno has an entry of its own, deno.js): read the .wasm beside this file and
// instantiate it when the first client is made (common.js's instantiateOnFirstUse): V8 validates
// the whole .wasm when it is compiled, a fifth to a third of a fresh process's work up to its first
// request (bench/coldstart-phases.mjs), which an import that makes no client should not pay.
import { createRequire } from "node:module";
import { initSync } from "./dist/zilliz_cloud_backup.js";
import { instantiateOnFirstUse } from "./common.js";
// The very module the glue imports (build-pkg.sh moves it out of wasm-bindgen's snippets/).
import { useSender } from "./dist/transport.js";
import { nodeHttpSend } from "./node-http.js";

// node:fs through process.getBuiltinModule (Node 20.16+, Deno, Bun) rather than `import … from
// "node:fs"`: for that, Node builds an ES-module wrapper of fs that reads every export,
// fs.promises among them, which loads it and streams: 1.6–3.9 ms of a fresh process's start,
// more than validating the .wasm (bench/HISTORY.md, nineteenth round). Older Node requires it
// (node:module's wrapper costs nothing measurable). Not a top-level await: Node 22 and 24 let
// CommonJS require() an ES module only without one.
// Bun maps the file instead (Bun.mmap, private: nothing can write to the file through it): loading
// Bun's node:fs took 3–5 ms of a fresh process, mapping the file 0.15 (bench/HISTORY.md,
// twenty-fourth round). Where it cannot map it (Bun opens the file for writing to map it, so a
// read-only install; a platform without mmap), fs reads it, and a missing file fails there.
// Written `(function …)` as src/wasm/transport.js explains: they run once, before the first client.
instantiateOnFirstUse((function instantiateWasm() {
  const url = new URL("./dist/zilliz_cloud_backup_bg.wasm", import.meta.url);
  initSync({ module: mapped(url) ?? readFile(url) });
}));

/** The file mapped by Bun, or null (not Bun, or it could not map it). */
const mapped = (function mapped(url) {
  if (typeof Bun === "undefined") return null;
  try {
    return Bun.mmap(Bun.fileURLToPath(url), { shared: false });
  } catch {
    return null;
  }
});

const readFile = (function readFile(url) {
  const { readFileSync } = process.getBuiltinModule?.("node:fs") ?? createRequire(import.meta.url)("node:fs");
  return readFileSync(url);
});

// Node itself sends through node:http while the global fetch is Node's own (its source loads
// undici lazily, in every Node release with fetch); a fetch anyone else installed, before or
// after this import (a test's stub, a polyfill, a tracing wrapper), is used as is. Bun (which loads
// this entry too) and Deno (if it is given this file) keep their own fetch, native there. Checked
// on the first request, so written `(function …)` as src/wasm/transport.js explains.
const isNodesOwnFetch = (function isNodesOwnFetch(f) {
  return typeof f === "function" && Function.prototype.toString.call(f).includes("internal/deps/undici");
});
if (typeof Deno === "undefined" && typeof Bun === "undefined") useSender(nodeHttpSend, isNodesOwnFetch);

export { BackupClient, init } from "./common.js";
