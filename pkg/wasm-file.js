// Browsers: the .wasm as a file of its own, next to the package's JavaScript, instead of inlined
// as base64 (browser.js). A quarter fewer bytes to ship (BENCHMARKS.md, section 1), cached apart
// from the app's own code, and compiled while it downloads (WebAssembly.instantiateStreaming)
// instead of on the main thread at import. For pages served as plain ES modules, and bundlers
// that emit the file a `new URL("…", import.meta.url)` names (Vite and webpack 5, both tested; not
// esbuild or plain Rollup, which need browser.js). The module waits for the .wasm (top-level
// await), so, as with every entry, nothing needs init().
import init from "./dist/zilliz_cloud_backup.js";

const wasmUrl = new URL("./dist/zilliz_cloud_backup_bg.wasm", import.meta.url);
try {
  await init({ module_or_path: wasmUrl });
} catch (error) {
  throw new Error(
    `zilliz-cloud-backup/wasm-file: could not load ${wasmUrl} (${error?.message ?? error}). ` +
      'Serve the package\'s .wasm there (a bundler that handles new URL("…", import.meta.url) does), ' +
      'or import "zilliz-cloud-backup", which inlines it.',
    { cause: error },
  );
}

export { BackupClient, init } from "./common.js";
