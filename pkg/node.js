// Node (>= 18), Deno and Bun: read the .wasm beside this file and instantiate it at import.
import { readFileSync } from "node:fs";
import { initSync } from "./dist/zilliz_cloud_backup.js";
// The transport snippet under a fixed name: build-pkg.sh points esbuild's alias at wasm-bindgen's
// hashed copy, so this is the very module the glue imports.
import { useSender } from "zilliz-cloud-backup/transport";
import { nodeHttpSend } from "./node-http.js";

initSync({ module: readFileSync(new URL("./dist/zilliz_cloud_backup_bg.wasm", import.meta.url)) });

// Node itself sends through node:http; Deno and Bun (which load this entry too) keep their own
// fetch, which is native there.
if (typeof Deno === "undefined" && typeof Bun === "undefined") useSender(nodeHttpSend);

export * from "./common.js";
