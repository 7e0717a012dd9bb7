// Runs a worker script inside workerd (Miniflare) the way wrangler would: bundled with the
// worker conditions, the .wasm kept as its own CompiledWasm module, node:* left to workerd's
// nodejs_compat (the scenario files use node:assert).
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as esbuild from "esbuild";
import { Miniflare } from "miniflare";

export async function startWorker(entry, bindings) {
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
  });
  await mf.ready;
  const inputs = Object.values(built.metafile.outputs).flatMap((o) => Object.keys(o.inputs));
  return { mf, files, inputs };
}
