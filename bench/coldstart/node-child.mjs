// One cold start in a fresh Node process: import the client, make it, send describeJob once.
// argv: <module path | none> <export name> <baseUrl> <jobId>. Prints the child-side timestamps as JSON.
// The first statement takes the start time, so nothing of ours has been evaluated yet (the
// import is dynamic for that reason); timestamps are performance.timeOrigin + performance.now(),
// the wall clock at sub-ms resolution, so the parent's server can compare its receipt time.
import dc from "node:diagnostics_channel";

const now = () => performance.timeOrigin + performance.now();
// Two moments on the way out, each the first time it happens:
// - tHandOver: the client hands its request to its HTTP library, its own work done. The
//   baseline calls `fetch` (wrapped for the baseline only: ours sends through node:http only
//   while the global fetch is Node's own, which a wrapper is not), which then loads undici if
//   nothing has; ours asks Node for node:http (its sender's process.getBuiltinModule, wrapped),
//   which then loads it if nothing has. Either library's loading is that library's work.
// - tRequest: the HTTP library has made the request, from Node's own diagnostics channels. Not
//   the same moment in the two libraries: undici publishes when it creates its request, before
//   connecting (about 4.5 ms after `fetch` was called, with fetch loaded); node:http publishes
//   once the request is written to its socket (about 4.5 ms after `request` was called, with
//   node:http loaded: its first call compiles much of node:http and node:net).
let tHandOver;
let tRequest;
// BENCH_EXIT_AT_HANDOVER=1: stop at tHandOver (coldstart-instructions.mjs counts the client's
// work up to it).
const exitAtHandover = process.env.BENCH_EXIT_AT_HANDOVER === "1";
const handOver = () => {
  tHandOver ??= now();
  if (exitAtHandover) process.exit(0);
};
dc.subscribe("http.client.request.start", () => (tRequest ??= now()));
dc.subscribe("undici:request:create", () => (tRequest ??= now()));
// BENCH_PRELOAD_FETCH=1: load Node's fetch before the clock starts, as if the app had used it
// already (the earlier rounds' setting: the baseline then does not pay for loading it).
if (process.env.BENCH_PRELOAD_FETCH === "1") new Request("http://127.0.0.1/");
// BENCH_PRELOAD_HTTP=1: node:http too (coldstart-instructions.mjs: each client's own stack ready).
if (process.env.BENCH_PRELOAD_HTTP === "1") await import("node:http");
// BENCH_STUB_FETCH=1: answer from a stub instead of fetching (wasm-compiled.mjs counts the wasm
// V8 compiles, and Node's fetch brings its own wasm HTTP parser). Loaded before the clock too.
const stub = process.env.BENCH_STUB_FETCH === "1" ? await import("./wasm-compiled.mjs") : undefined;
const [modulePath, exportName, baseUrl, jobId] = process.argv.slice(2);
if (exportName === "BaselineClient") {
  const fetch = globalThis.fetch;
  globalThis.fetch = (...args) => (handOver(), fetch(...args));
} else if (process.getBuiltinModule) {
  const getBuiltinModule = process.getBuiltinModule;
  process.getBuiltinModule = (id) => {
    if (id === "node:http" || id === "node:https") handOver();
    return getBuiltinModule.call(process, id);
  };
}
const t0 = now();
// "none": stop where the import would start (Node's own start-up, for coldstart-instructions.mjs).
if (modulePath === "none") process.exit(0);
const Client = (await import(modulePath))[exportName];
const tImported = now();
const client = new Client({
  token: "bench-api-key",
  baseUrl,
  ...(stub && {
    fetch: () => {
      handOver();
      return new Response(stub.describeJobAnswer(jobId), { headers: { "content-type": "application/json" } });
    },
  }),
});
await client.describeJob(jobId);
process.stdout.write(JSON.stringify({ t0, tImported, tHandOver, tRequest }));
