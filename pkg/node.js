// Node (>= 18), Deno and Bun: read the .wasm beside this file and instantiate it at import.
import { readFileSync } from "node:fs";
import { initSync } from "./dist/zilliz_cloud_backup.js";

initSync({ module: readFileSync(new URL("./dist/zilliz_cloud_backup_bg.wasm", import.meta.url)) });

export * from "./common.js";
