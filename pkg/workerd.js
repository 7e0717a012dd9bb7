// Cloudflare Workers / workerd: the .wasm is imported as a compiled module (compiling wasm from
// bytes is forbidden there) and instantiated synchronously at import.
import wasmModule from "./dist/zilliz_cloud_backup_bg.wasm";
import { initSync } from "./dist/zilliz_cloud_backup.js";

initSync({ module: wasmModule });

export { BackupClient, init } from "./common.js";
