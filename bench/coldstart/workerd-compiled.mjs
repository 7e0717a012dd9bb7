// The wasm V8 compiles in a fresh workerd isolate, from loading the worker to its first answer:
// the workerd counterpart of wasm-compiled.mjs's count in Node. workerd's V8 compiles the .wasm
// lazily too, a function on its first call, so the first request pays for compiling every
// function it runs; these compiles are most of what ours adds to workerd's cold start
// (BENCHMARKS.md, section 2). Kept apart from wasm-compiled.mjs, which node-child.mjs loads.
import { isolate } from "./worker-isolate.mjs";
import { liftoffCompiles } from "./wasm-compiled.mjs";

/** Functions, body bytes and V8's traced compile time (µs) of one fresh isolate running the
 * cold-start worker bundled in `outdir`, its request answered by `target`. */
export async function wasmCompiledInWorkerd(outdir, target) {
  // Miniflare passes MINIFLARE_WORKERD_V8_FLAGS to workerd, read while it assembles the config.
  const flags = process.env.MINIFLARE_WORKERD_V8_FLAGS;
  process.env.MINIFLARE_WORKERD_V8_FLAGS = [flags, "--trace-wasm-compilation-times"].filter(Boolean).join(" ");
  let out = "";
  let lastOutput = performance.now();
  const mf = isolate(outdir, target, {
    handleRuntimeStdio(stdout, stderr) {
      for (const stream of [stdout, stderr]) {
        stream.on("data", (chunk) => {
          out += chunk;
          lastOutput = performance.now();
        });
      }
    },
  });
  try {
    await mf.ready;
    const response = await mf.dispatchFetch("http://bench.local/?job=job-compiled");
    if (!response.ok) throw new Error(`worker answered ${response.status}: ${await response.text()}`);
    await response.arrayBuffer();
    // The streams never end (Miniflare keeps them): wait until workerd has printed nothing for
    // a while, its trace of the first request complete.
    while (performance.now() - lastOutput < 200) await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    if (flags === undefined) delete process.env.MINIFLARE_WORKERD_V8_FLAGS;
    else process.env.MINIFLARE_WORKERD_V8_FLAGS = flags;
    await mf.dispose();
  }
  const { functions, bodyBytes, tracedUs } = liftoffCompiles(out, "workerd's V8");
  return { functions, bodyBytes, tracedUs };
}
