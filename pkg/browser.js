// Browsers and bundlers (Vite, webpack, esbuild): the .wasm ships inlined in a JS module and is
// instantiated synchronously at import, so nothing needs init() and no bundler setup is needed.
import { initSync } from "./dist/zilliz_cloud_backup.js";
import { wasmBytes } from "./dist/zilliz_cloud_backup_bg.wasm.js";

initSync({ module: wasmBytes() });

export { BackupClient, init } from "./common.js";
