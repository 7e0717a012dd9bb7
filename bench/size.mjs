// Size: what each entry of the package makes a user load, raw and gzip -9 (node:zlib level 9),
// wasm and JS glue separately and in total, plus the .wasm alone; the same for the plain-JS
// baseline client bundled and minified with esbuild, and for our two browser entries bundled the
// same way (what a dashboard would actually ship): the default one, which inlines the .wasm as
// base64, and "wasm-file", whose .wasm stays a file of its own (a bundler that handles
// `new URL("…", import.meta.url)`, as Vite does, emits it as it is; esbuild leaves it out, so it is
// added here).
// Files are gzipped one by one (as a server would send them) and the gzip sizes summed.
// Not measured: brotli, what a bundler's tree shaking could drop inside the .wasm (nothing), and
// parse/compile time (see coldstart.mjs). Reads pkg/ as it is now: run after the build.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";
import { ROOT, BENCH, writeResult } from "./lib/results.mjs";

const PKG = `${ROOT}pkg/`;
const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length;
const isWasm = (file) => file.endsWith(".wasm") || file.endsWith(".wasm.js"); // .wasm.js: the inlined copy

/** The package files an entry loads, found by esbuild following its imports under `conditions`. */
async function inputsOf(entry, conditions) {
  const built = await esbuild.build({
    entryPoints: [`${PKG}${entry}`],
    bundle: true,
    write: false,
    metafile: true,
    format: "esm",
    platform: "neutral",
    conditions,
    external: ["node:*"],
    loader: { ".wasm": "copy" },
    outdir: "/nonexistent", // required by the copy loader; nothing is written
    absWorkingDir: ROOT, // metafile paths are relative to it
    logLevel: "error",
  });
  return Object.keys(built.metafile.inputs).map((p) => resolve(ROOT, p));
}

function measure(files) {
  const part = (list) => {
    const rows = list.map((f) => {
      const bytes = readFileSync(f);
      return { file: f.replace(ROOT, ""), raw: bytes.length, gzip: gzip(bytes) };
    });
    return { files: rows, raw: rows.reduce((s, r) => s + r.raw, 0), gzip: rows.reduce((s, r) => s + r.gzip, 0) };
  };
  const wasm = part(files.filter(isWasm));
  const js = part(files.filter((f) => !isWasm(f)));
  return { wasm, js, total: { raw: wasm.raw + js.raw, gzip: wasm.gzip + js.gzip } };
}

/** One minified esbuild bundle of `entry`: its JS (raw, gzip) and any .wasm it keeps apart. */
async function bundled(entry, conditions) {
  const built = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    write: false,
    format: "esm",
    platform: "neutral",
    conditions,
    external: ["node:*"],
    loader: { ".wasm": "copy" },
    outdir: "/nonexistent",
    logLevel: "error",
  });
  const js = built.outputFiles.filter((f) => f.path.endsWith(".js")).map((f) => f.contents);
  const wasm = built.outputFiles.filter((f) => f.path.endsWith(".wasm")).map((f) => f.contents);
  const sum = (list, fn) => list.reduce((s, b) => s + fn(b), 0);
  return {
    js: { raw: sum(js, (b) => b.length), gzip: sum(js, gzip) },
    wasm: { raw: sum(wasm, (b) => b.length), gzip: sum(wasm, gzip) },
    total: { raw: sum([...js, ...wasm], (b) => b.length), gzip: sum([...js, ...wasm], gzip) },
  };
}

const wasmFile = `${PKG}dist/zilliz_cloud_backup_bg.wasm`;
const wasmBytes = readFileSync(wasmFile);

/** A bundle's bytes with the .wasm file it fetches (which esbuild does not emit) counted in. */
function withFile(b, bytes) {
  const wasm = { raw: b.wasm.raw + bytes.length, gzip: b.wasm.gzip + gzip(bytes) };
  return { js: b.js, wasm, total: { raw: b.js.raw + wasm.raw, gzip: b.js.gzip + wasm.gzip } };
}
const entries = {
  browser: measure(await inputsOf("browser.js", ["browser"])),
  // Its .wasm is named by a `new URL(…)`, not an import: esbuild does not see it.
  "browser, wasm-file": measure([...(await inputsOf("wasm-file.js", ["browser"])), wasmFile]),
  // The shipped Node entry is node.js bundled into one file (build-pkg.sh); it reads the .wasm
  // with readFileSync, which is not an import esbuild can see.
  node: measure([...(await inputsOf("dist/node.js", ["node"])), wasmFile]),
  // Deno's entry (twenty-third round) loads the inlined copy, as the browser entry does.
  deno: measure(await inputsOf("deno.js", ["deno"])),
  workerd: measure(await inputsOf("workerd.js", ["workerd", "worker", "browser"])),
};
const result = {
  note: "Bytes in the JSON, KiB (1024 B) in the tables; gzip = node:zlib level 9 per file, summed. 'bundled' = esbuild --bundle --minify (esm); the default browser entry carries the .wasm inlined as base64, the wasm-file entry the .wasm as a file (added to its bundle's bytes: esbuild does not emit it).",
  entries,
  wasmAlone: { raw: wasmBytes.length, gzip: gzip(wasmBytes) },
  bundled: {
    ours_browser: await bundled(`${PKG}browser.js`, ["browser"]),
    ours_wasm_file: withFile(await bundled(`${PKG}wasm-file.js`, ["browser"]), wasmBytes),
    baseline: await bundled(`${BENCH}baseline/client.mjs`, ["browser"]),
  },
};
const ours = result.bundled.ours_browser.total;
const oursFile = result.bundled.ours_wasm_file.total;
const base = result.bundled.baseline.total;
result.ratio = { raw: ours.raw / base.raw, gzip: ours.gzip / base.gzip };
result.ratioWasmFile = { raw: oursFile.raw / base.raw, gzip: oursFile.gzip / base.gzip };
const kb = (bytes) => Math.round(bytes / 102.4) / 10;
result.tables = [
  {
    title: "Package size per entry (KiB; gzip -9 per file)",
    columns: ["entry", "wasm", "wasm gzip", "JS glue", "JS glue gzip", "total", "total gzip"],
    rows: [
      ...Object.entries(entries).map(([name, e]) => [name, kb(e.wasm.raw), kb(e.wasm.gzip), kb(e.js.raw), kb(e.js.gzip), kb(e.total.raw), kb(e.total.gzip)]),
      ["wasm alone", kb(result.wasmAlone.raw), kb(result.wasmAlone.gzip), "", "", "", ""],
    ],
    chart: ["total", "total gzip"],
  },
  {
    title: "Shipped to a browser, bundled and minified by esbuild (KiB)",
    columns: ["", "ours", "ours, wasm-file (JS + .wasm)", "baseline", "ratio ours/baseline", "ratio wasm-file/baseline"],
    rows: [
      ["raw", kb(ours.raw), kb(oursFile.raw), kb(base.raw), Math.round(result.ratio.raw), Math.round(result.ratioWasmFile.raw)],
      ["gzip -9", kb(ours.gzip), kb(oursFile.gzip), kb(base.gzip), Math.round(result.ratio.gzip), Math.round(result.ratioWasmFile.gzip)],
    ],
    chart: ["ours", "ours, wasm-file (JS + .wasm)", "baseline"],
  },
];

const path = writeResult("size", result);
for (const [name, e] of Object.entries(entries)) {
  console.log(`${name.padEnd(8)} wasm ${e.wasm.raw} B (gzip ${e.wasm.gzip}) + js ${e.js.raw} B (gzip ${e.js.gzip}) = ${e.total.raw} B (gzip ${e.total.gzip})`);
}
console.log(`wasm alone ${result.wasmAlone.raw} B (gzip ${result.wasmAlone.gzip})`);
console.log(`bundled+minified: ours (browser) ${ours.raw} B (gzip ${ours.gzip}), wasm-file ${oursFile.raw} B (gzip ${oursFile.gzip}) vs baseline ${base.raw} B (gzip ${base.gzip})`);
console.log(`-> ${path}`);
