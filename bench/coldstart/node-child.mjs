// One cold start in a fresh Node process: import the client, make it, send describeJob once.
// argv: <module path | none> <export name> <baseUrl> <jobId>. Prints the child-side timestamps as JSON.
// The first statement takes the start time, so nothing of ours has been evaluated yet (the
// import is dynamic for that reason); timestamps are performance.timeOrigin + performance.now(),
// the wall clock at sub-ms resolution, so the parent's server can compare its receipt time.
import dc from "node:diagnostics_channel";

const now = () => performance.timeOrigin + performance.now();
// Each client sends its own way: ours through node:http (loaded on its first request, ~3 ms),
// the baseline through Node's fetch (undici, loaded on its first use, ~15–30 ms). The moment a
// request is handed to either HTTP stack, from Node's own diagnostics channels.
let tRequest;
// BENCH_EXIT_AT_HANDOVER=1: stop there (coldstart-instructions.mjs counts the work up to it).
const exitAtHandover = process.env.BENCH_EXIT_AT_HANDOVER === "1";
const mark = () => {
  tRequest ??= now();
  if (exitAtHandover) process.exit(0);
};
dc.subscribe("http.client.request.start", mark);
dc.subscribe("undici:request:create", mark);
// BENCH_PRELOAD_FETCH=1: load Node's fetch before the clock starts, as if the app had used it
// already (the earlier rounds' setting: the baseline then does not pay for loading it).
if (process.env.BENCH_PRELOAD_FETCH === "1") new Request("http://127.0.0.1/");
// BENCH_PRELOAD_HTTP=1: node:http too (coldstart-instructions.mjs: each client's own stack ready).
if (process.env.BENCH_PRELOAD_HTTP === "1") await import("node:http");
// BENCH_STUB_FETCH=1: answer from a stub instead of fetching (wasm-compiled.mjs counts the wasm
// V8 compiles, and Node's fetch brings its own wasm HTTP parser). Loaded before the clock too.
const stub = process.env.BENCH_STUB_FETCH === "1" ? await import("./wasm-compiled.mjs") : undefined;
const t0 = now();
const [modulePath, exportName, baseUrl, jobId] = process.argv.slice(2);
// "none": stop where the import would start (Node's own start-up, for coldstart-instructions.mjs).
if (modulePath === "none") process.exit(0);
const Client = (await import(modulePath))[exportName];
const tImported = now();
const client = new Client({
  token: "bench-api-key",
  baseUrl,
  ...(stub && {
    fetch: () => {
      mark();
      return new Response(stub.describeJobAnswer(jobId), { headers: { "content-type": "application/json" } });
    },
  }),
});
await client.describeJob(jobId);
process.stdout.write(JSON.stringify({ t0, tImported, tRequest }));
