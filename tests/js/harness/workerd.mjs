// Runs a worker script inside workerd (Miniflare) the way wrangler would: bundled with the
// worker conditions, the .wasm kept as its own CompiledWasm module, node:* left to workerd's
// nodejs_compat (the scenario files use node:assert).
//
// Options (all optional, for callers outside tests/js such as worker/dev.mjs):
//   tools:   { esbuild, Miniflare } from the caller's own node_modules (tests/js/node_modules
//            may not be installed there), loaded from tests/js when absent;
//   options: extra Miniflare options, e.g. host/port to serve HTTP, kvNamespaces, log capture.
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export async function startWorker(entry, bindings, { tools, options = {} } = {}) {
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
  const mf = new Miniflare({
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
    ...options,
  });
  await mf.ready;
  const inputs = Object.values(built.metafile.outputs).flatMap((o) => Object.keys(o.inputs));
  return { mf, files, inputs };
}
