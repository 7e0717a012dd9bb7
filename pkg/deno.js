// Deno (and Deno Deploy): the .wasm inlined, as the browser entry carries it, and instantiated when
// the first client is made, as the Node entry does. Not the Node entry: Deno loads its Node
// compatibility layer on the first `node:` import, 35–50 ms of a fresh process (bench/HISTORY.md,
// twenty-third round), and reading the .wasm as a file needs --allow-read; this entry touches no
// `node:` module and no file, so a program run with only --allow-net can use it.
import { initSync } from "./dist/zilliz_cloud_backup.js";
import { wasmBytes } from "./dist/zilliz_cloud_backup_bg.wasm.js";
import { instantiateOnFirstUse } from "./common.js";
// The very module the glue imports, as node.js imports it.
import { useTimeoutSignalFirst } from "./dist/transport.js";

// Written `(function …)` as src/wasm/transport.js explains: it runs once, before the first client.
instantiateOnFirstUse((function instantiateWasm() {
  initSync({ module: wasmBytes() });
}));

// A fresh process's first request leaves without Deno's first setTimeout (transport.js says why).
useTimeoutSignalFirst();

export { BackupClient, init } from "./common.js";
