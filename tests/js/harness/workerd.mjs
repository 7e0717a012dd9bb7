// Runs a worker script inside workerd (Miniflare) the way wrangler would: bundled with the
// worker conditions, the .wasm kept as its own CompiledWasm module, node:* left to workerd's
// nodejs_compat (the scenario files use node:assert).
//
// Options (all optional, for callers outside tests/js such as worker/dev.mjs):
//   tools:   { esbuild, Miniflare } from the caller's own node_modules (tests/js/node_modules
//            may not be installed there), loaded from tests/js when absent;
//   options: extra Miniflare options, e.g. host/port to serve HTTP, kvNamespaces, log capture;
//   workerOptions: options of the worker itself (bindings of namespaces), which `copies` repeats;
//   copies:  how many workers run the script, each in its own isolate, named worker-0, -1, …
//            (default 1: one unnamed worker). Only the first is served over HTTP; reach the
//            others with `mf.getWorker(name)`. `workerOptions` may be a function of the index.
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export async function startWorker(entry, bindings, { tools, options = {}, workerOptions = {}, copies = 1 } = {}) {
  const esbuild = tools?.esbuild ?? (await import("esbuild"));
  const { Miniflare } = tools ?? (await import("miniflare"));
  const outdir = mkdtempSync(join(tmpdir(), "zcb-worker-"));
  const built = await esbuild.build({
    metafile: true, // lets tests check which package files went into the bundle
    entryPoints: [entry],
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    external: ["node:*"],
    loader: { ".wasm": "copy" },
    outdir,
    logLevel: "error",
  });
  const files = readdirSync(outdir);
  const perWorker = typeof workerOptions === "function" ? workerOptions : () => workerOptions;
  const worker = (i) => ({
    modules: true,
    modulesRoot: outdir,
    scriptPath: join(outdir, files.find((f) => f.endsWith(".js"))),
    modulesRules: [
      { type: "ESModule", include: ["**/*.js"] },
      { type: "CompiledWasm", include: ["**/*.wasm"] },
    ],
    compatibilityDate: "2025-01-01",
    compatibilityFlags: ["nodejs_compat"],
    bindings,
    ...perWorker(i),
  });
  const mf = new Miniflare(
    copies === 1
      ? { ...worker(0), ...options }
      : { ...options, workers: Array.from({ length: copies }, (_, i) => ({ name: `worker-${i}`, ...worker(i) })) },
  );
  await mf.ready;
  const inputs = Object.values(built.metafile.outputs).flatMap((o) => Object.keys(o.inputs));
  return { mf, files, inputs };
}
