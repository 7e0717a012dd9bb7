// The cold-start worker (worker.mjs) bundled per client as wrangler would, and a fresh workerd
// isolate (a new Miniflare, so a new workerd process) running it. Shared by coldstart.mjs (the
// timings), workerd-builds.mjs (builds side by side), profile-workerd.mjs (where the first
// request's time goes) and workerd-compiled.mjs; `isolate` also by overhead-workerd.mjs, with
// its own worker.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import * as esbuild from "esbuild";
import { Miniflare } from "miniflare";
import { BENCH } from "../lib/results.mjs";

/** What "bench-client" resolves to in the worker, per client. */
export const WORKER_CLIENTS = { ours: `${BENCH}coldstart/client-ours.mjs`, baseline: `${BENCH}coldstart/client-baseline.mjs` };

/** Bundles the worker for `name` into a new temporary directory (the .wasm kept as its own module).
 * `packageDir`: another build of the package (a copy of pkg/) to bundle as "bench-client" instead.
 * `importInRequest`: the worker that imports the client inside its first request
 * (worker-import.mjs), the client a module of its own, instead of worker.mjs. */
export async function bundleWorker(name, packageDir, { importInRequest = false } = {}) {
  const outdir = mkdtempSync(join(tmpdir(), `zcb-bench-${name.replace(/\W/g, "_")}-`));
  let client = WORKER_CLIENTS[name];
  if (packageDir) {
    client = join(outdir, "client.mjs");
    writeFileSync(client, `export { BackupClient as Client } from ${JSON.stringify(join(resolve(packageDir), "workerd.js"))};\n`);
  }
  await esbuild.build({
    entryPoints: { worker: `${BENCH}coldstart/${importInRequest ? "worker-import" : "worker"}.mjs` },
    bundle: true,
    splitting: importInRequest,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    alias: { "bench-client": client },
    loader: { ".wasm": "copy" },
    outdir,
    logLevel: "error",
  });
  return outdir;
}

/** Miniflare's options for a worker running the bundle in `outdir` (its `worker.js`), its
 * requests sent to `target`; `extra`: more options (`bindings` replaces the default TARGET alone). */
export function workerOptions(outdir, target, extra = {}) {
  return {
    modules: true,
    modulesRoot: outdir,
    scriptPath: join(outdir, "worker.js"),
    modulesRules: [
      { type: "ESModule", include: ["**/*.js"] },
      { type: "CompiledWasm", include: ["**/*.wasm"] },
    ],
    compatibilityDate: "2025-01-01",
    bindings: { TARGET: target },
    ...extra,
  };
}

/** A fresh isolate (a new Miniflare, so a new workerd process) running `workerOptions(…)`. */
export function isolate(outdir, target, extra = {}) {
  return new Miniflare(workerOptions(outdir, target, extra));
}
