// Node (>= 18), Deno and Bun: read the .wasm beside this file and instantiate it at import.
import { readFileSync } from "node:fs";
import { initSync } from "./dist/zilliz_cloud_backup.js";
// The very module the glue imports (build-pkg.sh moves it out of wasm-bindgen's snippets/).
import { useSender } from "./dist/transport.js";
import { nodeHttpSend } from "./node-http.js";

initSync({ module: readFileSync(new URL("./dist/zilliz_cloud_backup_bg.wasm", import.meta.url)) });

// Node itself sends through node:http; Deno and Bun (which load this entry too) keep their own
// fetch, which is native there.
if (typeof Deno === "undefined" && typeof Bun === "undefined") useSender(nodeHttpSend);

export * from "./common.js";
