// The packed package's shape: every runtime entry its exports map names was packed, and
// `sideEffects` lists exactly those entries (each instantiates the wasm or installs a sender when
// loaded, so a bundler must keep them; nothing else is needed for its effects).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";

const dir = createRequire(import.meta.url).resolve("zilliz-cloud-backup/package.json").replace(/package\.json$/, "");
const manifest = JSON.parse(readFileSync(`${dir}package.json`, "utf8"));
const entries = new Set(
  Object.values(manifest.exports)
    .filter((target) => typeof target === "object")
    .flatMap((conditions) => Object.entries(conditions).filter(([condition]) => condition !== "types").map(([, path]) => path)),
);

test("every entry the exports map names is in the tarball", () => {
  assert.ok(entries.has("./deno.js") && entries.has("./dist/node.js") && entries.has("./workerd.js"), [...entries].join(", "));
  for (const path of entries) assert.ok(existsSync(`${dir}${path}`), `${path} was not packed`);
});

test("sideEffects lists exactly the entries", () => {
  assert.deepEqual([...manifest.sideEffects].sort(), [...entries].sort());
});
