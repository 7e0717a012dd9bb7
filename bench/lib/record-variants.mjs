// Measures what size-variants.sh built (one directory per variant: cargo.wasm, the
// wasm-bindgen output, opt.wasm) and writes bench/results/size-variants.json.
// Usage: node record-variants.mjs <dir> <variant ...>
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { writeResult } from "./results.mjs";

const [dir, ...variants] = process.argv.slice(2);
const size = (file) => {
  const bytes = readFileSync(file);
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
};
const kb = (bytes) => Math.round(bytes / 102.4) / 10;

const results = variants.map((v) => {
  const d = `${dir}/${v}`;
  return {
    variant: v,
    setting: readFileSync(`${d}/setting`, "utf8").trim().split(" ").slice(1).join(" ") || "(Cargo.toml as is)",
    cargo: size(`${d}/cargo.wasm`),
    bindgen: size(`${d}/zilliz_cloud_backup_bg.wasm`),
    wasmOpt: size(`${d}/opt.wasm`),
    glue: size(`${d}/zilliz_cloud_backup.js`),
  };
});
const path = writeResult("size-variants", {
  note: "One release setting changed at a time from the shipped profile (opt-level z, lto, codegen-units 1). 'shipped' + wasm-opt is what pkg/dist ships. Sizes of the .wasm after wasm-bindgen, with and without wasm-opt as shipped (-Oz, single-caller functions inlined only when tiny: scripts/lib.sh pkg_wasm_opt); gzip -9.",
  results,
  tables: [
    {
      title: "Size of the .wasm per build setting (KiB)",
      columns: ["variant", "setting", "no wasm-opt", "no wasm-opt, gzip", "wasm-opt -Oz", "wasm-opt -Oz, gzip"],
      rows: results.map((r) => [r.variant, r.setting, kb(r.bindgen.raw), kb(r.bindgen.gzip), kb(r.wasmOpt.raw), kb(r.wasmOpt.gzip)]),
      chart: ["no wasm-opt", "wasm-opt -Oz"],
    },
  ],
});
for (const r of results) console.log(`${r.variant.padEnd(8)} ${r.bindgen.raw} B -> wasm-opt ${r.wasmOpt.raw} B (gzip ${r.wasmOpt.gzip})`);
console.log(`-> ${path}`);
